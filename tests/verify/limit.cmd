verify limit.pact
