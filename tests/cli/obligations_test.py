#!/usr/bin/env python3
"""obligations_test: `pactum obligations`, the "obligations" member of `status --format json`, and
the same over a store, run against the real binary.

usage: obligations_test.py PACTUM

Every expected state, day and amount below is worked out by hand from the rules of
docs/language.md ("Obligations as first-class") in the comment beside it, never copied from
the program's output.
"""
import json
import os

from clilib import TMP, check, finish, run

SOURCE = "Relay shall pay each Nimbus invoice within 30 days of its date.\nRelay shall report monthly.\n"

PACT = """agreement "obl-cli" { version "1" effective 2026-01-01 }
source contract official "contract.txt"
party nimbus
party relay
event invoice { number: integer  amount: money }
event invoice_paid { number: integer  amount: money }
event invoice_withdrawn { number: integer }
event termination { }
event monthly_report { month: integer }

obligation invoice_payment {
  owed_by relay
  owed_to nimbus
  what "Pay each invoice within 30 days of its date"
  on invoice
  due 30 days after trigger
  amount event.amount
  fulfilled by invoice_paid where event.number == trigger.number counting amount
  discharged by termination
  quote contract "Relay shall pay each Nimbus invoice within 30 days of its date."
}

obligation monthly_reporting {
  owed_by relay
  owed_to nimbus
  what "A monthly report"
  every month from effective until 2026-06-30
  due 5 business days after trigger
  fulfilled by monthly_report where event.month == trigger.seq
  quote contract "Relay shall report monthly."
}
"""

EVENTS = [
    # Invoice 1: $1,000 dated 2026-01-10, due 2026-01-10 + 30 days = 2026-02-09.
    {"type": "invoice", "date": "2026-01-10", "number": 1, "amount": 1000},
    # Invoice 2: $500 dated 2026-01-20, due 2026-02-19.
    {"type": "invoice", "date": "2026-01-20", "number": 2, "amount": 500},
    # Invoice 1 paid in two parts: $400, then $600 on 2026-02-05 (on time).
    {"type": "invoice_paid", "date": "2026-01-25", "number": 1, "amount": 400},
    # January's report: January closes on 01-31 (a Saturday); 5 business days: Mon 02-02 ..
    # Fri 02-06, so due 2026-02-06. Sent 02-03: on time.
    {"type": "monthly_report", "date": "2026-02-03", "month": 1},
    {"type": "invoice_paid", "date": "2026-02-05", "number": 1, "amount": 600},
    # Invoice 2 paid late, in full, on 2026-02-24.
    {"type": "invoice_paid", "date": "2026-02-24", "number": 2, "amount": 500},
    # Invoice 3: $200 dated 2026-03-02, due 2026-04-01; the agreement ends on 2026-03-20.
    {"type": "invoice", "date": "2026-03-02", "number": 3, "amount": 200},
    {"type": "termination", "date": "2026-03-20"},
]


def write(name, text):
    with open(os.path.join(TMP, name), "w") as f:
        f.write(text)


write("contract.txt", SOURCE)
write("obl.pact", PACT)
write("events.jsonl", "".join(json.dumps(e) + "\n" for e in EVENTS))

r = run("check", "obl.pact")
check("the agreement checks", r.rc == 0, r)


def report(date, *extra):
    r = run("obligations", "--agreement", "obl.pact", "--date", date, "--format", "json", *extra)
    if not check(f"obligations on {date} {extra} answers", r.rc == 0, r):
        return {}
    doc = json.loads(r.out)
    return {(o["id"], o["instance"]): o for o in doc["obligations"]}


def inst(doc, oid, n):
    return doc.get((oid, n), {})


EV = ("--events", "events.jsonl")

# On the due day of invoice 1 (2026-02-09): paid $400 + $600 on 02-05, fulfilled on time.
d = report("2026-02-09", *EV)
i1 = inst(d, "invoice_payment", 1)
check("invoice 1 is fulfilled on time on 02-05", i1.get("state") == "fulfilled" and i1.get("on_time") is True
      and i1.get("fulfilled_on") == "2026-02-05" and i1.get("due") == "2026-02-09"
      and i1.get("owed") == 1000 and i1.get("paid") == 1000, i1)
# Invoice 2 is unpaid and due on 02-19: active.
i2 = inst(d, "invoice_payment", 2)
check("invoice 2 is active before its due day", i2.get("state") == "active" and i2.get("due") == "2026-02-19"
      and i2.get("paid") == 0 and i2.get("trigger_seq") == 2, i2)

# Between the two payments of invoice 1 (2026-01-30): $400 of $1,000, active.
d = report("2026-01-30", *EV)
i1 = inst(d, "invoice_payment", 1)
check("a partial payment leaves invoice 1 active", i1.get("state") == "active" and i1.get("paid") == 400, i1)

# The day after invoice 2's due day (2026-02-20): violated; on 02-24, paid late.
d = report("2026-02-20", *EV)
check("invoice 2 is violated the day after its due day", inst(d, "invoice_payment", 2).get("state") == "violated",
      inst(d, "invoice_payment", 2))
d = report("2026-02-24", *EV)
i2 = inst(d, "invoice_payment", 2)
check("invoice 2 paid late is fulfilled, not on time", i2.get("state") == "fulfilled" and i2.get("on_time") is False,
      i2)

# Termination on 2026-03-20 discharges invoice 3 (due 04-01, open then).
d = report("2026-03-19", *EV)
check("invoice 3 is active before the termination", inst(d, "invoice_payment", 3).get("state") == "active",
      inst(d, "invoice_payment", 3))
d = report("2026-03-20", *EV)
i3 = inst(d, "invoice_payment", 3)
check("the termination discharges invoice 3", i3.get("state") == "discharged"
      and i3.get("discharged_on") == "2026-03-20", i3)

# Monthly reports: on 2026-02-09, January (due 02-06) is fulfilled; February (closes 02-28) is
# pending; nothing else is listed yet.
m1 = inst(d, "monthly_reporting", 1)
d = report("2026-02-09", *EV)
m1, m2 = inst(d, "monthly_reporting", 1), inst(d, "monthly_reporting", 2)
check("January's report is fulfilled on time", m1.get("state") == "fulfilled" and m1.get("due") == "2026-02-06"
      and m1.get("owed") is None and m1.get("paid") is None, m1)
check("February's report is pending", m2.get("state") == "pending" and m2.get("trigger") == "2026-02-28", m2)
check("no third month yet", inst(d, "monthly_reporting", 3) == {}, sorted(d))
# February closes on Sat 02-28: 5 business days are Mon 03-02 .. Fri 03-06. On 03-07 it is violated.
d = report("2026-03-06", *EV)
check("February's report is due 03-06 and active that day",
      inst(d, "monthly_reporting", 2).get("due") == "2026-03-06"
      and inst(d, "monthly_reporting", 2).get("state") == "active", inst(d, "monthly_reporting", 2))
d = report("2026-03-07", *EV)
check("February's report is violated on 03-07", inst(d, "monthly_reporting", 2).get("state") == "violated",
      inst(d, "monthly_reporting", 2))
# Six months, January to June 2026 (until 2026-06-30): six instances on any later day.
d = report("2027-01-01", *EV)
check("six monthly instances in all", sorted(n for (i, n) in d if i == "monthly_reporting") == [1, 2, 3, 4, 5, 6],
      sorted(d))

# The same through `status --format json`: the fixed names.
r = run("status", "--agreement", "obl.pact", "--date", "2026-02-20", "--format", "json", *EV)
ok = check("status answers", r.rc == 0, r)
if ok:
    s = json.loads(r.out)
    obl = s.get("obligations")
    check("status has an obligations array", isinstance(obl, list) and len(obl) == 4, obl)
    if isinstance(obl, list) and obl:
        check("each status obligation has the fixed names",
              all({"id", "instance", "state", "due", "owed", "paid"} <= set(o) for o in obl), obl)
        v = [o for o in obl if o["id"] == "invoice_payment" and o["instance"] == 2]
        check("status shows invoice 2 violated on 02-20", v and v[0]["state"] == "violated"
              and v[0]["owed"] == 500 and v[0]["paid"] == 0, v)

# Text: one line per instance with its days and amounts.
r = run("obligations", "--agreement", "obl.pact", "--date", "2026-02-20", *EV)
check("the text report lists invoice 2 as violated",
      r.rc == 0 and "#2    triggered 2026-01-20  due 2026-02-19  owed $500  paid $0  violated" in r.out, r)

# The same record in a store.
r = run("init", "--db", "obl.db", "--agreement", "obl.pact")
check("init", r.rc == 0, r)
r = run("event", "add", "--db", "obl.db", "--agreement", "obl.pact",
        stdin="".join(json.dumps(e) + "\n" for e in EVENTS))
check("event add", r.rc == 0, r)
d = report("2026-02-20", "--db", "obl.db")
check("from the store, invoice 2 is violated on 02-20 and invoice 1 fulfilled",
      inst(d, "invoice_payment", 2).get("state") == "violated"
      and inst(d, "invoice_payment", 1).get("state") == "fulfilled", sorted(d))

# Bad input: exit 2 with a message.
r = run("obligations", "--agreement", "obl.pact", "--date", "2026-02-30")
check("a date that is not real is exit 2", r.rc == 2 and "error" in r.err, r)
r = run("obligations", "--agreement", "obl.pact", "--format", "yaml")
check("an unknown format is exit 2", r.rc == 2 and "unknown format 'yaml'" in r.err, r)

# An agreement without first-class obligations: none listed, and status has an empty array.
r = run("obligations", "--date", "2026-01-01")
check("the shipped agreement has no first-class obligations",
      r.rc == 0 and "(no obligations)" in r.out and "0 instances" in r.out, r)
r = run("status", "--date", "2026-01-01", "--format", "json")
check("status of the shipped agreement has \"obligations\":[]", r.rc == 0 and json.loads(r.out)["obligations"] == [], r)

# The report's limit: a monthly obligation from 0001-01-01 has 9999 * 12 = 119,988 periods
# through 9999-12-31; a report lists 100,000 and says that 19,988 are not listed.
write("many.pact", """agreement "many" { version "1" effective 0001-01-01 }
source contract official "contract.txt"
party nimbus
party relay
event monthly_report { month: integer }
obligation monthly_reporting {
  owed_by relay
  owed_to nimbus
  every month from effective
  due 5 days after trigger
  fulfilled by monthly_report
  quote contract "Relay shall report monthly."
}
""")
r = run("obligations", "--agreement", "many.pact", "--date", "9999-12-31", "--format", "json", timeout=60)
if check("the many-instance report answers", r.rc == 0, r.err[:500]):
    doc = json.loads(r.out)
    check("it lists 100,000 instances and counts 19,988 more", len(doc["obligations"]) == 100000
          and doc["omitted"] == 19988, (len(doc["obligations"]), doc.get("omitted")))
r = run("obligations", "--agreement", "many.pact", "--date", "9999-12-31", timeout=60)
check("the text report says how many are not listed",
      r.rc == 0 and "19988 more instances are not listed: a report lists at most 100000" in r.out, r.out[-300:])

finish()
