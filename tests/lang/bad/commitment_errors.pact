agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
event paid { amount: money }
commitment c {
  owed_to a
  total 0 unit "widgets"
  counted from paid.amount
  quote doc "x"
}
