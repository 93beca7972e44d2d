diff a.pact c.pact
