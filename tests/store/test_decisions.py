#!/usr/bin/env python3
"""The decision log: `decide --db X --log-decisions` appends each decision (request, date,
outcome, determining clauses, agreement id, version and hash, the events head it was decided on,
and the wall-clock time) to a second hash chain of the store and prints its decision_id; `pactum decisions` exports the log; `audit verify` checks
that chain too, so tampering with the decisions table is found.

    python3 tests/store/test_decisions.py PACTUM

The decisions chain is defined like the events chain (docs/store.md): record 1's prev_hash is
the agreement hash. It is recomputed here with hashlib.
"""
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from storelib import *  # noqa: E402,F401,F403
import storelib as L  # noqa: E402

L.need_sqlite3()
AGR = {"id": "microsoft-openai", "version": "2025-10-28", "hash": agreement_hash(MSFT).hex()}

db = fresh("dec.db")
check("init", run("init", "--db", db).rc == 0)
r = add(db, [{"type": "agi_declared", "date": "2026-02-01", "by": "openai"}])
m = re.search(r"seq (\d+)\.\.", r.out)  # the verdict names the declaration by the seq it got
add(db, [{"type": "panel_verdict", "date": "2026-03-01", "declaration": int(m.group(1)) if m else 0, "verdict": "verified"}])

REQUESTS = [
    {"principal": "openai", "action": "serve_api", "context": {"cloud": "aws", "date": "2026-02-15"}},
    {"id": "r2", "principal": "openai", "action": "serve_api", "context": {"cloud": "aws", "date": "2026-03-01"}},
    {"principal": "microsoft", "action": "use_ip", "resource": {"ip_kind": "research"},
     "context": {"date": "2026-01-01"}},
]
WANT = [("deny", ["azure_api_exclusivity"]), ("not_applicable", []), ("allow", ["research_ip"])]

r = run("decide", "--db", db, "--log-decisions", stdin=jsonl(REQUESTS))
outs = [json.loads(l) for l in r.out.splitlines() if l.strip()]
check("decide --log-decisions on 3 requests", r.rc == 0 and len(outs) == 3, r)
check("the outputs carry decision_id 1, 2, 3", [o.get("decision_id") for o in outs] == [1, 2, 3], r)
check("a request's own id is echoed beside its decision_id", outs[1].get("id") == "r2" if len(outs) > 1 else False)
plain = [json.loads(l) for l in run("decide", "--db", db, stdin=jsonl(REQUESTS)).out.splitlines()]
check("apart from decision_id, the decisions are those of decide without the log",
      [{k: v for k, v in o.items() if k != "decision_id"} for o in outs] == plain)

r = run("decisions", "--db", db)
log = [json.loads(l) for l in r.out.splitlines() if l.strip()]
check("pactum decisions lists 3 records with ids 1..3", r.rc == 0 and [d.get("id") for d in log] == [1, 2, 3], r)
HEAD = {"seq": 3, "hash": rows(db)[-1][3]}  # store_created, the declaration and the verdict
for i, (d, rq, (dec, det)) in enumerate(zip(log, REQUESTS, WANT), 1):
    check("decision %d: its request, date, outcome, determining clauses and agreement" % i,
          d.get("request") == rq and d.get("date") == rq["context"]["date"] and d.get("decision") == dec
          and d.get("determining") == det and d.get("agreement") == AGR, d)
    check("decision %d: the events head it was decided on (seq 3 and its hash), and when (UTC, ms)" % i,
          d.get("events") == HEAD and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", d.get("time", ""))
          and set(d) == {"id", "request", "date", "decision", "determining", "agreement", "events", "time"}, d)
stored = rows(db, "decisions")
check("each stored decision is canonical JSON; the export adds its id first",
      [canon(dict(d)) for d in log] == [canon(dict(json.loads(s[1]), id=s[0])) for s in stored]
      and all(s[1] == canon(json.loads(s[1])) for s in stored))

r = run("decisions", "--db", db, "--since", "1")
check("decisions --since 1 lists 2 and 3", [json.loads(l)["id"] for l in r.out.splitlines()] == [2, 3], r)
r = run("decisions", "--db", db, "--format", "text")
lines = r.out.splitlines()
check("decisions --format text: one line per decision",
      r.rc == 0 and len(lines) == 3 and re.match(r"^\s*1\s+2026-02-15\s+openai serve_api -> deny \(azure_api_exclusivity\)$",
                                                 lines[0]) is not None, r)
r = run("decisions", "--db", db, "--since", "x")
check("decisions --since x is refused (exit 2)", r.rc == 2, r)

# The chain of decisions, recomputed.
r = run("audit", "verify", "--db", db)
iok, _, head = verify_independently(db, "decisions")
check("audit verify covers the decisions chain: 3 records, the recomputed head",
      r.rc == 0 and iok and re.search(r"^decisions: ok: 3 records, \d+ bytes; head 3 %s$" % head, r.out, re.M), r)
check("the decisions chain starts from the agreement hash", stored[0][2] == AGR["hash"])

r = run("decide", "--db", db, "--log-decisions", stdin=jsonl(REQUESTS[:2]))
check("a second run continues with decision_id 4, 5",
      [json.loads(l).get("decision_id") for l in r.out.splitlines()] == [4, 5], r)
r = run("decide", "--db", db, "--log-decisions", stdin=jsonl([REQUESTS[0]]) + "not json\n" + jsonl([REQUESTS[2]]))
got = [json.loads(l) for l in r.out.splitlines()]
check("a request that cannot be decided gets an error and no decision_id; the next gets 6, then 7",
      [g.get("decision_id") for g in got] == [6, None, 7] and "error" in got[1], r)
r = run("decide", "--log-decisions", "--request", json.dumps(REQUESTS[0]))
check("--log-decisions without --db is refused (exit 2)", r.rc == 2, r)
check("the events chain is unchanged by logging decisions", count(db) == 3)

# ---- Tampering with the decisions table ------------------------------------------------------------
def clone(name):
    dst = fresh(name)
    sql(db, ".backup %s" % q(dst))
    return dst


def tampered(name, statements, seq):
    t = clone(re.sub(r"[^a-z0-9]+", "-", name.lower()) + ".db")
    sql(t, *statements)
    r = run("audit", "verify", "--db", t)
    m = re.search(r"^decisions: FAILED at seq (\d+):", r.out, re.M)
    check("%s: audit verify exits 1 and reports decisions seq %d" % (name, seq),
          r.rc == 1 and m and int(m.group(1)) == seq and "events: ok" in r.out, r)
    iok, bad, _ = verify_independently(t, "decisions")
    check("%s: the independent verifier agrees" % name, not iok and bad == seq)


tampered("decision 2's outcome changed", ["UPDATE decisions SET json = replace(json, 'not_applicable', 'allow') "
                                          "WHERE seq = 2;"], 2)
tampered("decision 1 deleted", ["DELETE FROM decisions WHERE seq = 1;"], 1)
tampered("decision 4's hash zeroed", ["UPDATE decisions SET hash = '%s' WHERE seq = 4;" % ("0" * 64)], 4)
tampered("decisions 2 and 3 swapped", ["UPDATE decisions SET seq = 100 WHERE seq = 2;",
                                       "UPDATE decisions SET seq = 2 WHERE seq = 3;",
                                       "UPDATE decisions SET seq = 3 WHERE seq = 100;"], 2)
t = clone("decision-forged.db")
text = canon({"agreement": AGR, "date": "2026-01-01", "decision": "allow", "determining": ["research_ip"],
              "request": REQUESTS[0]})
sql(t, "INSERT INTO decisions(seq, json, prev_hash, hash) VALUES(8, %s, %s, %s);"
    % (q(text), q(stored[0][3]), q("ab" * 32)))
r = run("audit", "verify", "--db", t)
check("a forged decision appended with a wrong hash: decisions FAILED at seq 8",
      r.rc == 1 and "decisions: FAILED at seq 8" in r.out, r)

# ---- Two deciders logging at once --------------------------------------------------------------
many = jsonl([dict(REQUESTS[i % 3], id=i) for i in range(60)])
c = fresh("dec-concurrent.db")
run("init", "--db", c)
many_file = path("many.jsonl")
with open(many_file, "w") as f:
    f.write(many)
ps = [subprocess.Popen([PACTUM, "decide", "--db", c, "--log-decisions"], stdin=open(many_file),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
ids = []
for p in ps:
    out, err = p.communicate(timeout=90)
    ids += [json.loads(l)["decision_id"] for l in out.splitlines() if l.strip()]
check("three deciders logging at once: ids 1..180, none twice", sorted(ids) == list(range(1, 181)), ids[:20])
r = run("audit", "verify", "--db", c)
check("and the decisions chain verifies", r.rc == 0 and "decisions: ok: 180 records" in r.out, r)

# ---- An acknowledged decision_id is durable -----------------------------------------------------------
# With --unbuffered each decision is written out as soon as it is made, so a caller can act on its
# decision_id at once. That id must be in the log: a crash must not lose it, nor hand it out again
# for another decision. (docs/cli.md says the log is committed in transactions of up to 1,024
# decisions, the last when the input ends; this test holds that decide must not print a
# decision_id, with --unbuffered, before the decision is committed.)
d = fresh("dec-durable.db")
run("init", "--db", d)
p = subprocess.Popen([PACTUM, "decide", "--db", d, "--log-decisions", "--unbuffered"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
p.stdin.write(jsonl([REQUESTS[0]]))
p.stdin.flush()
first = json.loads(p.stdout.readline())
p.kill()
p.wait()
logged = [json.loads(l) for l in run("decisions", "--db", d).out.splitlines() if l.strip()]
check("a decision_id printed by decide --unbuffered survives kill -9 of the decider",
      first.get("decision_id") == 1 and [x["id"] for x in logged] == [1],
      "printed %s; the log holds %s" % (first.get("decision_id"), [x["id"] for x in logged]))
r = run("decide", "--db", d, "--log-decisions", "--request", json.dumps(REQUESTS[2]))
check("a decision_id is never handed out twice (the next decision after the crash is not 1)",
      r.rc == 0 and json.loads(r.out).get("decision_id") != 1, r)

finish()
