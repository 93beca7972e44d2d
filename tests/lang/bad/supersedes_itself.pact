agreement "reseller" {
  version "2026-07-01"
  effective 2026-07-01
  supersedes "reseller@2026-07-01"
}
party solo
