agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
fact notice = 10 business { quote doc "The only text in this source document." }
