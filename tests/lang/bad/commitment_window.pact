agreement "t" { version "1" effective 2025-01-01 }
party a
party b
source doc official "doc.txt"
action pay by a { context x: integer }
event paid { amount: money, program: enum { old, new } }
commitment late {
  owed_by a
  owed_to b
  total $100
  counted from paid.amount since 2027-01-01
  deadline 2026
  quote doc "x"
}
commitment reads_request {
  owed_by a
  owed_to b
  total $100
  counted from paid.amount where context.x == 1
  quote doc "x"
}
commitment unknown_field {
  owed_by a
  owed_to b
  total $100
  counted from paid.amount where event.region == "eu"
  quote doc "x"
}
commitment not_bool {
  owed_by a
  owed_to b
  total $100
  counted from paid.amount where event.amount
  quote doc "x"
}
commitment not_member {
  owed_by a
  owed_to b
  total $100
  counted from paid.amount where event.program == newer
  quote doc "x"
}
