diff a.pact nope.pact
