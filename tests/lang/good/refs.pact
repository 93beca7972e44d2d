# Refs to earlier events, `event.seq`, and `recorded by` conditions.
agreement "refs" { version "1" effective 2025-01-01 }
party buyer
party seller
body board "Review board" { members chair, member_1, member_2 quorum 2 }

state pending: ref order
state accepted: ref order = 0
state disputed: bool = false

event order recorded by buyer { amount: money }
event acceptance recorded by seller { order: ref order }
event dispute recorded by buyer, board { order: ref order, about: ref acceptance }

on order {
  require recorded by buyer else "only the buyer orders"
  set pending = event.seq
}
on acceptance {
  require event.order == pending else "only the pending order can be accepted"
  require recorded by seller and not recorded by buyer else "the seller accepts, alone"
  set accepted = event.order
}
on dispute {
  require event.order == accepted or event.order != pending else "a dispute names an accepted order"
  set disputed = true when recorded by board or (recorded by buyer and event.order == accepted)
}
