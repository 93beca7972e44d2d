agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
action act by a { resource flag: bool = false  resource other: bool = true }
permission p {
  principal a
  action act
  when resource.flag < resource.other
  quote doc "x"
}
