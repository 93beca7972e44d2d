# Termination may be recorded only from 2027 (its guard reads the date), but wind_down is in
# effect only while terminated and only through 2026: no day and reachable state meet both.
# The state `terminated` is reachable, but only from the 2027 segment on.
agreement "verify-window-dated" { version "1" effective 2026-01-01 }
party relay
source contract official "contract.txt"

state status: enum { active, terminated } = active
event termination { ground: string }
on termination {
  require date >= 2027-01-01 else "no termination before 2027"
  require status == active else "already terminated"
  set status = terminated
}

action resell_service by relay

permission general_resale {
  principal relay
  action resell_service
  until status == terminated
  quote contract "Until termination Relay may resell the Services."
}

permission wind_down {
  principal relay
  action resell_service
  while status == terminated
  through 2026
  quote contract "After termination, through 2026, Relay may sell off its stock."
}
