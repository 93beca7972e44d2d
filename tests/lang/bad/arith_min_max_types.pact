agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
action act by a { context n: integer = 0 }
permission p {
  principal a
  action act
  when max(context.n, date) > 3
  quote doc "The only text in this source document."
}
