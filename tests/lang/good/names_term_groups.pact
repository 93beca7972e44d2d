# Named sets, facts and constants in lists, a term that renews and is ended by an event, a clause
# that survives, and a body whose quorum asks for members of each of its groups.
agreement "names" { version "1" effective 2025-01-01 }
party a
party b
source doc official "doc.txt"
fact home = "eu-central" { quote doc "Acme" }
constant cap = 20 { note "ours" }
set regions = ["eu-west", home]
set tiers = [gold, "silver"] { note "a set of enum members" quote doc "Acme" }
set days = [2025-05-05, 2025-12-24]
set fees = [$1, $2_500]
event ended { why: string }
event no_renewal { why: string }
term {
  from effective
  until 2026
  terminated by ended
  renews every 6 months unless notice no_renewal 30 days before
  quote doc "Acme"
  note "a term"
}
body panel {
  members a1, a2, b1, b2
  groups { side_a: a1, a2  side_b: b1, b2 }
  quorum 3 including 1 from side_a, 1 from side_b
}
event verdict recorded by panel { ok: bool }
action act by a {
  resource tier: enum { gold, silver, bronze }
  context region: string
  context seats: integer
  context fee: money
}
permission p {
  principal a
  action act
  when context.region in regions and resource.tier in tiers and context.seats in [1, cap]
       and date in days and context.fee in fees
  quote doc "Acme"
}
prohibition q {
  principal a
  action act
  when context.region in ["polar", home]
  survives
  quote doc "Acme"
}
