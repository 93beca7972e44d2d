# No finding: every request for the exhaustive action is governed, on every day and in every
# reachable state, each clause decides something, and no two exceptions disagree.
agreement "verify-clean" { version "1" effective 2026-01-01 }
party relay
source contract official "contract.txt"

state status: enum { active, terminated } = active
event termination { ground: string }
on termination {
  require status == active else "the agreement is already terminated"
  set status = terminated
}

action resell_service by relay exhaustive {
  context region: string
}

permission general_resale {
  principal relay
  action resell_service
  until status == terminated
  quote contract "Until this Agreement is terminated, Relay may resell the Services."
}

prohibition after_termination {
  principal relay
  action resell_service
  while status == terminated
  quote contract "After termination Relay shall not resell the Services."
}

prohibition polar_north_ban {
  principal relay
  action resell_service
  when context.region == "polar-north"
  exception to general_resale
  quote contract "Relay shall not resell the Services in polar-north."
}
