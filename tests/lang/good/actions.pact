# Actions: no attribute block, an empty block, and every attribute type with and without a default.
agreement "actions" { version "2" effective 2025-01-01 }
party buyer
party seller
source doc official "doc.txt"

action ping by buyer
action noop by buyer, seller {}
action order by buyer, seller {
  resource paid: bool
  resource rush: bool = true
  resource label: string
  resource note: string = "none"
  resource qty: integer
  resource max_qty: integer = 1_000
  resource price: money
  resource cap: money = $5_000
  resource ship: date
  resource not_before: date = 2025-06-01
  resource size: enum { small, medium, large }
  resource colour: enum { red, green } = green
  context channel: enum { web, phone } = "web"
}

permission order_ok {
  principal buyer
  action order
  when resource.paid and resource.rush == true and resource.label != resource.note
       and resource.qty <= resource.max_qty and resource.price < resource.cap
       and resource.ship >= resource.not_before and resource.size in [small, "medium"]
       and resource.colour == green and context.channel == "phone"
  quote doc "Orders may be placed."
}
