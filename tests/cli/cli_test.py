#!/usr/bin/env python3
"""Tests of the `pactum` binary: commands, formats, exit codes and hostile input.

    python3 tests/cli/cli_test.py PACTUM

Every check runs the real binary. Expected values are derived from the agreements
(agreements/*.pact), docs/formats.md and docs/language.md, not copied from the program's output:
clause kinds and first quotations are read from the .pact text by a small reader below, and the
outcomes follow from the clauses' conditions, windows and exceptions as reasoned in each check.

The last line printed is "N passed, M failed"; the exit status is 1 if any check failed.
"""
import json
import os
import re
import select
import subprocess
import sys

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clilib import PACTUM, ROOT, SLOW, TMP, Run, check, finish, run, sane  # noqa: E402

MSFT = os.path.join(ROOT, "agreements", "microsoft-openai-2025-10-28.pact")
SAMPLE = os.path.join(ROOT, "agreements", "microsoft-openai-2025-10-28.sample.jsonl")
RESELLER = os.path.join(ROOT, "agreements", "examples", "cloud-reseller.pact")
AGREEMENT = {"id": "microsoft-openai", "version": "2025-10-28"}
DECISION_KEYS = ["decision", "determining", "overridden", "obligations", "valid_until", "agreement"]


def tmpfile(name, data):
    path = os.path.join(TMP, name)
    with open(path, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)
    return path


def jlines(text):
    return [json.loads(l) for l in text.splitlines() if l.strip()]


def one(r):
    """The single JSON object printed by a one-request command, or None."""
    try:
        v = jlines(r.out)
        return v[0] if len(v) == 1 else None
    except ValueError:
        return None


def req(principal, action, date=None, resource=None, context=None):
    ctx = dict(context or {})
    if date:
        ctx["date"] = date
    r = {"principal": principal, "action": action}
    if resource:
        r["resource"] = resource
    if ctx:
        r["context"] = ctx
    return json.dumps(r)


# ---- A small reader of .pact clauses (for expected kinds and first quotations) ----------

def read_clauses(path):
    text = open(path, encoding="utf-8").read()
    text = "\n".join(re.sub(r'#.*$', "", l) if '"' not in l else l for l in text.splitlines())
    out = {}
    order = []
    for m in re.finditer(r'^(permission|prohibition|obligation)\s+(\w+)\s*\{(.*?)^\}', text, re.S | re.M):
        kind, cid, body = m.groups()
        q = re.search(r'quote\s+(\w+)\s+"((?:[^"\\]|\\.)*)"', body)
        out[cid] = {
            "kind": kind,
            "source": q.group(1),
            "text": q.group(2).replace('\\"', '"').replace("\\\\", "\\"),
            "principal": re.search(r'principal\s+(\w+)', body).group(1),
            "action": re.search(r'\baction\s+(\w+)', body).group(1),
            "excepts": re.findall(r'exception\s+to\s+([\w, ]+?)\s*$', body, re.M),
        }
        order.append(cid)
    return out, order


CLAUSES, ORDER = read_clauses(MSFT)
R_CLAUSES, R_ORDER = read_clauses(RESELLER)


def clause_obj(cid, table=CLAUSES):
    c = table[cid]
    return {"clause": cid, "kind": c["kind"], "text": c["text"], "source": c["source"]}


# ======================================================================================
# Help, usage and exit codes for bad command lines
# ======================================================================================

r = run("--help")
check("--help exits 0 and lists every command",
      r.rc == 0 and all(re.search(rf"^\s+{c}\s", r.out, re.M) for c in
                        ["decide", "explain", "status", "clauses", "check", "demo", "version", "help"]), r)

r = run("help", "decide")
check("help decide exits 0 and shows decide's options",
      r.rc == 0 and "pactum decide" in r.out and all(o in r.out for o in
                                                     ["--agreement", "--events", "--request", "--date", "--exit-code"]), r)

OPTIONS = {
    "decide": ["--agreement", "--events", "--request", "--date", "--exit-code", "--unbuffered"],
    "explain": ["--agreement", "--events", "--request", "--date", "--format"],
    "status": ["--agreement", "--events", "--date", "--format"],
    "clauses": ["--agreement", "--format"],
    "check": ["--format", "--sources"],
    "demo": [],
}
for cmd, opts in OPTIONS.items():
    r = run(cmd, "--help")
    check(f"{cmd} --help exits 0 and mentions {', '.join(opts) or 'its usage'}",
          r.rc == 0 and r.out.startswith(f"usage: pactum {cmd}") and all(o in r.out for o in opts), r)

r = run()
check("no command: usage on stderr, exit 2", r.rc == 2 and "usage: pactum" in r.err and r.out == "", r)
r = run("frobnicate")
check("unknown command exits 2 and names it", r.rc == 2 and "frobnicate" in r.err, r)
r = run("decide", "--frobnicate")
check("unknown option exits 2 and names it", r.rc == 2 and "--frobnicate" in r.err, r)
r = run("clauses", "--date", "2026-01-01")
check("an option the command does not take exits 2", r.rc == 2 and "--date" in r.err, r)
r = run("decide", "--request")
check("an option without its value exits 2", r.rc == 2 and "--request" in r.err, r)
r = run("status", "--format", "xml")
check("an unknown --format exits 2", r.rc == 2 and "xml" in r.err, r)
r = run("decide", "--date", "2025-02-30", "--request", req("openai", "serve_api"))
check("decide --date with an impossible date exits 2", r.rc == 2 and r.out == "" and "2025-02-30" in r.err, r)
r = run("version")
r2 = run("--version")
check("version and --version print the version",
      r.rc == 0 and r2.rc == 0 and re.fullmatch(r"pactum \d+\.\d+\.\d+\n", r.out) is not None and r.out == r2.out, r)

# ======================================================================================
# decide: the Decision object on the built-in agreement
# ======================================================================================

# Before AGI, serving the API from AWS is caught by the Azure API exclusivity (a prohibition
# with no `through`, ended only by `until agi == verified`): deny, valid until agi changes.
r = run("decide", "--request", req("openai", "serve_api", "2027-05-01", context={"cloud": "aws"}))
d = one(r)
check("decide --request: one JSON line, exit 0", r.rc == 0 and d is not None and r.out.count("\n") == 1, r)
check("decision object has exactly the documented fields, in order",
      d is not None and list(d.keys()) == DECISION_KEYS, r)
check("API on AWS before AGI is denied by azure_api_exclusivity, with its first quotation",
      d is not None and d["decision"] == "deny" and d["determining"] == [clause_obj("azure_api_exclusivity")]
      and d["overridden"] == [] and d["obligations"] == [], r)
check("determining clause objects have exactly clause, kind, text, source",
      d is not None and all(list(c.keys()) == ["clause", "kind", "text", "source"] for c in d["determining"]), r)
check("valid_until names agi (no later window day) and agreement has id and version",
      d is not None and d["valid_until"] == {"state": "agi"} and d["agreement"] == AGREEMENT, r)
check("decide prints compact JSON (no spaces between tokens)",
      r.out.startswith('{"decision":"deny","determining":[{"clause":"azure_api_exclusivity",'), r)

# National-security customers: the carve-out is an exception to the exclusivity, which it overrides.
# third_party_api_on_azure does not apply (built_with_third_party defaults to false), so it is not
# listed as overridden.
d = one(run("decide", "--request", req("openai", "serve_api", "2027-05-01",
                                        context={"cloud": "aws", "customer_segment": "us_gov_national_security"})))
check("national-security customer on AWS: allowed by the exception, exclusivity overridden",
      d is not None and d["decision"] == "allow" and d["determining"] == [clause_obj("national_security_any_cloud")]
      and d["overridden"] == ["azure_api_exclusivity"], d)

# Built with a third party, on AWS: both prohibitions apply and deny; listed in file order.
d = one(run("decide", "--request", req("openai", "serve_api", "2027-05-01", resource={"built_with_third_party": True},
                                        context={"cloud": "aws"})))
check("third-party API product on AWS: both prohibitions determine, in file order",
      d is not None and d["decision"] == "deny"
      and [c["clause"] for c in d["determining"]] == ["azure_api_exclusivity", "third_party_api_on_azure"], d)

# Post-AGI model IP without guardrails: post_agi_model_ip (an exception to model_product_ip) applies
# and its `requires` fails, so it denies and overrides model_product_ip; the obligation attaches.
# The only window day left after 2032-06-01 is 2033-01-01 (the day after `through 2032`).
d = one(run("decide", "--request", req("microsoft", "use_ip", "2032-06-01",
                                        resource={"ip_kind": "model", "post_agi": True})))
check("post-AGI model IP without guardrails: deny by a permission whose requires failed",
      d is not None and d["decision"] == "deny" and d["determining"] == [clause_obj("post_agi_model_ip")]
      and d["overridden"] == ["model_product_ip"]
      and d["obligations"] == [clause_obj("post_agi_safety_guardrails")]
      and d["valid_until"].get("date") == "2033-01-01", d)
d = one(run("decide", "--request", req("microsoft", "use_ip", "2032-06-01",
                                        resource={"ip_kind": "model", "post_agi": True},
                                        context={"safety_guardrails": True})))
check("post-AGI model IP with guardrails: allow by post_agi_model_ip, obligation attached",
      d is not None and d["decision"] == "allow" and [c["clause"] for c in d["determining"]] == ["post_agi_model_ip"]
      and [c["clause"] for c in d["obligations"]] == ["post_agi_safety_guardrails"], d)

# `through 2032` is inclusive: the last day of 2032 is covered, the first day of 2033 is not.
d1 = one(run("decide", "--request", req("microsoft", "use_ip", "2032-12-31", resource={"ip_kind": "model"})))
d2 = one(run("decide", "--request", req("microsoft", "use_ip", "2033-01-01", resource={"ip_kind": "model"})))
check("model IP: allowed on 2032-12-31 (valid until 2033-01-01), not_applicable on 2033-01-01",
      d1 is not None and d2 is not None and d1["decision"] == "allow" and d1["valid_until"].get("date") == "2033-01-01"
      and d2["decision"] == "not_applicable" and d2["determining"] == [], (d1, d2))

# No clause is in effect before the agreement's effective date (2025-10-28).
d = one(run("decide", "--request", req("openai", "serve_api", "2025-10-27", context={"cloud": "aws"})))
check("the day before the effective date: not_applicable, valid until the effective date",
      d is not None and d["decision"] == "not_applicable" and d["valid_until"].get("date") == "2025-10-28", d)

# A request with no context.date takes --date.
d1 = one(run("decide", "--date", "2032-12-31", "--request", req("microsoft", "use_ip", resource={"ip_kind": "model"})))
d2 = one(run("decide", "--date", "2033-01-01", "--request", req("microsoft", "use_ip", resource={"ip_kind": "model"})))
check("a request without a date is decided on --date",
      d1 is not None and d2 is not None and d1["decision"] == "allow" and d2["decision"] == "not_applicable", (d1, d2))
r = run("decide", "--request", req("microsoft", "receive_revenue_share"))
d = one(r)
check("without --date or context.date the CLI uses today (no missing_date error)",
      r.rc == 0 and d is not None and "error" not in d, r)
d = one(run("decide", "--date", "2026-01-01", "--request",
            req("openai", "serve_api", "2027-05-01", context={"cloud": "azure"})))
check("context.date wins over --date (2027: still allowed on Azure; obligations none)",
      d is not None and d["decision"] == "allow" and d["determining"] == [clause_obj("api_on_azure")], d)

# ======================================================================================
# decide: JSONL on stdin, error lines and error codes
# ======================================================================================

ok_line = req("openai", "serve_api", "2027-05-01", context={"cloud": "azure"})
deny_line = req("openai", "serve_api", "2027-05-01", context={"cloud": "gcp"})
stream = "\n".join([
    ok_line,                                    # 1 allow
    "not json",                                 # 2 bad_json
    "",                                         # 3 blank: skipped, no output
    deny_line,                                  # 4 deny
    "   \t ",                                   # 5 blank
    '{"principal":"openai","action":"fly"}',    # 6 unknown_action
    deny_line,                                  # 7 deny (no trailing newline)
])
r = run("decide", stdin=stream)
try:
    outs = jlines(r.out)
except ValueError:
    outs = None
check("JSONL: one output line per non-blank input line, in order",
      outs is not None and len(outs) == 5 and outs[0]["decision"] == "allow" and outs[2]["decision"] == "deny"
      and outs[4]["decision"] == "deny", r)
check("JSONL: a malformed line gives an error object with its line number (blank lines counted)",
      outs is not None and len(outs) == 5 and list(outs[1].keys()) == ["error"]
      and list(outs[1]["error"].keys()) == ["line", "code", "message"]
      and outs[1]["error"]["line"] == 2 and outs[1]["error"]["code"] == "bad_json"
      and outs[3]["error"]["line"] == 6 and outs[3]["error"]["code"] == "unknown_action", r)
check("JSONL: processing continues after a bad line, and the exit code is 2", r.rc == 2, r)
r = run("decide", stdin=ok_line + "\n\n" + deny_line + "\n")
check("JSONL: all good lines (with a blank one) exit 0 with two decisions",
      r.rc == 0 and [o["decision"] for o in jlines(r.out)] == ["allow", "deny"], r)
r = run("decide", stdin=ok_line + "\r\n" + deny_line + "\r\n")
check("JSONL: CRLF line endings are accepted",
      r.rc == 0 and [o.get("decision") for o in jlines(r.out)] == ["allow", "deny"], r)

ERRORS = [
    ("bad_json", "{\"principal\":\"openai\","),
    ("bad_json", '{"principal":"openai","principal":"openai","action":"serve_api"}'),  # repeated key
    ("unknown_action", req("openai", "fly", "2027-05-01")),
    ("unknown_principal", req("google", "serve_api", "2027-05-01")),
    ("bad_principal", req("microsoft", "serve_api", "2027-05-01")),
    ("unknown_attribute", req("openai", "serve_api", "2027-05-01", context={"region": "eu"})),
    ("unknown_attribute", req("openai", "serve_api", "2027-05-01", resource={"cloud": "aws"})),  # wrong scope
    ("wrong_type", req("openai", "serve_api", "2027-05-01", context={"cloud": 5})),
    ("wrong_type", req("microsoft", "use_ip", "2027-05-01", resource={"ip_kind": "hardware"})),
    ("wrong_type", req("openai", "serve_api", "2027-05-01", resource={"built_with_third_party": "yes"})),
    ("wrong_type", "[1, 2]"),
    ("wrong_type", '{"principal":"openai","action":"serve_api","context":[]}'),
    ("bad_date", req("openai", "serve_api", "2025-02-30")),
    ("bad_date", req("openai", "serve_api", "2023-02-29")),
    ("bad_date", req("openai", "serve_api", "27-05-01")),
    ("missing_attribute", req("openai", "purchase_compute", "2027-05-01")),
    ("missing_attribute", req("microsoft", "use_ip", "2027-05-01")),
    ("unknown_field", '{"principal":"openai","action":"serve_api","when":"now"}'),
    ("missing_field", '{"action":"serve_api"}'),
]
r = run("decide", "--date", "2027-05-01", stdin="\n".join(l for _, l in ERRORS) + "\n")
try:
    outs = jlines(r.out)
except ValueError:
    outs = []
got = [(o.get("error") or {}).get("code") for o in outs]
want = [c for c, _ in ERRORS]
check("error codes: " + ", ".join(sorted(set(want))), got == want and r.rc == 2,
      "\n".join(f"line {i + 1}: want {w}, got {g}" for i, (w, g) in enumerate(zip(want, got)) if w != g) or r)
check("error lines carry their own line numbers and a message naming the subject",
      len(outs) == len(ERRORS) and [o["error"]["line"] for o in outs] == list(range(1, len(ERRORS) + 1))
      and "'fly'" in outs[2]["error"]["message"] and "'google'" in outs[3]["error"]["message"]
      and "2025-02-30" in outs[12]["error"]["message"], r)
r = run("decide", "--request", "{oops")
check("decide --request with bad JSON: error line 1, exit 2",
      r.rc == 2 and (one(r) or {}).get("error", {}).get("line") == 1
      and one(r)["error"]["code"] == "bad_json", r)

# A file of requests as the argument; '-' is stdin; more than one file is an error.
reqfile = tmpfile("requests.jsonl", ok_line + "\n" + deny_line + "\n")
r1 = run("decide", reqfile)
r2 = run("decide", "-", stdin=ok_line + "\n" + deny_line + "\n")
r3 = run("decide", reqfile, reqfile)
r4 = run("decide", os.path.join(TMP, "no-such-requests.jsonl"))
check("decide FILE reads the file, '-' reads stdin; two files or a missing one exit 2",
      r1.rc == 0 and r1.out == r2.out and [o["decision"] for o in jlines(r1.out)] == ["allow", "deny"]
      and r3.rc == 2 and r4.rc == 2 and r3.out == "" and r4.out == "", (r1, r2, r3, r4))
r = run("explain", "--format", "json", reqfile)
check("explain FILE reads the file", r.rc == 0 and len(jlines(r.out)) == 2, r)

# A request's id (a string or an integer) is echoed as the first field of its decision.
r = run("decide", stdin=json.dumps({"id": "q-1", **json.loads(ok_line)}) + "\n" +
        json.dumps({"id": 42, **json.loads(deny_line)}) + "\n" + ok_line + "\n" +
        json.dumps({"id": [1], **json.loads(ok_line)}) + "\n")
outs = jlines(r.out) if r.rc in (0, 2) else []
check("ids are echoed first; no id, no field; an id that is not a string or integer is wrong_type",
      len(outs) == 4 and list(outs[0].keys()) == ["id"] + DECISION_KEYS and outs[0]["id"] == "q-1"
      and outs[1]["id"] == 42 and outs[1]["decision"] == "deny" and list(outs[2].keys()) == DECISION_KEYS
      and outs[3].get("error", {}).get("code") == "wrong_type" and r.rc == 2, r)

# --unbuffered: a program may write one request and read its decision before writing the next.
p = subprocess.Popen([PACTUM, "decide", "--unbuffered"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE, cwd=TMP)
answers = []
try:
    for line in (ok_line, deny_line):
        p.stdin.write((line + "\n").encode())
        p.stdin.flush()
        ready = select.select([p.stdout], [], [], 10)[0]
        answers.append(json.loads(p.stdout.readline())["decision"] if ready else None)
finally:
    p.stdin.close()
    p.wait(timeout=10 * SLOW)
check("decide --unbuffered answers each request before the next is written",
      answers == ["allow", "deny"] and p.returncode == 0, answers)

# --exit-code: exit 1 when any decision is not allow.
r1 = run("decide", "--exit-code", "--request", deny_line)
r2 = run("decide", "--exit-code", "--request", ok_line)
r3 = run("decide", "--request", deny_line)
r4 = run("decide", "--exit-code", "--date", "2033-01-01", "--request",
         req("microsoft", "use_ip", resource={"ip_kind": "model"}))
check("--exit-code: deny exits 1, allow exits 0, deny without it exits 0, not_applicable exits 1",
      (r1.rc, r2.rc, r3.rc, r4.rc) == (1, 0, 0, 1), (r1, r2, r3, r4))
r = run("decide", "--exit-code", stdin=deny_line + "\nnot json\n")
check("--exit-code: a bad line still makes the exit code 2", r.rc == 2, r)

# ======================================================================================
# --events: time travel, out of order, guards
# ======================================================================================

ev_verified = tmpfile("verified.jsonl",
                      '{"type":"agi_declared","date":"2029-01-15","by":"openai"}\n'
                      '{"type":"panel_verdict","date":"2029-06-01","declaration":1,"verdict":"verified"}\n')


def decide_ev(events, date, cloud="aws"):
    return one(run("decide", "--events", events, "--request",
                   req("openai", "serve_api", date, context={"cloud": cloud})))


d0 = decide_ev(ev_verified, "2028-12-31")
d1 = decide_ev(ev_verified, "2029-05-31")
d2 = decide_ev(ev_verified, "2029-06-01")
check("time travel: a declaration alone (pending) keeps the exclusivity (reading R1)",
      d0 is not None and d1 is not None and d0["decision"] == "deny" and d1["decision"] == "deny", (d0, d1))
check("time travel: the verdict counts on its own day; exclusivity over, not_applicable",
      d2 is not None and d2["decision"] == "not_applicable", d2)
d = one(run("decide", "--events", ev_verified, "--request", req("microsoft", "receive_revenue_share", "2029-05-31")))
d3 = one(run("decide", "--events", ev_verified, "--request", req("microsoft", "receive_revenue_share", "2029-06-01")))
check("revenue share: allowed until the panel verifies, not after",
      d is not None and d3 is not None and d["decision"] == "allow" and d3["decision"] == "not_applicable", (d, d3))

ev_rejected = tmpfile("rejected.jsonl",
                      '{"type":"agi_declared","date":"2029-01-15","by":"openai"}\n\n'
                      '{"type":"panel_verdict","date":"2029-03-01","declaration":1,"verdict":"rejected"}\n'
                      '{"type":"agi_declared","date":"2030-01-15","by":"openai"}\n')
d = decide_ev(ev_rejected, "2029-12-31")
check("a rejected verdict leaves the exclusivity in place and OpenAI may declare again (reading R2)",
      d is not None and d["decision"] == "deny", d)

ev_order = tmpfile("order.jsonl",
                   '{"type":"agi_declared","date":"2029-01-15","by":"openai"}\n'
                   '{"type":"azure_purchase","date":"2028-01-01","amount_usd":5}\n')
r = run("decide", "--events", ev_order, "--request", deny_line)
check("out-of-order events: FILE:2: error ... [out_of_order], exit 2, nothing on stdout",
      r.rc == 2 and r.out == "" and re.match(re.escape(ev_order) + r":2: error: .*\[out_of_order\]$", r.err.strip()),
      r)

# The second verdict names the rejected declaration, seq 1: its line is 4 (the blank line counts for
# lines, not for seqs), and no declaration is pending.
ev_guard = tmpfile("guard.jsonl",
                   '{"type":"agi_declared","date":"2026-01-01","by":"openai"}\n'
                   '{"type":"panel_verdict","date":"2026-01-15","declaration":1,"verdict":"rejected"}\n'
                   '\n'
                   '{"type":"panel_verdict","date":"2026-02-01","declaration":1,"verdict":"verified"}\n')
r = run("status", "--events", ev_guard, "--date", "2026-03-01")
check("a verdict when no declaration is pending: FILE:4 (blank line counted), the agreement's reason, [guard_failed]",
      r.rc == 2 and r.out == ""
      and r.err.strip() == f"{ev_guard}:4: error: event 'panel_verdict' rejected: no AGI declaration is pending [guard_failed]",
      r)
ev_twice = tmpfile("twice.jsonl",
                   '{"type":"agi_declared","date":"2029-01-15","by":"openai"}\n'
                   '{"type":"agi_declared","date":"2029-02-15","by":"openai"}\n')
r = run("decide", "--events", ev_twice, "--request", deny_line)
check("a second declaration while one is pending is rejected with its reason",
      r.rc == 2 and f"{ev_twice}:2: error:" in r.err and "an AGI declaration is already pending or verified" in r.err
      and "[guard_failed]" in r.err, r)
ev_bad = tmpfile("bad-events.jsonl", '{"type":"meteor","date":"2029-01-15"}\n')
r = run("decide", "--events", ev_bad, "--request", deny_line)
check("an unknown event type is rejected with [unknown_event]", r.rc == 2 and "[unknown_event]" in r.err, r)
r = run("decide", "--events", os.path.join(TMP, "no-such-file.jsonl"), "--request", deny_line)
check("a missing --events file exits 2", r.rc == 2 and "no-such-file.jsonl" in r.err, r)

ev_sameday = tmpfile("sameday.jsonl",
                     '{"type":"agi_declared","date":"2029-01-15","by":"openai"}\r\n'
                     '{"type":"panel_verdict","date":"2029-01-15","declaration":1,"verdict":"verified"}\r\n')
d = decide_ev(ev_sameday, "2029-01-15")
check("events of one day apply in file order (declared, then verified; CRLF lines)",
      d is not None and d["decision"] == "not_applicable", d)
ev_over = tmpfile("overflow.jsonl",
                  '{"type":"azure_purchase","date":"2026-01-01","amount_usd":"9223372036854.775807"}\n'
                  '{"type":"azure_purchase","date":"2026-01-02","amount_usd":"0.000001"}\n')
# (money is kept in millionths of a dollar: the largest sum is $9,223,372,036,854.775807)
r = run("status", "--events", ev_over, "--date", "2026-02-01")
check("a purchase taking the commitment past 64 bits is rejected: FILE:2 [overflow]",
      r.rc == 2 and r.out == "" and r.err.startswith(f"{ev_over}:2: error: ") and "[overflow]" in r.err, r)

# ======================================================================================
# --events: seqs, refs and who recorded an event
# ======================================================================================

def status_of(date, events):
    r = run("status", "--date", date, "--format", "json", "--events", events)
    return r, one(r)


# An event's seq in an --events file is its position among the non-blank lines; a verdict names
# the declaration it rules on by that seq (docs/formats.md#event).
DECLARE_1 = '{"type":"agi_declared","date":"2027-01-10","by":"openai"}\n'
REJECT_1 = '{"type":"panel_verdict","date":"2027-04-01","declaration":1,"verdict":"rejected"}\n'
DECLARE_3 = '{"type":"agi_declared","date":"2028-01-15","by":"openai"}\n'
REPLAY = '{"type":"panel_verdict","date":"2028-01-15","declaration":1,"verdict":"rejected"}\n'
ev_replay = tmpfile("replay.jsonl", DECLARE_1 + REJECT_1 + DECLARE_3 + REPLAY)
r = run("status", "--events", ev_replay, "--date", "2028-02-01")
check("the replay: a rejection recorded again after a new declaration names the old one and is refused: FILE:4 [guard_failed]",
      r.rc == 2 and r.out == ""
      and r.err.strip() == f"{ev_replay}:4: error: event 'panel_verdict' rejected: the verdict must rule on the "
                           "pending declaration [guard_failed]", r)
ev_pending = tmpfile("pending.jsonl", DECLARE_1 + REJECT_1 + DECLARE_3)
_, s = status_of("2028-02-01", ev_pending)
check("without the replay the second declaration (seq 3) is pending", s is not None and s["state"] ==
      {"agi": "declared", "declaration": 3}, s)
# The agreement without the ref (as shipped before it): the same replay is accepted and wipes out the
# pending declaration. The attack the ref stops.
old = open(MSFT).read()
for a, b in [("state declaration: ref agi_declared\n", ""), ("  set declaration = event.seq\n", ""),
             ("{ declaration: ref agi_declared, verdict:", "{ verdict:"),
             ('  require event.declaration == declaration else "the verdict must rule on the pending declaration"\n', "")]:
    check(f"the agreement has the line to take out: {a.strip()[:40]}", a in old, a)
    old = old.replace(a, b)
no_ref = tmpfile("no-ref.pact", old)
ev_unnamed = tmpfile("replay-unnamed.jsonl", (DECLARE_1 + REJECT_1 + DECLARE_3 + REPLAY).replace('"declaration":1,', ""))
r = run("status", "--agreement", no_ref, "--events", ev_unnamed, "--date", "2028-02-01", "--format", "json")
s = one(r)
check("without the ref the replay is accepted and the pending declaration is gone (agi none)",
      r.rc == 0 and s is not None and s["state"] == {"agi": "none"} and s["events"] == 4, r)

ev_purchase = tmpfile("names-purchase.jsonl",
                      '{"type":"azure_purchase","date":"2027-01-01","amount_usd":5}\n' + DECLARE_1.replace("01-10", "01-02") +
                      '{"type":"panel_verdict","date":"2027-04-01","declaration":1,"verdict":"verified"}\n')
r = run("status", "--events", ev_purchase, "--date", "2027-05-01")
check("a verdict naming a purchase: [bad_reference] naming the field and the seq",
      r.rc == 2 and r.err.strip() == f"{ev_purchase}:3: error: field 'declaration' of event 'panel_verdict' names seq 1, "
                                     "but no event of type 'agi_declared' has seq 1 [bad_reference]", r)
ev_later = tmpfile("names-later.jsonl", DECLARE_1 + '{"type":"panel_verdict","date":"2027-04-01","declaration":7,"verdict":"verified"}\n')
r = run("status", "--events", ev_later, "--date", "2027-05-01")
check("a verdict naming a later seq: [bad_reference], not before this event",
      r.rc == 2 and "names seq 7, which is not before this event (seq 2)" in r.err and "[bad_reference]" in r.err, r)
ev_zero = tmpfile("names-zero.jsonl", DECLARE_1 + REJECT_1.replace('"declaration":1', '"declaration":0'))
r = run("status", "--events", ev_zero, "--date", "2027-05-01")
check("a ref of 0 is not a seq: [wrong_type]", r.rc == 2 and f"{ev_zero}:2: error: field 'declaration'" in r.err
      and "[wrong_type]" in r.err, r)

# Record-level lines (an export of a store holds them) are skipped but counted: the declaration is seq 2.
KEY = '{"type":"key_registered","date":"2027-01-01","signer":"openai","public_key":"AAAA"}\n'
ev_export = tmpfile("export.jsonl", KEY + DECLARE_1 + REJECT_1.replace('"declaration":1', '"declaration":2'))
_, s = status_of("2027-05-01", ev_export)
check("--events: a key_registered line is skipped and counted; the verdict names the declaration as seq 2",
      s is not None and s["events"] == 2 and s["state"] == {"agi": "none", "declaration": 2}, s)
r = run("status", "--events", tmpfile("export-1.jsonl", KEY + DECLARE_1 + REJECT_1), "--date", "2027-05-01")
check("--events: with the key line counted, seq 1 holds no declaration: [bad_reference]",
      r.rc == 2 and "[bad_reference]" in r.err, r)
# signatures and nonce are accepted unverified; recorded_by must be a list of names.
signed = '{"type":"agi_declared","date":"2027-01-10","by":"openai","nonce":"0123456789abcdef","signatures":[],"recorded_by":["openai"]}\n'
_, s = status_of("2027-05-01", tmpfile("signed.jsonl", signed))
check("--events: signatures, nonce and recorded_by are passed over", s is not None and s["state"]["agi"] == "declared", s)
r = run("status", "--events", tmpfile("bad-claim.jsonl", signed.replace('["openai"]', '"openai"')), "--date", "2027-05-01")
check("--events: a recorded_by that is not a list: [wrong_type]", r.rc == 2 and "'recorded_by' must be an array" in r.err
      and "[wrong_type]" in r.err, r)

# `recorded by` reads the recorded_by claim of an --events line: parties, and bodies by a quorum of members.
BOARD = tmpfile("board.pact", """agreement "board" { version "1" effective 2026-01-01 }
party nimbus
party relay
body board { members a, b, c quorum 2 }
state cured: bool = false
event payment_cured { invoice: string }
on payment_cured {
  require recorded by nimbus or recorded by board else "only nimbus or the board records a cure"
  set cured = true
}
""")
def cure(names):
    ev = {"type": "payment_cured", "date": "2026-03-01", "invoice": "INV-1"}
    if names is not None:
        ev["recorded_by"] = names
    return run("status", "--agreement", BOARD, "--events", tmpfile("cure.jsonl", json.dumps(ev) + "\n"),
               "--date", "2026-03-02", "--format", "json")
for names, ok in [(None, False), (["relay"], False), (["nimbus"], True), (["board.a"], False),
                  (["board.a", "board.a"], False), (["board.a", "board.c"], True), (["relay", "board.b", "board.c"], True),
                  (["board", "a", "b"], False)]:
    r = cure(names)
    check(f"recorded by: a cure recorded by {names} is {'accepted' if ok else 'refused'}",
          (r.rc == 0 and one(r)["state"] == {"cured": True}) if ok else
          (r.rc == 2 and "only nimbus or the board records a cure [guard_failed]" in r.err), r)

# ======================================================================================
# status
# ======================================================================================

TOTAL = 250_000_000_000  # "an incremental $250 billion of Azure services"
ev_buy = tmpfile("purchases.jsonl",
                 '{"type":"azure_purchase","date":"2026-03-31","amount_usd":25000000000}\n'
                 '{"type":"azure_purchase","date":"2027-01-15","amount_usd":5000000000}\n')


def status(date, events=None):
    args = ["status", "--date", date, "--format", "json"] + (["--events", events] if events else [])
    r = run(*args)
    return r, one(r)


r, s = status("2026-06-01")
check("status --format json: one JSON line with date, agreement, events, state, commitments, obligations, facts, clauses",
      r.rc == 0 and s is not None and list(s.keys()) ==
      ["date", "agreement", "events", "state", "commitments", "obligations", "facts", "clauses"], r)
check("status: the shipped agreement declares no first-class obligations: an empty list",
      s is not None and s.get("obligations") == [], s)
check("status: state.agi starts as none, state.declaration as no event (null); no events",
      s is not None and s["state"] == {"agi": "none", "declaration": None} and s["events"] == 0
      and s["date"] == "2026-06-01", s)
c = (s or {}).get("commitments", [{}])[0]
check("status: azure_services is $250bn owed by openai to microsoft, nothing fulfilled, integer amounts",
      c.get("id") == "azure_services" and c.get("owed_by") == "openai" and c.get("owed_to") == "microsoft"
      and c.get("total") == TOTAL and c.get("fulfilled") == 0 and c.get("remaining") == TOTAL
      and c.get("unit") == "USD" and c.get("deadline") is None
      and all(type(c.get(k)) is int for k in ("total", "fulfilled", "remaining")), c)
f = (s or {}).get("facts", {})
check("status: facts of each type (date, integer with unit, money)",
      f.get("signing_date", {}).get("value") == "2025-10-28"
      and f.get("microsoft_stake", {}).get("value") == 27 and f.get("microsoft_stake", {}).get("unit") == "percent"
      and f.get("microsoft_stake_value", {}).get("value") == 135_000_000_000, f)
cl = (s or {}).get("clauses", [])
check("status: clauses in file order, each {id, kind, in_effect, reason}",
      [x.get("id") for x in cl] == ORDER and all(x.get("kind") == CLAUSES[x["id"]]["kind"] for x in cl)
      and all(list(x.keys()) == ["id", "kind", "in_effect", "reason"] for x in cl)
      and all(x["reason"].startswith("in effect from 2025-10-28") for x in cl), cl)
check("status in 2026: every clause of the shipped agreement is in effect", all(x["in_effect"] for x in cl), cl)

_, s0 = status("2026-03-30", ev_buy)
_, s1 = status("2026-03-31", ev_buy)
_, s2 = status("2027-01-15", ev_buy)
cm = [(x or {}).get("commitments", [{}])[0] for x in (s0, s1, s2)]
check("azure_services arithmetic: 0, then 25bn (225bn left), then 30bn (220bn left)",
      [(x.get("fulfilled"), x.get("remaining")) for x in cm] ==
      [(0, TOTAL), (25_000_000_000, TOTAL - 25_000_000_000), (30_000_000_000, TOTAL - 30_000_000_000)]
      and [x.get("events") for x in (s0, s1, s2)] == [0, 1, 2], cm)
check("azure_services percent: 0, 10 and 12 percent",
      [x.get("percent") for x in cm] == [0, 10, 12], cm)

_, s = status("2029-06-01", ev_verified)
eff = {x["id"]: x["in_effect"] for x in (s or {}).get("clauses", [])}
check("status after verification: agi verified; `until agi == verified` clauses out of effect, others in",
      s is not None and s["state"] == {"agi": "verified", "declaration": 1}
      and eff.get("azure_api_exclusivity") is False and eff.get("revenue_share") is False
      and eff.get("research_ip") is False and eff.get("model_product_ip") is True
      and eff.get("api_on_azure") is True, s)
_, s = status("2031-01-01")
eff = {x["id"]: x["in_effect"] for x in (s or {}).get("clauses", [])}
check("status 2031: research IP (through 2030) over; model IP (through 2032) on",
      eff.get("research_ip") is False and eff.get("model_product_ip") is True, eff)
_, s = status("2025-10-27")
check("status before the effective date: no clause is in effect",
      s is not None and len(s["clauses"]) == len(ORDER) and not any(x["in_effect"] for x in s["clauses"]), s)

# "OpenAI contracted to purchase an incremental $250 billion of Azure services": counted from the
# signing, 2025-10-28 (`counted from azure_purchase.amount_usd since 2025-10-28`), and not from a
# purchase counted under the January 2025 commitment ("OpenAI makes a new, large Azure commitment
# (amount not disclosed)"), recorded as azure_purchase_prior_commitment. By hand:
#   2025-06-01  $5bn  azure_purchase, before the signing            -> not counted
#   2025-10-27  $1bn  azure_purchase, the day before the signing    -> not counted
#   2025-10-28  $3bn  azure_purchase, on the signing day            -> counted (on or after)
#   2025-11-15  $7bn  azure_purchase_prior_commitment               -> not counted
#   2026-02-01 $10bn  azure_purchase                                -> counted
# fulfilled: $3bn on 2025-10-28, $13bn on 2026-12-31 (5.2% of $250bn); $237bn remaining.
ev_window = tmpfile("window.jsonl",
                    '{"type":"azure_purchase","date":"2025-06-01","amount_usd":5000000000}\n'
                    '{"type":"azure_purchase","date":"2025-10-27","amount_usd":1000000000}\n'
                    '{"type":"azure_purchase","date":"2025-10-28","amount_usd":3000000000}\n'
                    '{"type":"azure_purchase_prior_commitment","date":"2025-11-15","amount_usd":7000000000}\n'
                    '{"type":"azure_purchase","date":"2026-02-01","amount_usd":10000000000}\n')
got = []
for day in ("2025-10-27", "2025-10-28", "2025-12-31", "2026-12-31"):
    _, s = status(day, ev_window)
    c = ((s or {}).get("commitments") or [{}])[0]
    got.append((day, c.get("fulfilled"), c.get("remaining")))
check("azure_services is incremental from 2025-10-28: nothing before it, nothing under the earlier commitment",
      got == [("2025-10-27", 0, TOTAL), ("2025-10-28", 3_000_000_000, TOTAL - 3_000_000_000),
              ("2025-12-31", 3_000_000_000, TOTAL - 3_000_000_000),
              ("2026-12-31", 13_000_000_000, TOTAL - 13_000_000_000)], got)
check("azure_services percent on 2026-12-31: 5.2", s is not None and c.get("percent") == 5.2, c)
# The window's parts on tests/lang/good/commitment_window.pact (docs/language.md#commitment), by hand:
#   2025-10-27 $1  incremental, buyer  : before both `since` days             -> nowhere
#   2025-10-31 3 units shipped         : before units_since's 2025-11-01      -> nowhere
#   2025-12-01 $2  incremental, buyer  : incremental_purchases; before 2026   -> $2
#   2026-01-01 $4  earlier, buyer      : not incremental; recorded_by_buyer   -> $4 there
#   2026-02-01 $8  incremental, seller : incremental_purchases only           -> $8
#   2026-03-01 close                   : phase = closed
#   2026-04-01 $32 incremental, buyer  : incremental_purchases; phase closed  -> $32
#   2030-01-01 $16 incremental, buyer  : incremental_purchases; not < cutoff  -> $16
# incremental_purchases $58, recorded_by_buyer $4, units_since 0.
cw = os.path.join(ROOT, "tests", "lang", "good", "commitment_window.pact")
ev_cw = tmpfile("cw.jsonl", "".join(json.dumps(e) + "\n" for e in [
    {"type": "purchase", "date": "2025-10-27", "amount": 1, "under": "incremental", "recorded_by": ["buyer"]},
    {"type": "shipment", "date": "2025-10-31", "units": 3},
    {"type": "purchase", "date": "2025-12-01", "amount": 2, "under": "incremental", "recorded_by": ["buyer"]},
    {"type": "purchase", "date": "2026-01-01", "amount": 4, "under": "earlier", "recorded_by": ["buyer"]},
    {"type": "purchase", "date": "2026-02-01", "amount": 8, "under": "incremental", "recorded_by": ["seller"]},
    {"type": "close", "date": "2026-03-01"},
    {"type": "purchase", "date": "2026-04-01", "amount": 32, "under": "incremental", "recorded_by": ["buyer"]},
    {"type": "purchase", "date": "2030-01-01", "amount": 16, "under": "incremental", "recorded_by": ["buyer"]}]))
r = run("status", "--agreement", cw, "--events", ev_cw, "--date", "2031-01-01", "--format", "json")
got = {c["id"]: c["fulfilled"] for c in (one(r) or {}).get("commitments", [])}
check("commitment windows: since, where on a field, recorded by, state before the event, a fact",
      r.rc == 0 and got == {"incremental_purchases": 58, "recorded_by_buyer": 4, "units_since": 0}, (r, got))
r = run("ledger", "--events", ev_window, "--date", "2026-12-31", "--format", "json")
led = one(r) or {}
periods = [(p.get("period"), p.get("amount")) for p in (led.get("commitments") or [{}])[0].get("periods", [])]
check("ledger: the months with a counted purchase are 2025-10 ($3bn) and 2026-02 ($10bn) only",
      r.rc == 0 and [p for p in periods if p[1]] == [("2025-10", 3_000_000_000), ("2026-02", 10_000_000_000)],
      (r, periods))

r = run("status", "--date", "2027-01-15", "--events", ev_buy)
check("status text: state, the commitment and its id, facts, clauses",
      r.rc == 0 and "agi = none" in r.out and "azure_services" in r.out and "signing_date" in r.out
      and "revenue_share" in r.out and "(2 events)" in r.out, r)
r = run("status", "--date", "2026-13-01")
check("status with a malformed --date exits 2", r.rc == 2 and r.out == "", r)

# A negative amount counted toward a commitment is rejected (docs/formats.md, negative_amount),
# down to -2^63 millionths of a dollar, so `fulfilled` never goes below 0 and `remaining` never wraps around.
ev_min = tmpfile("min.jsonl", '{"type":"azure_purchase","date":"2026-01-01","amount_usd":5}\n'
                 '{"type":"azure_purchase","date":"2026-01-02","amount_usd":"-9223372036854.775808"}\n')
r = run("status", "--events", ev_min, "--date", "2026-02-01", "--format", "json")
check("a purchase of -2^63 millionths of a dollar: rejected at line 2 with [negative_amount], no crash",
      sane(r) and r.rc == 2 and r.out == "" and r.err.startswith(f"{ev_min}:2: error: ")
      and "[negative_amount]" in r.err, r)
r = run("status", "--date=2026-06-01", "--format=json")
check("--opt=value forms", r.rc == 0 and (one(r) or {}).get("date") == "2026-06-01", r)

# ======================================================================================
# clauses and explain
# ======================================================================================

r = run("clauses")
check("clauses (text) lists every clause with its kind",
      r.rc == 0 and all(re.search(rf"^{cid}\s+{CLAUSES[cid]['kind']}", r.out, re.M) for cid in ORDER), r)
r = run("clauses", "--format", "json")
try:
    cj = json.loads(r.out)
except ValueError:
    cj = None
check("clauses --format json: every clause in file order with kind, principal and action",
      r.rc == 0 and isinstance(cj, list) and [x["id"] for x in cj] == ORDER
      and all(x["kind"] == CLAUSES[x["id"]]["kind"] and x["principal"] == CLAUSES[x["id"]]["principal"]
              and x["action"] == CLAUSES[x["id"]]["action"] for x in cj), r)
byid = {x["id"]: x for x in cj or []}
check("clauses json: windows, conditions and exceptions as written",
      byid.get("model_product_ip", {}).get("window") == "from 2025-10-28 (the effective date), through 2032-12-31"
      and byid.get("model_product_ip", {}).get("when") == "resource.ip_kind in [model, product]"
      and byid.get("open_weight_models", {}).get("requires") == "resource.meets_capability_criteria"
      and byid.get("national_security_any_cloud", {}).get("exception_to") ==
      ["azure_api_exclusivity", "third_party_api_on_azure"]
      and byid.get("revenue_share", {}).get("window") == "from 2025-10-28 (the effective date), until agi == verified"
      and byid.get("model_product_ip", {}).get("quotes", [{}])[0].get("text") == CLAUSES["model_product_ip"]["text"],
      (byid.get("model_product_ip"), byid.get("revenue_share")))
r = run("clauses", "--agreement", RESELLER, "--format", "json")
check("clauses --agreement cloud-reseller: its 15 clauses in file order",
      r.rc == 0 and [x["id"] for x in json.loads(r.out or "[]")] == R_ORDER and len(R_ORDER) == 15, r)

SERVE_API = [cid for cid in ORDER if CLAUSES[cid]["action"] == "serve_api"]
r = run("explain", "--request", req("openai", "serve_api", "2027-05-01", context={"cloud": "aws"}))
check("explain text: every clause of the principal and action, and no other",
      r.rc == 0 and all(cid in r.out for cid in SERVE_API) and "revenue_share" not in r.out
      and "model_product_ip" not in r.out, r)
check("explain text: tests held and FAILED, quotes, and the final decision",
      "held" in r.out and "FAILED" in r.out and f'"{CLAUSES["azure_api_exclusivity"]["text"]}"' in r.out
      and re.search(r"^decision deny$", r.out, re.M) is not None and "azure_api_exclusivity" in
      r.out[r.out.find("\ndecision deny"):], r)
r = run("explain", "--format", "json", "--request", req("openai", "serve_api", "2027-05-01", context={"cloud": "aws"}))
e = one(r)
dd = one(run("decide", "--request", req("openai", "serve_api", "2027-05-01", context={"cloud": "aws"})))
# The request's attributes, with the defaults of serve_api filled in (built_with_third_party = false,
# customer_segment = "commercial").
check("explain --format json: request with its attributes, state, clauses (serve_api only, file order), decision",
      r.rc == 0 and e is not None and list(e.keys()) == ["request", "state", "clauses", "decision"]
      and e["request"] == {"principal": "openai", "action": "serve_api", "resource": {"built_with_third_party": False},
                           "context": {"cloud": "aws", "customer_segment": "commercial"}, "date": "2027-05-01"}
      and [x["clause"] for x in e["clauses"]] == SERVE_API and e["decision"] == dd, r)
roles = {x["clause"]: (x["applies"], x["role"]) for x in (e or {}).get("clauses", [])}
check("explain json: the exclusivity is determining, the Azure permission does not apply",
      roles.get("azure_api_exclusivity") == (True, "determining")
      and roles.get("api_on_azure") == (False, "not_applicable"), roles)
# Request strings are data: in the text trace they must be escaped, so a value holding a newline
# cannot add lines of its own (here, a forged "decision allow" above the real "decision deny").
r = run("explain", "--request", req("openai", "serve_api", "2027-05-01", context={"cloud": "aws\ndecision allow\n"}))
check("explain text escapes request strings: one 'decision' line, and it is the real one (deny)",
      r.rc == 0 and re.findall(r"^decision .*$", r.out, re.M) == ["decision deny"], r)
r = run("explain", "--format", "json", stdin=ok_line + "\n\nnot json\n")
outs = r.out.splitlines()
check("explain reads JSONL too: a trace, then an error line for line 3; exit 2",
      r.rc == 2 and len(outs) == 2 and json.loads(outs[0])["decision"]["decision"] == "allow"
      and json.loads(outs[1])["error"]["line"] == 3, r)

# ======================================================================================
# check
# ======================================================================================

r = run("check", RESELLER)
check("check on a good file exits 0 with an ok summary",
      r.rc == 0 and r.out.startswith(f"{RESELLER}: ok: acme-cloud-reseller 1.0\n") and r.err == "", r)
r = run("check", "--format", "json", RESELLER)
cj = one(r)
text = open(RESELLER).read()
kinds = re.findall(r"^(permission|prohibition|obligation)\s", text, re.M)
check("check --format json: counts match the file (clauses by kind, exceptions, commitments, facts)",
      r.rc == 0 and cj is not None and cj["ok"] is True and cj["file"] == RESELLER
      and cj["clauses"] == len(kinds) and cj["permissions"] == kinds.count("permission")
      and cj["prohibitions"] == kinds.count("prohibition") and cj["obligations"] == kinds.count("obligation")
      and cj["exceptions"] == sum(1 for c in R_CLAUSES.values() if c["excepts"])
      and cj["commitments"] == len(re.findall(r"^commitment\s", text, re.M))
      and cj["facts"] == len(re.findall(r"^fact\s", text, re.M))
      and cj["actions"] == len(re.findall(r"^action\s", text, re.M))
      and cj["events"] == len(re.findall(r"^event\s", text, re.M)), r)
bad = tmpfile("bad.pact", 'agreement "t" { version "1" effective 2025-01-01 }\nparty a\naction act by a, b\n')
r = run("check", bad)
check("check on a bad file exits 1 with file:line:col diagnostics on stderr and nothing on stdout",
      r.rc == 1 and r.out == "" and r.err.startswith(f"{bad}:3:18: error: unknown party 'b'\n"), r)
r = run("check", os.path.join(TMP, "missing.pact"))
check("check on a missing file exits 2", r.rc == 2 and "missing.pact" in r.err, r)
r = run("check", RESELLER, bad)
check("check on several files: exit 1 when one is bad; the good one is still summarised",
      r.rc == 1 and f"{RESELLER}: ok:" in r.out and "unknown party 'b'" in r.err, r)
r = run("check", "--format", "jsonl", RESELLER)
check("check --format jsonl is not a format: exit 2", r.rc == 2 and "jsonl" in r.err, r)
r = run("check", "--sources", os.path.join(TMP, "nowhere"), RESELLER)
check("check --sources with an unreadable source document exits 1",
      r.rc == 1 and "cloud-reseller.txt" in r.err, r)
r = run("check", "--format", "json", bad, os.path.join(TMP, "missing.pact"), RESELLER)
outs = jlines(r.out) if r.out.strip() else []
check("check --format json: one line per file, failed loads as {file, ok:false, error}; worst exit (2)",
      r.rc == 2 and len(outs) == 3 and outs[0] == {"file": bad, "ok": False, "error": "invalid"}
      and outs[1] == {"file": os.path.join(TMP, "missing.pact"), "ok": False, "error": "unreadable"}
      and outs[2]["ok"] is True and outs[2]["file"] == RESELLER and "unknown party 'b'" in r.err, r)
r = run("check")
check("check with no file exits 2", r.rc == 2, r)
r = run("decide", "--agreement", bad, "--request", deny_line)
check("decide with a bad --agreement exits 2 with its diagnostics", r.rc == 2 and "unknown party 'b'" in r.err, r)

# ======================================================================================
# --agreement: the engine is general (cloud-reseller)
# ======================================================================================


def rdecide(date, resource=None, context=None, action="resell_service"):
    return one(run("decide", "--agreement", RESELLER, "--request",
                   req("relay", action, date, resource=resource, context=context)))


base = {"region": "eu-west", "customer_kind": "commercial", "seats": 20, "deal_value": 50_000}
d = rdecide("2026-06-01", {"tier": "standard"}, base)
check("cloud-reseller: a plain resale is allowed by general_resale, valid until 2029-01-01",
      d is not None and d["decision"] == "allow" and d["determining"] == [clause_obj("general_resale", R_CLAUSES)]
      and d["valid_until"].get("date") == "2029-01-01" and d["agreement"] == {"id": "acme-cloud-reseller", "version": "1.0"},
      d)
# Sovereign tier, polar-north, public sector: the ban is overridden by the carve-out, which is
# overridden by the sovereign exclusion; general_resale is a permission beaten by a prohibition.
d = rdecide("2026-06-01", {"tier": "sovereign"}, dict(base, region="polar-north", customer_kind="public_sector"))
check("cloud-reseller: an exception chain (1.2 <- 1.3 <- 1.4) ends in deny by sovereign_tier_excluded",
      d is not None and d["decision"] == "deny"
      and d["determining"] == [clause_obj("sovereign_tier_excluded", R_CLAUSES)]
      and d["overridden"] == ["general_resale", "polar_north_ban", "public_sector_carveout"], d)
d = rdecide("2026-06-01", {"tier": "premium"}, dict(base, customer_kind="education", seats=5, free_evaluation=True))
check("cloud-reseller: two exceptions to 1.1 that disagree give a conflict naming both",
      d is not None and d["decision"] == "conflict"
      and sorted(c["clause"] for c in d["determining"]) == ["premium_seat_minimum", "trial_for_education"], d)
d = rdecide("2026-06-01", {"tier": "standard"}, dict(base, deal_value=1_000_000))
check("cloud-reseller: a $1,000,000 resale attaches the large-deal obligation",
      d is not None and d["decision"] == "allow"
      and d["obligations"] == [clause_obj("large_deal_notice", R_CLAUSES)], d)
disc = {"discount_pct": 25, "deal_value": 200_000}
d1 = rdecide("2026-09-30", context=disc, action="offer_discount")
d2 = rdecide("2026-10-01", context=disc, action="offer_discount")
check("cloud-reseller: a 25% discount is allowed through the launch promotion's last day, denied after",
      d1 is not None and d2 is not None and d1["decision"] == "allow" and "discount_cap" in d1["overridden"]
      and d2["decision"] == "deny" and [c["clause"] for c in d2["determining"]] == ["discount_cap"], (d1, d2))
ev_res = tmpfile("reseller.jsonl",
                 '{"type":"payment_missed","date":"2026-05-10","invoice":"INV-7"}\n'
                 '{"type":"volume_purchase","date":"2026-05-11","amount_usd":100}\n')
r = run("decide", "--agreement", RESELLER, "--events", ev_res, "--request", deny_line)
check("cloud-reseller: a purchase while suspended is rejected by its guard, naming line 2",
      r.rc == 2 and r.err.startswith(f"{ev_res}:2: error: ") and
      "only purchases booked while the agreement is active count" in r.err and "[guard_failed]" in r.err, r)

# ======================================================================================
# demo
# ======================================================================================

samples = [json.loads(l) for l in open(SAMPLE) if l.strip() and not l.startswith("#")]
r = run("demo")
titles = re.findall(r"^== (.*)$", r.out, re.M)
decisions = re.findall(r"^decision (\w+)$", r.out, re.M)
check("demo exits 0 and explains every sample, each with a decision",
      r.rc == 0 and titles == [s["title"] for s in samples] and len(decisions) == len(samples), r)
# The first six samples, reasoned from the agreement: exclusivity; national-security carve-out;
# after verification; model IP on the last day of 2032 and the first of 2033; open weights that
# fail the capability criteria.
check("demo: the first samples decide as the agreement says",
      decisions[:6] == ["deny", "allow", "not_applicable", "allow", "not_applicable", "deny"], decisions)

r = run("demo", "--agreement", RESELLER)
check("demo does not take --agreement: exit 2", r.rc == 2 and "--agreement" in r.err, r)
r = run("help", "frobnicate")
check("help with a name that is not a command prints the general usage", r.rc == 0 and "usage: pactum" in r.out, r)

# ======================================================================================
# Hostile input: never crash
# ======================================================================================

r = run("decide", stdin=b"")
check("decide with empty stdin: no output, exit 0", r.rc == 0 and r.out == "" and sane(r), r)
r = run("explain", stdin=b"\n\n  \n")
check("explain with only blank lines: no output, exit 0", r.rc == 0 and r.out == "" and sane(r), r)

big = json.dumps({"principal": "openai", "action": "serve_api",
                  "context": {"date": "2027-05-01", "cloud": "x" * (1 << 20)}})
r = run("decide", stdin=big + "\n")
d = one(r)
check("a 1 MB JSON line is decided (a cloud that is not Azure: deny)",
      sane(r) and r.rc == 0 and d is not None and d["decision"] == "deny", r)
r = run("decide", "--request", json.dumps({"principal": "openai", "action": "serve_api", "id": "y" * 100000,
                                           "context": {"date": "2027-05-01", "cloud": "azure"}}))
check("a 100 KB --request (near the argument size limit) with a large id is decided", sane(r) and (one(r) or {}).get("decision") == "allow", r)

junk = os.urandom(1 << 16)
r = run("decide", "--date", "2027-05-01", stdin=junk)
try:
    outs = jlines(r.out)
except ValueError:
    outs = None
check("binary junk on stdin: only error lines, exit 2, no crash",
      sane(r) and r.rc == 2 and outs is not None and len(outs) > 0 and all("error" in o for o in outs), r)
r = run("decide", stdin=b"\x00\x00\x00\n\xff\xfe{\n")
check("NUL and invalid UTF-8 bytes on stdin: error lines, exit 2", sane(r) and r.rc == 2 and len(jlines(r.out)) == 2, r)

r = run("decide", stdin=ok_line + ok_line + "\n")
check("two requests on one line: bad_json", r.rc == 2 and (one(r) or {}).get("error", {}).get("code") == "bad_json", r)
many = [ok_line if i % 3 else deny_line for i in range(20000)]
r = run("decide", stdin="\n".join(many) + "\n")
try:
    outs = [o["decision"] for o in jlines(r.out)]
except (ValueError, KeyError):
    outs = None
check("20000 requests: 20000 decisions, in order",
      r.rc == 0 and outs == ["allow" if i % 3 else "deny" for i in range(20000)], r)
r = run("decide", stdin="[" * 100000 + "\n")
check("100000 nested '[': one error line, exit 2, no crash",
      sane(r) and r.rc == 2 and (one(r) or {}).get("error", {}).get("line") == 1, r)
r = run("decide", stdin='{"principal":"openai","action":"serve_api","context":' * 50000 + "\n")
check("deeply nested objects: an error line, no crash", sane(r) and r.rc == 2, r)
r = run("decide", "--request", req("openai", "serve_api", "2027-05-01", context={"cloud": "a\u0000b"}))
check("a string with an escaped NUL: an error or a decision, no crash", sane(r) and r.rc in (0, 2) and one(r) is not None, r)
r = run("decide", "--request", '{"principal":"openai","action":"serve_api","context":{"date":"2027-05-01","cloud":"aws"},'
        '"id":99999999999999999999999999}')
check("an integer too large for 64 bits: an error line, no crash", sane(r) and r.rc == 2, r)

r = run("status", "--date", "2026-01-01", "--events", tmpfile("junk-events.jsonl", os.urandom(1 << 14)))
check("binary junk as --events: exit 2, no crash", sane(r) and r.rc == 2 and r.out == "", r)

hdr = 'agreement "t" { version "1" effective 2025-01-01 }\nparty a\n'
longline = tmpfile("long.pact", hdr + "party " + "x" * (1 << 20) + " @ y\n")
r = run("check", longline)
check("a 1 MB .pact line: errors with a windowed source line, no crash",
      sane(r) and r.rc == 1 and "unexpected character '@'" in r.err and len(r.err) < 4096, r)
longnote = tmpfile("longnote.pact", hdr + 'party b "' + "n" * (1 << 20) + '"\n')
r = run("check", longnote)
check("a valid .pact with a 1 MB string: ok", sane(r) and r.rc == 0 and ": ok: t 1" in r.out, r)

rnd = tmpfile("random.pact", os.urandom(1 << 18))
r = run("check", rnd)
check("/dev/urandom bytes as a .pact: exit 1, at most 100 errors reported, no crash",
      sane(r) and r.rc == 1 and 0 < r.err.count(": error: ") <= 101, r)
r = run("decide", "--agreement", rnd, "--request", deny_line)
check("/dev/urandom bytes as --agreement: exit 2, no crash", sane(r) and r.rc == 2 and r.out == "", r)

deep = tmpfile("deep.pact", hdr + 'source doc official "doc.txt"\naction act by a { resource f: bool = false }\n'
               'permission p { principal a action act when ' + "(" * 100000 + "resource.f" + ")" * 100000 +
               ' quote doc "x" }\n')
r = run("check", deep)
check("a .pact with 100000 nested parentheses: a nesting error, exit 1, no crash",
      sane(r) and r.rc == 1 and "condition nested too deeply" in r.err, r)
nots = tmpfile("nots.pact", hdr + 'source doc official "doc.txt"\naction act by a { resource f: bool = false }\n'
               'permission p { principal a action act when ' + "not " * 100000 + 'resource.f quote doc "x" }\n')
r = run("check", nots)
check("a .pact with 100000 nested 'not': a nesting error, exit 1, no crash",
      sane(r) and r.rc == 1 and "condition nested too deeply" in r.err, r)

# Size: a 1 MB line declaring an enum of ~145000 members, and 200000 clauses of one principal and
# action (8 MB). These are not speed checks (speed lives in bench/): the 120 s bound only catches a
# load that went quadratic, which at this size would take hours.
members, size = [], 0
while size < (1 << 20):
    members.append(f"m{len(members)}")
    size += len(members[-1]) + 1
enum_pact = tmpfile("enum-1mb.pact", hdr + "action act by a { resource k: enum {" + ",".join(members) + "} }\n")
r = run("check", enum_pact, timeout=120)
check("a 1 MB line holding one enum of ~145000 members checks, without a time-out",
      sane(r) and r.rc == 0, r)
many_pact = tmpfile("many-clauses.pact", hdr + 'source doc official "doc.txt"\naction act by a\n' +
                    "".join(f'permission p{i} {{ principal a action act quote doc "x" }}\n' for i in range(200000)))
r = run("check", many_pact, timeout=120)
check("200000 clauses of one principal and action check, without a time-out",
      sane(r) and r.rc == 0, r)
r = run("check", tmpfile("empty.pact", b""))
check("an empty .pact: exit 1 with 'empty agreement'", sane(r) and r.rc == 1 and "empty agreement" in r.err, r)
r = run("check", TMP)
check("a directory as the .pact: exit 2 (cannot read), no crash", sane(r) and r.rc == 2, r)

finish()
