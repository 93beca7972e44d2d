# `exhaustive` after the principals: with a block, without one, after a list of principals, and a
# party called `exhaustive` (a name in the list, not the modifier).
agreement "exhaustive" { version "1" effective 2025-01-01 }
party buyer
party exhaustive
source doc official "doc.txt"

action ping by buyer exhaustive
action order by buyer, exhaustive exhaustive {
  resource paid: bool = false
}
action note by exhaustive

permission order_ok {
  principal buyer
  action order
  when resource.paid
  quote doc "Orders may be placed."
}
