# Decimals, percentages, money to the millionth, durations, and arithmetic in conditions and set.
agreement "arithmetic" { version "1" effective 2027-01-01 }
party label
party artist
source doc official "doc.txt"
fact rate = 20% { quote doc "a fifth of the revenue" }
fact per_stream = $0.004 { quote doc "a fifth of the revenue" }
fact cap = $1_000_000.50 { quote doc "up to a cap" }
fact cure = 30 days { quote doc "thirty days" }
fact notice = 10 business days { quote doc "ten business days" }
fact half = 0.5 { quote doc "a share" }
state owed: money = $0
state share: decimal = 0
state streams: integer = 0
state noticed: date = 2027-01-01
event report { revenue: money, count: integer, weight: decimal }
event notice_given { }
on report {
  require event.revenue >= $0 and event.count >= 0 else "amounts are not negative"
  set owed = min(owed + event.revenue * rate + event.count * per_stream, cap)
  set streams = streams + event.count
  set share = max(half, event.weight / (event.count + 1)) when event.count > -1
}
on notice_given { set noticed = date }
action pay by label { context amount: money context on_day: date = 2027-01-01 }
permission pay_what_is_owed {
  principal label
  action pay
  when context.amount >= owed - $0.000001 * 2 and -context.amount < -$0.5
       and date <= noticed + cure and context.on_day + notice > date - 1 month
       and date - context.on_day <= 365 and share * 2 >= 1
  quote doc "a fifth of the revenue"
}
