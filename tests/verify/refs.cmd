verify refs.pact
