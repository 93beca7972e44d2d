agreement "t" { version "1" effective 2025-01-01 }
party a
party b
source doc official "doc.txt"
event invoice { amount: money }
obligation twice {
  owed_by a
  owed_to b
  on invoice
  at 2025-03-01
}
obligation fortnight {
  owed_by a
  due 2 fortnights after trigger
}
obligation amount_kind {
  owed_by a
  amount "ten dollars"
}
