# public_sector_carveout is an exception to polar_north_ban, but all_polar_refused, an exception
# to the carve-out, repeats the ban's whole condition: wherever the carve-out applies, it is
# overridden, so it never decides anything.
agreement "verify-shadowed" { version "1" effective 2026-01-01 }
party relay
source contract official "contract.txt"

action resell_service by relay {
  context region: string
  context customer_kind: enum { commercial, public_sector }
}

permission general_resale {
  principal relay
  action resell_service
  quote contract "Relay may resell the Services to Customers."
}

prohibition polar_north_ban {
  principal relay
  action resell_service
  when context.region == "polar-north"
  exception to general_resale
  quote contract "Relay shall not resell the Services in polar-north."
}

permission public_sector_carveout {
  principal relay
  action resell_service
  when context.region == "polar-north" and context.customer_kind == public_sector
  exception to polar_north_ban
  quote contract "Relay may resell in polar-north to public sector Customers."
}

prohibition all_polar_refused {
  principal relay
  action resell_service
  when context.region == "polar-north"
  exception to public_sector_carveout
  quote contract "No resale in polar-north at all."
}
