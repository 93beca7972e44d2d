diff a.pact broken.pact
