# Windows: from/through with dates and bare years, while/until on state, and `date`.
agreement "windows" { version "1" effective 2025-03-01 }
party a
source doc official "doc.txt"
action act by a
state stage: enum { open, paused, ended } = open
event pause { }
event end { }
on pause { set stage = paused }
on end { set stage = ended }

permission dated { principal a action act from 2025-06-01 through 2026-05-31 quote doc "dated" }
permission yearly { principal a action act from 2026 through 2030 quote doc "yearly" }
permission one_day { principal a action act from 2027-07-04 through 2027-07-04 quote doc "one day" }
permission leap { principal a action act from 2024-02-29 through 2028-02-29 quote doc "leap days" }
permission early_from { principal a action act from 2020 quote doc "before the effective date" }
permission effective_day { principal a action act through 2025-03-01 quote doc "the effective day only" }
permission while_open { principal a action act while stage == open quote doc "while open" }
permission until_ended { principal a action act until stage == ended quote doc "until ended" }
prohibition mixed {
  principal a
  action act
  from 2025
  through 2032
  while stage != paused
  until stage == ended
  while date < 2031-01-01
  quote doc "mixed window"
}
