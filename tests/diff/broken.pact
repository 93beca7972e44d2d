agreement "broken" { version "1" effective 2026-01-01 }
party p
action a by q
