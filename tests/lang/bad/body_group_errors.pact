agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
body panel {
  members m1, m2, m3, o1, o2
  groups {
    ms: m1, m2, m3, m2
    oa: o1, o2, x9
    ms: o1
  }
  quorum 3 including 4 from ms, 1 from nobody, 1 from oa, 1 from oa
}
body small {
  members m1, m2, o1, o2
  groups { ms: m1, m2  oa: o1, o2 }
  quorum 3 including 2 from ms, 2 from oa
}
event verdict recorded by panel, small { ok: bool }
