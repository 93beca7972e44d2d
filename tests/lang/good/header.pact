# The smallest valid agreement: a header and one party.
agreement "header-only" {
  title "Only a header"
  version "0.1"
  effective 2025-01-01
}
party solo
