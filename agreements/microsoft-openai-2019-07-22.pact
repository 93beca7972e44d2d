# Microsoft and OpenAI: the partnership announced on 2019-07-22 (the first version).
#
# Source: the v2019 section of partnership-history.md (confidence official: OpenAI's announcement,
# openai.com/index/microsoft-invests-in-and-partners-with-openai), and the background paragraph of
# the seed summary (000_98892652a2a5be67.txt, confidence seed).
#
# The history gives four terms and no contract text. Where it gives no date, amount or detail, a
# `note` says so. The vocabulary is that of the 2025-10-28 agreement wherever the concept is the
# same (serve_api, serve_product, purchase_compute, use_ip, license_model_ip), so one request can
# be asked of every version (`pactum decide --history agreements/microsoft-openai.history`).
#
# Readings applied throughout:
#   E1. "exclusive cloud provider" covers every workload OpenAI runs on a cloud: serving its API,
#       serving its other products, and buying compute. The seed's background paragraph calls
#       Azure only OpenAI's "preferred cloud"; the history file's official wording, "exclusive",
#       is followed.
#   E2. "no end date given": the exclusivity has no window; it lasts as long as this version.

agreement "microsoft-openai" {
  version "2019-07-22"
  title "Microsoft and OpenAI partnership, announced 2019-07-22 (Microsoft invests $1B)"
  effective 2019-07-22
}

# ---------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------

source history official "partnership-history.md"
  "Partnership history, section v2019; from openai.com/index/microsoft-invests-in-and-partners-with-openai"
source background seed "000_98892652a2a5be67.txt"
  "Summary of the 2025-10-28 agreement (Microsoft's blog post), background paragraph on 2019"

# ---------------------------------------------------------------------------------------------
# Parties
# ---------------------------------------------------------------------------------------------

party microsoft "Microsoft Corporation"
party openai "OpenAI"

# ---------------------------------------------------------------------------------------------
# Actions (the 2025-10-28 names and attributes, where this version speaks of the same thing)
# ---------------------------------------------------------------------------------------------

# OpenAI serves an API (cloud: azure, aws, gcp, oracle, ...).
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

# OpenAI buys compute from a provider ("azure" for Microsoft's cloud).
action purchase_compute by openai {
  context provider: string
}

# OpenAI licenses its technology to another party (licensee: "microsoft", or any other name).
action license_model_ip by openai {
  context licensee: string
}

# Microsoft uses OpenAI IP of a given kind, pre- or post-AGI.
action use_ip by microsoft {
  resource ip_kind: enum { model, product, research, consumer_hardware }
  resource post_agi: bool = false
  context safety_guardrails: bool = false
}

# New in this version: the two develop Azure AI supercomputing technologies together.
action develop_supercomputing by microsoft, openai

# ---------------------------------------------------------------------------------------------
# Facts
# ---------------------------------------------------------------------------------------------

fact microsoft_investment = $1_000_000_000 {
  note "The history file gives the amount and no schedule or form of the investment."
  quote history "Microsoft invests $1B in OpenAI."
  quote background "Microsoft first invested in OpenAI in 2019 to support computing at scale"
}

# ---------------------------------------------------------------------------------------------
# Azure as OpenAI's exclusive cloud provider
# history: "Azure becomes OpenAI's exclusive cloud provider; no end date given."
# ---------------------------------------------------------------------------------------------

prohibition azure_exclusive_cloud_api {
  principal openai
  action serve_api
  when context.cloud != "azure"
  note "Reading E1: the exclusive cloud provider serves OpenAI's API; no carve-out for any customer is reported for this version."
  note "Reading E2: no end date is given, so the exclusivity lasts as long as this version."
  note "The seed's background paragraph says 'preferred cloud'; the official wording in the history file says 'exclusive', which is followed."
  quote history "Azure becomes OpenAI's exclusive cloud provider; no end date given."
  quote background "introducing Azure as OpenAI's preferred cloud for training and services"
}

permission api_on_azure {
  principal openai
  action serve_api
  when context.cloud == "azure"
  note "OpenAI ports its services to Azure: serving them there is what the partnership provides for."
  quote history "OpenAI ports its services to Azure."
}

prohibition azure_exclusive_cloud_products {
  principal openai
  action serve_product
  when context.cloud != "azure"
  note "Reading E1: the exclusivity covers OpenAI's products as well as its API."
  note "Reading E2: no end date is given, so the exclusivity lasts as long as this version."
  quote history "Azure becomes OpenAI's exclusive cloud provider; no end date given."
  quote background "introducing Azure as OpenAI's preferred cloud for training and services"
}

permission products_on_azure {
  principal openai
  action serve_product
  when context.cloud == "azure"
  note "OpenAI ports its services to Azure: serving them there is what the partnership provides for."
  quote history "OpenAI ports its services to Azure."
}

# Compute exclusivity: the first version governs something the 2025-10-28 one had relinquished.
prohibition azure_exclusive_compute {
  principal openai
  action purchase_compute
  when context.provider != "azure"
  note "Reading E1: a cloud provider that is exclusive is OpenAI's only source of cloud compute, for training as for services."
  note "Reading E2: no end date is given, so the exclusivity lasts as long as this version."
  quote history "Azure becomes OpenAI's exclusive cloud provider; no end date given."
  quote background "to support computing at scale, introducing Azure as OpenAI's preferred cloud for training and services"
}

permission compute_from_azure {
  principal openai
  action purchase_compute
  when context.provider == "azure"
  note "Buying compute from the exclusive cloud provider is always consistent with the exclusivity."
  quote history "Azure becomes OpenAI's exclusive cloud provider"
}

# ---------------------------------------------------------------------------------------------
# Joint supercomputing
# history: "The two jointly develop Azure AI supercomputing technologies; OpenAI ports its
# services to Azure."
# ---------------------------------------------------------------------------------------------

permission joint_supercomputing_microsoft {
  principal microsoft
  action develop_supercomputing
  note "The history file gives no detail of the joint development (scope, ownership of the result)."
  quote history "The two jointly develop Azure AI supercomputing technologies"
}

permission joint_supercomputing_openai {
  principal openai
  action develop_supercomputing
  note "The history file gives no detail of the joint development (scope, ownership of the result)."
  quote history "The two jointly develop Azure AI supercomputing technologies"
}

# ---------------------------------------------------------------------------------------------
# Pre-AGI technologies and Microsoft's commercial rights
# history: "OpenAI intends to license some pre-AGI technologies, with Microsoft as preferred
# partner for commercializing them. Post-AGI technology is outside Microsoft's commercial rights."
# ---------------------------------------------------------------------------------------------

permission pre_agi_commercialization {
  principal microsoft
  action use_ip
  when not resource.post_agi and resource.ip_kind != consumer_hardware
  note "'Some' pre-AGI technologies: the history file names none, so every pre-AGI kind of OpenAI IP is taken as one Microsoft may commercialize. The source states an intention to license, not the terms of a licence."
  note "Consumer hardware is left out: nothing in this version speaks of it (it first appears in the 2025-10-28 agreement)."
  quote history "OpenAI intends to license some pre-AGI technologies, with Microsoft as preferred partner for commercializing them."
}

prohibition post_agi_outside_rights {
  principal microsoft
  action use_ip
  when resource.post_agi
  note "Whether a technology is post-AGI is given by the request (resource.post_agi); this version reports no process for deciding when AGI is reached."
  quote history "Post-AGI technology is outside Microsoft's commercial rights."
}

permission pre_agi_licensing {
  principal openai
  action license_model_ip
  note "Microsoft is the preferred partner, not an exclusive one: nothing reported for this version stops OpenAI licensing pre-AGI technology to others."
  quote history "OpenAI intends to license some pre-AGI technologies, with Microsoft as preferred"
}
