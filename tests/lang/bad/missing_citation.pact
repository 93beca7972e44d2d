agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
action act by a
fact f = 1 { note "a note is not a quote" }
permission p {
  principal a
  action act
  note "a note is not a quote"
}
