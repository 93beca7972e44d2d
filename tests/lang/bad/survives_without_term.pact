agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
action act by a
permission p {
  principal a
  action act
  survives
  quote doc "only"
}
