verify limit.pact --never 'relay resell_service' --where 'context.b0 and not context.b0 or context.b1 and not context.b1'
