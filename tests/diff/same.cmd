diff a.pact a.pact
