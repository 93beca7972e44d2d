verify deadline.pact
