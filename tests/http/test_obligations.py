#!/usr/bin/env python3
"""GET /v1/obligations, and the "obligations" of GET /v1/status, on a server whose agreement has
first-class obligations, as events arrive over POST /v1/events.

    python3 tests/http/test_obligations.py PACTUM

An invoice of $900 dated 2026-05-04 is due 2026-05-04 + 14 days = 2026-05-18. It is paid $300 on
05-10 and $600 on 05-20: active (paid 300) on 05-18, violated on 05-19, fulfilled late on 05-20.
Each expected value is worked out from docs/language.md ("obligation: duties with deadlines").
"""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serverlib import *  # noqa: E402,F401,F403

with open(path("contract.txt"), "w") as f:
    f.write("The buyer pays each invoice within 14 days.\n")
with open(path("obl.pact"), "w") as f:
    f.write("""agreement "obl-http" { version "1" effective 2026-01-01 }
source contract official "contract.txt"
party buyer
party seller
event invoice { number: integer  amount: money }
event paid { number: integer  amount: money }
obligation pay {
  owed_by buyer
  owed_to seller
  on invoice
  due 14 days after trigger
  amount event.amount
  fulfilled by paid where event.number == trigger.number counting amount
  quote contract "The buyer pays each invoice within 14 days."
}
""")
TOK = {"buyer": "tok-buyer-1", "seller": "tok-seller-2"}
srv = Server("--agreement", path("obl.pact"), "--tokens", write_tokens(tokens=TOK), name="obligations")
auth = {"Authorization": "Bearer " + TOK["seller"]}


def instances(date):
    r = srv.get("/v1/obligations?date=" + date)
    if not check("GET /v1/obligations?date=%s is 200" % date, r.status == 200, r):
        return []
    return r.json()["obligations"]


check("no instance before any event", instances("2026-05-04") == [])
r = srv.post("/v1/events", {"type": "invoice", "date": "2026-05-04", "number": 11, "amount": 900}, headers=auth)
check("the invoice is recorded", r.status in (200, 201), r)
r = srv.post("/v1/events", {"type": "paid", "date": "2026-05-10", "number": 11, "amount": 300}, headers=auth)
check("the first payment is recorded", r.status in (200, 201), r)

v = instances("2026-05-18")
check("on its due day the invoice is active, $300 of $900 paid",
      len(v) == 1 and v[0]["state"] == "active" and v[0]["due"] == "2026-05-18" and v[0]["owed"] == 900
      and v[0]["paid"] == 300 and v[0]["instance"] == 1 and v[0]["id"] == "pay", v)
v = instances("2026-05-19")
check("the day after, it is violated", len(v) == 1 and v[0]["state"] == "violated", v)

r = srv.post("/v1/events", {"type": "paid", "date": "2026-05-20", "number": 11, "amount": 600}, headers=auth)
check("the second payment is recorded", r.status in (200, 201), r)
v = instances("2026-05-20")
check("the rest paid on 05-20 fulfils it, late",
      len(v) == 1 and v[0]["state"] == "fulfilled" and v[0]["on_time"] is False and v[0]["paid"] == 900
      and v[0]["fulfilled_on"] == "2026-05-20", v)
# Time travel: the same server, asked about the due day, still answers active.
v = instances("2026-05-18")
check("asked about 05-18 again, it is active", len(v) == 1 and v[0]["state"] == "active" and v[0]["paid"] == 300, v)

r = srv.get("/v1/status?date=2026-05-19")
s = r.json() if r.status == 200 else {}
check("status carries the same instance", r.status == 200 and [(o["id"], o["instance"], o["state"], o["owed"], o["paid"])
      for o in s.get("obligations", [])] == [("pay", 1, "violated", 900, 300)], r)

r = srv.get("/v1/obligations?date=2026-02-30")
check("a date that is not real is 400 bad_date", is_json_error(r, 400, "bad_date"), r)

finish()
