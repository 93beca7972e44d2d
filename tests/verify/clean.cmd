verify clean.pact
