# Transitions may carry quotes and notes, mixed with their statements.
agreement "transitions" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
state open: bool = true
event shut { }
on shut {
  quote doc "Either party may close."
  require open else "already closed"
  note "closing twice is rejected"
  set open = false
}
