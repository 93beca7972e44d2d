# A comment before the header.
#no space after the hash
agreement "comments" { # after a brace
  version "1" # after a string
  # a whole line inside the header
  effective 2025-01-01 #after a date
} #
party a # "not a string"
source doc official "doc.txt" # "a string inside a comment"
action act by a { # }
  context n: integer = 0 # } still a comment
}
permission p {
  principal a # principal
  action act
  when context.n > 0 # and context.n < 0
  quote doc "text with # inside" # trailing
}
# The file ends with a comment and no newline.