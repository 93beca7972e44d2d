diff a.pact b.pact --requests requests.jsonl --date 2026-01-01
