agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
action act by a { resource flag: bool = false  context n: integer = 0 }
prohibition q {
  principal a
  action act
  requires context.n > 3
  quote doc "x"
}
obligation o {
  principal a
  action act
  requires resource.flag
  quote doc "y"
}
