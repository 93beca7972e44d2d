diff a.pact b.pact --requests empty.jsonl
