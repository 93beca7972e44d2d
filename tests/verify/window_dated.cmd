verify window_dated.pact
