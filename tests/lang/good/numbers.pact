# Integers with underscores, the 64-bit limits, money (in millionths: at most $(2^63 - 1) / 10^6), and the first and last days of the calendar.
agreement "numbers" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
fact zero = 0 { quote doc "zero" }
fact thousand = 1_000 { quote doc "one thousand" }
fact max_int = 9223372036854775807 { quote doc "the largest integer" }
fact max_money = $9_223_372_036_854.775807 { quote doc "the largest amount" }
fact no_money = $0 { quote doc "nothing" }
fact first_day = 0001-01-01 { quote doc "the first day" }
fact last_day = 9999-12-31 { quote doc "the last day" }
fact leap_2000 = 2000-02-29 { quote doc "a leap day in a century year" }
fact leap_2024 = 2024-02-29 { quote doc "a leap day" }
