diff a.pact b.pact --events events.jsonl
