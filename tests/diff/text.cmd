diff a.pact b.pact
