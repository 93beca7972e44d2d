agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
fact n = 12abc { quote doc "x" }
fact m = 1__000 { quote doc "y" }
