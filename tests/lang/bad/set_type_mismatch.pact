agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
state n: integer = 0
event e { flag: bool }
on e {
  set n = "x"
  set n = event.flag
}
