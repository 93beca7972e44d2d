# Conditions: and/or/not, parentheses, `in` lists of each type, every comparison operator,
# constants on the left, enum members as bare names and as strings.
agreement "expressions" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
action act by a {
  resource tier: enum { bronze, silver, gold }
  resource region: string = "eu"
  resource seats: integer = 1
  resource value: money = $0
  resource start: date = 2025-01-01
  resource flag: bool = false
}
state mode: enum { normal, strict } = normal
fact floor = 5 { quote doc "five" }

permission ors_and_ands {
  principal a
  action act
  when resource.flag or resource.seats > 3 and resource.seats < 10 or not resource.flag
  quote doc "precedence"
}
permission parens {
  principal a
  action act
  when (resource.flag or resource.seats >= 3) and not (resource.seats <= 1 or not resource.flag)
  quote doc "parentheses"
}
permission lists {
  principal a
  action act
  when resource.tier in [bronze, "gold"] and resource.region in ["eu", "us"]
       and resource.seats in [1, 2, 3] and resource.value in [$0, $100]
       and resource.start in [2025-01-01, 2026-01-01]
  quote doc "in lists"
}
permission operators {
  principal a
  action act
  when resource.seats == 1 and resource.seats != 2 and resource.seats < 3 and resource.seats <= 3
       and resource.seats > 0 and resource.seats >= floor and 10 > resource.seats
       and "silver" == resource.tier and resource.tier != gold and gold != resource.tier
       and $10 <= resource.value and 2025-06-01 > resource.start and resource.flag == false
  while mode == normal and not not (mode != strict)
  quote doc "operators"
}
