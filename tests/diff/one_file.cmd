diff a.pact
