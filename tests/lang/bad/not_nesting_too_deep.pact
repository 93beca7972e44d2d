agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
action act by a { resource flag: bool = false }
permission p {
  principal a
  action act
  when
    not not not not not not not not not not not not not not not not not not not not not not not not not
    not not not not not not not not not not not not not not not not not not not not not not not not not
    not not not not not not not not not not not not not not not not not not not not not not not not not
    not not not not not not not not not not not not not not not not not not not not not not not not not
    not not not not not not not not not not not not not not not not not not not not not not not not not
    not not not not not not not not not not not not not not not not not not not not not not not not not
    not not not not not not not not not not not not not not not not not not not not not not not not not
    not not not not not not not not not not not not not not not not not not not not not not not not not
    not not not not not not not not not not not not not not not not not not not not not not not not not
    not not not not not not not not not not not not not not not not not not not not not not not not not
    not not not not not not not not not not not not not not not not not not not not not not not not not
    not not not not not not not not not not not not not not not not not not not not not not not not not
    resource.flag
  quote doc "x"
}
