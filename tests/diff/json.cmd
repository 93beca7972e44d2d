diff a.pact b.pact --format json
