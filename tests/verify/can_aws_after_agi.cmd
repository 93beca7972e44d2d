verify ../../agreements/microsoft-openai-2025-10-28.pact --can 'openai serve_api' --where 'context.cloud == "aws" and context.customer_segment == "commercial" and date >= 2026-01-01'
