# Exception chains: a three-long chain, a clause excepting two clauses, and forward references.
agreement "exceptions" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
action act by a { resource level: integer = 0 }

permission base { principal a action act quote doc "base" }
prohibition level1 { principal a action act when resource.level >= 1 exception to base quote doc "1" }
permission level2 { principal a action act when resource.level >= 2 exception to level1 quote doc "2" }
prohibition level3 { principal a action act when resource.level >= 3 exception to level2 quote doc "3" }

# Declared before what it excepts, and excepting two clauses (a diamond over base).
permission both {
  principal a
  action act
  when resource.level == 9
  exception to level1, late
  exception to level3
  quote doc "both"
}
prohibition late { principal a action act when resource.level > 5 exception to base quote doc "late" }
