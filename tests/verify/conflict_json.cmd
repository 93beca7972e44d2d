verify conflict.pact --format json
