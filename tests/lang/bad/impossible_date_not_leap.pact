agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
fact d = 2023-02-29 { quote doc "x" }
