agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
event ended { why: string }
event notice { why: string }
term {
  from 2024-06-01
  until 2024-05-31
  terminated by finished
  renews every 0 years unless notice notices 90 days before
}
action act by a
on ended {
  set term_over_from = 2025-01-01
}
permission p {
  principal a
  action act
  survives
  quote doc "only"
}
