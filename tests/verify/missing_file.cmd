verify no-such-file.pact
