# Two exceptions to one permission disagree: a premium resale to five education seats as a free
# evaluation is both refused (premium_seat_minimum) and allowed (trial_for_education).
agreement "verify-conflict" { version "1" effective 2026-01-01 }
party relay
source contract official "contract.txt"

action resell_service by relay {
  resource tier: enum { standard, premium }
  context customer_kind: enum { commercial, education }
  context seats: integer = 10
  context free_evaluation: bool = false
}

permission general_resale {
  principal relay
  action resell_service
  quote contract "Relay may resell the Services to Customers."
}

prohibition premium_seat_minimum {
  principal relay
  action resell_service
  when resource.tier == premium and context.seats < 10
  exception to general_resale
  quote contract "Relay shall not resell the Premium tier to a Customer with fewer than 10 seats."
}

permission trial_for_education {
  principal relay
  action resell_service
  when context.customer_kind == education and context.free_evaluation
  exception to general_resale
  quote contract "Relay may provide any tier to education Customers as a free evaluation."
}
