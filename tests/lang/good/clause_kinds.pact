# One clause of each kind.
agreement "kinds" { version "1" effective 2025-01-01 }
party a
party b
source doc official "doc.txt"
action act by a, b { resource big: bool = false }

permission may_act {
  principal a
  action act
  quote doc "A may act."
}
prohibition must_not_act_big {
  principal a
  action act
  when resource.big
  quote doc "A shall not act big."
}
obligation must_report {
  principal b
  action act
  note "B reports every act."
  quote doc "B shall report."
  quote doc "Reports are due monthly."
}
