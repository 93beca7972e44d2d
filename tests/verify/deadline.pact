# A deadline that an event can move later. The request's due date is compared with the state, so
# the report is marked approximate. No finding: the event's field takes the deadline's initial
# value and its neighbours, so verify grants an extension (to 2030-01-02); the due date takes every
# reachable deadline and its neighbours, so it tries deliveries after each. Without those values
# late and late_fee would look dead.
agreement "verify-deadline" { version "1" effective 2026-01-01 }
party buyer
source contract official "contract.txt"

state deadline: date = 2030-01-01
state extended: bool = false
event extension { until: date }
on extension {
  require event.until > deadline else "an extension must move the deadline later"
  set deadline = event.until
  set extended = true
}

action deliver by buyer exhaustive {
  context due: date
}

permission on_time {
  principal buyer
  action deliver
  when context.due <= deadline
  quote contract "Delivery is due by the deadline."
}

prohibition late {
  principal buyer
  action deliver
  when context.due > deadline and not extended
  quote contract "Late delivery is refused."
}

prohibition late_fee {
  principal buyer
  action deliver
  when context.due > deadline and extended
  quote contract "After an extension, a delivery later still is refused."
}
