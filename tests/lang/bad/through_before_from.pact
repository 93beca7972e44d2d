agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
action act by a
permission p {
  principal a
  action act
  from 2026-06-01
  through 2026-05-31
  quote doc "x"
}
