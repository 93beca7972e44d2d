# Microsoft and OpenAI: the "third phase" of the partnership, announced on 2023-01-23.
#
# Sources: the v2023 section of partnership-history.md, whose terms are marked official (the
# companies' announcements) or press (reported, never confirmed by either company); and the
# background paragraph of the seed summary (000_98892652a2a5be67.txt, confidence seed).
# The file is declared twice, once per confidence, so that every quotation carries the confidence
# of the term it cites.
#
# Readings applied throughout:
#   E1. "exclusive cloud provider for all OpenAI workloads: research, API and products" forbids
#       serving the API or a product, and buying compute (research and training), on any other
#       cloud. No end date is given; the exclusivity lasts as long as this version.
#   C1. What the 2023 announcement does not change of the 2019 version continues: the joint
#       development of supercomputing technology, and the licensing of pre-AGI technology with
#       Microsoft as preferred partner. Such clauses cite the v2019 section and say so.
#   P1. Terms reported only by the press are encoded as facts with a press source and never as
#       clauses that decide; the one exception, the revenue share, is a permission whose only
#       citation is press, so every decision it determines shows that confidence.

agreement "microsoft-openai" {
  version "2023-01-23"
  title "Microsoft and OpenAI extended partnership (third phase), announced 2023-01-23"
  effective 2023-01-23
  supersedes "microsoft-openai@2019-07-22"
}

# ---------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------

source history official "partnership-history.md"
  "Partnership history, section v2023 (terms marked official)"
source reported press "partnership-history.md"
  "Partnership history, section v2023 (terms marked press: reported, never confirmed)"
source background seed "000_98892652a2a5be67.txt"
  "Summary of the 2025-10-28 agreement (Microsoft's blog post), background paragraph on 2023"

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

# OpenAI buys compute from a provider ("azure" for Microsoft's cloud).
action purchase_compute by openai {
  context provider: string
}

# Microsoft uses OpenAI IP of a given kind, pre- or post-AGI.
action use_ip by microsoft {
  resource ip_kind: enum { model, product, research, consumer_hardware }
  resource post_agi: bool = false
  context safety_guardrails: bool = false
}

# Carried over from 2019: OpenAI licenses its technology to another party.
action license_model_ip by openai {
  context licensee: string
}

# Microsoft receives its share of OpenAI's revenue.
action receive_revenue_share by microsoft

# Carried over from 2019: the two develop Azure AI supercomputing technologies together.
action develop_supercomputing by microsoft, openai

# ---------------------------------------------------------------------------------------------
# Facts: the investment, and what only the press reported
# ---------------------------------------------------------------------------------------------

fact microsoft_investment_reported = $10_000_000_000 {
  note "The companies announced a multi-year, multi-billion-dollar investment and did not disclose the amount; about $10B is the press figure only."
  quote history "Multi-year, multi-billion-dollar investment; amount not disclosed"
  quote reported "(press: about $10B)"
  quote background "a multi-year, multi-billion-dollar investment"
}

fact agi_profit_threshold_reported = $100_000_000_000 {
  note "Press only: AGI defined in the contract by profits of about $100B. Not used by any clause: the official terms leave the decision to OpenAI's board."
  quote reported "AGI defined contractually by profits of about $100B"
}

fact profit_share_until_recoup_reported = 75 {
  unit "percent"
  note "Press only: 75% of OpenAI's profits go to Microsoft until its investment is recouped. The sources give no amount to recoup or date."
  quote reported "75% of profits to Microsoft until recoup"
}

fact revenue_share_reported = 20 {
  unit "percent"
  note "Press only: about 20%."
  quote reported "about 20% revenue share"
}

# ---------------------------------------------------------------------------------------------
# Azure as the exclusive cloud provider for all OpenAI workloads
# history: "Azure is the exclusive cloud provider for all OpenAI workloads: research, API and
# products."
# ---------------------------------------------------------------------------------------------

prohibition azure_exclusive_cloud_api {
  principal openai
  action serve_api
  when context.cloud != "azure"
  note "Reading E1: the API is one of the workloads named; no carve-out for any customer is reported for this version, and no end date."
  quote history "Azure is the exclusive cloud provider for all OpenAI workloads: research, API and products."
  quote background "named Azure as OpenAI's exclusive cloud provider"
}

permission api_on_azure {
  principal openai
  action serve_api
  when context.cloud == "azure"
  note "Serving the API on the exclusive cloud provider is always consistent with the exclusivity."
  quote history "Azure is the exclusive cloud provider for all OpenAI workloads: research, API and products."
}

prohibition azure_exclusive_cloud_products {
  principal openai
  action serve_product
  when context.cloud != "azure"
  note "Reading E1: products are one of the workloads named."
  quote history "Azure is the exclusive cloud provider for all OpenAI workloads: research, API and products."
  quote background "named Azure as OpenAI's exclusive cloud provider"
}

permission products_on_azure {
  principal openai
  action serve_product
  when context.cloud == "azure"
  note "Serving products on the exclusive cloud provider is always consistent with the exclusivity."
  quote history "Azure is the exclusive cloud provider for all OpenAI workloads: research, API and products."
}

prohibition azure_exclusive_compute {
  principal openai
  action purchase_compute
  when context.provider != "azure"
  note "Reading E1: research (training) runs on compute, so buying compute from another provider breaks the exclusivity."
  quote history "Azure is the exclusive cloud provider for all OpenAI workloads: research, API and products."
}

permission compute_from_azure {
  principal openai
  action purchase_compute
  when context.provider == "azure"
  note "Buying compute from the exclusive cloud provider is always consistent with the exclusivity."
  quote history "Azure is the exclusive cloud provider for all OpenAI workloads"
}

# ---------------------------------------------------------------------------------------------
# Microsoft's use of OpenAI models; AGI technology outside Microsoft's rights
# history: "Microsoft deploys OpenAI models across its consumer and enterprise products,
# including Azure OpenAI Service." and "OpenAI's board decides when AGI is reached; Microsoft's IP
# licences and commercial terms do not apply to AGI technology."
# ---------------------------------------------------------------------------------------------

permission deploy_models {
  principal microsoft
  action use_ip
  when resource.ip_kind == model and not resource.post_agi
  note "Pre-AGI models; what is AGI technology is excluded by agi_technology_excluded. Other pre-AGI IP stays under the 2019 term carried over (pre_agi_commercialization)."
  quote history "Microsoft deploys OpenAI models across its consumer and enterprise products, including Azure OpenAI Service."
}

prohibition agi_technology_excluded {
  principal microsoft
  action use_ip
  when resource.post_agi
  note "The history file marks this term 'official, paraphrased'."
  note "OpenAI's board decides when AGI is reached; the request says whether the technology is AGI technology (resource.post_agi). No event records the board's decision in this version: no clause of it has a window that depends on it."
  quote history "OpenAI's board decides when AGI is reached; Microsoft's IP licences and commercial terms do not apply to AGI technology."
}

# ---------------------------------------------------------------------------------------------
# Revenue share (press only)
# ---------------------------------------------------------------------------------------------

permission revenue_share {
  principal microsoft
  action receive_revenue_share
  note "Reading P1: reported only by the press (about 20%); never confirmed by either company. No end date is reported."
  quote reported "about 20% revenue share"
}

# ---------------------------------------------------------------------------------------------
# Carried over from the 2019 version (reading C1)
# ---------------------------------------------------------------------------------------------

permission joint_supercomputing_microsoft {
  principal microsoft
  action develop_supercomputing
  note "Reading C1: a 2019 term the 2023 announcement does not change, as reported in the history file."
  quote history "The two jointly develop Azure AI supercomputing technologies"
}

permission joint_supercomputing_openai {
  principal openai
  action develop_supercomputing
  note "Reading C1: a 2019 term the 2023 announcement does not change, as reported in the history file."
  quote history "The two jointly develop Azure AI supercomputing technologies"
}

permission pre_agi_commercialization {
  principal microsoft
  action use_ip
  when not resource.post_agi and resource.ip_kind != consumer_hardware
  note "Reading C1: a 2019 term the 2023 announcement does not change. 'Some' pre-AGI technologies: none is named, so every pre-AGI kind of OpenAI IP is taken as covered."
  quote history "OpenAI intends to license some pre-AGI technologies, with Microsoft as preferred partner for commercializing them."
}

permission pre_agi_licensing {
  principal openai
  action license_model_ip
  note "Reading C1: a 2019 term the 2023 announcement does not change. Microsoft is the preferred partner, not an exclusive one."
  quote history "OpenAI intends to license some pre-AGI technologies, with Microsoft as preferred"
}
