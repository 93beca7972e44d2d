# A later version names the version it replaces: the same id, an earlier version.
agreement "reseller" {
  version "2026-07-01"
  supersedes "reseller@2026-01-01"
  effective 2026-07-01
}
party solo
