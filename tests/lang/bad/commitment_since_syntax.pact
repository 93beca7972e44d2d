agreement "t" { version "1" effective 2025-01-01 }
party a
party b
source doc official "doc.txt"
event paid { amount: money }
commitment c {
  owed_by a
  owed_to b
  total $100
  counted from paid.amount since last_year
  quote doc "x"
}
