verify window.pact --equivalent clean.pact
