verify ../../agreements/microsoft-openai-2025-10-28.pact --can 'openai serve_api' --where 'context.cloud =='
