agreement t {
  version "1"
}
