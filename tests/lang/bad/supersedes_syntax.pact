agreement "reseller" {
  version "2"
  effective 2026-01-01
  supersedes "reseller 1"
}
party solo
