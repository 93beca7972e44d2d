agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
event ended { why: string }
term {
  terminated by ended
  renews every 1 year unless notice ended 3 months before
  quote doc "only"
}
state term_over_from: date = 2025-01-01
