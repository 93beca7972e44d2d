agreement "reseller" {
  version "3"
  supersedes "reseller@2"
  effective 2026-01-01
  supersedes "reseller@1"
}
party solo
