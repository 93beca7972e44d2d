verify window.pact
