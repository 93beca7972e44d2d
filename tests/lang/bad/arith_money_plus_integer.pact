agreement "t" { version "1" effective 2025-01-01 }
party a
source doc official "doc.txt"
action act by a { resource price: money }
permission p {
  principal a
  action act
  when resource.price + 5 > $10
  quote doc "The only text in this source document."
}
