# big_deal_notice can never apply: no deal is both over $1,000,000 and under $500,000.
# general_resale is always beaten: resale_ban denies every request it allows.
agreement "verify-dead" { version "1" effective 2026-01-01 }
party relay
source contract official "contract.txt"

action resell_service by relay {
  context deal_value: money = $0
}
action use_logo by relay

obligation big_deal_notice {
  principal relay
  action resell_service
  when context.deal_value > $1_000_000 and context.deal_value < $500_000
  quote contract "Relay shall notify Nimbus of any resale worth more than $1,000,000."
}

permission logo_use {
  principal relay
  action use_logo
  quote contract "Relay may use the logo."
}

permission general_resale {
  principal relay
  action resell_service
  quote contract "Relay may resell the Services."
}

prohibition resale_ban {
  principal relay
  action resell_service
  quote contract "Relay shall not resell the Services."
}
