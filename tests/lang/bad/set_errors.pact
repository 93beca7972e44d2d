agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
set regions = ["eu-west", 3]
set tiers = [standard, gold]
set flags = [true]
set a_set = ["x"]
set a_set = ["y"]
fact limit = 5 { quote doc "only" }
constant limit2 = 5 { quote doc "only" }
constant bare = 7 { }
set limit = [1]
action act by a {
  resource tier: enum { standard, premium }
  context seats: integer
  context region: string
}
prohibition p {
  principal a
  action act
  when context.seats in tiers or resource.tier in tiers or resource.tier == tiers
       or context.region in nowhere or context.seats in [limit, "x"] or context.region in [limit]
  quote doc "only"
}
