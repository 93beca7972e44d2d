#!/usr/bin/env python3
"""Time travel with --db: decide, explain and status read the events from the store and use only
those dated on or before the request's (or --date's) day.

    python3 tests/store/test_timetravel.py PACTUM

The expected outcomes follow from the shipped agreement: azure_api_exclusivity forbids serving the
API off Azure `until agi == verified`, and nothing else applies to AWS, so the request is denied
until the panel's verdict and not_applicable from the verdict's day on; research_ip and
revenue_share hold `until agi == verified` too. A rejected declaration puts `agi` back to none.
"""
import json
import os
import re
import sys

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from storelib import *  # noqa: E402,F401,F403
import storelib as L  # noqa: E402

L.need_sqlite3()

EVENTS = [
    purchase("2026-01-15", 1000),
    {"type": "agi_declared", "date": "2026-02-01", "by": "openai"},
    {"type": "panel_verdict", "date": "2026-03-01", "verdict": "rejected"},
    {"type": "agi_declared", "date": "2026-04-01", "by": "openai"},
    {"type": "panel_verdict", "date": "2026-05-01", "verdict": "verified"},
    purchase("2026-06-01", 500),
]


def named(events, first):
    """The events with each verdict naming the declaration before it; event i has seq first + i."""
    out, last = [], None
    for i, e in enumerate(events):
        if e["type"] == "agi_declared":
            last = first + i
        out.append({**e, "declaration": last} if e["type"] == "panel_verdict" else e)
    return out


db = fresh("tt.db")
check("init", run("init", "--db", db).rc == 0)
r = add(db, EVENTS[:1])
m = re.search(r"seq (\d+)\.\.", r.out)  # the store's seq of the first event; the rest follow it
first = int(m.group(1)) if m else 1
r2 = add(db, named(EVENTS, first)[1:])
check("6 events recorded", r.rc == 0 and r2.rc == 0, (r, r2))
ev_file = path("tt-events.jsonl")
with open(ev_file, "w") as f:
    f.write(jsonl(named(EVENTS, 1)))  # in a file, an event's seq is its line


def aws(date):
    return {"principal": "openai", "action": "serve_api", "context": {"cloud": "aws", "date": date}}


def research(date):
    return {"principal": "microsoft", "action": "use_ip", "resource": {"ip_kind": "research"},
            "context": {"date": date}}


def revenue(date):
    return {"principal": "microsoft", "action": "receive_revenue_share", "context": {"date": date}}


CASES = [
    (aws("2025-12-01"), "deny"),           # before any event
    (aws("2026-01-31"), "deny"),
    (aws("2026-02-15"), "deny"),           # declared, not verified
    (aws("2026-03-01"), "deny"),           # rejected that day: back to none
    (aws("2026-04-30"), "deny"),           # declared again
    (aws("2026-05-01"), "not_applicable"),  # verified that day: the exclusivity has ended
    (aws("2027-01-01"), "not_applicable"),
    (research("2026-04-30"), "allow"),
    (research("2026-05-01"), "not_applicable"),
    (revenue("2026-04-30"), "allow"),
    (revenue("2026-05-01"), "not_applicable"),
]
# One decide run, with the dates out of order: each request is decided as of its own date.
order = [5, 0, 10, 2, 6, 1, 8, 3, 9, 4, 7]
stream = jsonl([CASES[i][0] for i in order])
r = run("decide", "--db", db, stdin=stream)
outs = [json.loads(l) for l in r.out.splitlines() if l.strip()]
check("decide --db answers every request", r.rc == 0 and len(outs) == len(CASES), r)
for k, i in enumerate(order):
    rq, want = CASES[i]
    got = outs[k].get("decision") if k < len(outs) else None
    check("decide --db: %s %s on %s -> %s" % (rq["principal"], rq["action"], rq["context"]["date"], want),
          got == want, "got %s" % got)
denials = [o for o in outs if o.get("decision") == "deny"]
check("every denial is determined by azure_api_exclusivity",
      len(denials) == 5 and all([d["clause"] for d in o["determining"]] == ["azure_api_exclusivity"] for o in denials))
r2 = run("decide", "--events", ev_file, stdin=stream)
check("decide --db and decide --events on the same events print the same decisions", r2.out == r.out, r2)

# --date supplies the day of a request that gives none.
for date, want in (("2026-04-30", "deny"), ("2026-05-01", "not_applicable")):
    r = run("decide", "--db", db, "--date", date, "--request", '{"principal":"openai","action":"serve_api",'
            '"context":{"cloud":"aws"}}')
    check("decide --db --date %s (request without a date) -> %s" % (date, want),
          r.rc == 0 and json.loads(r.out)["decision"] == want, r)

# explain shows the state it decided in.
for date, agi in (("2026-02-15", "declared"), ("2026-03-15", "none"), ("2026-05-01", "verified")):
    r = run("explain", "--db", db, "--format", "json", "--request", json.dumps(aws(date)))
    try:
        state = json.loads(r.out)["state"]["agi"]
    except (ValueError, KeyError):
        state = None
    check("explain --db on %s shows agi = %s" % (date, agi), state == agi, r)

# status as of a day: the state, the number of events and the fulfilled amount.
for date, agi, n, fulfilled in (("2026-01-14", "none", 0, 0), ("2026-01-15", "none", 1, 1000),
                                ("2026-02-15", "declared", 2, 1000), ("2026-03-01", "none", 3, 1000),
                                ("2026-04-30", "declared", 4, 1000), ("2026-05-01", "verified", 5, 1000),
                                ("2026-06-01", "verified", 6, 1500), ("2030-01-01", "verified", 6, 1500)):
    r = run("status", "--db", db, "--date", date, "--format", "json")
    try:
        st = json.loads(r.out)
        got = (st["state"]["agi"], st["events"], st["commitments"][0]["fulfilled"])
    except (ValueError, KeyError, IndexError):
        got = None
    check("status --db --date %s: agi %s, %d events, fulfilled %d" % (date, agi, n, fulfilled),
          got == (agi, n, fulfilled), r)
    r = run("status", "--db", db, "--date", date)
    check("status --db --date %s (text) runs" % date, r.rc == 0 and sane(r), r)

# Appending later events does not change a decision as of an earlier day.
before = run("decide", "--db", db, stdin=jsonl([aws("2026-06-15")])).out
r = add(db, [{"type": "azure_purchase", "date": "2026-07-01", "amount_usd": 5}])
after = run("decide", "--db", db, stdin=jsonl([aws("2026-06-15")])).out
check("a later event leaves decisions as of an earlier day unchanged", r.rc == 0 and before == after and before)
r = run("status", "--db", db, "--date", "2026-06-30", "--format", "json")
check("status before the new event's day does not count it", json.loads(r.out)["events"] == 6, r)

r = run("decide", "--db", db, "--events", ev_file, "--request", json.dumps(aws("2026-02-15")))
check("decide with both --db and --events is refused (exit 2)", r.rc == 2 and "--db" in r.err, r)

finish()
