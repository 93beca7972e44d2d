# A version may supersede a version of another agreement (a renamed one), and versions need not
# be dates: only the form ID@VERSION is checked then.
agreement "reseller-v2" {
  supersedes "reseller@1.0"
  version "2.0"
  effective 2027-01-01
}
party solo
