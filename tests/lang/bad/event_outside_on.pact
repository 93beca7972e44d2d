agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
action act by a
event e { flag: bool }
permission p {
  principal a
  action act
  when event.flag
  quote doc "x"
}
