# Harbourline Catalogue Streaming Licence, version 1.0: a made-up three-party music licence
# between a record label (label), a streaming service (tidewave) and a collecting society
# (collective). The contract text is music-licence.txt, next to this file; every quote below is
# taken from it. It was written for issue 14 as a new user would write an agreement, and it is
# encoded here with what the language supports today. Every place where a construct of issue 14
# will replace today's workaround says so in a `note` that starts "issue 14", naming the construct:
#   (durations)     `30 days`, `date + duration`: the Cure Period, the renewal notice, the release
#                   window, the audit tail; today the events carry hand-computed dates.
#   (decimals)      `52.5%`, `$0.004`: today basis points and micro-dollars as integers.
#   (arithmetic)    `max(…)`, `*`: the Royalty itself; today only its floor is checked.
#   (term)          the `term` block with `renews every 1 year unless notice 60 days before` and
#                   `survives`; today the state variable `term_end` and a `term_renewed` event.
#   (named sets)    `set territory = [us, ca, gb, ie]`; today the list is written out five times.
#   (obligations)   first-class obligations with deadlines, instances and breach; today labels on
#                   decisions and a single aggregate commitment.
#   (mixed quorum)  body groups, `quorum 3 including 1 from label, 1 from tidewave`; today two
#                   extra bodies whose members sign a resolution a second time.
#
# Readings applied throughout (each is repeated in a `note` where it matters):
#   R1. An event is dated the day it takes effect: `termination` the date of the termination notice
#       (7.8), `mfn_adjustment` the first day of the next calendar quarter (4.2), `term_renewed` the
#       first day of the Renewal Term (1.3).
#   R2. A `settle_quarter` request is dated the last day of the quarter it settles, because a
#       statement applies the rates in effect on that day (3.6).
#   R3. "Within 90 days after the recording's release date" includes the 90th day (2.5).
#   R4. The Cure Period of a notice dated D ends on D + 30 days; termination is open from the day
#       after (7.3, 7.6).
#   R5. An exception repeats the conditions of the clause it excepts (2.4 and 2.8).
#
# Exception structure:
#   download_ban (2.3, deny)       <- offline_listening (2.4, allow, requires encryption)
#   no_sublicensing (2.7, deny)    <- affiliate_sublicense (2.8, allow, requires consent)

agreement "harbourline-streaming-licence" {
  version "1.0"
  title "Harbourline Catalogue Streaming Licence (fictional)"
  effective 2027-01-01
}

# ---------------------------------------------------------------------------------------------
# Source and parties
# ---------------------------------------------------------------------------------------------

source contract official "music-licence.txt"
  "Harbourline Catalogue Streaming Licence, version 1.0 (fictional test contract)"

party label "Harbourline Records Ltd. (fictional record label, the licensor)"
party tidewave "Tidewave Audio Inc. (fictional streaming service, the licensee)"
party collective "Meridian Rights Collective (fictional collecting society)"

# 5.1 and 5.2: the Joint Catalogue Committee.
body committee "Joint Catalogue Committee" {
  members label_1, label_2, tidewave_1, tidewave_2, collective_1
  quorum 3
  note "5.1: two members appointed by the Label, two by Tidewave, one by the Collective."
  note "issue 14 (mixed quorum): 5.2 also needs one member from each of the Label and Tidewave; body groups ('quorum 3 including 1 from label, 1 from tidewave') will say it here. Today the on-blocks of the committee's events also require label_appointees and tidewave_appointees."
}

body label_appointees "The Committee members appointed by the Label" {
  members label_1, label_2
  quorum 1
  note "issue 14 (mixed quorum): a workaround. A member signs a resolution as committee.label_1 and again as label_appointees.label_1; body groups will make this body unnecessary."
}

body tidewave_appointees "The Committee members appointed by Tidewave" {
  members tidewave_1, tidewave_2
  quorum 1
  note "issue 14 (mixed quorum): a workaround, as label_appointees."
}

# ---------------------------------------------------------------------------------------------
# Actions
# ---------------------------------------------------------------------------------------------

# Tidewave streams a Licensed Recording to a user.
action stream_recording by tidewave {
  resource tier: enum { premium, ad_supported }
  context region: string
  context windowed: bool = false
  context days_since_release: integer = 0
}

# Tidewave lets a user keep a copy of a Licensed Recording.
action offer_download by tidewave {
  resource tier: enum { premium, ad_supported }
  context offline_only: bool = false
  context encrypted: bool = false
}

# Tidewave sublicenses its rights.
action sublicense by tidewave {
  context to_affiliate: bool = false
  context affiliate_region: string = "none"
  context label_consent: bool = false
}

# The Label withdraws a Licensed Recording from the Catalogue.
action withdraw_recording by label {
  context rights_lost: bool = false
  context notice_days: integer
}

# Tidewave settles a quarter: its royalty statement and payment, with the rates it applied.
action settle_quarter by tidewave {
  context paid_to: enum { collective, label } = collective
  context per_stream_micros: integer
  context revenue_share_bp: integer
  context royalty_usd: money
}

# Tidewave agrees a rate with another record label.
action agree_other_label_rate by tidewave {
  context region: string
  context per_stream_micros: integer
  context revenue_share_bp: integer
}

# Tidewave uses Licensed Recordings in advertising for its service.
action advertise by tidewave {
  context region: string
}

# The Collective audits Tidewave's books.
action audit_books by collective {
  context notice_days: integer
  context audits_this_year: integer = 0
}

# The Label or Tidewave terminates for an uncured breach by the other.
action terminate_for_breach by label, tidewave

# The Label or Tidewave gives notice of non-renewal.
action give_non_renewal_notice by label, tidewave

# ---------------------------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------------------------

state status: enum { active, terminated } = active

# issue 14 (term): the term block will hold the end of the current term and its renewals.
state term_end: date = 2029-12-31
# issue 14 (durations, term): "notice 60 days before" will be computed; today 2029-12-31 - 60 days.
state non_renewal_deadline: date = 2029-11-01
state renewal: enum { automatic, declined } = automatic
# issue 14 (durations, term): `survives` and "two years after": today the end of the term + 2 years.
state audit_until: date = 2031-12-31

# 7.3-7.7: one uncured breach per party at a time (7.4), with the end of its Cure Period.
# The cure-end dates mean something only while the breach is uncured; they start at the
# effective date.
state tidewave_breach: enum { none, uncured } = none
state tidewave_cure_ends: date = 2027-01-01
state label_breach: enum { none, uncured } = none
state label_cure_ends: date = 2027-01-01

# 3.1 and 4.2-4.3: the rates in effect, raised by MFN adjustments, never lowered.
# issue 14 (decimals): $0.004 and 52.5%, today 4000 micro-dollars and 5250 basis points.
state stream_rate_micros: integer = 4000
state share_bp: integer = 5250

# 5.3: whether a marketing plan approved by the Committee is in force.
state marketing_plan: enum { none, approved } = none

# 3.5: the last quarter for which a royalty statement was delivered (none yet: the day before
# the Effective Date).
state last_statement_end: date = 2026-12-31

# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------

event breach_notice recorded by label, tidewave, collective {
  to: enum { label, tidewave }
  ground: enum { non_payment, other }
  cure_ends: date
}
event breach_cured recorded by label, tidewave, collective { of: enum { label, tidewave } }
event termination recorded by label, tidewave { audit_until: date }
event non_renewal_notice recorded by label, tidewave { given_by: enum { label, tidewave } }
event term_renewed recorded by label, tidewave { new_end: date  notice_deadline: date  audit_until: date }
event mfn_adjustment recorded by tidewave { region: string  per_stream_micros: integer  revenue_share_bp: integer }
event royalty_statement recorded by tidewave {
  quarter_end: date
  streams: integer
  net_revenue_usd: money
  royalty_usd: money
  per_stream_micros: integer
  revenue_share_bp: integer
}
event royalty_paid recorded by tidewave, collective { quarter_end: date  amount_usd: money  paid_to: enum { collective, label } }
event remittance recorded by collective { quarter_end: date  amount_usd: money }
event marketing_plan_approved recorded by committee { plan: string }
event marketing_plan_withdrawn recorded by committee { plan: string }

# 7.1-7.4. Who may give a Breach Notice to whom; a further notice while one is uncured keeps the
# first Cure Period (7.4).
on breach_notice {
  quote contract "If the Label or Tidewave is in breach of this Agreement, the other of them may give it written notice of the breach (a Breach Notice)."
  quote contract "The Collective may also give Tidewave a Breach Notice for non-payment of a Royalty, on the Label's behalf."
  quote contract "While a Breach Notice to a party remains uncured, a further Breach Notice to that party has no effect of its own."
  note "issue 14 (durations): the notice carries its own cure_ends, computed by hand as the notice's date + 30 days (R4); with durations the on-block computes `date + cure_period`, and this field goes."
  require status == active else "the agreement is terminated"
  require date <= term_end else "the agreement has ended"
  require (event.to == tidewave and (recorded by label or (recorded by collective and event.ground == non_payment)))
          or (event.to == label and recorded by tidewave)
    else "a Breach Notice goes from the Label to Tidewave, from Tidewave to the Label, or from the Collective to Tidewave for non-payment"
  require event.cure_ends > date else "the Cure Period ends after the date of the notice"
  set tidewave_cure_ends = event.cure_ends when event.to == tidewave and tidewave_breach == none
  set tidewave_breach = uncured when event.to == tidewave
  set label_cure_ends = event.cure_ends when event.to == label and label_breach == none
  set label_breach = uncured when event.to == label
}

# 7.5 and 7.7: a cure is confirmed by the other side, even after the Cure Period.
on breach_cured {
  quote contract "A breach by Tidewave is cured when the Label or the Collective confirms in writing that it has been remedied; a breach by the Label is cured when Tidewave so confirms."
  quote contract "Once a breach is cured, even after the Cure Period has ended, it no longer gives a right to terminate."
  require status == active else "the agreement is terminated"
  require (event.of == tidewave and tidewave_breach == uncured) or (event.of == label and label_breach == uncured)
    else "no Breach Notice to that party is uncured"
  require (event.of == tidewave and (recorded by label or recorded by collective)) or (event.of == label and recorded by tidewave)
    else "a breach by Tidewave is confirmed cured by the Label or the Collective, a breach by the Label by Tidewave"
  set tidewave_breach = none when event.of == tidewave
  set label_breach = none when event.of == label
}

# 7.6 and 7.8 (R1: dated the date of the termination notice).
on termination {
  quote contract "If a breach is not cured within the Cure Period, the Label (for a breach by Tidewave) or Tidewave (for a breach by the Label) may terminate this Agreement by written notice, at any time after the Cure Period ends and while the breach remains uncured."
  quote contract "Termination takes effect on the date of the termination notice"
  note "issue 14 (durations, term): audit_until is carried by the event, computed by hand as the termination date + 2 years (6.2); `survives` with a duration will compute it."
  require status == active else "the agreement is already terminated"
  require date <= term_end else "the agreement has already ended"
  require (recorded by label and tidewave_breach == uncured and date > tidewave_cure_ends)
          or (recorded by tidewave and label_breach == uncured and date > label_cure_ends)
    else "termination needs a breach by the other party that is still uncured after its Cure Period"
  require event.audit_until > date else "the audit right continues after the end"
  set status = terminated
  set audit_until = event.audit_until
}

# 1.3 and 1.4.
on non_renewal_notice {
  quote contract "unless the Label or Tidewave gives written notice of non-renewal at least 60 days before the end of the then-current term"
  quote contract "A notice of non-renewal cannot be withdrawn."
  note "issue 14 (term, durations): the term block's 'renews every 1 year unless notice 60 days before' replaces this block and the state non_renewal_deadline."
  require status == active else "the agreement is terminated"
  require renewal == automatic else "notice of non-renewal was already given"
  require date <= non_renewal_deadline else "notice of non-renewal must be given at least 60 days before the end of the term"
  set renewal = declined
}

# 1.3 (R1: dated the first day of the Renewal Term).
on term_renewed {
  quote contract "this Agreement renews automatically for a Renewal Term of one year"
  note "issue 14 (term): the renewal is automatic, but today someone must record it, dated the day after the term ends, with its new end, notice deadline and audit end computed by hand. Until it is recorded the clauses read the term as ended. The term block makes this event unnecessary."
  require status == active else "the agreement is terminated"
  require renewal == automatic else "notice of non-renewal was given: the agreement does not renew"
  require date > term_end else "the term renews only after the current term ends"
  require event.new_end > date else "a Renewal Term ends after it starts"
  require event.notice_deadline < event.new_end else "the notice deadline comes before the end of the Renewal Term"
  set term_end = event.new_end
  set non_renewal_deadline = event.notice_deadline
  set audit_until = event.audit_until
}

# 4.1-4.4 (R1: dated the first day of the next calendar quarter).
on mfn_adjustment {
  quote contract "The higher rate then replaces the corresponding rate under this Agreement from the first day of the next calendar quarter."
  quote contract "A rate that has been raised under Section 4.2 is never lowered afterwards, even if the other agreement ends."
  quote contract "A rate agreed for a territory outside the Territory gives no right under this Section 4."
  note "issue 14 (named sets): the region list becomes 'event.region in territory'."
  note "issue 14 (durations): the first day of the next quarter cannot be checked today; the event is trusted to be dated on it."
  require status == active else "the agreement is terminated"
  require event.region in ["us", "ca", "gb", "ie"] else "a rate agreed outside the Territory gives no right under Section 4"
  require event.per_stream_micros > stream_rate_micros or event.revenue_share_bp > share_bp
    else "an MFN adjustment must raise a rate"
  set stream_rate_micros = event.per_stream_micros when event.per_stream_micros > stream_rate_micros
  set share_bp = event.revenue_share_bp when event.revenue_share_bp > share_bp
}

# 3.2, 3.5 and 3.6.
on royalty_statement {
  quote contract "Within 30 days after the end of each calendar quarter, Tidewave shall deliver to the Collective a royalty statement for that quarter and pay the Royalty shown on it."
  quote contract "The Royalty for a quarter is never less than the Minimum Guarantee."
  note "issue 14 (obligations): whether the statement came within 30 days is not checked; an obligation 'every quarter … due 30 days after trigger, fulfilled by royalty_statement' will track it."
  note "issue 14 (arithmetic, decimals): the Royalty shown is not recomputed as max(52.5% × net revenue, $0.004 × streams, $250,000); only its floor and the rates' floor are checked."
  require event.quarter_end < date else "a statement for a quarter is delivered after the quarter ends"
  require event.quarter_end > last_statement_end else "a statement for this quarter or a later one was already delivered"
  require event.royalty_usd >= minimum_guarantee else "the Royalty for a quarter is never less than the Minimum Guarantee"
  require event.per_stream_micros >= base_stream_rate_micros and event.revenue_share_bp >= base_share_bp
    else "a statement never applies rates below those of Section 3.1"
  set last_statement_end = event.quarter_end
}

# 3.4.
on royalty_paid {
  quote contract "Tidewave shall pay every Royalty to the Collective, for the account of the Label, and never to the Label directly."
  require event.paid_to == collective else "every Royalty is paid to the Collective, never to the Label directly"
  require event.amount_usd > $0 else "a payment is for a positive amount"
}

# 3.7.
on remittance {
  quote contract "The Collective shall remit each Royalty it receives to the Label, less an administration fee of 8%, within 15 days of receiving it."
  note "issue 14 (arithmetic, obligations): the 8% fee and the 15 days are not checked; an obligation triggered by royalty_paid with 'amount 92% * trigger.amount_usd' and 'due 15 days after trigger' will."
  require event.amount_usd > $0 else "a remittance is for a positive amount"
}

# 5.2 and 5.3.
on marketing_plan_approved {
  quote contract "The Committee acts by a resolution signed by at least three of its members, including at least one member appointed by the Label and at least one member appointed by Tidewave."
  quote contract "The Committee approves Tidewave's marketing plan for the Licensed Recordings"
  note "issue 14 (mixed quorum): the second and third 'recorded by' are the workaround for body groups."
  require status == active else "the agreement is terminated"
  require recorded by committee and recorded by label_appointees and recorded by tidewave_appointees
    else "a Committee resolution needs three members, including one appointed by the Label and one appointed by Tidewave"
  set marketing_plan = approved
}

on marketing_plan_withdrawn {
  quote contract "The Committee acts by a resolution signed by at least three of its members, including at least one member appointed by the Label and at least one member appointed by Tidewave."
  quote contract "may withdraw its approval at any time"
  require recorded by committee and recorded by label_appointees and recorded by tidewave_appointees
    else "a Committee resolution needs three members, including one appointed by the Label and one appointed by Tidewave"
  require marketing_plan == approved else "no approved marketing plan is in force"
  set marketing_plan = none
}

# ---------------------------------------------------------------------------------------------
# Facts
# ---------------------------------------------------------------------------------------------

fact initial_term_end = 2029-12-31 {
  note "issue 14 (term): 'term { from effective until 2029-12-31 … }'."
  quote contract "The Initial Term runs from the Effective Date to 31 December 2029."
}

fact renewal_notice_days = 60 {
  unit "days"
  note "issue 14 (durations): becomes 'fact renewal_notice = 60 days'; today the deadline 2029-11-01 is computed by hand."
  quote contract "at least 60 days before the end of the then-current term"
}

fact renewal_term_years = 1 {
  unit "years"
  note "issue 14 (durations): becomes '1 year' in 'renews every 1 year'."
  quote contract "a Renewal Term of one year"
}

fact base_share_bp = 5250 {
  unit "basis points of Net Revenue"
  note "issue 14 (decimals): becomes 'fact revenue_share = 52.5%'."
  quote contract "52.5% of the Net Revenue attributable to Licensed Recordings in the Territory"
}

fact base_stream_rate_micros = 4000 {
  unit "micro-dollars per Stream"
  note "issue 14 (decimals): becomes 'fact stream_rate = $0.004'."
  quote contract "$0.004 per Stream"
}

fact minimum_guarantee = $250_000 {
  quote contract "The Minimum Guarantee is $250,000 for each calendar quarter of the Term."
}

fact statement_due_days = 30 {
  unit "days"
  note "issue 14 (durations, obligations): becomes 'due 30 days after trigger' in a quarterly obligation."
  quote contract "Within 30 days after the end of each calendar quarter"
}

fact admin_fee_pct = 8 {
  unit "percent"
  note "issue 14 (decimals): becomes 'fact admin_fee = 8%'."
  quote contract "less an administration fee of 8%"
}

fact remittance_days = 15 {
  unit "days"
  quote contract "within 15 days of receiving it"
}

fact mfn_notice_days = 30 {
  unit "days"
  quote contract "Tidewave shall notify the Label within 30 days."
}

fact release_window_days = 90 {
  unit "days"
  note "issue 14 (durations): becomes '90 days', compared with 'date - context.release_date'."
  quote contract "within 90 days after the recording's release date"
}

fact withdrawal_notice_days = 30 {
  unit "days"
  quote contract "only on at least 30 days' written notice to Tidewave"
}

fact audit_notice_days = 30 {
  unit "days"
  quote contract "once in any calendar year, on at least 30 days' written notice"
}

fact audit_tail_years = 2 {
  unit "years"
  note "issue 14 (durations, term): becomes 'survives 2 years'; today audit_until is moved by hand."
  quote contract "The Collective's right of audit continues for two years after this Agreement ends."
}

fact cure_period_days = 30 {
  unit "days"
  note "issue 14 (durations): becomes 'fact cure_period = 30 days'; today each notice carries its cure_ends."
  quote contract "a Cure Period of 30 days after the date of the Breach Notice"
}

# ---------------------------------------------------------------------------------------------
# Commitment: the Minimum Guarantees of the Initial Term
# ---------------------------------------------------------------------------------------------

commitment minimum_guarantee_total {
  owed_by tidewave
  owed_to label
  what "Royalties of at least the Minimum Guarantees over the Initial Term, paid to the Collective"
  total $3_000_000
  counted from royalty_paid.amount_usd
  deadline 2029-12-31
  note "Paid to the Collective for the account of the Label (3.4); every royalty payment counts, also the part above the quarterly minimum."
  note "issue 14 (obligations): the real duty is $250,000 for each quarter ('every quarter from effective until term_end', 'amount max(…, minimum_guarantee)'); this aggregate is what a commitment can say today."
  quote contract "Over the Initial Term, the Minimum Guarantees amount to $3,000,000 in total."
  quote contract "The Minimum Guarantee is $250,000 for each calendar quarter of the Term."
}

# ---------------------------------------------------------------------------------------------
# 2. Grant and restrictions
# ---------------------------------------------------------------------------------------------

permission streaming_licence {
  principal tidewave
  action stream_recording
  when context.region in ["us", "ca", "gb", "ie"]
  while date <= term_end
  until status == terminated
  note "issue 14 (term): 'while date <= term_end' and 'until status == terminated' are the term, which every clause will inherit."
  note "issue 14 (named sets): 'context.region in territory'."
  quote contract "During the Term, the Label grants Tidewave a non-exclusive licence to stream Licensed Recordings to its users in the Territory."
  quote contract "The Territory means the United States, Canada, the United Kingdom and Ireland, identified by the region codes us, ca, gb and ie."
}

prohibition outside_territory {
  principal tidewave
  action stream_recording
  when not (context.region in ["us", "ca", "gb", "ie"])
  while date <= term_end
  until status == terminated
  note "issue 14 (named sets): 'not (context.region in territory)'."
  quote contract "Tidewave shall not stream any Licensed Recording to a user outside the Territory."
}

prohibition windowed_release {
  principal tidewave
  action stream_recording
  when resource.tier == ad_supported and context.windowed and context.days_since_release <= release_window_days
  while date <= term_end
  until status == terminated
  note "Reading R3: the 90th day after the release date is still within the window."
  note "A windowed recording whose days since release are not given is read as just released (the default 0)."
  note "issue 14 (durations): the request will give the release date, and the condition becomes 'date <= context.release_date + 90 days'."
  quote contract "Tidewave shall not make a Windowed Recording available on its ad-supported tier within 90 days after the recording's release date."
}

obligation artist_credit {
  principal tidewave
  action stream_recording
  while date <= term_end
  until status == terminated
  note "Attached to every stream decision during the Term, whatever the outcome."
  quote contract "Tidewave shall credit the Label and the performing artist wherever it streams a Licensed Recording."
}

prohibition download_ban {
  principal tidewave
  action offer_download
  while date <= term_end
  until status == terminated
  quote contract "Tidewave shall not offer any Licensed Recording for permanent download."
}

permission offline_listening {
  principal tidewave
  action offer_download
  when context.offline_only and resource.tier == premium
  requires context.encrypted
  while date <= term_end
  until status == terminated
  exception to download_ban
  note "An offline copy for a premium subscriber is the only download 2.4 allows; without encryption it is denied."
  quote contract "Despite Section 2.3, Tidewave may let its premium subscribers keep Licensed Recordings on a device for offline listening, but only in encrypted form."
}

prohibition no_sublicensing {
  principal tidewave
  action sublicense
  while date <= term_end
  until status == terminated
  quote contract "Tidewave shall not sublicense any right granted under this Agreement."
}

permission affiliate_sublicense {
  principal tidewave
  action sublicense
  when context.to_affiliate and context.affiliate_region in ["us", "ca", "gb", "ie"]
  requires context.label_consent
  while date <= term_end
  until status == terminated
  exception to no_sublicensing
  note "issue 14 (named sets): 'context.affiliate_region in territory'."
  quote contract "Despite Section 2.7, Tidewave may sublicense its rights to an Affiliate that operates the Tidewave service in the Territory, but only with the Label's prior written consent."
}

permission catalogue_withdrawal {
  principal label
  action withdraw_recording
  requires context.rights_lost and context.notice_days >= withdrawal_notice_days
  while date <= term_end
  until status == terminated
  note "Both conditions of 2.9 are required: a withdrawal without either is denied."
  quote contract "The Label may withdraw a Licensed Recording from the Catalogue only where it no longer controls the rights in that recording, and only on at least 30 days' written notice to Tidewave."
}

# ---------------------------------------------------------------------------------------------
# 3. Royalties (3.7 and 3.8 survive the end: no term window)
# ---------------------------------------------------------------------------------------------

permission royalty_settlement {
  principal tidewave
  action settle_quarter
  requires context.per_stream_micros >= stream_rate_micros
           and context.revenue_share_bp >= share_bp
           and context.royalty_usd >= minimum_guarantee
  note "Reading R2: the request is dated the last day of the quarter it settles, so it reads the rates in effect then."
  note "No term window: royalties for a quarter that began before the end remain payable (3.8). issue 14 (term): 'survives'."
  note "issue 14 (arithmetic, decimals): the royalty itself will be checked, 'context.royalty_usd >= max(share * context.net_revenue_usd, stream_rate * context.streams, minimum_guarantee)'."
  quote contract "A royalty statement shows, for its quarter, the number of Streams, the Net Revenue and the rates applied, and it applies the rates in effect on the last day of that quarter."
  quote contract "The Royalty for a quarter is never less than the Minimum Guarantee."
  quote contract "Royalties for a quarter that began before this Agreement ended remain payable after it ends."
}

prohibition pay_collective_only {
  principal tidewave
  action settle_quarter
  when context.paid_to == label
  quote contract "Tidewave shall pay every Royalty to the Collective, for the account of the Label, and never to the Label directly."
}

obligation statement_with_payment {
  principal tidewave
  action settle_quarter
  note "issue 14 (obligations): a label on decisions today; a quarterly obligation with a deadline of 30 days after the quarter ends will track it."
  quote contract "Within 30 days after the end of each calendar quarter, Tidewave shall deliver to the Collective a royalty statement for that quarter and pay the Royalty shown on it."
}

# ---------------------------------------------------------------------------------------------
# 4. Most favoured nation
# ---------------------------------------------------------------------------------------------

obligation mfn_notification {
  principal tidewave
  action agree_other_label_rate
  when context.region in ["us", "ca", "gb", "ie"]
       and (context.per_stream_micros > stream_rate_micros or context.revenue_share_bp > share_bp)
  while date <= term_end
  until status == terminated
  note "Tidewave is free to agree rates with other labels (the contract neither allows nor forbids it: not_applicable); a higher rate for the Territory carries this obligation."
  note "issue 14 (obligations, named sets): an obligation 'on agree_other_label_rate … due 30 days after trigger'."
  quote contract "If Tidewave agrees with any other record label a per-Stream rate or a share of Net Revenue for the Territory that is higher than the corresponding rate then in effect under this Agreement, Tidewave shall notify the Label within 30 days."
}

# ---------------------------------------------------------------------------------------------
# 5. Marketing
# ---------------------------------------------------------------------------------------------

permission marketing_use {
  principal tidewave
  action advertise
  when context.region in ["us", "ca", "gb", "ie"]
  requires marketing_plan == approved
  while date <= term_end
  until status == terminated
  note "Without a marketing plan in force, advertising in the Territory is denied."
  note "issue 14 (named sets): 'context.region in territory'."
  quote contract "Tidewave may use Licensed Recordings in advertising for its service in the Territory only while a marketing plan approved by the Committee is in force."
}

# ---------------------------------------------------------------------------------------------
# 6. Audit (survives for two years)
# ---------------------------------------------------------------------------------------------

permission audit_right {
  principal collective
  action audit_books
  requires context.notice_days >= audit_notice_days and context.audits_this_year == 0
  while date <= audit_until
  note "'once in any calendar year': the request says how many audits the Collective has already made this calendar year. issue 14 (aggregates): the count of audit events in the calendar year."
  note "No term window: the right continues for two years after the end (6.2, 7.9). issue 14 (term): 'survives'."
  quote contract "The Collective may audit Tidewave's books relating to Licensed Recordings once in any calendar year, on at least 30 days' written notice."
  quote contract "The Collective's right of audit continues for two years after this Agreement ends."
}

# ---------------------------------------------------------------------------------------------
# 7. Termination and non-renewal
# ---------------------------------------------------------------------------------------------

permission label_terminates {
  principal label
  action terminate_for_breach
  while tidewave_breach == uncured and date > tidewave_cure_ends and date <= term_end
  until status == terminated
  note "Reading R4: from the day after the Cure Period ends, while the breach is uncured (7.7)."
  quote contract "If a breach is not cured within the Cure Period, the Label (for a breach by Tidewave) or Tidewave (for a breach by the Label) may terminate this Agreement by written notice, at any time after the Cure Period ends and while the breach remains uncured."
}

permission tidewave_terminates {
  principal tidewave
  action terminate_for_breach
  while label_breach == uncured and date > label_cure_ends and date <= term_end
  until status == terminated
  note "Reading R4, as label_terminates."
  quote contract "If a breach is not cured within the Cure Period, the Label (for a breach by Tidewave) or Tidewave (for a breach by the Label) may terminate this Agreement by written notice, at any time after the Cure Period ends and while the breach remains uncured."
}

permission label_non_renewal {
  principal label
  action give_non_renewal_notice
  requires date <= non_renewal_deadline
  while renewal == automatic and date <= term_end
  until status == terminated
  note "A notice later than 60 days before the end of the term is denied; the term then renews."
  quote contract "unless the Label or Tidewave gives written notice of non-renewal at least 60 days before the end of the then-current term"
}

permission tidewave_non_renewal {
  principal tidewave
  action give_non_renewal_notice
  requires date <= non_renewal_deadline
  while renewal == automatic and date <= term_end
  until status == terminated
  note "As label_non_renewal."
  quote contract "unless the Label or Tidewave gives written notice of non-renewal at least 60 days before the end of the then-current term"
}
