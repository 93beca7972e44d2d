agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
action act by a
permission p {
  principal a
  action act
  when date + 30 > 2025-06-01
  quote doc "The only text in this source document."
}
