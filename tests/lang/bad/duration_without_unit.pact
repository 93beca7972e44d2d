agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
state cure: duration = 30
