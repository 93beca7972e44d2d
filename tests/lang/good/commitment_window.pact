# Commitment windows: `since DAY` (a date, or a bare year meaning its first day) and `where COND`
# over the counted event's fields, its date, who recorded it, facts and state.
agreement "commitment-window" { version "2" effective 2025-10-28 supersedes "commitment-window@1" }
party buyer
party seller
source doc official "doc.txt"
state phase: enum { open, closed } = open
fact cutoff = 2030-01-01 {
  quote doc "commitment windows"
}
event purchase recorded by buyer, seller { amount: money, under: enum { earlier, incremental } }
event shipment { units: integer }
event close { }
on close {
  set phase = closed
}

commitment incremental_purchases {
  owed_by buyer
  owed_to seller
  total $250
  counted from purchase.amount since 2025-10-28 where event.under == incremental
  quote doc "incremental from the signing; not under the earlier commitment"
}
commitment recorded_by_buyer {
  owed_by buyer
  owed_to seller
  total $100
  counted from purchase.amount since 2026 where recorded by buyer and phase == open and date < cutoff
  deadline 2030
  quote doc "only what the buyer recorded, while open."
}
commitment units_since {
  owed_by seller
  owed_to buyer
  total 10 unit "units"
  counted from shipment.units since 2025-11-01
  quote doc "commitment windows"
}
