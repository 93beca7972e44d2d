agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
fact big = 9223372036854775808 { quote doc "x" }
fact rich = $9223372036854775808 { quote doc "y" }
