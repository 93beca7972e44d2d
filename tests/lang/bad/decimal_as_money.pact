agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
state fee: money = 10.5
