# State variables of every allowed type, events with typed fields, and transitions with
# require, set, and set ... when.
agreement "states" { version "1" effective 2025-01-01 }
party a

state phase: enum { draft, signed, closed } = draft
state signed_on: date = 2025-01-01
state count: integer = 0
state budget: money = $0
state locked: bool = false

event sign { on_day: date, who: string }
event close { }
event bump { by: integer, amount: money, final: bool, level: enum { low, high } }

on sign {
  require phase == draft else "already signed"
  set phase = signed
  set signed_on = event.on_day
}
on close {
  require phase == signed and not locked else "nothing to close"
  set phase = "closed"
  set locked = true
}
on bump {
  require event.by > 0 else "a bump must be positive"
  set count = event.by
  set budget = event.amount when event.final
  set locked = true when event.level == high or date >= 2030-01-01
  set phase = closed when event.amount > $1_000 and phase != draft
}
