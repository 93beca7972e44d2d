agreement "bom" {
  version "1"
  effective 2025-01-01
}
party a
