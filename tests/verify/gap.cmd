verify gap.pact
