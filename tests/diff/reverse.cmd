diff b.pact a.pact --requests requests.jsonl --date 2026-01-01
