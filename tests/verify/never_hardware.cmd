verify ../../agreements/microsoft-openai-2025-10-28.pact --never 'microsoft use_ip' --where 'resource.ip_kind == consumer_hardware'
