verify ../../agreements/microsoft-openai-2025-10-28.pact --where 'agi == none'
