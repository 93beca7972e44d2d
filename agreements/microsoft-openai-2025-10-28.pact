# Microsoft and OpenAI: the definitive agreement signed on 2025-10-28.
#
# Primary source: a summary of Microsoft's official announcement (000_98892652a2a5be67.txt).
# Finer terms: the v2025-10 section of partnership-history.md (details from OpenAI's announcement,
# openai.com/index/next-chapter-of-microsoft-openai-partnership).
#
# Readings applied throughout (each is repeated in a `note` on the clauses that rely on it):
#   R1. "until any AGI declaration" means until the independent expert panel VERIFIES a declaration,
#       so those windows are written `until agi == verified`.
#   R2. A declaration the panel rejects leaves things as they were: `agi` returns to `none`, and
#       OpenAI may declare again.
#   C1. Terms of the earlier versions that this agreement does not mention carry over, with their
#       earlier citations (sources `earlier` and `earlier_press`): OpenAI may build capacity; the
#       joint supercomputing work goes on; the January 2025 Azure commitment stands (the $250B is
#       *incremental* to it); the revenue share keeps flowing both ways. Where this agreement
#       speaks of a term (the cloud exclusivities, the ROFR, the IP rights, licensing, the revenue
#       share's end), its own words replace the earlier ones.
#   D1. "An AGI declaration by OpenAI": only OpenAI declares. The panel does not declare, it
#       verifies; Microsoft may pursue AGI but does not declare it under this agreement. The event
#       type is `recorded by openai`, so a store takes a declaration from OpenAI only (with
#       signatures, OpenAI's); its `by` field says who within OpenAI declared (in 2023 "OpenAI's
#       board decides"), and grants no one else the power. `on agi_declared` adds no `require
#       recorded by openai`: a line of an `--events` file that names no recorder would then be
#       refused, and every such file would have to be rewritten.
#   X1. "Exclusive IP rights to OpenAI models ... remain in place": the exclusivity qualifies
#       Microsoft's IP rights to models, which run through 2032, so it ends at the earlier of the
#       panel's verification of AGI and the end of 2032. "Remain in place" also says the rights
#       were already exclusive in the January 2025 version (see that file's reading X1).

agreement "microsoft-openai" {
  version "2025-10-28"
  title "Microsoft and OpenAI definitive agreement (the next chapter of the partnership)"
  effective 2025-10-28
  supersedes "microsoft-openai@2025-01-21"
}

# ---------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------

source primary seed "000_98892652a2a5be67.txt"
  "Summary of the Microsoft-OpenAI definitive agreement of 2025-10-28 (Microsoft's official blog post)"
source history official "partnership-history.md"
  "Partnership history, section v2025-10; details from openai.com/index/next-chapter-of-microsoft-openai-partnership"
source earlier official "partnership-history.md"
  "Partnership history, sections v2019, v2023 and v2025-01: terms this agreement does not mention, carried over (reading C1)"
source earlier_press press "partnership-history.md"
  "Partnership history, section v2023: figures reported by the press only, carried over (reading C1)"
source later official "partnership-history.md"
  "Partnership history, section Later changes: what the 2026-04-27 amendment says of the terms it changes (official wording reached through quotes)"

# ---------------------------------------------------------------------------------------------
# Parties
# ---------------------------------------------------------------------------------------------

# "In the announcement, the company described itself as OpenAI's "frontier model partner.""
party microsoft "Microsoft Corporation"
party openai "OpenAI"

# ---------------------------------------------------------------------------------------------
# Actions
# ---------------------------------------------------------------------------------------------

# OpenAI serves an API (cloud: azure, aws, gcp, oracle, ...;
# customer_segment: "commercial", "us_gov_national_security", ...).
action serve_api by openai {
  resource built_with_third_party: bool = false
  context cloud: string = "azure"
  context customer_segment: string = "commercial"
}

# OpenAI serves a product that is not an API.
action serve_product by openai {
  resource built_with_third_party: bool = false
  context cloud: string = "azure"
}

# OpenAI develops a product jointly with a third party.
action codevelop_product by openai {
  context partner: string
}

# OpenAI releases the weights of a model openly.
action release_open_weights by openai {
  resource meets_capability_criteria: bool = false
}

# OpenAI buys compute from a provider.
action purchase_compute by openai {
  context provider: string
}

# OpenAI grants a third party rights to OpenAI model IP.
action license_model_ip by openai {
  context licensee: string
}

# Microsoft uses OpenAI IP of a given kind.
action use_ip by microsoft {
  resource ip_kind: enum { model, product, research, consumer_hardware }
  resource post_agi: bool = false
  context safety_guardrails: bool = false
}

# Microsoft pursues AGI on its own (alone or with third parties).
action pursue_agi by microsoft {
  context uses_openai_ip: bool = false
  context within_compute_threshold: bool = false
}

# A party receives its share of the other's revenue: revenue sharing runs both ways (reading C1,
# from the 2025-01-21 version) until the 2026-04-27 amendment.
action receive_revenue_share by microsoft, openai

# Carried over from 2025-01-21 (reading C1): OpenAI builds compute capacity of its own.
action build_capacity by openai

# Carried over from 2019 (reading C1): the two develop Azure AI supercomputing technologies together.
action develop_supercomputing by microsoft, openai

# ---------------------------------------------------------------------------------------------
# AGI governance: state and events
# ---------------------------------------------------------------------------------------------

# "Any AGI declaration will be reviewed by an independent expert panel."
# history: "An AGI declaration by OpenAI takes effect only when an independent expert panel verifies it."
state agi: enum { none, declared, verified } = none

# history: "An AGI declaration by OpenAI takes effect only when an independent expert panel verifies it."
# The last declaration made, which the panel rules on while `agi` is `declared`. A verdict names it
# by its seq, so a verdict on any other declaration (an earlier one, or an old verdict recorded
# again) is refused.
state declaration: ref agi_declared

# "Any AGI declaration will be reviewed by an independent expert panel."
body panel "Independent expert panel" {
  members expert_1, expert_2, expert_3, expert_4, expert_5
  quorum 3
  note "The sources name an independent expert panel but give neither its size nor its quorum. Five members acting by a quorum of three is our placeholder; replace it when the panel's rules are known."
}

# Who may record each event: OpenAI declares; the panel rules; either party records a purchase.
# `azure_purchase` is a purchase toward the incremental $250B; `azure_purchase_prior_commitment`
# one that counts under the January 2025 Azure commitment instead, and so toward nothing here.
event agi_declared recorded by openai { by: string }
event panel_verdict recorded by panel { declaration: ref agi_declared, verdict: enum { verified, rejected } }
event azure_purchase recorded by openai, microsoft { amount_usd: money }
event azure_purchase_prior_commitment recorded by openai, microsoft { amount_usd: money }

# A declaration can only be made when none is pending or verified.
on agi_declared {
  quote primary "Any AGI declaration will be reviewed by an independent expert panel."
  quote history "An AGI declaration by OpenAI takes effect only when an independent expert panel verifies it."
  note "Reading D1: a declaration is OpenAI's alone: the event type is recorded by openai, so a store takes a declaration only from OpenAI. Microsoft may pursue AGI but does not declare it, and the panel verifies a declaration but does not make one."
  require agi == none else "an AGI declaration is already pending or verified"
  set agi = declared
  set declaration = event.seq
}

# The panel rules on the pending declaration, which its verdict names by seq. Reading R2: a
# rejection puts `agi` back to `none`, so nothing changes and OpenAI may declare again.
on panel_verdict {
  quote primary "Any AGI declaration will be reviewed by an independent expert panel."
  quote history "An AGI declaration by OpenAI takes effect only when an independent expert panel verifies it."
  note "Reading R2: a declaration the panel rejects leaves things as they were, and OpenAI may declare again."
  require agi == declared else "no AGI declaration is pending"
  quote history "takes effect only when an independent expert panel verifies it"
  note "A verdict rules on one declaration, the one it names by its seq: 'verifies it' is a verdict on that declaration. A verdict on an earlier declaration, or an old verdict recorded again after OpenAI declares anew, rules on nothing pending and is refused."
  require event.declaration == declaration else "the verdict must rule on the pending declaration"
  set agi = verified when event.verdict == verified
  set agi = none when event.verdict == rejected
}

# ---------------------------------------------------------------------------------------------
# Facts
# ---------------------------------------------------------------------------------------------

# "Microsoft and OpenAI signed a definitive agreement on October 28, 2025, ..."
fact signing_date = 2025-10-28 {
  quote primary "Microsoft and OpenAI signed a definitive agreement on October 28, 2025"
}

# "Microsoft also disclosed an approximately 27 percent stake on an as-converted diluted basis, ..."
fact microsoft_stake = 27 {
  unit "percent"
  note "Approximate; on an as-converted diluted basis (32.5% before OpenAI's recent rounds, per the history file)."
  quote primary "Microsoft also disclosed an approximately 27 percent stake on an as-converted diluted basis"
  quote history "Microsoft's stake: about 27% as-converted diluted"
}

# "... which it valued at about $135 billion."
fact microsoft_stake_value = $135_000_000_000 {
  note "Approximate value of the stake, as stated by Microsoft."
  quote primary "which it valued at about $135 billion"
  quote history "valued at about $135B"
}

# history: "Microsoft's stake: about 27% as-converted diluted, valued at about $135B (32.5% before OpenAI's recent rounds)."
fact microsoft_stake_before_rounds = 325 {
  unit "tenths of a percent"
  note "32.5 percent, written in tenths of a percent until the language has decimals (then 32.5%). The stake before OpenAI's recent rounds, as the history file gives it."
  quote history "32.5% before OpenAI's recent rounds"
}

# Reading C1, from 2025-01-21: "OpenAI makes a new, large Azure commitment (amount not disclosed)."
fact prior_azure_commitment = "not disclosed" {
  note "Reading C1: the January 2025 commitment is not mentioned by this agreement and stands; the $250B of azure_services is incremental to it. Its amount was not disclosed, so no commitment counts toward it; purchases counted under it are recorded as azure_purchase_prior_commitment."
  quote earlier "OpenAI makes a new, large Azure commitment (amount not disclosed)."
}

# Reading C1, from 2023 (press only): "about 20% revenue share".
fact revenue_share_reported = 20 {
  unit "percent"
  note "Press only, reported in 2023 for OpenAI's share to Microsoft; never confirmed, and not restated since. No source gives the percentage Microsoft pays OpenAI. A decimal (20%) once the language has decimals."
  quote earlier_press "about 20% revenue share"
}

# ---------------------------------------------------------------------------------------------
# Commitment: incremental Azure purchase
# "OpenAI contracted to purchase an incremental $250 billion of Azure services."
# ---------------------------------------------------------------------------------------------

commitment azure_services {
  owed_by openai
  owed_to microsoft
  what "Purchase of an incremental $250 billion of Azure services"
  total $250_000_000_000
  counted from azure_purchase.amount_usd since 2025-10-28
  note "No deadline is stated in the sources."
  note "Incremental from the signing: a purchase dated before 2025-10-28 counts toward nothing here, and neither does one counted under the January 2025 commitment (recorded as azure_purchase_prior_commitment, reading C1)."
  quote primary "OpenAI contracted to purchase an incremental $250 billion of Azure services."
  quote history "OpenAI purchases an incremental $250B of Azure services"
}

# ---------------------------------------------------------------------------------------------
# OpenAI's API: Azure exclusivity and its carve-outs
# "Exclusive IP rights to OpenAI models and Azure API exclusivity remain in place until any AGI
#  declaration."
# ---------------------------------------------------------------------------------------------

prohibition azure_api_exclusivity {
  principal openai
  action serve_api
  when context.cloud != "azure"
  until agi == verified
  note "Reading R1: 'until any AGI declaration' means until the independent expert panel verifies a declaration; a pending declaration leaves the exclusivity in place."
  note "Reading R2: a declaration the panel rejects leaves things as they were, and OpenAI may declare again."
  quote primary "Exclusive IP rights to OpenAI models and Azure API exclusivity remain in place until any AGI declaration."
  quote history "Microsoft keeps exclusive IP rights and Azure API exclusivity until AGI (i.e. until the panel verifies a declaration)."
}

# Serving the API on Azure is what the exclusivity itself provides for.
permission api_on_azure {
  principal openai
  action serve_api
  when context.cloud == "azure"
  note "Serving the API on Azure is always consistent with the agreement; the exclusivity only restricts other clouds."
  quote primary "Azure API exclusivity"
}

# "API products built with third parties must still run on Azure."
prohibition third_party_api_on_azure {
  principal openai
  action serve_api
  when resource.built_with_third_party and context.cloud != "azure"
  until agi == verified
  note "Reading: 'still' ties this rule to the Azure API exclusivity: it is that exclusivity applied to API products co-developed with third parties, so it shares the exclusivity's window (until the panel verifies AGI, reading R1)."
  quote primary "API products built with third parties must still run on Azure."
  quote history "API products built with third parties are"
}

# "OpenAI may provide API access to U.S. government national security customers on any cloud."
permission national_security_any_cloud {
  principal openai
  action serve_api
  when context.customer_segment == "us_gov_national_security"
  exception to azure_api_exclusivity, third_party_api_on_azure
  note "Reading: the national-security permission is a carve-out from the Azure API exclusivity. Because the third-party rule is that same exclusivity applied to co-developed API products ('must still run on Azure'), the carve-out reaches it too: API access for U.S. government national security customers may be served on any cloud, whether or not the product was built with a third party."
  quote primary "OpenAI may provide API access to U.S. government national security customers on any cloud."
  quote history "OpenAI may provide API access to US government national security customers on any cloud."
}

# ---------------------------------------------------------------------------------------------
# OpenAI's products and joint development
# "OpenAI may jointly develop some products with third parties."
# ---------------------------------------------------------------------------------------------

permission joint_development {
  principal openai
  action codevelop_product
  note "The sources say 'some products' without naming which; any product is taken as covered, and API products so built remain subject to third_party_api_on_azure when served."
  quote primary "OpenAI may jointly develop some products with third parties."
  quote history "OpenAI may jointly develop some products with third parties"
}

# history: "... non-API products may be served on any cloud."
permission non_api_products_any_cloud {
  principal openai
  action serve_product
  note "Applies to non-API products, including those built with third parties."
  quote history "non-API products may be served on any cloud."
}

# ---------------------------------------------------------------------------------------------
# Open-weight models
# "OpenAI may release certain open-weight models."
# ---------------------------------------------------------------------------------------------

permission open_weight_models {
  principal openai
  action release_open_weights
  requires resource.meets_capability_criteria
  note "'Certain' open-weight models: those that meet the requisite capability criteria (history file). A model that does not meet them is denied."
  quote primary "OpenAI may release certain open-weight models."
  quote history "OpenAI may release open-weight models that meet requisite capability criteria."
}

# ---------------------------------------------------------------------------------------------
# Compute
# "Microsoft relinquished its prior right of first refusal to serve as OpenAI's compute provider."
# ---------------------------------------------------------------------------------------------

permission compute_any_provider {
  principal openai
  action purchase_compute
  note "With the right of first refusal gone, OpenAI may buy compute from any provider without first offering it to Microsoft. The Azure purchase commitment (azure_services) still stands."
  quote primary "Microsoft relinquished its prior right of first refusal to serve as OpenAI's compute provider."
  quote history "Microsoft no longer has a ROFR on compute."
}

# ---------------------------------------------------------------------------------------------
# Exclusive IP rights to OpenAI models
# "Exclusive IP rights to OpenAI models and Azure API exclusivity remain in place until any AGI
#  declaration."
# ---------------------------------------------------------------------------------------------

prohibition exclusive_model_ip {
  principal openai
  action license_model_ip
  when context.licensee != "microsoft"
  until agi == verified
  through 2032
  note "Microsoft's IP rights to OpenAI models are exclusive, so OpenAI may not license model IP to a third party while they remain exclusive."
  note "Reading X1: the exclusivity qualifies Microsoft's IP rights to models, which run through 2032 (model_product_ip); it cannot outlast them, so it ends at the verification of AGI or at the end of 2032, whichever comes first."
  note "Reading R1: 'until any AGI declaration' means until the independent expert panel verifies a declaration."
  quote primary "Exclusive IP rights to OpenAI models and Azure API exclusivity remain in place until any AGI declaration."
  quote history "Microsoft keeps exclusive IP rights and Azure API exclusivity until AGI (i.e. until the panel verifies a declaration)."
}

# ---------------------------------------------------------------------------------------------
# Microsoft's IP rights: models and products
# "... extending Microsoft's rights to OpenAI models and products through 2032."
# ---------------------------------------------------------------------------------------------

permission model_product_ip {
  principal microsoft
  action use_ip
  when resource.ip_kind in [model, product]
  through 2032
  note "Model architecture, weights, inference code, fine-tuning code and data-centre IP are model IP, not research IP, and fall here (history file)."
  quote primary "extending Microsoft's rights to OpenAI models and products through 2032"
  quote history "Microsoft's IP rights to models and products run through 2032"
}

# "Microsoft's IP rights extend to post-AGI models through 2032, subject to safety guardrails."
permission post_agi_model_ip {
  principal microsoft
  action use_ip
  when resource.ip_kind == model and resource.post_agi
  requires context.safety_guardrails
  through 2032
  exception to model_product_ip
  note "Post-AGI models are covered only with safety guardrails in place; without them the use is denied."
  quote primary "Microsoft's IP rights extend to post-AGI models through 2032, subject to safety guardrails."
  quote history "appropriate safety guardrails."
}

obligation post_agi_safety_guardrails {
  principal microsoft
  action use_ip
  when resource.ip_kind == model and resource.post_agi
  through 2032
  note "Microsoft must keep appropriate safety guardrails on any use of post-AGI models."
  quote primary "subject to safety guardrails"
  quote history "appropriate safety guardrails."
}

# ---------------------------------------------------------------------------------------------
# Microsoft's IP rights: research IP (history file)
# "Microsoft's rights to *research* IP ... last until the panel verifies AGI or through 2030,
#  whichever comes first."
# ---------------------------------------------------------------------------------------------

permission research_ip {
  principal microsoft
  action use_ip
  when resource.ip_kind == research
  until agi == verified
  through 2030
  note "Research IP: the confidential methods used to develop models and systems. The two window items end the right at whichever comes first: panel verification of AGI (reading R1) or the end of 2030."
  quote history "Microsoft's rights to *research* IP (confidential methods used to develop models and systems) last until"
  quote history "the panel verifies AGI or through 2030, whichever comes first."
}

# ---------------------------------------------------------------------------------------------
# Microsoft's IP rights: consumer hardware excluded (history file)
# "Microsoft's IP rights exclude OpenAI's consumer hardware."
# ---------------------------------------------------------------------------------------------

prohibition consumer_hardware_excluded {
  principal microsoft
  action use_ip
  when resource.ip_kind == consumer_hardware
  note "OpenAI's consumer hardware is outside Microsoft's IP rights at all times."
  quote history "Microsoft's IP rights exclude OpenAI's consumer hardware."
}

# ---------------------------------------------------------------------------------------------
# Microsoft's own pursuit of AGI (history file)
# "Microsoft may independently pursue AGI, alone or with third parties; if it uses OpenAI IP to do
#  so before AGI is declared, its models are subject to compute thresholds far above today's
#  largest training runs."
# ---------------------------------------------------------------------------------------------

permission independent_agi {
  principal microsoft
  action pursue_agi
  quote history "Microsoft may independently pursue AGI, alone or with third parties"
}

permission agi_with_openai_ip {
  principal microsoft
  action pursue_agi
  when context.uses_openai_ip
  requires context.within_compute_threshold
  until agi == verified
  exception to independent_agi
  note "Reading R1: 'before AGI is declared' means before the panel verifies a declaration (a declaration takes effect only when verified)."
  note "Using OpenAI IP to pursue AGI is allowed only for models within the compute thresholds."
  quote history "if it uses OpenAI IP to do so"
  quote history "before AGI is declared, its models are subject to compute thresholds far above today's largest training runs."
}

obligation agi_compute_threshold {
  principal microsoft
  action pursue_agi
  when context.uses_openai_ip
  until agi == verified
  note "While it uses OpenAI IP before AGI is verified, Microsoft must keep its models within the compute thresholds."
  quote history "its models are subject to compute thresholds far above today's largest training runs."
}

# ---------------------------------------------------------------------------------------------
# Revenue share (history file)
# "Revenue share continues until the panel verifies AGI; payments stretch over a longer period."
# ---------------------------------------------------------------------------------------------

permission revenue_share {
  principal microsoft
  action receive_revenue_share
  until agi == verified
  note "The share ends the day the panel verifies AGI; payments may stretch over a longer period (the schedule is not encoded)."
  quote history "Revenue share continues until the panel verifies AGI; payments stretch over a longer period."
  note "This agreement states the share's end itself (the verification of AGI), so the 2025-01-21 end, through 2030, is replaced rather than carried over. The percentage is given by the press only (revenue_share_reported)."
}

# Reading C1: the revenue share flowed both ways in 2025-01-21, and the 2026-04-27 amendment is the
# first to say "Microsoft stops paying revenue share to OpenAI".
permission revenue_share_to_openai {
  principal openai
  action receive_revenue_share
  until agi == verified
  note "Reading C1: 'revenue sharing both ways' (2025-01-21) is not changed by this agreement, whose revenue share continues until the panel verifies AGI (reading R1); the 2026-04-27 amendment is the first to stop Microsoft's payments. No source gives the percentage Microsoft pays."
  quote history "Revenue share continues until the panel verifies AGI"
  quote earlier "revenue sharing both ways"
  quote later "Microsoft stops paying revenue share to OpenAI"
}

# ---------------------------------------------------------------------------------------------
# Carried over from the earlier versions (reading C1)
# ---------------------------------------------------------------------------------------------

permission build_additional_capacity {
  principal openai
  action build_capacity
  note "Reading C1: a 2025-01-21 term this agreement does not mention. 'Mainly' for research and training: no limit on other uses is given, so the purpose is not a condition."
  quote earlier "OpenAI may build additional capacity, mainly for research and training."
}

permission joint_supercomputing_microsoft {
  principal microsoft
  action develop_supercomputing
  note "Reading C1: a 2019 term that no later version mentions."
  quote earlier "The two jointly develop Azure AI supercomputing technologies"
}

permission joint_supercomputing_openai {
  principal openai
  action develop_supercomputing
  note "Reading C1: a 2019 term that no later version mentions."
  quote earlier "The two jointly develop Azure AI supercomputing technologies"
}
