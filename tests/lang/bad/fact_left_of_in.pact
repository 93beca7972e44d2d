agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
action act by a
fact limit = 10 { quote doc "ten" }
permission p {
  principal a
  action act
  when limit in [10, 20]
  quote doc "x"
}
