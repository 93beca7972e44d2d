verify conflict.pact
