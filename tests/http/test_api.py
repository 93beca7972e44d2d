#!/usr/bin/env python3
"""The endpoints of `pactum serve`, each checked against the agreement's text, an independent
computation, or the `pactum` CLI run on the same store.

    python3 tests/http/test_api.py PACTUM

Expected outcomes follow from the shipped agreement: azure_api_exclusivity forbids serving the API
off Azure `until agi == verified` (so AWS is denied until the panel's verdict, and not_applicable
after it, as nothing else permits AWS for commercial customers); national_security_any_cloud is an
exception to it for customer_segment "us_gov_national_security"; api_on_azure allows Azure.
"""
import json
import os
import re
import hashlib
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serverlib import *  # noqa: E402,F401,F403
import serverlib as L  # noqa: E402

tokens = write_tokens()
srv = Server("--tokens", tokens, name="api")


def cli(*args, stdin=""):
    p = subprocess.run([PACTUM, *args], input=stdin, capture_output=True, text=True, timeout=60, cwd=TMP)
    return p


def cli_json(*args, stdin=""):
    p = cli(*args, stdin=stdin)
    if p.returncode != 0:
        return ("exit %d" % p.returncode, p.stderr)
    return json.loads(p.stdout)


def pact_names(pact, kinds):
    with open(pact) as f:
        return [m.group(2) for m in re.finditer(r"(?m)^(%s) ([a-z_][a-z0-9_]*)\b" % "|".join(kinds), f.read())]


# ---- healthz, agreement, vocabulary, clauses ------------------------------------------------------

r = srv.get("/healthz")
check("GET /healthz: 200 {\"ok\":true}", r.status == 200 and r.json() == {"ok": True}, r)

r = srv.get("/v1/agreement")
a = r.json() or {}
with open(MSFT, encoding="utf-8") as f:
    msft_src = f.read()
check("GET /v1/agreement: 200 application/json", r.status == 200 and r.header("Content-Type") == "application/json", r)
check("agreement: hash is the SHA-256 of the .pact file", a.get("hash") == sha256_file(MSFT), a.get("hash"))
check("agreement: source is the .pact file's text", a.get("source") == msft_src)
check("agreement: id, version and effective date", (a.get("id"), a.get("version"), a.get("effective")) ==
      ("microsoft-openai", "2025-10-28", "2025-10-28"), {k: a.get(k) for k in ("id", "version", "effective")})
check("agreement: parties are the file's parties", sorted(p["id"] for p in a.get("parties", [])) == sorted(pact_names(MSFT, ["party"])))
check("agreement: the panel has five members and a quorum of three",
      a.get("bodies") == [{"id": "panel", "title": "Independent expert panel",
                           "members": ["expert_1", "expert_2", "expert_3", "expert_4", "expert_5"], "quorum": 3}], a.get("bodies"))
check("agreement: the sources are listed", sorted(s["id"] for s in a.get("sources", [])) == sorted(pact_names(MSFT, ["source"])),
      a.get("sources"))
if SQLITE3:
    meta = subprocess.run([SQLITE3, srv.db, "SELECT value FROM meta WHERE key='agreement_hash'"], capture_output=True, text=True)
    check("agreement: the store is bound to the same hash", meta.stdout.strip() == a.get("hash"), meta.stdout + meta.stderr)

r = srv.get("/v1/vocabulary")
v = r.json() or {}
acts = {x["name"]: x for x in v.get("actions", [])}
check("GET /v1/vocabulary: every action of the file, in file order",
      [x["name"] for x in v.get("actions", [])] == pact_names(MSFT, ["action"]), list(acts))
sa = {x["name"]: x for x in acts.get("serve_api", {}).get("attributes", [])}
check("vocabulary: serve_api is OpenAI's, with cloud, customer_segment and built_with_third_party",
      acts.get("serve_api", {}).get("principals") == ["openai"]
      and sa.get("cloud") == {"name": "cloud", "scope": "context", "type": "string", "default": "azure"}
      and sa.get("customer_segment", {}).get("default") == "commercial"
      and sa.get("built_with_third_party") == {"name": "built_with_third_party", "scope": "resource", "type": "bool",
                                                "default": False}, acts.get("serve_api"))
ik = {x["name"]: x for x in acts.get("use_ip", {}).get("attributes", [])}.get("ip_kind", {})
check("vocabulary: an enum attribute lists its members", ik.get("type") == "enum" and
      ik.get("members") == ["model", "product", "research", "consumer_hardware"], ik)

r = srv.get("/v1/clauses")
cl = r.json() or []
check("GET /v1/clauses: every permission, prohibition and obligation of the file, in order",
      [c.get("id") for c in cl] == pact_names(MSFT, ["permission", "prohibition", "obligation"]), [c.get("id") for c in cl])
check("clauses: the same as `pactum clauses --format json`", cl == cli_json("clauses", "--format", "json"))
ns = [c for c in cl if c.get("id") == "national_security_any_cloud"]
check("clauses: national_security_any_cloud is an exception to azure_api_exclusivity and third_party_api_on_azure",
      ns and ns[0]["kind"] == "permission" and ns[0]["exception_to"] == ["azure_api_exclusivity", "third_party_api_on_azure"], ns)

# Another agreement: its own hash and vocabulary.
res = Server("--agreement", RESELLER, name="reseller")
ra = res.get("/v1/agreement").json() or {}
with open(RESELLER, encoding="utf-8") as f:
    check("--agreement cloud-reseller.pact: hash is its SHA-256 and source its text",
          ra.get("hash") == sha256_file(RESELLER) and ra.get("source") == f.read(), ra.get("hash"))
check("--agreement cloud-reseller.pact: vocabulary lists its actions",
      [x["name"] for x in (res.get("/v1/vocabulary").json() or {}).get("actions", [])] == pact_names(RESELLER, ["action"]))
check("cloud-reseller server: SIGTERM exits 0", res.stop() == 0)

# ---- Events: POST, GET, and time travel ------------------------------------------------------------

A = bytes.fromhex(sha256_file(MSFT))
chain = [A]  # chain[n] is hash(n): the agreement hash, then each record's, computed here


def expect_head(records):
    """The chain head after appending records (as stored), computed as docs/store.md defines it."""
    for e in records:
        chain.append(L.chain_hash(len(chain), chain[-1], e))
    return len(chain) - 1, chain[-1].hex()


def decide(rq):
    r = srv.post("/v1/decide", rq)
    return (r.json() or {}).get("decision") if r.status == 200 else r


def status(date):
    return srv.get("/v1/status?date=" + date).text


# A new store holds one record, its settings: store_created, seq 1 (docs/store.md).
r = srv.get("/v1/events")
j = r.json() or {}
SC = (j.get("events") or [{}])[0].get("event")
check("GET /v1/events on a new store: only its settings record, store_created at seq 1",
      r.status == 200 and [x.get("seq") for x in j.get("events", [])] == [1] and not L.store_created_problems(SC, MSFT),
      "%s\n%r" % (L.store_created_problems(SC, MSFT), r))
seq, head = expect_head([SC])
check("GET /v1/events on a new store: the head is seq 1, hashed from the agreement hash and the record",
      j.get("head") == {"seq": 1, "hash": head} and j.get("next") == 1 and j.get("more") is False, j)
st = srv.get("/v1/store").json() or {}
check("GET /v1/store: the store's id is the one its settings record holds, and its agreement the file's",
      st.get("id") == (SC or {}).get("store") and st.get("agreement") == {"id": "microsoft-openai", "version": "2025-10-28",
                                                                         "hash": A.hex()}, st)
# Before any event: AWS is denied on every date.
before_verdict = {d: decide(aws(d)) for d in ("2026-08-31", "2026-09-01", "2027-01-01")}
check("before the verdict: AWS is denied on 2026-08-31, 2026-09-01 and 2027-01-01",
      list(before_verdict.values()) == ["deny"] * 3, before_verdict)
status_early = status("2026-03-01")

# The events follow, each stored with recorded_by: the signer of the token that posted it.
E1 = [purchase("2026-01-15", 1000), purchase("2026-04-10", 2000)]
r = srv.post("/v1/events", E1, headers=bearer("openai"))
seq, head = expect_head([by("openai", e) for e in E1])
check("POST /v1/events, a batch of 2 purchases: recorded 2, seq 2..3, the head computed independently",
      r.status == 200 and r.json() == {"recorded": 2, "first": 2, "last": 3, "head": {"seq": seq, "hash": head}}, r)
E2 = declared("2026-06-01")
r = srv.post("/v1/events", E2, headers=bearer("openai"))
seq, head = expect_head([by("openai", E2)])
check("POST /v1/events, a single object (OpenAI declares AGI): seq 4",
      r.status == 200 and r.json() == {"recorded": 1, "first": 4, "last": 4, "head": {"seq": seq, "hash": head}}, r)
check("after the declaration: AWS still denied (pending is not verified)", decide(aws("2027-01-01")) == "deny")

# The verdict is the panel's: recorded by 3 of its 5 members, so each member's token is one vote.
E3 = verdict("2026-09-01", "verified", r.json()["first"] if r.status == 200 else 0)  # names the declaration
PID = hashlib.sha256(L.canonical(E3)).hexdigest()  # a proposal is named by the event's canonical hash
t0 = int(time.time())
v1 = srv.post("/v1/events", E3, headers=bearer("panel.expert_3"))
t1 = int(time.time())
p1 = (v1.json() or {}).get("proposal", {})
check("POST /v1/events, a panel member's verdict: 202, a vote, 1 of the quorum of 3, not recorded",
      v1.status == 202 and list(v1.json()) == ["proposal"] and p1.get("id") == PID and p1.get("body") == "panel"
      and p1.get("votes") == 1 and p1.get("needed") == 3 and p1.get("recorded") is False, v1)
check("the vote lapses after --vote-ttl (default 86400 s): expires is the Unix time then",
      t0 + 86400 <= p1.get("expires", 0) <= t1 + 86400, p1.get("expires"))
check("after one vote the verdict is not in the record: AWS still denied", decide(aws("2027-01-01")) == "deny")
v2 = srv.post("/v1/events", E3, headers=bearer("panel.expert_1"))
check("a second member's vote: 202, 2 of 3", v2.status == 202 and v2.json()["proposal"]["votes"] == 2, v2)
pr = srv.get("/v1/proposals").json() or {}
pp = (pr.get("proposals") or [{}])[0]


def utc(t):
    return time.mktime(time.strptime(t, "%Y-%m-%dT%H:%M:%SZ")) if isinstance(t, str) else None


votes = pp.get("votes", [])
check("GET /v1/proposals: the pending verdict, its event, the quorum and its two voters, oldest first (by name in a second)",
      len(pr.get("proposals", [])) == 1 and pp.get("id") == PID and pp.get("body") == "panel" and pp.get("needed") == 3
      and pp.get("event") == E3 and sorted(x.get("voter") for x in votes) == ["panel.expert_1", "panel.expert_3"]
      and votes == sorted(votes, key=lambda x: (utc(x.get("voted")), x.get("voter"))) and pr.get("vote_ttl") == 86400, pr)
check("GET /v1/proposals: each vote's time and when it lapses, in UTC, --vote-ttl apart",
      all(utc(x.get("expires")) - utc(x.get("voted")) == 86400 for x in pp.get("votes", [])), pp.get("votes"))
v3 = srv.post("/v1/events", E3, headers=bearer("panel.expert_2"))
seq, head = expect_head([L.by_panel(E3, ["panel.expert_3", "panel.expert_1", "panel.expert_2"])])
check("the third member's vote reaches the quorum: 200, recorded at seq 5, the head computed with its voters, sorted",
      v3.status == 200 and v3.json() == {"recorded": 1, "first": 5, "last": 5, "head": {"seq": seq, "hash": head},
                                         "proposal": {"id": PID, "body": "panel", "votes": 3, "needed": 3,
                                                      "expires": v3.json()["proposal"]["expires"], "recorded": True}}, v3)
check("GET /v1/proposals: none pending once it is recorded", (srv.get("/v1/proposals").json() or {}).get("proposals") == [])

after_verdict = {d: decide(aws(d)) for d in ("2026-08-31", "2026-09-01", "2027-01-01")}
check("time travel: the verdict dated 2026-09-01 leaves 2026-08-31 denied",
      after_verdict["2026-08-31"] == "deny", after_verdict)
check("time travel: from 2026-09-01 on AWS is not_applicable (the exclusivity ended)",
      after_verdict["2026-09-01"] == "not_applicable" and after_verdict["2027-01-01"] == "not_applicable", after_verdict)
check("time travel: status on 2026-03-01 is the same except for the purchase of 2026-01-15",
      json.loads(status("2026-03-01"))["commitments"][0]["fulfilled"] == 1000
      and json.loads(status_early)["commitments"][0]["fulfilled"] == 0)

ALL = [by("openai", e) for e in E1 + [E2]] + [L.by_panel(E3)]
r = srv.get("/v1/events")
check("GET /v1/events: store_created and the 4 events with seqs 2..5, each with its recorded_by, and the head",
      r.status == 200 and r.json() == {"events": [{"seq": i + 1, "event": e} for i, e in enumerate([SC] + ALL)],
                                       "head": {"seq": 5, "hash": head}, "next": 5, "more": False}, r)
r = srv.get("/v1/events?since=3")
check("GET /v1/events?since=3: seqs 4 and 5 (those after 3)",
      r.status == 200 and [x["seq"] for x in r.json()["events"]] == [4, 5] and r.json()["head"]["seq"] == 5, r)
r = srv.get("/v1/events?since=5")
check("GET /v1/events?since=5: none", r.status == 200 and r.json()["events"] == [], r)
r = srv.get("/v1/events?since=99")
check("GET /v1/events?since=99: none, head still 5", r.status == 200 and r.json()["events"] == [] and r.json()["head"]["seq"] == 5, r)
# Pages: at most `limit` events, then `next`, the since to ask for, and whether `more` follow.
r = srv.get("/v1/events?limit=1")
check("GET /v1/events?limit=1: seq 1 only, next 1, more follow, the head is still 5",
      r.status == 200 and [x["seq"] for x in r.json()["events"]] == [1] and r.json()["next"] == 1
      and r.json()["more"] is True and r.json()["head"]["seq"] == 5, r)
pages, since = [], 0
while len(pages) < 10:
    j = srv.get("/v1/events?since=%d&limit=3" % since).json()
    pages.append([x["seq"] for x in j["events"]])
    since = j["next"]
    if not j["more"]:
        break
check("following next with limit=3 reads seqs 1..3, then 4..5, and stops", pages == [[1, 2, 3], [4, 5]], pages)
r = srv.get("/v1/events?since=99")
check("GET /v1/events?since=99: next stays 99, nothing more", r.status == 200 and r.json()["next"] == 99
      and r.json()["more"] is False, r)
for bad in ("limit=0", "limit=10001", "limit=x", "limit=-1", "since=1&limit=1.5"):
    check("GET /v1/events?%s: 400 bad_argument" % bad, is_json_error(srv.get("/v1/events?" + bad), 400, "bad_argument"))
r = srv.get("/v1/events?limit=10000")
check("GET /v1/events?limit=10000 (the most): 200", r.status == 200 and len(r.json()["events"]) == 5, r)
check("pactum events --db shows the same 4 events", pactum_events(srv.db) == ALL)
check("pactum events --db shows the settings record first", pactum_events(srv.db, own=True) == [SC] + ALL)
check("pactum audit head --db agrees with the head", cli("audit", "head", "--db", srv.db).stdout.strip() == head)

# ---- The transparency log: tree heads and proofs, against the chain computed here ---------------

VERIFY = os.path.join(ROOT, "tools", "verify_proof.py")


def verify_inclusion(index, size, leaf, path, root):
    """RFC 9162, 2.1.3.2: does path prove leaf hash `leaf` at index in the tree of size with root?"""
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = hashlib.sha256(b"\x01" + p + r).digest()
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = hashlib.sha256(b"\x01" + r + p).digest()
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


st = srv.get("/v1/store").json() or {}
check("GET /v1/store: the events tree of 5 records, its head, and the RFC 9162 root over the chain hashes computed here",
      st.get("events") == {"size": 5, "head": head, "root": L.merkle_root(chain[1:]).hex()}, st.get("events"))
check("GET /v1/store: the settings the store was made with (no signatures required, no bootstrap keys)",
      st.get("settings") == {"require_signatures": False, "bootstrap": None}, st.get("settings"))
for seq_, size_ in ((2, 4), (5, 5), (1, 1)):
    r = srv.get("/v1/proof?seq=%d&size=%d" % (seq_, size_))
    pf = r.json() or {}
    rec_ = pf.get("record", {})
    check("GET /v1/proof?seq=%d&size=%d: the record as stored, and a path that proves it against the root of %d records"
          % (seq_, size_, size_),
          r.status == 200 and pf.get("proof") == "inclusion" and pf.get("chain") == "events" and pf.get("seq") == seq_
          and pf.get("size") == size_ and pf.get("root") == L.merkle_root(chain[1:size_ + 1]).hex()
          and rec_ == {"seq": seq_, "prev_hash": chain[seq_ - 1].hex(), "hash": chain[seq_].hex(),
                       "json": L.canonical(([SC] + ALL)[seq_ - 1]).decode()}
          and verify_inclusion(seq_ - 1, size_, hashlib.sha256(b"\x00" + chain[seq_]).digest(),
                               [bytes.fromhex(h) for h in pf.get("path", [])], L.merkle_root(chain[1:size_ + 1])), r)
r = srv.get("/v1/proof?seq=3")
check("GET /v1/proof?seq=3: the size defaults to the whole tree (5)", r.status == 200 and r.json()["size"] == 5
      and r.json()["root"] == L.merkle_root(chain[1:]).hex(), r)
with open(path("api-proof.json"), "w") as f:
    json.dump(r.json(), f)
r = srv.get("/v1/consistency?from=2&to=5")
cs = r.json() or {}
check("GET /v1/consistency?from=2&to=5: the two roots computed here",
      r.status == 200 and cs.get("proof") == "consistency" and cs.get("from") == {"size": 2, "root": L.merkle_root(chain[1:3]).hex()}
      and cs.get("to") == {"size": 5, "root": L.merkle_root(chain[1:]).hex()}, r)
with open(path("api-cons.json"), "w") as f:
    json.dump(cs, f)
pv = subprocess.run([sys.executable, VERIFY, path("api-proof.json"), path("api-cons.json")], capture_output=True, text=True)
check("the proofs verify with tools/verify_proof.py", pv.returncode == 0, pv.stdout + pv.stderr)
r = srv.get("/v1/consistency?from=3")
check("GET /v1/consistency?from=3: to defaults to the whole tree", r.status == 200 and r.json()["to"]["size"] == 5, r)
cp = srv.get("/v1/checkpoints").json() or {}
check("GET /v1/checkpoints: the current tree head, unsigned (origin, agreement, chain, size, root, head), none signed yet",
      cp.get("current") == {"origin": "pactum:" + SC["store"], "agreement": A.hex(), "chain": "events", "size": 5,
                            "root": L.merkle_root(chain[1:]).hex(), "head": head}
      and cp.get("signed") == [] and cp.get("more") is False, cp)
for bad in ("/v1/proof", "/v1/proof?seq=0", "/v1/proof?seq=6", "/v1/proof?seq=3&size=2", "/v1/proof?seq=1&chain=other",
            "/v1/consistency", "/v1/consistency?from=0", "/v1/consistency?from=4&to=3", "/v1/consistency?from=1&to=6",
            "/v1/checkpoints?chain=x"):
    check("GET %s: 400 bad_argument" % bad, is_json_error(srv.get(bad), 400, "bad_argument"), srv.get(bad))

# ---- Status and ledger, against the CLI on the same store ------------------------------------------

# `declaration` holds the declaration's seq (E3 names it) once it is made, null (no event) before.
for d, agi, fulfilled, events in [("2026-01-01", "none", 0, 0), ("2026-03-01", "none", 1000, 1), ("2026-07-01", "declared", 3000, 3),
                                  ("2026-09-01", "verified", 3000, 4)]:
    r = srv.get("/v1/status?date=" + d)
    s = r.json() or {}
    check("status?date=%s: agi %s, %d fulfilled, %d events folded" % (d, agi, fulfilled, events),
          r.status == 200 and s.get("date") == d
          and s.get("state") == {"agi": agi, "declaration": E3["declaration"] if agi != "none" else None}
          and s["commitments"][0]["fulfilled"] == fulfilled and s.get("events") == events, r)
    check("status?date=%s: the same as `pactum status --db --date %s --format json`" % (d, d),
          s == cli_json("status", "--db", srv.db, "--date", d, "--format", "json"))
r = srv.get("/v1/status")
today = cli_json("status", "--db", srv.db, "--format", "json")
check("status without a date: today's, the same as the CLI's", r.status == 200 and r.json() == today, r)
ec = {c["id"]: c for c in (srv.get("/v1/status?date=2026-03-01").json() or {}).get("clauses", [])}
check("status: azure_api_exclusivity in effect on 2026-03-01, ended on 2026-10-01",
      ec.get("azure_api_exclusivity", {}).get("in_effect") is True and
      {c["id"]: c for c in srv.get("/v1/status?date=2026-10-01").json()["clauses"]}["azure_api_exclusivity"]["in_effect"] is False)
for q in ("date=2026-12-31", "date=2026-12-31&by=month", "date=2026-12-31&by=quarter"):
    r = srv.get("/v1/ledger?" + q)
    args = ["ledger", "--db", srv.db, "--date", "2026-12-31", "--format", "json"]
    if "by=" in q:
        args += ["--by", q.split("by=")[1]]
    want = cli_json(*args)
    check("ledger?%s: the same as `pactum %s`" % (q, " ".join(args[3:])), r.status == 200 and r.json() == want,
          "%r\n--- cli\n%r" % (r, want))
lq = srv.get("/v1/ledger?date=2026-12-31&by=quarter").json() or {}
c0 = (lq.get("commitments") or [{}])[0]
check("ledger by quarter: 3000 fulfilled, 1000 in 2026 Q1 and 2000 in Q2",
      c0.get("fulfilled") == 3000 and c0.get("remaining") == 250_000_000_000 - 3000
      and [p.get("amount") for p in c0.get("periods", [])][:2] == [1000, 2000], c0)

# ---- decide: single and batch ----------------------------------------------------------------------

# Every decision the server gives ends with "events_seq": the head of the events chain it was made
# on (here 5, the verdict). The CLI's decision is the same without it.
HEAD_SEQ = 5


def without_seq(d):
    return {k: v for k, v in d.items() if k != "events_seq"} if isinstance(d, dict) else d


r = srv.post("/v1/decide", aws("2026-05-01"))
d = r.json() or {}
check("decide, AWS on 2026-05-01: deny by azure_api_exclusivity, with the decision's fields in order, then events_seq 5",
      r.status == 200 and list(d) == DECISION_KEYS + ["events_seq"] and d["decision"] == "deny"
      and [x["clause"] for x in d["determining"]] == ["azure_api_exclusivity"] and d["agreement"] == AGREEMENT
      and d["events_seq"] == HEAD_SEQ, r)
check("decide: the same as `pactum decide --db`, but for events_seq",
      without_seq(d) == cli_json("decide", "--db", srv.db, "--request", json.dumps(aws("2026-05-01"))))
d = srv.post("/v1/decide", aws("2026-05-01", segment="us_gov_national_security")).json() or {}
check("decide, AWS for a national security customer: allow by national_security_any_cloud, overriding the exclusivity",
      d.get("decision") == "allow" and [x["clause"] for x in d["determining"]] == ["national_security_any_cloud"]
      and "azure_api_exclusivity" in json.dumps(d.get("overridden")), d)
d = srv.post("/v1/decide", aws("2026-05-01", third_party=True)).json() or {}
check("decide, a third-party API product on AWS: deny by both exclusivity clauses",
      d.get("decision") == "deny" and sorted(x["clause"] for x in d["determining"]) ==
      ["azure_api_exclusivity", "third_party_api_on_azure"], d)

KINDS = [(aws, "deny"), (azure, "allow"), (lambda day: aws(day, segment="us_gov_national_security"), "allow")]
batch, want = [], []
for i in range(100):
    fn, outcome = KINDS[i % 3]
    day = "2026-%02d-%02d" % (1 + i % 8, 1 + i % 28)  # all before the verdict of 2026-09-01
    if i % 10 == 9:
        day, outcome = "2027-%02d-01" % (1 + i % 12), ("not_applicable" if fn is aws else outcome)
    batch.append(fn(day))
    want.append(outcome)
r = srv.post("/v1/decide", batch)
got = r.json() or []
check("decide, a batch of 100: 100 answers", r.status == 200 and isinstance(got, list) and len(got) == 100, r)
check("decide, a batch of 100: each answer is the one for its request, in order",
      [x.get("decision") for x in got] == want, [(i, x.get("decision"), w) for i, (x, w) in enumerate(zip(got, want))
                                                  if x.get("decision") != w][:10])
check("decide, a batch of 100: every answer says it was made on events_seq 5 (one snapshot for the batch)",
      [x.get("events_seq") for x in got] == [HEAD_SEQ] * 100, {x.get("events_seq") for x in got})
cli_out = cli("decide", "--db", srv.db, stdin="".join(json.dumps(x) + "\n" for x in batch))
check("decide, the batch is the same as `pactum decide --db` on the same lines, but for events_seq",
      [without_seq(x) for x in got] == [json.loads(l) for l in cli_out.stdout.splitlines()], cli_out.stderr)
mixed = [aws("2026-01-01"), azure("2026-01-01"), {"principal": "openai", "action": "fly"}, aws("2026-01-01"),
         {"principal": "openai", "action": "serve_api", "context": {"date": "2026-02-30"}}, 42, aws("2026-01-01")]
r = srv.post("/v1/decide", mixed)
got = r.json() or []
check("decide, a batch with bad elements: 200 and one answer per element", r.status == 200 and len(got) == 7, r)
if len(got) == 7:
    check("decide, bad elements answer {\"error\":{\"index\",\"code\",\"message\"}} in place",
          got[2].get("error", {}).get("index") == 2 and got[2]["error"].get("code") == "unknown_action"
          and got[4].get("error", {}).get("index") == 4 and got[4]["error"].get("code") == "bad_date"
          and got[5].get("error", {}).get("index") == 5 and got[5]["error"].get("message"), got)
    check("decide, the good elements around them are decided",
          [got[i].get("decision") for i in (0, 1, 3, 6)] == ["deny", "allow", "deny", "deny"], got)
    check("decide, the decisions say their events_seq, the errors in their place do not",
          [x.get("events_seq") for x in got] == [HEAD_SEQ, HEAD_SEQ, None, HEAD_SEQ, None, None, HEAD_SEQ], got)
r = srv.post("/v1/decide", [])
check("decide, an empty batch: []", r.status == 200 and r.json() == [], r)

# ---- explain ---------------------------------------------------------------------------------------

r = srv.post("/v1/explain", aws("2026-05-01"))
x = r.json() or {}
check("explain: 200 with the request, the state (agi none on 2026-05-01) and every clause of serve_api",
      r.status == 200 and x.get("request", {}).get("date") == "2026-05-01" and x.get("state") == {"agi": "none", "declaration": None}
      and {c["clause"] for c in x.get("clauses", [])} >= {"azure_api_exclusivity", "api_on_azure",
                                                        "third_party_api_on_azure", "national_security_any_cloud"}, r)
det = [c for c in x.get("clauses", []) if c.get("role") == "determining"]
check("explain: azure_api_exclusivity is the determining clause, with its tests and quotes",
      [c["clause"] for c in det] == ["azure_api_exclusivity"] and det[0]["tests"] and det[0]["quotes"], det)
check("explain: events_seq 5 comes last", list(x)[-1:] == ["events_seq"] and x["events_seq"] == HEAD_SEQ, list(x))
check("explain: the same as `pactum explain --db --format json`, but for events_seq",
      without_seq(x) == cli_json("explain", "--db", srv.db, "--request", json.dumps(aws("2026-05-01")), "--format", "json"))

# ---- The gate ------------------------------------------------------------------------------------------

GATE = {"X-Pactum-Principal": "openai", "X-Pactum-Action": "serve_api", "X-Pactum-Context-Cloud": "aws",
        "X-Pactum-Date": "2026-05-01"}
r = srv.get("/v1/gate", headers=GATE)
check("gate, AWS commercial: 403, X-Pactum-Decision deny, X-Pactum-Clauses azure_api_exclusivity",
      r.status == 403 and r.header("X-Pactum-Decision") == "deny" and r.header("X-Pactum-Clauses") == "azure_api_exclusivity", r)
check("gate: X-Pactum-Events-Seq says the head it decided on (5)", r.header("X-Pactum-Events-Seq") == str(HEAD_SEQ), r)
r = srv.get("/v1/gate", headers=GATE | {"X-Pactum-Context-Customer-Segment": "us_gov_national_security"})
check("gate, AWS for a national security customer: 204, allow, national_security_any_cloud",
      r.status == 204 and r.header("X-Pactum-Decision") == "allow"
      and r.header("X-Pactum-Clauses") == "national_security_any_cloud" and r.body == b"", r)
r = srv.get("/v1/gate", headers=GATE | {"X-Pactum-Resource-Built-With-Third-Party": "true"})
check("gate, a bool from a header ('true'): deny by both clauses",
      r.status == 403 and r.header("X-Pactum-Clauses") == "azure_api_exclusivity,third_party_api_on_azure", r)
r = srv.get("/v1/gate", headers=GATE | {"X-Pactum-Date": "2026-10-01"})
check("gate, after the verdict: 403 not_applicable with no clauses (X-Pactum-Clauses empty or absent)",
      r.status == 403 and r.header("X-Pactum-Decision") == "not_applicable" and not r.header("X-Pactum-Clauses"), r)
r = srv.get("/v1/gate", headers={k: v for k, v in GATE.items() if k != "X-Pactum-Action"})
check("gate, no action header: 400 with a JSON error naming the header", is_json_error(r, 400, "missing_field", "X-Pactum-Action"), r)
r = srv.get("/v1/gate", headers=GATE | {"X-Pactum-Date": "2026-02-30"})
check("gate, a bad date header: 400 bad_date", is_json_error(r, 400, "bad_date"), r)
r = srv.get("/v1/gate", headers=GATE | {"X-Pactum-Context-Planet": "mars"})
check("gate, an unknown attribute header: 400 unknown_attribute", is_json_error(r, 400, "unknown_attribute", "planet"), r)
pfx = Server("--gate-prefix", "X-Policy-", name="prefix")
r = pfx.get("/v1/gate", headers={"X-Policy-Principal": "openai", "X-Policy-Action": "serve_api", "X-Policy-Context-Cloud": "aws",
                                 "X-Pactum-Context-Customer-Segment": "us_gov_national_security"})
check("--gate-prefix X-Policy-: its headers are read, X-Pactum-* ignored, and the answer uses the prefix",
      r.status == 403 and r.header("X-Policy-Decision") == "deny" and r.header("X-Policy-Clauses") == "azure_api_exclusivity"
      and r.header("X-Policy-Events-Seq") == "1", r)
check("--gate-prefix server: SIGTERM exits 0", pfx.stop() == 0)

# ---- The dashboard is served ---------------------------------------------------------------------------

r = srv.get("/")
check("GET /: 200 text/html (the dashboard)", r.status == 200 and (r.header("Content-Type") or "").startswith("text/html")
      and len(r.body) > 0, r.status)

# ---- Metrics ---------------------------------------------------------------------------------------------

try:
    m0 = srv.metrics()
    parsed = True
except ValueError as e:
    parsed, m0 = e, {}
check("metrics: every line is '# HELP|TYPE ...' or 'name{labels} value'", parsed is True, parsed)
raw = srv.get("/metrics")
check("metrics: served as Prometheus text (text/plain; version=0.0.4)",
      (raw.header("Content-Type") or "").startswith("text/plain"), raw.header("Content-Type"))
names = {k[0] for k in m0}
for want_name in ["pactum_decisions_total", "pactum_decide_request_seconds_bucket", "pactum_decide_request_seconds_sum",
                  "pactum_decide_request_seconds_count", "pactum_events_appended_total", "pactum_errors_total",
                  "pactum_http_requests_total"]:
    check("metrics: %s is exported" % want_name, want_name in names)
for rq in [aws("2026-05-01")] * 3 + [azure("2026-05-01")] * 2 + [aws("2027-01-01")]:
    srv.post("/v1/decide", rq)
srv.post("/v1/decide", [aws("2026-05-01"), azure("2026-05-01")])
srv.post("/v1/decide", {"principal": "nobody"})
m1 = srv.metrics()


def delta(name, labels=""):
    return m1.get((name, labels), 0) - m0.get((name, labels), 0)


check("metrics: decisions by outcome moved by deny 4, allow 3, not_applicable 1",
      (delta("pactum_decisions_total", '{outcome="deny"}'), delta("pactum_decisions_total", '{outcome="allow"}'),
       delta("pactum_decisions_total", '{outcome="not_applicable"}'), delta("pactum_decisions_total", '{outcome="conflict"}'))
      == (4, 3, 1, 0), {k: v for k, v in m1.items() if k[0] == "pactum_decisions_total"})
check("metrics: the latency histogram counted the 8 /v1/decide requests whose JSON parsed",
      delta("pactum_decide_request_seconds_count") == 8 and delta("pactum_decide_request_seconds_bucket", '{le="+Inf"}') == 8,
      delta("pactum_decide_request_seconds_count"))
buckets = sorted(((float(k[1].split('"')[1]) if "Inf" not in k[1] else float("inf")), v)
                 for k, v in m1.items() if k[0] == "pactum_decide_request_seconds_bucket")
check("metrics: the histogram's buckets are cumulative, +Inf equals the count",
      all(buckets[i][1] <= buckets[i + 1][1] for i in range(len(buckets) - 1))
      and buckets[-1][1] == m1[("pactum_decide_request_seconds_count", "")] and m1[("pactum_decide_request_seconds_sum", "")] > 0,
      buckets)
check("metrics: events appended is 4 (the verdict once, when its quorum recorded it)",
      m1.get(("pactum_events_appended_total", "")) == 4, m1.get(("pactum_events_appended_total", "")))
check("metrics: pactum_events_recorded is the head, 5", m1.get(("pactum_events_recorded", "")) == HEAD_SEQ,
      m1.get(("pactum_events_recorded", "")))
for want_name in ["pactum_refreshes_total", "pactum_decision_log_written_total", "pactum_decision_log_waiting",
                  "pactum_decision_log_failures_total", "pactum_decision_log_refused_total"]:
    check("metrics: %s is exported" % want_name, (want_name, "") in m1)
check("metrics: nothing else wrote the store, so no refresh", m1.get(("pactum_refreshes_total", "")) == 0,
      m1.get(("pactum_refreshes_total", "")))
made = sum(v for k, v in m1.items() if k[0] == "pactum_decisions_total")
# The log's thread writes what is queued every 100 ms; a batch it is writing is counted neither as
# waiting nor as written until it commits. Once it is idle, written is every decision made.
for _ in range(100):
    m2 = srv.metrics()
    if m2.get(("pactum_decision_log_waiting", "")) == 0 and m2.get(("pactum_decision_log_written_total", "")) >= made:
        break
    time.sleep(0.05)
check("metrics: every decision made went to the decision log (written, once the log is idle), none refused nor failed",
      m2.get(("pactum_decision_log_written_total", "")) == made and m2.get(("pactum_decision_log_waiting", "")) == 0
      and m2.get(("pactum_decision_log_refused_total", "")) == 0 and m2.get(("pactum_decision_log_failures_total", "")) == 0,
      {k: v for k, v in m2.items() if "decision_log" in k[0]} | {"decisions": made})
dc = (srv.get("/v1/store").json() or {}).get("decisions", {})
check("/v1/store: the decisions chain holds every decision written (%d)" % made, dc.get("size") == made, dc)

# ---- audit/verify, then tampering ------------------------------------------------------------------------

r = srv.get("/v1/audit/verify")
check("GET /v1/audit/verify: ok, 5 records, the head, no bad_seq",
      r.status == 200 and r.json().get("ok") is True and r.json().get("records") == 5
      and r.json().get("head") == {"seq": 5, "hash": head} and r.json().get("bad_seq") is None, r)
if check("the sqlite3 shell is on PATH", SQLITE3 is not None):
    p = subprocess.run([SQLITE3, srv.db, "UPDATE events SET json = replace(json, '\"openai\"', '\"0penai\"') WHERE seq = 4;"],
                       capture_output=True, text=True)
    check("tamper: sqlite3 rewrote event 4", p.returncode == 0, p.stderr)
    r = srv.get("/v1/audit/verify")
    j = r.json() or {}
    check("audit/verify after tampering with event 4: 200, ok false, bad_seq 4, the last good record 3, a reason",
          r.status == 200 and j.get("ok") is False and j.get("bad_seq") == 4 and j.get("head") == {"seq": 3, "hash": chain[3].hex()}
          and j.get("reason"), r)
    check("audit/verify agrees with `pactum audit verify --db` (exit 1)",
          cli("audit", "verify", "--db", srv.db).returncode == 1)

check("the server never crashed", srv.alive(), srv.stderr()[-2000:])
check("no sanitizer report", "Sanitizer" not in srv.stderr() and "runtime error" not in srv.stderr())
check("SIGTERM: exit 0", srv.stop() == 0, srv.stderr()[-1500:])
finish()
