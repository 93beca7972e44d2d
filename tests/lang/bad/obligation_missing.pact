agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
obligation pay {
  owed_by a
  what "Pay"
  quote doc "The only text in this source document."
}
