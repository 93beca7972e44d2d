agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
term {
  until 2026
  quote doc "only"
}
term { until 2027 }
term {
  renews every 2 fortnights unless notice x 1 day before
}
action act by a
permission p {
  principal a
  action act
  survives
  survives
  quote doc "only"
}
