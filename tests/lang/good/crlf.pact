agreement "crlf" {
  version "1"
  effective 2025-01-01
}
# a comment ending in CR LF
party a "A"
source doc official "doc.txt"
  "the title, on the next line"
action act by a {
  context n: integer = 1
}
permission p {
  principal a
  action act
  when context.n >= 1
  quote doc "Lines end in CR LF."
}
