# public_sector_carveout is an exception to polar_north_ban, but sanctioned_region, which it
# does not except, denies every polar-north resale: the carve-out applies and never wins.
agreement "verify-shadowed-beaten" { version "1" effective 2026-01-01 }
party relay
source contract official "contract.txt"

action resell_service by relay {
  context region: string
  context customer_kind: enum { commercial, public_sector }
}

prohibition polar_north_ban {
  principal relay
  action resell_service
  when context.region == "polar-north"
  quote contract "Relay shall not resell the Services in polar-north."
}

permission public_sector_carveout {
  principal relay
  action resell_service
  when context.region == "polar-north" and context.customer_kind == public_sector
  exception to polar_north_ban
  quote contract "Relay may resell in polar-north to public sector Customers."
}

prohibition sanctioned_region {
  principal relay
  action resell_service
  when context.region in ["polar-north", "polar-south"]
  quote contract "No resale in a sanctioned region."
}
