# `recorded by` is a condition about the event being folded: only inside `on`, naming a party or body.
agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
body board { members x, y quorum 2 }
state ok: bool = false
action act by a
event e { n: integer }
on e {
  require recorded by nobody else "unknown"
  require recorded by a == true else "not a value"
  set ok = recorded by board
}
permission p {
  principal a
  action act
  when recorded by a
  until recorded by board
  quote doc "x"
}
