# resell_service is exhaustive, but nothing governs resale outside the two named regions, and
# nothing governs any resale once the term ends in 2027.
agreement "verify-gap" { version "1" effective 2026-01-01 }
party relay
source contract official "contract.txt"

action resell_service by relay exhaustive {
  context region: string
}

permission resale_eu {
  principal relay
  action resell_service
  when context.region == "eu-west"
  through 2027
  quote contract "Relay may resell in eu-west during the Term."
}

prohibition no_resale_polar {
  principal relay
  action resell_service
  when context.region == "polar-north"
  through 2027
  quote contract "Relay shall not resell in polar-north during the Term."
}
