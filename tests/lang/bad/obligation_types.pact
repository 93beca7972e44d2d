agreement "t" { version "1" effective 2025-01-01 }
party a
party b
source doc official "doc.txt"
event invoice { number: string  amount: money  units: integer }
event paid { number: string  amount: money  units: integer  period: date }
fact fee = "high" { quote doc "The only text in this source document." }
obligation pay {
  owed_by a
  owed_to c
  on invoice when event.units > 0
  due 30 days after trigger
  fulfilled by paid where event.number == trigger.number counting units
  amount event.amount
  quote doc "The only text in this source document."
}
obligation report {
  owed_by a
  owed_to b
  every quarter from 2025-01-01 until 2024-12-31
  due 15 days after trigger
  amount event.units
  fulfilled by paid where event.period == trigger.seq
  discharged by ended
  quote doc "The only text in this source document."
}
obligation fee_due {
  owed_by a
  owed_to b
  at 2025-06-30
  due 2025-07-31
  amount fee
  fulfilled by paid where event.units == trigger.number
  quote doc "The only text in this source document."
}
obligation late_fee {
  owed_by a
  owed_to b
  on invoice
  due 2 business days after trigger
  fulfilled by paid counting amount
  quote doc "The only text in this source document."
}
