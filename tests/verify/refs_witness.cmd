verify refs.pact --can 'buyer resell'
