# A ref compares only with a ref to the same event type, with == or !=, and holds only seqs.
agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
state pending: ref declared
state started: ref declared = 5
state count: integer = 0
action act by a { context which: ref declared }
event declared { note: string }
event verdict { on: ref declared, later: ref nothing }
on verdict {
  require event.on == event.seq else "a verdict is not a declaration"
  require event.on < pending else "refs are not ordered"
  require pending == 3 else "a seq is not written as a number"
  require pending else "a ref is not a condition"
  set count = event.on
  set pending = 4
}
