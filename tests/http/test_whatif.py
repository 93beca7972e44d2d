#!/usr/bin/env python3
"""POST /v1/whatif against a real server: the baseline is the record the service holds, the answer
is the CLI's (`pactum whatif --db` on the same store gives the same JSON), and bad bodies get 400s
that name the problem.

    python3 tests/http/test_whatif.py PACTUM

Outcomes follow from the shipped agreement: azure_api_exclusivity denies serving the API from AWS
"until agi == verified"; a verdict needs a pending declaration; a second declaration needs none
pending (its guard).
"""
import json
import os
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serverlib import *  # noqa: E402,F401,F403
import serverlib as L  # noqa: E402

tokens = write_tokens()
srv = Server("--tokens", tokens, "--max-batch", "3", name="whatif")
r = srv.post("/v1/events", [purchase("2026-01-15", 100), declared("2027-01-10")], headers=bearer("openai"))
check("the baseline is recorded", r.status == 200, r)
DECL = r.json()["last"] if r.status == 200 else 0  # the declaration's seq, which a verdict names
VERDICT = f"panel_verdict {DECL} verified 2029-06-01"

AWS = {"principal": "openai", "action": "serve_api", "context": {"cloud": "aws"}}
body = {"add": [VERDICT], "requests": [AWS]}
r = srv.post("/v1/whatif", body)
check("200", r.status == 200 and (r.header("Content-Type") or "").startswith("application/json"), r)
doc = r.json() if r.status == 200 else {}
check("the baseline is the record's two events", doc.get("baseline_events") == 2, doc)
chs = doc.get("changes", [])
# Declared since 2027-01-10 in both worlds; verified from 2029-06-01 in the hypothetical one, so the
# exclusivity ends there and AWS goes from deny to not_applicable, for ever after. research_ip ends
# by its own `through 2030` in both worlds, so the stretch is cut on 2031-01-01; exclusive_model_ip
# ends by its own `through 2032` (it cannot outlast the model IP rights it qualifies), so the next
# is cut on 2033-01-01.
check("three stretches from the verdict on", [(c["from"], c["through"]) for c in chs] ==
      [("2029-06-01", "2030-12-31"), ("2031-01-01", "2032-12-31"), ("2033-01-01", None)], chs)
check("agi declared -> verified", chs and chs[0]["state"] == [{"name": "agi", "baseline": "declared", "whatif": "verified"}], chs)
check("AWS: deny -> not_applicable", chs and chs[0]["decisions"] == [
    {"request": AWS, "baseline": {"decision": "deny", "determining": ["azure_api_exclusivity"], "obligations": []},
     "whatif": {"decision": "not_applicable", "determining": [], "obligations": []}}], chs)

reqs = path("reqs.jsonl")
with open(reqs, "w") as f:
    f.write(json.dumps(AWS) + "\n")
p = subprocess.run([L.PACTUM, "whatif", "--db", srv.db, "--add", VERDICT, "--requests", reqs,
                    "--format", "json"], capture_output=True, text=True, timeout=60, cwd=L.TMP)
check("the CLI on the same store gives the same answer", p.returncode == 0 and json.loads(p.stdout or "null") == doc,
      p.stdout + p.stderr)

# Nothing was written: the record still holds two events.
check("nothing is written", len(pactum_events(srv.db)) == 2, pactum_events(srv.db))

# An event object works as well as the mini-syntax, and --date narrows to one day.
r = srv.post("/v1/whatif", {"add": [verdict("2029-06-01", "verified", DECL)], "date": "2029-05-31", "requests": [AWS]})
check("before the verdict nothing differs", r.status == 200 and r.json()["changes"] == [] and r.json()["date"] == "2029-05-31", r)

# Generated requests when none are given.
r = srv.post("/v1/whatif", {"add": [VERDICT], "date": "2029-07-01"})
# The shipped agreement's set has 47 requests (counted from its text in tests/analysis/test_whatif.py).
check("generated requests", r.status == 200 and r.json().get("generated_requests") is True and r.json()["requests"] == 47, r)
p = subprocess.run([L.PACTUM, "whatif", "--db", srv.db, "--add", VERDICT, "--date", "2029-07-01",
                    "--format", "json"], capture_output=True, text=True, timeout=60, cwd=L.TMP)
check("the CLI generates the same requests and answer", p.returncode == 0 and r.status == 200
      and json.loads(p.stdout or "null") == r.json(), p.stdout + p.stderr)

# The record moves on: the baseline follows the current snapshot. The verdict is the panel's: the
# vote of a quorum of its members (the third records it).
votes = panel_vote(srv, verdict("2027-04-01", "rejected", DECL))
r = votes[-1]
check("the panel's verdict is recorded by the third vote", [v.status for v in votes] == [202, 202, 200], votes)
if r.status == 200:
    r = srv.post("/v1/whatif", {"add": ["agi_declared openai 2029-01-15"], "requests": [AWS]})
    check("the baseline follows the record", r.status == 200 and r.json()["baseline_events"] == 3, r)
    # With the declaration rejected, the verdict of 2029 has nothing pending: refused by its guard.
    check("... and guards apply to it", is_json_error(srv.post("/v1/whatif", body), 400, "guard_failed",
                                                       "no AGI declaration is pending"))

# Refusals.
r = srv.post("/v1/whatif", {"add": ["agi_declared openai 2026-06-01"]})
check("an added event that makes a recorded one refused", is_json_error(r, 400, "guard_failed", "the baseline event seq 3 (agi_declared, 2027-01-10)"), r)
check("not an object", is_json_error(srv.post("/v1/whatif", [1]), 400, "wrong_type"))
check("no add", is_json_error(srv.post("/v1/whatif", {"date": "2029-01-01"}), 400, "missing_field", "'add'"))
check("empty add", is_json_error(srv.post("/v1/whatif", {"add": []}), 400, "missing_field"))
check("unknown member", is_json_error(srv.post("/v1/whatif", {"add": ["x 2029-01-01"], "dry": True}), 400, "unknown_field", "'dry'"))
check("bad date", is_json_error(srv.post("/v1/whatif", {"add": ["agi_declared o 2029-01-01"], "date": "2029-02-30"}), 400, "bad_date"))
check("bad mini-syntax", is_json_error(srv.post("/v1/whatif", {"add": ["panel_verdict 1 maybe 2029-01-01"]}), 400, "wrong_type",
                                       "added event 1: field 'verdict' of event 'panel_verdict' is one of verified, rejected; got 'maybe'"))
check("bad request", is_json_error(srv.post("/v1/whatif", {"add": ["agi_declared o 2029-01-01"], "requests": [{"principal": "openai", "action": "fly"}]}),
                                   400, "unknown_action", "request 1"))
check("malformed JSON", is_json_error(srv.post("/v1/whatif", "{\"add\": "), 400, "bad_json"))
check("over --max-batch", is_json_error(srv.post("/v1/whatif", {"add": ["agi_declared o 2029-01-01"] * 4}), 413, "batch_too_large"))
check("GET is 405", srv.get("/v1/whatif").status == 405)
check("the server is still healthy", srv.healthy())
srv.stop()

# With --read-token, reading needs it. On a new store the added events follow its settings record:
# the declaration gets seq 2, which the verdict names.
srv = Server("--read-token", write_read_token("sesame", "sesame.txt"), name="whatif-read")
body = {"add": ["agi_declared openai 2029-01-15", "panel_verdict 2 verified 2029-06-01"], "requests": [AWS]}
check("read token required", srv.post("/v1/whatif", body).status == 401)
r = srv.post("/v1/whatif", body, headers={"Authorization": "Bearer sesame"})
check("read token accepted", r.status == 200 and [e["seq"] for e in r.json()["added"]] == [2, 3], r)
srv.stop()
finish()
