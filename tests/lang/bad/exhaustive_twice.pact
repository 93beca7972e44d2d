# `exhaustive` is written once, after the principals.
agreement "exhaustive-twice" { version "1" effective 2025-01-01 }
party buyer
source doc official "doc.txt"
action ping by buyer exhaustive exhaustive
