# launch_promotion opens on 2027-01-01 but its until already ended it on 2026-05-31.
# suspended_fee is in effect only while the agreement is suspended, and no event suspends it.
agreement "verify-window" { version "1" effective 2026-01-01 }
party relay
source contract official "contract.txt"

state status: enum { active, suspended, terminated } = active
event termination { ground: string }
on termination {
  require status != terminated else "already terminated"
  set status = terminated
}

action offer_discount by relay
action pay_fee by relay

permission launch_promotion {
  principal relay
  action offer_discount
  from 2027
  until date >= 2026-06-01
  quote contract "From 1 January 2027 Relay may offer discounts, until 1 June 2026."
}

prohibition suspended_fee {
  principal relay
  action pay_fee
  while status == suspended
  quote contract "While suspended, Relay shall not pay fees."
}

permission fee_payment {
  principal relay
  action pay_fee
  until status == terminated
  quote contract "Relay may pay fees until termination."
}
