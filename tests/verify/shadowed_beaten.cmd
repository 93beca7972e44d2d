verify shadowed_beaten.pact
