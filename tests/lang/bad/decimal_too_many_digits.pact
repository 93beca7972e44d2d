agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
fact rate = 0.0000001 { quote doc "The only text in this source document." }
