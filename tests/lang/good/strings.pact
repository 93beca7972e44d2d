# String literals: escapes, UTF-8, '#' inside a string, and a declaration's optional second
# string (its title) on the next line, which stays a separate string.
agreement "str\\ings" {
  version "v\"2\""
  title "tab\there, quote \" and backslash \\ and newline\n; UTF-8: naïve café — 合同 ✓"
  effective 2025-01-01
}
party a "Ã©quipe"
source doc official "doc.txt"
  "a title on its own line"
action act by a
permission p {
  principal a
  action act
  note "a note with \"escapes\" and # not a comment"
  quote doc "The clause says \"hi\" in UTF-8: café."
}
