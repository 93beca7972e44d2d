# First-class obligations beside an old-style obligation clause: every trigger (on, every, at),
# both deadline forms, each unit of length, amounts from a literal, a fact and an event field,
# matching by a field and by the trigger's seq, counting, and a discharge.
agreement "obligations" { version "1" effective 2025-01-01 }
party a
party b
source doc official "doc.txt"
action act by b { }
event invoice { number: integer  amount: money  big: bool }
event paid { invoice: ref invoice  amount: money }
event report { quarter: integer }
event notice { }
event ended { }
fact fee = $250 { quote doc "The fee is due in June." }

obligation old_style {
  principal b
  action act
  quote doc "B shall report."
}
obligation invoices {
  owed_by a
  owed_to b
  what "Pay each invoice"
  on invoice when event.big
  due 30 days after trigger
  amount event.amount
  fulfilled by paid where event.invoice == trigger.seq counting amount
  discharged by ended
  quote doc "Each invoice is payable within 30 days."
}
obligation reports {
  owed_by a
  owed_to b
  every quarter from effective until 2026-12-31
  due 1 month after trigger
  fulfilled by report where event.quarter == trigger.seq
  quote doc "A report is due after each quarter."
}
obligation yearly {
  owed_by a
  owed_to b
  every year from 2025-01-01
  due 2 weeks after trigger
  amount 12
  fulfilled by report counting quarter
  quote doc "A report is due after each quarter."
}
obligation fee_due {
  owed_by b
  owed_to a
  at 2025-06-01
  due 2025-06-30
  amount fee
  fulfilled by paid counting amount
  quote doc "The fee is due in June."
}
obligation notify {
  owed_by a
  owed_to b
  on invoice
  due 5 business days after trigger
  fulfilled by notice
  quote doc "Notice within 5 business days."
}
obligation long_one {
  owed_by a
  owed_to b
  at 2025
  due 1 year after trigger
  fulfilled by notice
  quote doc "Notice within 5 business days."
}
