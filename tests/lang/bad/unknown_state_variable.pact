agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
state s: integer = 0
event e { n: integer }
on e { set nope = event.n }
