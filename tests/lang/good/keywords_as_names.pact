# Keywords are contextual: they can name parties, sources, actions, attributes, events,
# fields, state variables and clauses where the grammar expects an identifier.
agreement "keywords" { version "1" effective 2025-01-01 }
party action "a party named action"
party by
source quote official "doc.txt"
action from by action, by {
  resource by: bool = false
  resource action: string = "x"
  context when: integer = 0
  context through: date = 2025-01-01
  resource date: date = 2025-01-01
}
event to { by: string, from: integer }
state until: integer = 0
on to { set until = event.from }
permission when {
  principal action
  action from
  when resource.by and context.when > 0 and resource.date <= date and resource.action == "x"
  until until > 5
  quote quote "text"
}
