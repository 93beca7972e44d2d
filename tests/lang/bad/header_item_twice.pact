agreement "t" {
  version "1"
  effective 2025-01-01
  version "2"
}
party a
