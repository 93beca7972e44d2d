agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
action act by a { context price: money }
permission p {
  principal a
  action act
  when context.price > 100
  quote doc "x"
}
