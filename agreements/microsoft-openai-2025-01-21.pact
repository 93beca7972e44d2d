# Microsoft and OpenAI: the partnership as changed on 2025-01-21 (announced with Stargate).
#
# Source: the v2025-01 section of partnership-history.md (confidence official: Microsoft's blog,
# blogs.microsoft.com/blog/2025/01/21/microsoft-and-openai-evolve-partnership-to-drive-the-next-phase-of-ai).
# Terms this version keeps from 2023 cite the v2023 (or v2019) section.
#
# Readings applied throughout:
#   R3. "Compute exclusivity on new capacity ends; Microsoft gets a right of first refusal" means:
#       OpenAI may buy compute from another provider only when Microsoft, offered the capacity
#       first, declines it (context.microsoft_declined). Every purchase is read as new capacity.
#   R4. "Stay in place, through 2030": the IP rights, the API exclusivity and the revenue share
#       each end on 2030-12-31 at the latest.
#   C1. What this announcement does not change of the 2023 version continues: products stay on
#       Azure, post-AGI technology stays outside Microsoft's rights, the pre-AGI licensing and the
#       joint supercomputing work go on. Such clauses cite the earlier section and say so. The
#       figures the press reported in 2023 (about 20% revenue share, 75% of profits until recoup,
#       AGI at about $100B of profits) are not restated either, and stay facts of press confidence.
#   X1. Licensing. The 2025-10-28 agreement says Microsoft's "Exclusive IP rights to OpenAI models
#       ... remain in place": they were exclusive before it, under this version. So in this
#       version OpenAI may not license model IP to anyone but Microsoft while Microsoft's rights
#       to models stay in place, through 2030 (reading R4); the 2019 term of licensing with
#       Microsoft as preferred partner gives way to the exclusivity until then. Earlier versions
#       are not changed: the sources say nothing of exclusivity before this one.
#   D1. Who declares AGI: "OpenAI's board decides when AGI is reached" (2023, carried over), as the
#       2025-10-28 agreement's "An AGI declaration by OpenAI" also says: OpenAI alone declares.
#       No clause of this version depends on a declaration, so none is recorded here.

agreement "microsoft-openai" {
  version "2025-01-21"
  title "Microsoft and OpenAI partnership as evolved on 2025-01-21 (compute ROFR)"
  effective 2025-01-21
  supersedes "microsoft-openai@2023-01-23"
}

# ---------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------

source history official "partnership-history.md"
  "Partnership history, section v2025-01 (and v2023, v2019 for terms carried over)"
source reported press "partnership-history.md"
  "Partnership history, section v2023: figures reported by the press only, carried over (reading C1)"
source primary seed "000_98892652a2a5be67.txt"
  "Summary of the 2025-10-28 agreement (Microsoft's blog post): what it says of the terms before it (reading X1)"
source next official "partnership-history.md"
  "Partnership history, section v2025-10: what the next version says of the terms before it (reading X1)"

# ---------------------------------------------------------------------------------------------
# Parties
# ---------------------------------------------------------------------------------------------

party microsoft "Microsoft Corporation"
party openai "OpenAI"

# ---------------------------------------------------------------------------------------------
# Actions (the 2025-10-28 names and attributes, where this version speaks of the same thing)
# ---------------------------------------------------------------------------------------------

action serve_api by openai {
  resource built_with_third_party: bool = false
  context cloud: string = "azure"
  context customer_segment: string = "commercial"
}

action serve_product by openai {
  resource built_with_third_party: bool = false
  context cloud: string = "azure"
}

# OpenAI buys compute from a provider ("azure" for Microsoft's cloud). New in this version:
# whether Microsoft, offered the capacity under its right of first refusal, declined it.
action purchase_compute by openai {
  context provider: string
  context microsoft_declined: bool = false
}

# New in this version: OpenAI builds compute capacity of its own.
action build_capacity by openai

action license_model_ip by openai {
  context licensee: string
}

action use_ip by microsoft {
  resource ip_kind: enum { model, product, research, consumer_hardware }
  resource post_agi: bool = false
  context safety_guardrails: bool = false
}

# Revenue sharing runs both ways in this version, so either party may be the one receiving.
action receive_revenue_share by microsoft, openai

action develop_supercomputing by microsoft, openai

# ---------------------------------------------------------------------------------------------
# Facts
# ---------------------------------------------------------------------------------------------

fact new_azure_commitment = "not disclosed" {
  note "OpenAI makes a new, large Azure commitment; no amount or deadline is given, so no commitment can be counted."
  quote history "OpenAI makes a new, large Azure commitment (amount not disclosed)."
}

fact revenue_share_reported = 20 {
  unit "percent"
  note "Reading C1: press only, reported in 2023 for OpenAI's share to Microsoft; this version confirms 'revenue sharing both ways' and gives no percentage in either direction. A decimal (20%) once the language has decimals."
  quote reported "about 20% revenue share"
}

fact profit_share_until_recoup_reported = 75 {
  unit "percent"
  note "Reading C1: press only, reported in 2023: 75% of OpenAI's profits go to Microsoft until its investment is recouped. No amount to recoup or date is given."
  quote reported "75% of profits to Microsoft until recoup"
}

fact agi_profit_threshold_reported = $100_000_000_000 {
  note "Reading C1: press only, reported in 2023: AGI defined in the contract by profits of about $100B. Not used by any clause: OpenAI's board decides when AGI is reached."
  quote reported "AGI defined contractually by profits of about $100B"
}

# ---------------------------------------------------------------------------------------------
# Compute: exclusivity ends, a right of first refusal replaces it
# history: "Compute exclusivity on new capacity ends; Microsoft gets a right of first refusal
# (ROFR) to be OpenAI's compute provider."
# ---------------------------------------------------------------------------------------------

permission compute_rofr {
  principal openai
  action purchase_compute
  when context.provider != "azure"
  requires context.microsoft_declined
  note "Reading R3: another provider only after Microsoft, offered the capacity first, declined it; otherwise the purchase is denied."
  note "The history file gives neither the terms of the offer nor how long Microsoft has to answer."
  quote history "Compute exclusivity on new capacity ends; Microsoft gets a right of first refusal (ROFR) to be OpenAI's compute provider."
}

permission compute_from_azure {
  principal openai
  action purchase_compute
  when context.provider == "azure"
  note "Microsoft holds the right of first refusal to be the compute provider: buying from Azure is always consistent with it."
  quote history "Microsoft gets a right of first refusal (ROFR) to be OpenAI's compute provider."
}

permission build_additional_capacity {
  principal openai
  action build_capacity
  note "'Mainly' for research and training: the history file sets no limit on other uses, so the purpose is not a condition."
  quote history "OpenAI may build additional capacity, mainly for research and training."
}

# ---------------------------------------------------------------------------------------------
# Stay in place, through 2030 (reading R4)
# history: "Stay in place, through 2030: Microsoft's rights to OpenAI IP (models and
# infrastructure) for use in its products; OpenAI API exclusive to Azure; revenue sharing both ways."
# ---------------------------------------------------------------------------------------------

prohibition azure_api_exclusivity {
  principal openai
  action serve_api
  when context.cloud != "azure"
  through 2030
  note "Reading R4: the API exclusivity stays in place through 2030. No carve-out for any customer is reported for this version."
  quote history "OpenAI API exclusive to Azure"
  quote history "Stay in place, through 2030"
}

permission api_on_azure {
  principal openai
  action serve_api
  when context.cloud == "azure"
  note "Serving the API on Azure is always consistent with the exclusivity."
  quote history "OpenAI API exclusive to Azure"
}

permission model_product_ip {
  principal microsoft
  action use_ip
  when resource.ip_kind in [model, product] and not resource.post_agi
  through 2030
  note "Reading R4: through 2030. 'Models and infrastructure' for use in Microsoft's products: infrastructure IP is read as model IP (as the 2025-10-28 agreement reads data-centre IP), and products are those Microsoft builds with it."
  note "Post-AGI technology stays outside these rights (agi_technology_excluded)."
  quote history "Microsoft's rights to OpenAI IP (models and infrastructure) for use in its products"
}

permission revenue_share {
  principal microsoft
  action receive_revenue_share
  through 2030
  note "Reading R4: through 2030. The percentage is not given officially (press reported about 20% in 2023)."
  quote history "revenue sharing both ways"
}

permission revenue_share_to_openai {
  principal openai
  action receive_revenue_share
  through 2030
  note "Reading R4: through 2030. 'Both ways': Microsoft also shares revenue with OpenAI; the history file gives no percentage."
  quote history "revenue sharing both ways"
}

# ---------------------------------------------------------------------------------------------
# Carried over from 2023 and 2019 (reading C1)
# ---------------------------------------------------------------------------------------------

prohibition azure_exclusive_cloud_products {
  principal openai
  action serve_product
  when context.cloud != "azure"
  note "Reading C1: the 2023 exclusivity for products is not changed by this announcement, which ends compute exclusivity on new capacity only. The 2025-10-28 agreement is the first to let non-API products run on any cloud."
  quote history "Azure is the exclusive cloud provider for all OpenAI workloads: research, API and products."
}

permission products_on_azure {
  principal openai
  action serve_product
  when context.cloud == "azure"
  note "Reading C1, from 2023."
  quote history "Azure is the exclusive cloud provider for all OpenAI workloads: research, API and products."
}

prohibition agi_technology_excluded {
  principal microsoft
  action use_ip
  when resource.post_agi
  note "Reading C1: the 2023 term (official, paraphrased) is not changed by this announcement."
  quote history "OpenAI's board decides when AGI is reached; Microsoft's IP licences and commercial terms do not apply to AGI technology."
}

permission pre_agi_commercialization {
  principal microsoft
  action use_ip
  when not resource.post_agi and resource.ip_kind == research
  note "Reading C1: the 2019 term goes on for the pre-AGI IP that the 2030 rights do not name (research IP); models and products fall under model_product_ip, which ends in 2030."
  quote history "OpenAI intends to license some pre-AGI technologies, with Microsoft as preferred partner for commercializing them."
}

permission pre_agi_licensing {
  principal openai
  action license_model_ip
  note "Reading C1: the 2019 term is not changed by this announcement. Microsoft is the preferred partner; reading X1: while Microsoft's rights to models stay in place (through 2030), they are exclusive, and exclusive_model_ip overrides this permission for any other licensee."
  quote history "OpenAI intends to license some pre-AGI technologies, with Microsoft as preferred"
}

prohibition exclusive_model_ip {
  principal openai
  action license_model_ip
  when context.licensee != "microsoft"
  through 2030
  exception to pre_agi_licensing
  note "Reading X1: the next version says Microsoft's exclusive IP rights to OpenAI models 'remain in place', so they were exclusive in this one; OpenAI may not license model IP to a third party while they stay in place."
  note "Reading R4: Microsoft's rights to OpenAI IP stay in place through 2030, and the exclusivity that qualifies them cannot outlast them; from 2031 the 2019 licensing term (pre_agi_licensing) decides again."
  quote primary "Exclusive IP rights to OpenAI models and Azure API exclusivity remain in place until any AGI declaration."
  quote next "Microsoft keeps exclusive IP rights"
  quote history "Stay in place, through 2030: Microsoft's rights to OpenAI IP (models and infrastructure) for use in its products"
}

permission joint_supercomputing_microsoft {
  principal microsoft
  action develop_supercomputing
  note "Reading C1: the 2019 term is not changed by this announcement."
  quote history "The two jointly develop Azure AI supercomputing technologies"
}

permission joint_supercomputing_openai {
  principal openai
  action develop_supercomputing
  note "Reading C1: the 2019 term is not changed by this announcement."
  quote history "The two jointly develop Azure AI supercomputing technologies"
}
