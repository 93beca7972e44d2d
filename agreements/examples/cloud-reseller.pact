# Acme Cloud Reseller Agreement, version 1.0: a small, made-up contract between a cloud vendor
# (nimbus) and a reseller (relay). It exists to show that pactum is not tied to one agreement.
# The contract text is cloud-reseller.txt, next to this file; every quote below is taken from it.
#
# Readings applied throughout (each is repeated in a `note` where it matters):
#   R1. An event is dated the day it takes effect: `payment_missed` the day the payment was missed,
#       `payment_cured` the day the cure is complete, `termination` the termination date (7.4).
#   R2. A clause that is an exception repeats the conditions of the clause it excepts, so it can
#       only apply where that clause does (1.3 and 1.4 are read inside the Restricted Region).
#
# Exception structure:
#   general_resale (1.1, allow)
#     <- premium_seat_minimum (2.1, deny)    } both say "Notwithstanding Section 1.1": they can
#     <- trial_for_education  (2.2, allow)   } both apply, to a premium trial with < 10 seats,
#                                              and then the decision is a conflict.
#   polar_north_ban (1.2, deny)
#     <- public_sector_carveout (1.3, allow)
#          <- sovereign_tier_excluded (1.4, deny)
#   discount_cap (5.2, deny)
#     <- launch_promotion (5.3, allow)

agreement "acme-cloud-reseller" {
  version "1.0"
  title "Acme Cloud Reseller Agreement (fictional)"
  effective 2026-01-01
}

# ---------------------------------------------------------------------------------------------
# Source and parties
# ---------------------------------------------------------------------------------------------

source contract official "cloud-reseller.txt"
  "Acme Cloud Reseller Agreement, version 1.0 (fictional test contract)"

party nimbus "Nimbus Stratus Ltd. (fictional cloud vendor)"
party relay "Relay Channel Partners LLC (fictional reseller)"

# ---------------------------------------------------------------------------------------------
# Actions
# ---------------------------------------------------------------------------------------------

# Relay resells a tier of the Services to a Customer.
action resell_service by relay {
  resource tier: enum { standard, premium, sovereign }
  context region: string
  context customer_kind: enum { commercial, public_sector, education }
  context seats: integer
  context deal_value: money
  context free_evaluation: bool = false
}

# Relay offers a Customer a discount off list price.
action offer_discount by relay {
  context discount_pct: integer
  context deal_value: money
}

# Relay uses a Nimbus trademark in its marketing.
action use_trademark by relay {
  resource mark: enum { wordmark, logo }
  context approved_in_writing: bool = false
}

# Either party gives notice of termination for convenience.
action terminate_for_convenience by nimbus, relay {
  context notice_days: integer
  context termination_date: date
}

# ---------------------------------------------------------------------------------------------
# State and events
# ---------------------------------------------------------------------------------------------

# 3.2: "this Agreement is suspended until Relay cures the missed payment in full."
# 7.4: "Termination takes effect on the termination date."
state status: enum { active, suspended, terminated } = active

event payment_missed { invoice: string }
event payment_cured { invoice: string }
event termination { ground: string }
event volume_purchase { amount_usd: money }

# 3.2. A payment missed while already suspended keeps the Agreement suspended.
on payment_missed {
  require status != terminated else "the agreement is terminated"
  set status = suspended when status == active
}

# 3.2. There is nothing to cure unless a suspension is pending.
on payment_cured {
  require status == suspended else "no suspension is pending to cure"
  set status = active
}

# 7.4 and reading R1: the event is dated the termination date.
on termination {
  require status != terminated else "the agreement is already terminated"
  set status = terminated
}

# 4.1 and 4.2: only purchases booked while active, within the Term, count.
on volume_purchase {
  require status == active else "only purchases booked while the agreement is active count"
  require event.amount_usd > $0 else "a purchase must be for a positive amount"
  require date <= 2028-12-31 else "purchases after 31 December 2028 do not count"
}

# ---------------------------------------------------------------------------------------------
# Facts
# ---------------------------------------------------------------------------------------------

fact restricted_region = "polar-north" {
  quote contract "the Restricted Region, meaning the region code polar-north"
}

fact premium_min_seats = 10 {
  unit "seats"
  note "A Premium Customer needs at least this many seats (2.1 forbids fewer)."
  quote contract "fewer than 10 seats"
}

fact max_discount_pct = 20 {
  unit "percent"
  quote contract "greater than 20% off list price"
}

fact large_deal_threshold = $1_000_000 {
  quote contract "any single resale worth $1,000,000 or more"
}

fact termination_notice_days = 90 {
  unit "days"
  quote contract "at least 90 days' written notice"
}

fact payment_terms_days = 30 {
  unit "days"
  note "Recorded for reference; the engine does not track invoices, only the missed payments (events)."
  quote contract "Relay shall pay each Nimbus invoice within 30 days of its date."
}

# ---------------------------------------------------------------------------------------------
# Commitment: volume
# ---------------------------------------------------------------------------------------------

commitment volume_commitment {
  owed_by relay
  owed_to nimbus
  what "Purchase of at least $5,000,000 of Services from Nimbus"
  total $5_000_000
  counted from volume_purchase.amount_usd
  deadline 2028-12-31
  note "Purchases booked while the Agreement is suspended or terminated are rejected by the volume_purchase guards (4.2)."
  quote contract "Relay shall purchase at least $5,000,000 of Services from Nimbus by 31 December 2028."
  quote contract "Only purchases booked while this Agreement is active count toward that commitment."
}

# ---------------------------------------------------------------------------------------------
# 1. Appointment and territory
# ---------------------------------------------------------------------------------------------

permission general_resale {
  principal relay
  action resell_service
  through 2028
  until status == terminated
  note "The Term ends on 31 December 2028 (through 2028); termination ends the right earlier (7.4)."
  quote contract "During the Term, and until this Agreement is terminated, Relay may resell the Services to Customers."
  quote contract "Its Term ends on 31 December 2028."
  quote contract "Termination ends every right granted to Relay under this Agreement."
}

prohibition polar_north_ban {
  principal relay
  action resell_service
  when context.region == restricted_region
  quote contract "Relay shall not resell the Services in the Restricted Region, meaning the region code polar-north."
}

permission public_sector_carveout {
  principal relay
  action resell_service
  when context.region == restricted_region and context.customer_kind == public_sector
  exception to polar_north_ban
  note "Reading R2: the carve-out is read inside the Restricted Region only."
  quote contract "Despite Section 1.2, Relay may resell the Services in the Restricted Region to public sector Customers."
}

prohibition sovereign_tier_excluded {
  principal relay
  action resell_service
  when context.region == restricted_region and context.customer_kind == public_sector
       and resource.tier == sovereign
  exception to public_sector_carveout
  note "Reading R2: the exclusion applies where the public sector carve-out would; any other Sovereign resale in the Restricted Region is already caught by polar_north_ban."
  quote contract "Section 1.3 does not extend to the Sovereign tier"
  quote contract "Relay shall not resell the Sovereign tier in the Restricted Region to anyone."
}

# ---------------------------------------------------------------------------------------------
# 2. Premium tier and education trials
# Both sections except Section 1.1 and neither yields to the other: a free Premium evaluation for
# an education Customer with fewer than 10 seats falls under both, and the decision is a conflict.
# ---------------------------------------------------------------------------------------------

prohibition premium_seat_minimum {
  principal relay
  action resell_service
  when resource.tier == premium and context.seats < premium_min_seats
  exception to general_resale
  quote contract "Notwithstanding Section 1.1, Relay shall not resell the Premium tier to a Customer with fewer than 10 seats."
}

permission trial_for_education {
  principal relay
  action resell_service
  when context.customer_kind == education and context.free_evaluation
  exception to general_resale
  note "The text does not say whether 2.1 limits 2.2 or the reverse; a Premium trial with fewer than 10 seats is left as a conflict."
  quote contract "Notwithstanding Section 1.1, Relay may provide any tier to education Customers as a free evaluation."
}

# ---------------------------------------------------------------------------------------------
# 3. Payment and suspension
# ---------------------------------------------------------------------------------------------

prohibition no_resale_while_suspended {
  principal relay
  action resell_service
  while status == suspended
  quote contract "While this Agreement is suspended, Relay shall not resell the Services."
}

# ---------------------------------------------------------------------------------------------
# 4. Reporting
# ---------------------------------------------------------------------------------------------

obligation large_deal_notice {
  principal relay
  action resell_service
  when context.deal_value >= large_deal_threshold
  note "Attached to every resale worth $1,000,000 or more, whatever the decision."
  quote contract "Relay shall notify Nimbus in writing within 10 business days of any single resale worth $1,000,000 or more."
}

# ---------------------------------------------------------------------------------------------
# 5. Pricing
# ---------------------------------------------------------------------------------------------

permission free_pricing {
  principal relay
  action offer_discount
  until status == terminated
  quote contract "Until this Agreement is terminated, Relay may set its own resale prices and offer discounts off list price."
}

prohibition discount_cap {
  principal relay
  action offer_discount
  when context.discount_pct > max_discount_pct
  quote contract "Relay shall not offer any discount greater than 20% off list price."
}

permission launch_promotion {
  principal relay
  action offer_discount
  when context.discount_pct > max_discount_pct and context.discount_pct <= 30
       and context.deal_value >= $100_000
  from 2026-04-01
  through 2026-09-30
  exception to discount_cap
  note "Reading R2: the promotion matters only for discounts above the 20% cap; smaller discounts are allowed by 5.1."
  quote contract "During the Launch Promotion, from 1 April 2026 through 30 September 2026, Relay may offer discounts of up to 30% on deals worth at least $100,000."
}

# ---------------------------------------------------------------------------------------------
# 6. Trademarks
# ---------------------------------------------------------------------------------------------

permission wordmark_license {
  principal relay
  action use_trademark
  when resource.mark == wordmark
  while status == active
  quote contract "While this Agreement is active, Relay may use the Nimbus word mark to market the Services."
}

permission logo_license {
  principal relay
  action use_trademark
  when resource.mark == logo
  requires context.approved_in_writing
  while status == active
  note "Without the prior written approval of Nimbus, using the logo is denied."
  quote contract "While this Agreement is active, Relay may use the Nimbus logo, but only with the prior written approval of Nimbus."
}

# ---------------------------------------------------------------------------------------------
# 7. Termination for convenience
# ---------------------------------------------------------------------------------------------

permission relay_convenience_exit {
  principal relay
  action terminate_for_convenience
  requires context.notice_days >= termination_notice_days
           and context.termination_date > date
           and context.termination_date <= 2028-12-31
  from 2027
  until status == terminated
  note "The request is dated the day the notice is given; 7.3 constrains the termination date it names."
  quote contract "From 1 January 2027, Relay may terminate this Agreement for convenience on at least 90 days' written notice."
  quote contract "A notice of termination must name a termination date later than the date of the notice and no later than 31 December 2028."
}

permission nimbus_convenience_exit {
  principal nimbus
  action terminate_for_convenience
  requires context.notice_days >= termination_notice_days
           and context.termination_date > date
           and context.termination_date <= 2028-12-31
  from 2028-01-01
  until status == terminated
  note "'The same notice': at least 90 days' written notice, naming a termination date as 7.3 requires."
  quote contract "From 1 January 2028, Nimbus may terminate this Agreement for convenience on the same notice."
  quote contract "A notice of termination must name a termination date later than the date of the notice and no later than 31 December 2028."
}
