agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
action act by a { resource kind: enum { silver, bronze } }
permission p {
  principal a
  action act
  when resource.kind in [silver, gold]
  quote doc "x"
}
