agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
event notice { why: string }
term {
  from effective
  renews every 1 month unless notice notice 100001 days before
  quote doc "only"
}
