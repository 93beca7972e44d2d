agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
action act by a
permission p {
  principal a
  action act
  through 10000
  quote doc "x"
}
permission q {
  principal a
  action act
  from 0
  quote doc "y"
}
fact d = 0000-01-01 { quote doc "z" }
