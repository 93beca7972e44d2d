#!/usr/bin/env python3
"""Tests of `pactum test`, the runner of agreement tests (X.test.jsonl beside X.pact).

    python3 tests/analysis/test_testrun.py PACTUM

Each check runs the real binary on test files written into a scratch directory beside a copy of
agreements/examples/cloud-reseller.pact. Expected outcomes come from the fictional contract
(agreements/examples/cloud-reseller.txt) as encoded and hand-checked in
agreements/examples/cloud-reseller.test.jsonl; the failing tests below state the wrong thing on
purpose, and the runner must say exactly what it expected and what it got. Clause lists and line
numbers are read from the .pact text by a regular expression, not from the program.
"""
import json
import os
import re
import shutil
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from analysislib import PACTUM, ROOT, TMP, check, finish, run  # noqa: E402

RESELLER = os.path.join(ROOT, "agreements", "examples", "cloud-reseller.pact")


def clauses_of(path):
    """(id, line) of every clause of a .pact file, in file order."""
    out = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            m = re.match(r"(permission|prohibition|obligation)\s+(\w+)\s*\{", line)
            if m:
                out.append((m.group(2), n))
    return out


def test_lines(path):
    with open(path) as f:
        return sum(1 for l in f if l.strip() and not l.lstrip().startswith("#"))


def workdir(name, tests, pact=True):
    d = os.path.join(TMP, name)
    os.makedirs(d, exist_ok=True)
    if pact:
        shutil.copy(RESELLER, os.path.join(d, "cloud-reseller.pact"))
    path = os.path.join(d, "cloud-reseller.test.jsonl")
    with open(path, "w") as f:
        f.write(tests)
    return d, path


def req(date, tier="standard", region="us-east", kind="commercial"):
    return {"principal": "relay", "action": "resell_service", "resource": {"tier": tier},
            "context": {"date": date, "region": region, "customer_kind": kind, "seats": 50, "deal_value": 200000}}


def line(obj):
    return json.dumps(obj) + "\n"


# ---- the shipped agreements carry their tests, all pass, and every clause is covered ---------
rc, out, err = run("test", os.path.join(ROOT, "agreements"))
shipped = [os.path.join(ROOT, "agreements", "examples", "cloud-reseller.test.jsonl"),
           os.path.join(ROOT, "agreements", "examples", "music-licence.test.jsonl"),
           os.path.join(ROOT, "agreements", "microsoft-openai-2025-10-28.test.jsonl")]
total = sum(test_lines(p) for p in shipped)
check("shipped: exit 0", rc == 0, out + err)
last = out.strip().splitlines()[-1] if out.strip() else ""
m = re.fullmatch(r"(\d+) passed, 0 failed", last)
check("shipped: every test of the shipped files runs and passes", m and int(m.group(1)) >= total, out)
for p in shipped:
    n = len(clauses_of(p.replace(".test.jsonl", ".pact")))
    check(f"shipped: {os.path.basename(p)} covers all {n} clauses",
          f"{p}: {test_lines(p)} passed, 0 failed\n  coverage: {n} of {n} clauses determined an outcome\n" in out, out)

# ---- a deliberately failing file: exact output ----------------------------------------------
# Truths (cloud-reseller.test.jsonl, from the contract): on 2026-01-01 a standard resale in
# us-east is allowed by general_resale alone; in polar-north to the public sector it is allowed by
# general_resale and public_sector_carveout, which overrides polar_north_ban.
tests = ("# a comment, then a blank line\n\n"
         + line({"name": "on_effective_date", "request": req("2026-01-01"),
                 "expect": {"decision": "allow", "determining": ["general_resale"]}})
         + line({"name": "flipped", "request": req("2026-01-01"),
                 "expect": {"decision": "deny", "determining": ["general_resale"]}})
         + line({"name": "carveout_missing", "request": req("2026-05-01", region="polar-north", kind="public_sector"),
                 "expect": {"decision": "allow", "determining": ["general_resale"], "overridden": []}})
         # payment_cured requires a pending suspension (3.2): refused with no payment missed.
         + line({"name": "cure_without_miss", "events": [{"type": "payment_cured", "date": "2026-02-01", "invoice": "A"}],
                 "request": req("2026-03-01"), "expect": {"decision": "allow"}})
         # A payment missed while active is accepted, so listing it as rejected fails.
         + line({"name": "miss_said_refused", "events": [{"type": "payment_missed", "date": "2026-02-01", "invoice": "A"}],
                 "rejected": [0], "request": req("2026-03-01"), "expect": {"decision": "deny"}}))
d, path = workdir("failing", tests)
rc, out, err = run("test", d)
names = clauses_of(os.path.join(d, "cloud-reseller.pact"))
never = " ".join(f"{c} ({n})".replace(" (", " (line ") for c, n in names
                 if c not in ("general_resale", "public_sector_carveout"))
want = (f'FAIL {path}:4: flipped: decision: expected "deny", got "allow" (determining ["general_resale"])\n'
        f'FAIL {path}:5: carveout_missing: determining: expected ["general_resale"], got '
        f'["general_resale","public_sector_carveout"]; overridden: expected [], got ["polar_north_ban"]\n'
        f'FAIL {path}:6: cure_without_miss: event 0 (payment_cured, 2026-02-01): expected "accepted", got '
        f'"event \'payment_cured\' rejected: no suspension is pending to cure [guard_failed]"\n'
        f'FAIL {path}:7: miss_said_refused: event 0 (payment_missed, 2026-02-01): expected "refused by the agreement", '
        f'got "accepted"\n'
        f"{path}: 1 passed, 4 failed\n"
        f"  coverage: 2 of {len(names)} clauses determined an outcome; never: {never}\n"
        f"1 passed, 4 failed\n")
check("failing: exit 1", rc == 1, out + err)
check("failing: exact output", out == want, "--- got\n" + out + "--- want\n" + want)
check("failing: nothing on stderr", err == "", err)

# ---- JSON: the same run as one object --------------------------------------------------------
rc, out, err = run("test", d, "--format", "json")
check("json: exit 1", rc == 1, out + err)
try:
    doc = json.loads(out)
except ValueError as e:
    doc = {}
    check("json: parses", False, f"{e}\n{out}")
f0 = (doc.get("files") or [{}])[0]
check("json: counts", (doc.get("passed"), doc.get("failed"), doc.get("errors")) == (1, 4, 0), out)
check("json: file and agreement", f0.get("file") == path and f0.get("agreement") == os.path.join(d, "cloud-reseller.pact"), f0)
fl = f0.get("failures") or [{}]
check("json: first failure", fl[0].get("line") == 4 and fl[0].get("name") == "flipped"
      and fl[0].get("mismatches") == [{"field": "decision", "expected": "deny", "got": "allow"}], fl)
check("json: coverage", f0.get("coverage", {}).get("determined") == 2
      and [x["clause"] for x in f0["coverage"]["never"]] == [c for c, _ in names if c not in ("general_resale", "public_sector_carveout")]
      and [x["line"] for x in f0["coverage"]["never"]] == [n for c, n in names if c not in ("general_resale", "public_sector_carveout")],
      f0.get("coverage"))

# ---- malformed lines: the line number, the rest still runs -----------------------------------
good = line({"name": "ok", "request": req("2026-01-01"), "expect": {"decision": "allow", "determining": ["general_resale"]}})
bad_lines = [
    ('{"name": "cut", "request": ', "malformed JSON at column"),
    (line({"name": "typo", "request": req("2026-01-01"), "expcet": {"decision": "allow"}}).strip(),
     "unknown member 'expcet' (a test has name, events, rejected, request, expect and status)"),
    (line({"name": "ok", "request": req("2026-01-01"), "expect": {"decision": "allow"}}).strip(), "duplicate test name 'ok'"),
    (line({"name": "ghost", "request": req("2026-01-01"), "expect": {"decision": "allow", "determining": ["no_such"]}}).strip(),
     "test 'ghost': 'expect.determining' names 'no_such', which is no clause of the agreement"),
    (line({"name": "maybe", "request": req("2026-01-01"), "expect": {"decision": "perhaps"}}).strip(),
     "test 'maybe': 'expect.decision' must be allow, deny, not_applicable or conflict"),
    (line({"name": "undated", "request": {"principal": "relay", "action": "resell_service"}, "expect": {"decision": "allow"}}).strip(),
     "test 'undated': the request is refused:"),
    (line({"name": "badidx", "events": [], "rejected": [0], "request": req("2026-01-01"), "expect": {"decision": "allow"}}).strip(),
     "test 'badidx': 'rejected' item 0 is not the index of one of its 0 events"),
]
d, path = workdir("malformed", good + "".join(b + "\n" for b, _ in bad_lines))
rc, out, err = run("test", d)
check("malformed: exit 2", rc == 2, out + err)
errs = err.splitlines()
for i, (_, msg) in enumerate(bad_lines):
    prefix = f"{path}:{i + 2}: error: {msg}"
    check(f"malformed: line {i + 2} reported", i < len(errs) and errs[i].startswith(prefix), err)
check("malformed: one error per bad line", len(errs) == len(bad_lines), err)
check("malformed: the good test still runs", out.endswith(f"1 passed, 0 failed, {len(bad_lines)} errors\n"), out)

# ---- a missing agreement ----------------------------------------------------------------------
d, path = workdir("orphan", good, pact=False)
rc, out, err = run("test", d)
check("orphan: exit 2", rc == 2, out + err)
check("orphan: message", err == f"{path}: error: no agreement '{os.path.join(d, 'cloud-reseller.pact')}' beside it\n", err)
check("orphan: summary", out.endswith("0 passed, 0 failed, 1 error\n"), out)

# ---- an agreement that does not load ----------------------------------------------------------
d, path = workdir("broken", good)
with open(os.path.join(d, "cloud-reseller.pact"), "a") as f:
    f.write("\npermission {\n")
rc, out, err = run("test", d)
check("broken agreement: exit 2 with the loader's diagnostic and the test file named", rc == 2
      and "cloud-reseller.pact:" in err and f"{path}: error: the agreement '{os.path.join(d, 'cloud-reseller.pact')}' does not load" in err,
      out + err)

# ---- naming: X.pact finds X.test.jsonl; a .pact without tests; untested agreements listed ------
d, path = workdir("naming", good)
rc, out, err = run("test", os.path.join(d, "cloud-reseller.pact"))
check("naming: X.pact runs X.test.jsonl", rc == 0 and out.startswith(f"{path}: 1 passed, 0 failed\n"), out + err)
shutil.copy(RESELLER, os.path.join(d, "other.pact"))
rc, out, err = run("test", os.path.join(d, "other.pact"))
check("naming: a .pact without tests is an error", rc == 2 and err ==
      f"pactum: error: '{os.path.join(d, 'other.pact')}' has no tests: '{os.path.join(d, 'other.test.jsonl')}' does not exist\n", err)
rc, out, err = run("test", d)
check("naming: a directory lists agreements without tests", rc == 0 and
      f"{os.path.join(d, 'other.pact')}: no tests (no '{os.path.join(d, 'other.test.jsonl')}')\n" in out, out + err)
os.makedirs(os.path.join(d, "sub", "deeper"))
shutil.copy(RESELLER, os.path.join(d, "sub", "deeper", "v2.pact"))
with open(os.path.join(d, "sub", "deeper", "v2.test.jsonl"), "w") as f:
    f.write(good)
rc, out, err = run("test", d)
check("naming: directories are searched below", rc == 0 and out.endswith("2 passed, 0 failed\n")
      and f"{os.path.join(d, 'sub', 'deeper', 'v2.test.jsonl')}: 1 passed" in out, out + err)

# ---- arguments ---------------------------------------------------------------------------------
rc, out, err = run("test")
check("no argument: exit 2", rc == 2 and "'test' needs a directory" in err, err)
empty = os.path.join(TMP, "empty")
os.makedirs(empty)
rc, out, err = run("test", empty)
check("no test files: exit 2", rc == 2 and err == f"pactum: error: no test files (*.test.jsonl) under '{empty}'\n", err)
rc, out, err = run("test", os.path.join(TMP, "nope"))
check("missing path: exit 2", rc == 2 and "cannot open" in err, err)
rc, out, err = run("test", RESELLER.replace(".pact", ".txt"))
check("other file: exit 2", rc == 2 and "is neither a directory" in err, err)
rc, out, err = run("test", "--help")
check("--help", rc == 0 and out.startswith("usage: pactum test"), out)
only_comments = os.path.join(TMP, "comments")
os.makedirs(only_comments)
shutil.copy(RESELLER, os.path.join(only_comments, "c.pact"))
with open(os.path.join(only_comments, "c.test.jsonl"), "w") as f:
    f.write("# nothing yet\n")
rc, out, err = run("test", only_comments)
check("a file with no tests is an error", rc == 2 and f"error: no tests in '{os.path.join(only_comments, 'c.test.jsonl')}'" in err, err)

finish()
