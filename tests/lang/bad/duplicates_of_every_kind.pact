agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
party a
source doc official "other.txt"
fact f = 1 { quote doc "x" }
fact f = 2 { quote doc "x" }
action act by a
action act by a
state s: bool = false
state s: bool = true
event e { }
event e { }
commitment c { owed_by a owed_to a total $1 counted from paid.amount quote doc "x" }
commitment c { owed_by a owed_to a total $2 counted from paid.amount quote doc "x" }
event paid { amount: money }
