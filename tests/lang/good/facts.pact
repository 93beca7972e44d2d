# Facts of each literal type, used in conditions.
agreement "facts" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
action act by a {
  context seats: integer
  context price: money
  context vendor: string
}

fact vendor_name = "Acme" { quote doc "Acme" }
fact seat_limit = 10 { unit "seats" quote doc "ten seats" }
fact annual_fee = $2_500 { note "per year" quote doc "$2,500" }
fact start_day = 2025-05-05 { quote doc "5 May 2025" }
fact renewable = true { quote doc "renewable" }
fact transferable = false { unit "flag" note "a bool fact" quote doc "not transferable" quote doc "ever" }

permission within_limits {
  principal a
  action act
  when context.seats <= seat_limit and context.price >= annual_fee and context.vendor == vendor_name
  while date >= start_day and renewable
  quote doc "Within the limits."
}
