verify shadowed.pact
