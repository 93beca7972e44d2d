# Commitments: a money total and an integer total with a unit; deadlines as a date and a year.
agreement "commitments" { version "1" effective 2025-01-01 }
party a
party b
source doc official "doc.txt"
event paid { amount: money }
event shipped { units: integer, carrier: string }

commitment payment {
  owed_by a
  owed_to b
  what "Pay $1,000,000"
  total $1_000_000
  counted from paid.amount
  deadline 2026-12-31
  quote doc "A shall pay B one million dollars by the end of 2026."
}
commitment delivery {
  owed_to a
  owed_by b
  total 500 unit "widgets"
  counted from shipped.units
  deadline 2027
  note "A bare year: the last day of 2027."
  quote doc "B shall ship 500 widgets"
  quote doc "by the end of 2027."
}
commitment open_ended {
  owed_by a
  owed_to b
  total 1 unit "report"
  counted from shipped.units
  quote doc "One report, no deadline."
}
