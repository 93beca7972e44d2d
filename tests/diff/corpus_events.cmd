diff a.pact b.pact --requests requests.jsonl --events events.jsonl --date 2030-01-01
