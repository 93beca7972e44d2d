#!/usr/bin/env python3
"""Tests of `pactum whatif`: hypothetical events against a baseline.

    python3 tests/analysis/test_whatif.py PACTUM

Every check runs the real binary. Expected differences are derived from the agreements' text: the
clauses that end "until agi == verified" (and their `through` years) are read from
agreements/microsoft-openai-2025-10-28.pact by a small reader below; the cloud reseller's
`while status == active` and `while status == suspended` clauses from cloud-reseller.pact; the
outcomes follow from those windows as reasoned beside each check.
"""
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from analysislib import PACTUM, ROOT, TMP, check, finish, run  # noqa: E402

MSFT = os.path.join(ROOT, "agreements", "microsoft-openai-2025-10-28.pact")
RESELLER = os.path.join(ROOT, "agreements", "examples", "cloud-reseller.pact")


def tmpfile(name, text):
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def clauses(path):
    """Each clause of a .pact file: id -> its lines (the block up to its closing brace)."""
    out, cur = {}, None
    with open(path) as f:
        for line in f:
            m = re.match(r"(permission|prohibition|obligation)\s+(\w+)\s*\{", line)
            if m:
                cur = m.group(2)
                out[cur] = []
            elif cur and line.startswith("}"):
                cur = None
            elif cur:
                out[cur].append(line.strip())
    return out


def ends_on_agi(path, year):
    """Clauses, in file order, that end when AGI is verified and are still within their `through` year."""
    ids = []
    for cid, lines in clauses(path).items():
        if "until agi == verified" not in lines:
            continue
        through = [int(l.split()[1][:4]) for l in lines if l.startswith("through ")]
        if not through or through[0] >= year:
            ids.append(cid)
    return ids


def jrun(*args):
    rc, out, err = run(*args, "--format", "json")
    try:
        return rc, json.loads(out), err
    except ValueError:
        return rc, None, out + err


# Added events get the seqs after the baseline's last, in the order given: with no baseline the
# declaration is seq 1, and the verdict names it.
AGI = ["--add", "agi_declared openai 2029-01-15", "--add", "panel_verdict 1 verified 2029-06-01"]
aws = {"principal": "openai", "action": "serve_api", "context": {"cloud": "aws"}}
research = {"principal": "microsoft", "action": "use_ip", "resource": {"ip_kind": "research"},
            "context": {"date": "2030-06-01"}}
REQS = tmpfile("reqs.jsonl", json.dumps(aws) + "\n\n" + json.dumps(research) + "\n")

# ---- the issue's example on one day: AGI verified in 2029, seen on 2029-07-01 --------------------
# agi_declared then panel_verdict verified: agi goes none -> declared -> verified. On 2029-07-01 every
# clause written "until agi == verified" (and not past its `through`) stops being in effect. Serving
# the API from AWS was denied by azure_api_exclusivity (its `when context.cloud != "azure"`); with the
# exclusivity ended, no clause governs it: not_applicable.
rc, doc, err = jrun("whatif", *AGI, "--date", "2029-07-01", "--requests", REQS)
check("one day: exit 0", rc == 0, err)
doc = doc or {}
want_clauses = [{"clause": c, "baseline": True, "whatif": False} for c in ends_on_agi(MSFT, 2029)]
ch = doc.get("changes") or [{}]
check("one day: a single change on that day", len(doc.get("changes", [])) == 1
      and ch[0].get("from") == "2029-07-01" and ch[0].get("through") == "2029-07-01", doc)
check("one day: state agi none -> verified, declaration none (null) -> seq 1",
      ch[0].get("state") == [{"name": "agi", "baseline": "none", "whatif": "verified"},
                             {"name": "declaration", "baseline": None, "whatif": 1}], ch[0])
check("one day: the clauses that end on verification", ch[0].get("clauses") == want_clauses,
      f"{ch[0].get('clauses')}\nwant {want_clauses}")
check("one day: no commitment changes", ch[0].get("commitments") == [], ch[0])
# research is dated 2030-06-01 and decided on its own date: research_ip (until agi == verified,
# through 2030) allowed it; after verification nothing governs research IP.
check("one day: decisions", ch[0].get("decisions") == [
    {"request": aws, "baseline": {"decision": "deny", "determining": ["azure_api_exclusivity"], "obligations": []},
     "whatif": {"decision": "not_applicable", "determining": [], "obligations": []}},
    {"request": research, "baseline": {"decision": "allow", "determining": ["research_ip"], "obligations": []},
     "whatif": {"decision": "not_applicable", "determining": [], "obligations": []}}], ch[0].get("decisions"))
check("one day: header", doc.get("agreement") == {"id": "microsoft-openai", "version": "2025-10-28"}
      and doc.get("baseline_events") == 0 and doc.get("requests") == 2 and doc.get("date") == "2029-07-01"
      and doc.get("added") == [{"type": "agi_declared", "date": "2029-01-15", "by": "openai", "seq": 1},
                               {"type": "panel_verdict", "date": "2029-06-01", "declaration": 1, "verdict": "verified",
                                "seq": 2}], doc)

# ---- over the horizon ------------------------------------------------------------------------------
# 2029-01-15..2029-05-31: only the state differs (declared; no clause reads `declared`).
# 2029-06-01..2030-12-31: verified; the clauses above; both requests (the dated one falls here).
# 2031-01-01..2032-12-31: research_ip has ended by its own `through 2030` in both worlds, so it
# drops out.
# 2033-01-01 on: exclusive_model_ip has ended by its own `through 2032` (the exclusivity cannot
# outlast the model IP rights it qualifies, "through 2032"), so it drops out too.
rc, doc, err = jrun("whatif", *AGI, "--requests", REQS)
check("horizon: exit 0", rc == 0, err)
chs = (doc or {}).get("changes", [])
check("horizon: four stretches", [(c["from"], c["through"]) for c in chs] ==
      [("2029-01-15", "2029-05-31"), ("2029-06-01", "2030-12-31"), ("2031-01-01", "2032-12-31"), ("2033-01-01", None)],
      chs)
if len(chs) == 4:
    check("horizon: declared, nothing else", chs[0]["state"] == [{"name": "agi", "baseline": "none", "whatif": "declared"},
                                                                  {"name": "declaration", "baseline": None, "whatif": 1}]
          and chs[0]["clauses"] == [] and chs[0]["decisions"] == [], chs[0])
    check("horizon: verified until 2030", [c["clause"] for c in chs[1]["clauses"]] == ends_on_agi(MSFT, 2030)
          and len(chs[1]["decisions"]) == 2, chs[1])
    check("horizon: from 2031", [c["clause"] for c in chs[2]["clauses"]] == ends_on_agi(MSFT, 2031)
          and "research_ip" not in ends_on_agi(MSFT, 2031)
          and [d["request"] for d in chs[2]["decisions"]] == [aws], chs[2])
    check("horizon: from 2033", [c["clause"] for c in chs[3]["clauses"]] == ends_on_agi(MSFT, 2033)
          and "exclusive_model_ip" not in ends_on_agi(MSFT, 2033) and "exclusive_model_ip" in ends_on_agi(MSFT, 2031)
          and [d["request"] for d in chs[3]["decisions"]] == [aws], chs[3])

# The text form of the same run names the stretches the way people read them.
rc, out, err = run("whatif", *AGI, "--requests", REQS)
check("horizon text: stretches", rc == 0 and "\nfrom 2029-01-15 through 2029-05-31:\n  state agi: none -> declared\n"
      "  state declaration: none -> seq 1\n" in out
      and "\nfrom 2031-01-01 through 2032-12-31:\n" in out and "\nfrom 2033-01-01 on:\n" in out and "  clause azure_api_exclusivity stops being in effect\n" in out
      and '    openai serve_api cloud="aws": deny by azure_api_exclusivity -> not_applicable\n' in out
      and '    microsoft use_ip ip_kind="research" on 2030-06-01: allow by research_ip -> not_applicable\n' in out, out + err)

# ---- generated requests cover every principal and action -------------------------------------------
rc, doc, err = jrun("whatif", *AGI, "--date", "2029-07-01")
check("generated: exit 0", rc == 0 and doc and doc.get("generated_requests") is True, err)
with open(MSFT) as f:
    actions = re.findall(r"^action (\w+) by ([\w, ]+?)\s*(?:\{|$)", f.read(), re.M)
changed = {(d["request"]["principal"], d["request"]["action"]) for d in (doc or {}).get("changes", [{}])[0].get("decisions", [])}
# The actions governed by a clause that ends on verification must show a change.
groups = {cid: lines for cid, lines in clauses(MSFT).items()}
want = set()
for cid in ends_on_agi(MSFT, 2029):
    p = [l.split()[1] for l in groups[cid] if l.startswith("principal ")][0]
    a = [l.split()[1] for l in groups[cid] if l.startswith("action ")][0]
    if cid != "agi_compute_threshold":  # an obligation: it changes decisions only with agi_with_openai_ip
        want.add((p, a))
check("generated: every action whose clauses end shows a change", want <= changed, f"{sorted(want)}\n{sorted(changed)}")
n = (doc or {}).get("requests", 0)
check("generated: at least one request per principal and action", n >= sum(len(ps.split(",")) for _, ps in actions), n)

# ---- exact text on the cloud reseller -----------------------------------------------------------------
# A missed payment suspends the agreement (3.2): no_resale_while_suspended (while status == suspended)
# comes into effect; the trademark licences (while status == active) stop. Using the word mark was
# allowed by wordmark_license and is then governed by nothing.
mark = tmpfile("mark.jsonl", json.dumps({"principal": "relay", "action": "use_trademark", "resource": {"mark": "wordmark"}}) + "\n")
rc, out, err = run("whatif", "--agreement", RESELLER, "--add", "payment_missed INV-9 2026-04-01", "--date", "2026-04-10",
                   "--requests", mark)
want = ('what if, under acme-cloud-reseller 1.0, these events were added to the 0 baseline events:\n'
        '  + 2026-04-01 payment_missed (seq 1) invoice="INV-9"\n'
        'compared on 2026-04-10, over 1 request\n'
        '\n'
        'on 2026-04-10:\n'
        '  state status: active -> suspended\n'
        '  clause no_resale_while_suspended comes into effect\n'
        '  clause wordmark_license stops being in effect\n'
        '  clause logo_license stops being in effect\n'
        '  1 decision changes:\n'
        '    relay use_trademark mark="wordmark": allow by wordmark_license -> not_applicable\n')
check("reseller: exact text", rc == 0 and out == want, "--- got\n" + out + err + "--- want\n" + want)
suspending = [c for c, l in clauses(RESELLER).items() if "while status == suspended" in l]
active_only = [c for c, l in clauses(RESELLER).items() if "while status == active" in l]
check("reseller: the clauses named are those the .pact ties to the status",
      suspending == ["no_resale_while_suspended"] and active_only == ["wordmark_license", "logo_license"], (suspending, active_only))

# A purchase counts toward the volume commitment ($5,000,000, counted from volume_purchase.amount_usd).
rc, out, err = run("whatif", "--agreement", RESELLER, "--add", "volume_purchase amount_usd=$400_000 2026-02-02",
                   "--date", "2026-03-01", "--requests", mark)
check("reseller: commitment", rc == 0 and "  commitment volume_commitment: $0 -> $400,000 of $5,000,000\n" in out, out + err)
# Before the added event's day nothing differs.
rc, out, err = run("whatif", "--agreement", RESELLER, "--add", "volume_purchase 400000 2026-02-02", "--date", "2026-02-01")
check("reseller: no differences before the event", rc == 0 and out.endswith(
    "\nno differences: no state, commitment, clause or decision changes\n"), out + err)

# ---- the cap on generated requests --------------------------------------------------------------------
# 13 bools make 2^13 = 8192 combinations for the one principal and action: 4096 are made, 4096 left
# out and said so. The permission holds only while `on`, which the added `flip` sets: every request
# goes from not_applicable to allow.
big = tmpfile("big.pact", "agreement \"big\" {\n  version \"1\"\n  effective 2026-01-01\n}\nparty a\n"
              "source s official \"s.txt\"\naction act by a {\n"
              + "".join(f"  context b{i}: bool = false\n" for i in range(1, 14))
              + "}\nstate on: bool = false\nevent flip { }\non flip {\n  set on = true\n}\n"
              "permission p {\n  principal a\n  action act\n  while on\n  quote s \"a may act\"\n}\n")
rc, doc, err = jrun("whatif", "--agreement", big, "--add", "flip 2026-02-01", "--date", "2026-03-01")
check("cap: 4096 requests and a note on the rest", rc == 0 and doc and doc["requests"] == 4096
      and err == "pactum: note: 4096 generated requests left out (at most 4096 per principal and action)\n", err)
decs = (doc or {}).get("changes", [{}])[0].get("decisions", []) if doc and doc.get("changes") else []
check("cap: every one changes from not_applicable to allow", len(decs) == 4096 and all(
    d["baseline"]["decision"] == "not_applicable" and d["whatif"] == {"decision": "allow", "determining": ["p"], "obligations": []}
    for d in decs), len(decs))

# ---- the values of the generated set --------------------------------------------------------------
# The built-in agreement: the product over each action's attributes of 2 per bool, one per enum
# member, and per string its default, the strings its action's clauses compare it with and one
# unmentioned string, summed over the parties that may be the action's principal (read from the .pact).
with open(MSFT) as f:
    text = f.read()
expected = 0
for name, parties, body in re.findall(r"^action (\w+) by ([\w, ]+?)\s*(?:\{(.*?)^\}|$)", text, re.M | re.S):
    per = 1
    compared = " ".join(" ".join(l) for l in clauses(MSFT).values() if f"action {name}" in l)
    for scope, attr, typ, rest in re.findall(r"^\s*(resource|context) (\w+): (bool|enum|string)(.*)$", body or "", re.M):
        if typ == "bool":
            per *= 2
        elif typ == "enum":
            per *= len(re.search(r"\{(.*)\}", rest).group(1).split(","))
        else:
            vals = set(re.findall(rf'{scope}\.{attr} (?:==|!=) "([^"]*)"', compared))
            default = re.search(r'= "([^"]*)"', rest)
            per *= len(vals | ({default.group(1)} if default else set())) + 1
    expected += per * len(parties.split(","))
rc, doc, err = jrun("whatif", *AGI, "--date", "2029-07-01")
check("generated: the built-in agreement's set is 47 requests, as counted from its text",
      rc == 0 and doc and doc["requests"] == expected == 47, (expected, (doc or {}).get("requests")))

# A number compared with 0 takes -1, 0 and 1 (a request may carry a negative amount) and its default
# 5; a date compared with `date` takes the first day of each date segment (the effective date
# 2026-01-01 and q's `from` 2026-06-01) and the days either side: 4 x 6 = 24 requests, each once.
gen = tmpfile("gen.pact", "agreement \"gen\" {\n  version \"1\"\n  effective 2026-01-01\n}\nparty a\n"
              "source s official \"s.txt\"\naction act by a {\n  context n: integer = 5\n  context end: date\n}\n"
              "state on: bool = false\nevent flip { }\non flip {\n  set on = true\n}\n"
              "permission p {\n  principal a\n  action act\n  while on\n  quote s \"a may act\"\n}\n"
              "prohibition q {\n  principal a\n  action act\n  from 2026-06-01\n"
              "  when context.n >= 0 and context.end > date\n  quote s \"a may not act\"\n}\n")
# Before q starts, `flip` turns every request from not_applicable to allow, so the changes list them all.
rc, doc, err = jrun("whatif", "--agreement", gen, "--add", "flip 2026-02-01", "--date", "2026-03-01")
decs = (doc or {}).get("changes", [{}])[0].get("decisions", []) if doc and doc.get("changes") else []
got = sorted((d["request"]["context"]["n"], d["request"]["context"]["end"]) for d in decs)
want = sorted((n, e) for n in (-1, 0, 1, 5) for e in ("2025-12-31", "2026-01-01", "2026-01-02", "2026-05-31",
                                                       "2026-06-01", "2026-06-02"))
check("values: integers around 0 and the default, dates around each segment's first day",
      rc == 0 and doc["requests"] == 24 and got == want, (err, got))
# On 2026-06-01 q is in effect and applies where n >= 0 and end > 2026-06-01: n in {0, 1, 5} with
# end 2026-06-02 stay denied (a prohibition beats a permission); the other 21 change to allow.
rc, doc, err = jrun("whatif", "--agreement", gen, "--add", "flip 2026-02-01", "--date", "2026-06-01")
decs = (doc or {}).get("changes", [{}])[0].get("decisions", []) if doc and doc.get("changes") else []
unchanged = sorted(set(want) - {(d["request"]["context"]["n"], d["request"]["context"]["end"]) for d in decs})
check("values: both sides of `context.end > date` and of `n >= 0` on the boundary day",
      rc == 0 and len(decs) == 21 and unchanged == [(0, "2026-06-02"), (1, "2026-06-02"), (5, "2026-06-02")], unchanged)

# ---- a baseline: --events and --db give the same answer; merging by date ------------------------------
base_events = [{"type": "agi_declared", "date": "2027-01-10", "by": "openai"},
               {"type": "panel_verdict", "date": "2027-04-01", "declaration": 1, "verdict": "rejected"}]
base = tmpfile("base.jsonl", "".join(json.dumps(e) + "\n" for e in base_events))


def agi_after(last):
    """The added declaration gets seq last + 1; the verdict names it."""
    return ["--add", "agi_declared openai 2029-01-15", "--add", f"panel_verdict {last + 1} verified 2029-06-01"]


rc, doc_events, err = jrun("whatif", "--events", base, *agi_after(2), "--requests", REQS)
check("baseline events: exit 0", rc == 0 and doc_events and doc_events["baseline_events"] == 2, err)
check("baseline events: the added events get seqs 3 and 4, after the two lines",
      doc_events and [e.get("seq") for e in doc_events["added"]] == [3, 4], doc_events)
db = os.path.join(TMP, "pactum.db")
r1 = run("init", "--db", db)
# In a store, record 1 is its store_created record: the declaration is seq 2, and the verdict names it.
r2 = run("event", "import", tmpfile("base-db.jsonl", "".join(
    json.dumps(dict(e, declaration=2) if e["type"] == "panel_verdict" else e) + "\n" for e in base_events)), "--db", db)
# The store's last seq, from what the import printed ("recorded 2 events, seq A..B").
m = re.search(r"seq \d+\.\.(\d+)", r2[1])
last = int(m.group(1)) if m else 0
rc, doc_db, err = jrun("whatif", "--db", db, *agi_after(last), "--requests", REQS)
# The store's export, read as an --events file, keeps the store's seqs (its store_created line counts).
export = tmpfile("export.jsonl", run("events", "--db", db)[1])
rc2, doc_export, err2 = jrun("whatif", "--events", export, *agi_after(last), "--requests", REQS)


def without_seqs(doc):
    """The comparison without the seqs an --events file and a store number differently: the added
    events' seqs and the verdict's declaration, and the declaration state (a seq)."""
    if not doc:
        return doc
    changes = [{**c, "state": [x for x in c["state"] if x["name"] != "declaration"]} for c in doc["changes"]]
    return {**doc, "changes": changes,
            "added": [{k: v for k, v in e.items() if k not in ("seq", "declaration")} for e in doc["added"]]}


check("--db: the same comparison as --events over the store's export, seqs and all",
      r1[0] == 0 and r2[0] == 0 and rc == 0 and rc2 == 0 and doc_db == doc_export and last == 3
      and doc_db["added"][0]["seq"] == last + 1, f"{r1}{r2}{err}{err2}\n{doc_db}\n{doc_export}")
check("--db: the same comparison as --events over the events alone, but for seqs",
      without_seqs(doc_db) == without_seqs(doc_events), f"{doc_db}\n{doc_events}")
# A signed store: key registrations are not agreement events, and signed events fold as recorded.
keys = os.path.join(TMP, "keys")
sdb = os.path.join(TMP, "signed.db")
os.makedirs(keys)
steps = [run("keygen", "--bootstrap", "--out", keys), run("keygen", "--party", "openai", "--out", keys),
         run("init", "--db", sdb, "--require-signatures", "--bootstrap-key", os.path.join(keys, "bootstrap.pub"))]
with open(os.path.join(keys, "openai.pub")) as f:
    reg = json.loads(f.read())
reg.update(type="key_registered", date="2025-10-28")
tmpfile("reg.jsonl", json.dumps(reg) + "\n")
# Signed by the bootstrap key for this store (event sign --db), then by the new key itself (its
# proof of possession) as it is imported.
signed = subprocess.run([PACTUM, "event", "sign", "--key", os.path.join(keys, "bootstrap.key"), "--db", sdb,
                         os.path.join(TMP, "reg.jsonl")], capture_output=True, text=True, cwd=TMP)
tmpfile("reg.signed.jsonl", signed.stdout)
steps.append(run("event", "import", os.path.join(TMP, "reg.signed.jsonl"), "--db", sdb,
                 "--sign", os.path.join(keys, "openai.key")))
tmpfile("decl.jsonl", json.dumps({"type": "agi_declared", "date": "2029-01-15", "by": "openai"}) + "\n")
steps.append(run("event", "import", os.path.join(TMP, "decl.jsonl"), "--db", sdb, "--sign", os.path.join(keys, "openai.key")))
check("signed store: set up", all(r[0] == 0 for r in steps) and signed.returncode == 0, steps)
m = re.search(r"seq (\d+)\.\.", steps[-1][1])
decl_seq = int(m.group(1)) if m else 0
rc, doc, err = jrun("whatif", "--db", sdb, "--add", f"panel_verdict {decl_seq} verified 2029-06-01", "--date", "2029-07-01",
                    "--requests", REQS)
check("signed store: one baseline event (the key registration is not one)", rc == 0 and doc["baseline_events"] == 1
      and doc["changes"][0]["state"] == [{"name": "agi", "baseline": "declared", "whatif": "verified"}], err or doc)
rc, out, err = run("whatif", "--db", sdb, "--add", "agi_declared openai 2028-01-01")
# seq 1 is the store's store_created record, seq 2 the key registration.
check("signed store: a recorded event named by its seq", rc == 2 and "the baseline event seq 3 (agi_declared, 2029-01-15) is refused" in err, err)
# Added before the baseline's own declaration: the baseline's declaration is then refused by its guard.
rc, out, err = run("whatif", "--events", base, "--add", "agi_declared openai 2026-06-01")
check("merge: a baseline event refused", rc == 2 and err ==
      f"pactum: error: with the added events, the baseline event {base}:1 (agi_declared, 2027-01-10) is refused: "
      "an AGI declaration is already pending or verified [guard_failed]\n", err)
# Between the baseline's events: declared 2027-01-10, verified on 2027-02-01 (before the rejection,
# which is then refused: no declaration is pending).
rc, out, err = run("whatif", "--events", base, "--add", "panel_verdict 1 verified 2027-02-01")
check("merge: inserted between baseline events", rc == 2 and "the baseline event" in err and "(panel_verdict, 2027-04-01)" in err
      and "no AGI declaration is pending" in err, err)
# Given out of order, added events are sorted by date; their seqs follow the order given, so the
# verdict (seq 1) names the declaration (seq 2), which is folded first.
rc, doc, err = jrun("whatif", "--add", "panel_verdict declaration=2 verified 2029-06-01", "--add", "agi_declared openai 2029-01-15",
                    "--date", "2029-07-01", "--requests", REQS)
check("merge: added events sorted by date", rc == 0 and [(e["type"], e["seq"]) for e in doc["added"]] ==
      [("agi_declared", 2), ("panel_verdict", 1)] and doc["changes"][0]["state"][0]["whatif"] == "verified", err)
# A claim of who recorded an added event.
rc, doc, err = jrun("whatif", *AGI[:2], "--add", "panel_verdict 1 verified recorded_by=panel.expert_1,panel.expert_2 2029-06-01",
                    "--date", "2029-07-01", "--requests", REQS)
check("syntax: recorded_by= gives the event's claim", rc == 0 and doc["added"][1].get("recorded_by") ==
      ["panel.expert_1", "panel.expert_2"], err)

# ---- the --add syntax ------------------------------------------------------------------------------
rc, doc, err = jrun("whatif", "--add", 'agi_declared by="Open AI Global" 2029-01-15', "--date", "2029-02-01", "--requests", REQS)
check("syntax: named field, quoted value", rc == 0 and doc["added"][0]["by"] == "Open AI Global", err)
rc, doc, err = jrun("whatif", "--add", 'agi_declared "Open AI" 2029-01-15', "--date", "2029-02-01", "--requests", REQS)
check("syntax: quoted positional value", rc == 0 and doc["added"][0]["by"] == "Open AI", err)
errors = [
    ("panel_verdict 1 verified 2029-06-01", "added event 1 (panel_verdict, 2029-06-01) is refused: field 'declaration' of event "
     "'panel_verdict' names seq 1, which is not before this event (seq 1); it must name an earlier event of type 'agi_declared' [bad_reference]"),
    ("panel_verdict verified 2029-06-01", "--add 'panel_verdict verified 2029-06-01': field 'declaration' of event 'panel_verdict' is the seq of an earlier 'agi_declared' event; got 'verified'"),
    ("panel_verdict declaration=0 verified 2029-06-01", "--add 'panel_verdict declaration=0 verified 2029-06-01': field 'declaration' of event 'panel_verdict' is the seq of an earlier 'agi_declared' event; got '0'"),
    ("panel_verdict 1 maybe 2029-06-01", "--add 'panel_verdict 1 maybe 2029-06-01': field 'verdict' of event 'panel_verdict' is one of verified, rejected; got 'maybe'"),
    ("panel_verdict 2029-06-01", "--add 'panel_verdict 2029-06-01': event 'panel_verdict' needs a value for field 'declaration' (the seq of an earlier 'agi_declared' event)"),
    ("panel_verdict 1 recorded_by=a recorded_by=b verified 2029-06-01", "--add 'panel_verdict 1 recorded_by=a recorded_by=b verified 2029-06-01': 'recorded_by' is given twice"),
    ("panel_verdict verified 2029-02-30", "--add 'panel_verdict verified 2029-02-30': '2029-02-30' is not a real date"),
    ("panel_verdict verified June", "--add 'panel_verdict verified June': the last word must be the event's date (YYYY-MM-DD); got 'June'"),
    ("panel_verdict", "--add 'panel_verdict': no date: give TYPE [VALUE | FIELD=VALUE]... DATE, the date last"),
    ("panel_verdict verdict=verified verdict=rejected 2029-06-01", "--add 'panel_verdict verdict=verified verdict=rejected 2029-06-01': field 'verdict' is given twice"),
    ("panel_verdict quorum=3 2029-06-01", "--add 'panel_verdict quorum=3 2029-06-01': event 'panel_verdict' has no field 'quorum'; its fields: declaration, verdict"),
    ("panel_verdict 1 verified rejected 2029-06-01", "--add 'panel_verdict 1 verified rejected 2029-06-01': too many values for event 'panel_verdict': 'rejected' has no field left to fill (its fields: declaration, verdict)"),
    ("agi_verified 2029-06-01", "--add 'agi_verified 2029-06-01': unknown event type 'agi_verified'; the agreement's event types are agi_declared, panel_verdict, azure_purchase, azure_purchase_prior_commitment"),
    ('agi_declared "Open AI 2029-01-15', "--add 'agi_declared \"Open AI 2029-01-15': a double quote is not closed"),
    ("azure_purchase 12x 2029-01-15", "--add 'azure_purchase 12x 2029-01-15': field 'amount_usd' of event 'azure_purchase' is an amount of dollars (1250000, $0.004); got '12x'"),
    ("   ", "--add '   ': empty; give TYPE [VALUE | FIELD=VALUE]... DATE"),
]
for text, msg in errors:
    rc, out, err = run("whatif", "--add", text)
    check(f"syntax error: {text}", rc == 2 and out == "" and err == f"pactum: error: {msg}\n", err)

# ---- other bad input -------------------------------------------------------------------------------
rc, out, err = run("whatif")
check("no --add", rc == 2 and "'whatif' needs at least one '--add EVENT'" in err, err)
rc, out, err = run("whatif", *AGI, "--date", "2029-13-01")
check("bad --date", rc == 2 and "'2029-13-01'" in err, err)
rc, out, err = run("whatif", *AGI, "--events", base, "--db", db)
check("--events and --db", rc == 2 and "give either --db or --events, not both" in err, err)
rc, out, err = run("whatif", *AGI, "--db", os.path.join(TMP, "none.db"))
check("missing store", rc == 2 and "no store at" in err, err)
bad = tmpfile("bad.jsonl", json.dumps(aws) + "\n{\"principal\": \n")
rc, out, err = run("whatif", *AGI, "--requests", bad)
check("malformed request line", rc == 2 and err.startswith(f"{bad}:2: error: malformed JSON"), err)
bad = tmpfile("bad2.jsonl", json.dumps({"principal": "openai", "action": "fly"}) + "\n")
rc, out, err = run("whatif", *AGI, "--requests", bad)
check("unknown action in a request", rc == 2 and err == f"{bad}:1: error: unknown action 'fly' [unknown_action]\n", err)
bad = tmpfile("bad3.jsonl", '{"type": "agi_declared", "date": "2027-01-10"}\n')
rc, out, err = run("whatif", *AGI, "--events", bad)
check("a bad baseline event names its line", rc == 2 and f"{bad}:1: event 'agi_declared' has no field 'by'" in err, err)
rc, out, err = run("whatif", "--add", "x 2029-01-01", "--format", "yaml")
check("bad format", rc == 2 and "unknown format 'yaml'" in err, err)
rc, out, err = run("whatif", "--help")
check("--help", rc == 0 and out.startswith("usage: pactum whatif") and "--add EVENT" in out and "--requests FILE" in out, out)

finish()
