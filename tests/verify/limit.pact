# 18 bools make 262,144 attribute combinations, more than the limit of 250,000 per principal
# and action: the report says the exploration is incomplete and exits 1, though it finds nothing.
agreement "verify-limit" { version "1" effective 2026-01-01 }
party relay
source contract official "contract.txt"

action resell_service by relay {
  context b0: bool = false
  context b1: bool = false
  context b2: bool = false
  context b3: bool = false
  context b4: bool = false
  context b5: bool = false
  context b6: bool = false
  context b7: bool = false
  context b8: bool = false
  context b9: bool = false
  context b10: bool = false
  context b11: bool = false
  context b12: bool = false
  context b13: bool = false
  context b14: bool = false
  context b15: bool = false
  context b16: bool = false
  context b17: bool = false
}

permission all_set {
  principal relay
  action resell_service
  when context.b0 and context.b17
  quote contract "Relay may resell when every box is ticked."
}
