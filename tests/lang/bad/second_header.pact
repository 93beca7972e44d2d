agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
agreement "u" { version "2" effective 2026-01-01 }
