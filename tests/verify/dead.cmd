verify dead.pact
