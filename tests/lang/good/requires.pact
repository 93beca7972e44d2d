# Permissions with a `requires` condition, with and without `when`.
agreement "requires" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
action act by a {
  resource kind: enum { plain, special }
  context approved: bool = false
  context count: integer = 0
}

permission plain_needs_approval {
  principal a
  action act
  when resource.kind == plain
  requires context.approved
  quote doc "Plain acts need approval."
}
permission special_needs_three {
  principal a
  action act
  requires resource.kind == special and (context.count >= 3 or context.approved)
  quote doc "Special acts need three votes or approval."
}
