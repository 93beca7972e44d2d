# Refs and `recorded by` in the decision space: a purchase order must be accepted by the seller
# alone, naming the pending order; only then may the buyer resell.
agreement "refs" { version "1" effective 2026-01-01 }
party buyer
party seller
source doc official "doc.txt"
state phase: enum { open, ordered, accepted } = open
state pending: ref order
event order { amount: money }
event acceptance { order: ref order }
on order {
  require phase == open and recorded by buyer else "the buyer orders, once"
  set phase = ordered
  set pending = event.seq
}
on acceptance {
  require recorded by seller and not recorded by buyer else "the seller accepts, alone"
  require event.order == pending else "the pending order"
  set phase = accepted when phase == ordered
}
action resell by buyer
permission resale_after_acceptance {
  principal buyer
  action resell
  while phase == accepted
  quote doc "x"
}
