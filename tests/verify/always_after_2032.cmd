verify ../../agreements/microsoft-openai-2025-10-28.pact --always 'microsoft use_ip' --where 'resource.ip_kind == model and date > 2032-12-31'
