"""The record over HTTP answers to no single party (issue 13): every attack of its section 5 that
goes through `pactum serve`, against the real binary.

  quorum      one member's token is one vote, never a quorum; the event is recorded when the body's
              quorum of distinct members has voted, naming them in recorded_by; votes are checked
              when cast, lapse after --vote-ttl, and one member cannot flood the store with them
  replay      a signed event posted twice is refused (replayed); a rejected verdict, voted again
              after a new declaration, is refused by the agreement (it names the old declaration)
  follow      two servers and the command line on one store agree once a write is acknowledged:
              the same events_seq, the same decision, /metrics and /v1/events the same head
  corrupt     a store changed behind pactum's back: the server does not start (store_corrupt), and
              /v1/audit/verify names the last good record
  log         every decision of /v1/decide and /v1/gate is in the decision log with the events head
              it was made on; --no-decision-log logs none
  tlog        /v1/proof and /v1/consistency verify with tools/verify_proof.py (a tampered proof
              does not); /v1/checkpoints keeps a checkpoint signed by a registered key, refuses a
              forged one (400) and one the store does not hold (409)

Expected values come from the shipped agreement (panel_verdict is recorded by 3 of the 5 members
of panel; a verdict must name the pending declaration) and docs/store.md.
"""
import base64
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serverlib import *  # noqa: E402,F401,F403
import serverlib as L  # noqa: E402

VERIFY = os.path.join(ROOT, "tools", "verify_proof.py")
MEMBERS = ["panel.expert_1", "panel.expert_2", "panel.expert_3", "panel.expert_4"]
TOK = dict(L.TOKENS)
for m in MEMBERS:
    TOK[m] = "tok-" + m
L.TOKENS.update(TOK)


def pactum(*args, stdin=None):
    return subprocess.run([PACTUM, *args], input=stdin, capture_output=True, text=True, cwd=TMP, timeout=60)


def vote(srv, who, event):
    return srv.post("/v1/events", event, headers=bearer(who))


def status_agi(srv, date="2029-12-31"):
    r = srv.get("/v1/status?date=" + date)
    return (r.json() or {}).get("state", {}).get("agi")


# ---- Quorum: one member is one vote --------------------------------------------------------------

tokens = write_tokens("tokens-all.txt", TOK)
srv = Server("--tokens", tokens, "--vote-ttl", "2", name="quorum")
r = srv.post("/v1/events", declared("2029-01-15"), headers=bearer("openai"))
check("quorum: openai declares AGI (seq 2, after store_created)", r.status == 200 and r.json()["first"] == 2, r)
v = verdict("2029-06-01", "verified", 2)
r = vote(srv, "panel.expert_1", v)
check("quorum: one member's token is one vote: 202, 1 of 3, not recorded",
      r.status == 202 and r.json()["proposal"]["votes"] == 1 and r.json()["proposal"]["needed"] == 3
      and r.json()["proposal"]["recorded"] is False, r)
check("quorum: after one member's vote AGI is still only declared", status_agi(srv) == "declared")
r = vote(srv, "panel.expert_1", v)
check("quorum: the same member voting again still counts once", r.status == 202 and r.json()["proposal"]["votes"] == 1, r)
p = srv.get("/v1/proposals").json()
check("quorum: GET /v1/proposals lists the proposal, its event and the one voter",
      len(p["proposals"]) == 1 and p["proposals"][0]["event"] == v
      and [x["voter"] for x in p["proposals"][0]["votes"]] == ["panel.expert_1"] and p["proposals"][0]["needed"] == 3, p)
r = vote(srv, "panel.expert_2", v)
check("quorum: a second member: 2 of 3, not recorded", r.status == 202 and r.json()["proposal"]["votes"] == 2, r)
check("quorum: two members are not a quorum either", status_agi(srv) == "declared")
r = vote(srv, "panel.expert_3", v)
check("quorum: the third member's vote records the verdict (200, seq 3)",
      r.status == 200 and r.json()["recorded"] == 1 and r.json()["first"] == 3 and r.json()["proposal"]["recorded"], r)
check("quorum: now AGI is verified", status_agi(srv) == "verified")
stored = pactum_events(srv.db)
check("quorum: the stored verdict names its three voters in recorded_by",
      stored[-1] == dict(v, recorded_by=["panel.expert_1", "panel.expert_2", "panel.expert_3"]), stored)
check("quorum: the proposal is gone once recorded", srv.get("/v1/proposals").json()["proposals"] == [])
r = vote(srv, "panel.expert_4", v)
check("quorum: a vote for a verdict the record would refuse (no declaration pending) is refused at once",
      is_json_error(r, 400, "guard_failed"), r)
check("quorum: and it is not kept", srv.get("/v1/proposals").json()["proposals"] == [])
r = vote(srv, "panel.expert_1", [v, v])
check("quorum: a member's vote is one event: a batch holding a body's event is refused (vote_alone)",
      is_json_error(r, 400, "vote_alone"), r)
r = srv.post("/v1/events", verdict("2029-06-01", "rejected", 2), headers=bearer("openai"))
check("quorum: a party's token is no member's vote: 403", is_json_error(r, 403, "not_allowed"), r)
r = srv.post("/v1/events", dict(purchase("2029-07-01", 5), recorded_by=["microsoft"]), headers=bearer("openai"))
check("quorum: an event may not bring its own recorded_by (reserved_field)", is_json_error(r, 400, "reserved_field"), r)
srv.stop()

# Votes lapse: --vote-ttl 2.
srv = Server("--tokens", tokens, "--vote-ttl", "2", name="ttl")
srv.post("/v1/events", declared("2029-01-15"), headers=bearer("openai"))
v = verdict("2029-06-01", "rejected", 2)
vote(srv, "panel.expert_1", v)
vote(srv, "panel.expert_2", v)
time.sleep(2.5)
check("ttl: after --vote-ttl the votes have lapsed", srv.get("/v1/proposals").json()["proposals"] == [])
r = vote(srv, "panel.expert_3", v)
check("ttl: a vote after the others lapsed counts alone: 1 of 3", r.status == 202 and r.json()["proposal"]["votes"] == 1, r)
srv.stop()

# One member cannot flood the store with proposals.
srv = Server("--tokens", tokens, name="flood")
srv.post("/v1/events", declared("2029-01-15"), headers=bearer("openai"))
codes = []
for i in range(70):
    r = vote(srv, "panel.expert_1", verdict("2029-06-%02d" % (1 + i % 28), "verified", 2) | {"nonce": "flood-nonce-%04d" % i})
    codes.append(r.status)
check("flood: a member has at most 64 votes pending; the 65th is refused (too_many_proposals)",
      codes[:64] == [202] * 64 and all(c == 400 for c in codes[64:]), codes)
r = vote(srv, "panel.expert_1", verdict("2029-07-01", "verified", 2) | {"nonce": "flood-nonce-late"})
check("flood: the refusal names the limit", is_json_error(r, 400, "too_many_proposals", "64"), r)
srv.stop()

# ---- Replay -------------------------------------------------------------------------------

keys = path("keys")
os.makedirs(keys, exist_ok=True)
pactum("keygen", "--bootstrap", "--out", keys)
pactum("keygen", "--party", "microsoft", "--out", keys)
srv = Server("--tokens", tokens, name="replay")
db = srv.db
srv.stop()
reg = pactum("event", "sign", "--db", db, "--key", os.path.join(keys, "microsoft.key"),
             stdin=open(os.path.join(keys, "microsoft.pub")).read().replace('{', '{"type":"key_registered","date":"2026-01-01",', 1))
check("replay: microsoft signs its key's registration for the store", reg.returncode == 0, reg.stderr)
srv = Server("--tokens", tokens, db=db, name="replay")
r = srv.post("/v1/events", json.loads(reg.stdout), headers=bearer("microsoft"))
check("replay: the registration without the bootstrap key is refused", r.status == 400, r)
srv.stop()
# A store with a bootstrap key: registrations need it.
db2 = path("replay2.db")
init = pactum("init", "--db", db2, "--bootstrap-key", os.path.join(keys, "bootstrap.pub"))
reg = pactum("event", "sign", "--db", db2, "--key", os.path.join(keys, "microsoft.key"),
             stdin=open(os.path.join(keys, "microsoft.pub")).read().replace('{', '{"type":"key_registered","date":"2026-01-01",', 1))
add = pactum("event", "add", "--db", db2, "--sign", os.path.join(keys, "bootstrap.key"), stdin=reg.stdout)
check("replay: microsoft's key registered (signed by it and the bootstrap key)", add.returncode == 0, add.stderr)
signed = pactum("event", "sign", "--db", db2, "--key", os.path.join(keys, "microsoft.key"),
                stdin=json.dumps(purchase("2026-02-01", 1000000)) + "\n")
srv = Server("--tokens", tokens, db=db2, name="replay2")
r = srv.post("/v1/events", json.loads(signed.stdout), headers=bearer("microsoft"))
check("replay: a signed purchase is recorded", r.status == 200, r)
r = srv.post("/v1/events", json.loads(signed.stdout), headers=bearer("microsoft"))
check("replay: the same signed purchase posted again is refused (replayed)", is_json_error(r, 400, "replayed"), r)
r = srv.post("/v1/events", json.loads(signed.stdout), headers=bearer("openai"))
check("replay: and by another party's token too", is_json_error(r, 400, "replayed"), r)
fulfilled = srv.get("/v1/ledger?date=2026-12-31").json()["commitments"][0]["fulfilled"]
check("replay: the ledger counts the purchase once", fulfilled == 1000000, fulfilled)
srv.stop()
other = Server("--tokens", tokens, name="replay-other")
r = other.post("/v1/events", json.loads(signed.stdout), headers=bearer("microsoft"))
check("replay: the signed purchase is refused by another store of the same agreement",
      r.status == 400 and error_of(r)[0] in ("unknown_key", "bad_signature"), r)
other.stop()

# The attack of the issue: a three-member rejection, voted again after a new declaration.
srv = Server("--tokens", tokens, name="stale")
srv.post("/v1/events", declared("2029-01-15"), headers=bearer("openai"))
rej = verdict("2029-03-01", "rejected", 2)
for m in MEMBERS[:3]:
    r = vote(srv, m, rej)
check("stale: the panel rejects the first declaration (seq 2)", r.status == 200 and status_agi(srv) == "none", r)
r = srv.post("/v1/events", declared("2029-06-01"), headers=bearer("openai"))
check("stale: openai declares again (seq 4)", r.status == 200 and r.json()["first"] == 4, r)
replayed = dict(rej, date="2029-06-01")
r = vote(srv, "panel.expert_1", replayed)
check("stale: the old rejection, voted again on the new declaration's day, is refused at the first vote",
      is_json_error(r, 400, "guard_failed", "pending declaration"), r)
check("stale: the new declaration stands", status_agi(srv) == "declared")
srv.stop()

# ---- Two servers and the command line on one store -------------------------------------------------

a = Server("--tokens", tokens, name="follow")
b = Server("--tokens", tokens, db=a.db, name="follow-b")
req = aws("2029-07-01")
r = a.post("/v1/events", declared("2029-01-15"), headers=bearer("openai"))
da, db_ = a.post("/v1/decide", req).json(), b.post("/v1/decide", req).json()
check("follow: after an append through A, A and B decide on the same head (events_seq 2)",
      da["events_seq"] == db_["events_seq"] == 2, (da, db_))
for m in MEMBERS[:2]:
    a.post("/v1/events", verdict("2029-06-01", "verified", 2), headers=bearer(m))
r = b.post("/v1/events", verdict("2029-06-01", "verified", 2), headers=bearer("panel.expert_3"))
check("follow: votes cast on A and on B count together: B's vote is the third", r.status == 200 and r.json()["recorded"] == 1, r)
da, db_ = a.post("/v1/decide", req).json(), b.post("/v1/decide", req).json()
check("follow: A sees the verdict B recorded: the same decision and events_seq 3",
      da == db_ and da["events_seq"] == 3, (da, db_))
add = pactum("event", "add", "--db", a.db, stdin=json.dumps(purchase("2029-08-01", 77)) + "\n")
check("follow: the command line appends seq 4", add.returncode == 0 and "seq 4..4" in add.stdout, add.stdout + add.stderr)
ga = a.get("/v1/gate", headers={"X-Pactum-Principal": "openai", "X-Pactum-Action": "serve_api",
                                "X-Pactum-Context-Cloud": "aws", "X-Pactum-Date": "2029-09-01"})
check("follow: A's gate answers on the command line's append (X-Pactum-Events-Seq: 4)", ga.header("X-Pactum-Events-Seq") == "4", ga)
for name, s in (("A", a), ("B", b)):
    m = parse_metrics(s.get("/metrics").text)
    head = s.get("/v1/events").json()["head"]["seq"]
    check("follow: %s's /metrics and /v1/events give the same head (4)" % name,
          m.get(("pactum_events_recorded", "")) == 4 and head == 4, (m.get(("pactum_events_recorded", "")), head))
led = [s.get("/v1/ledger?date=2029-12-31").json()["commitments"][0]["fulfilled"] for s in (a, b)]
check("follow: both ledgers count the command line's purchase", led == [77, 77], led)
a.stop()
b.stop()

# ---- A store changed behind pactum's back ------------------------------------------------------

tdb = path("tampered.db")
pactum("init", "--db", tdb)
pactum("event", "add", "--db", tdb, stdin="".join(json.dumps(purchase("2026-0%d-01" % i, i)) + "\n" for i in range(1, 6)))
subprocess.run([SQLITE3, tdb, "UPDATE events SET json = replace(json, '\"amount_usd\":3', '\"amount_usd\":3000000') WHERE seq = 4"],
               check=True)
p = subprocess.run([PACTUM, "serve", "--listen", "127.0.0.1:0", "--db", tdb], capture_output=True, text=True,
                   timeout=30, cwd=TMP)
check("corrupt: the server does not start on an altered row: exit 2, store_corrupt naming seq 4",
      p.returncode == 2 and "store_corrupt" in p.stderr and "4" in p.stderr, p.stderr)
cdb = path("audit.db")
srv = Server(name="audit", db=cdb)
srv.stop()
pactum("event", "add", "--db", cdb, stdin="".join(json.dumps(purchase("2026-0%d-01" % i, i)) + "\n" for i in range(1, 6)))
srv = Server(name="audit", db=cdb)
subprocess.run([SQLITE3, cdb, "UPDATE events SET json = replace(json, '\"amount_usd\":4', '\"amount_usd\":40') WHERE seq = 5"],
               check=True)
au = srv.get("/v1/audit/verify").json()
check("corrupt: /v1/audit/verify reports seq 5 altered and seq 4 as the last good record",
      au["ok"] is False and au["bad_seq"] == 5 and au["head"]["seq"] == 4, au)
led = srv.get("/v1/ledger?date=2026-12-31").json()["commitments"][0]["fulfilled"]
check("corrupt: a running server keeps what it checked when it folded it: the ledger still counts 1+2+3+4+5",
      led == 15, led)
srv.stop()

# ---- The decision log --------------------------------------------------------------------------

srv = Server("--tokens", tokens, name="log")
srv.post("/v1/events", declared("2029-01-15"), headers=bearer("openai"))
d1 = srv.post("/v1/decide", [aws("2029-02-01"), azure("2029-02-01")]).json()
g = srv.get("/v1/gate", headers={"X-Pactum-Principal": "openai", "X-Pactum-Action": "serve_api",
                                "X-Pactum-Context-Cloud": "gcp", "X-Pactum-Date": "2029-03-01"})
srv.stop()  # the log's queue is written out before the server exits
logged = [json.loads(l) for l in pactum("decisions", "--db", srv.db).stdout.splitlines()]
check("log: the two decisions of the batch and the gate's are logged, in order",
      [(e["request"]["context"].get("cloud"), e["decision"]) for e in logged]
      == [("aws", d1[0]["decision"]), ("azure", d1[1]["decision"]), ("gcp", "deny")], logged)
check("log: each names the events head it was decided on (seq 2) and the agreement",
      all(e["events"]["seq"] == 2 and len(e["events"]["hash"]) == 64 and e["agreement"]["id"] == "microsoft-openai"
          for e in logged), logged)
check("log: each has its wall-clock time", all(e["time"].endswith("Z") and "T" in e["time"] for e in logged))
au = pactum("audit", "verify", "--db", srv.db)
check("log: the decisions chain verifies", au.returncode == 0 and "decisions: ok: 3 records" in au.stdout, au.stdout)
srv = Server("--no-decision-log", name="nolog")
srv.post("/v1/decide", aws("2029-02-01"))
srv.stop()
check("log: --no-decision-log logs nothing", pactum("decisions", "--db", srv.db).stdout == "")

# ---- The transparency log --------------------------------------------------------------------

srv = Server("--tokens", tokens, name="tlog")
for i in range(1, 8):
    srv.post("/v1/events", purchase("2026-0%d-01" % i, i), headers=bearer("openai"))
proof = srv.get("/v1/proof?seq=3").json()
cons = srv.get("/v1/consistency?from=2&to=6").json()
with open(path("proof.json"), "w") as f:
    json.dump(proof, f)
with open(path("cons.json"), "w") as f:
    json.dump(cons, f)
pv = subprocess.run([sys.executable, VERIFY, path("proof.json"), path("cons.json")], capture_output=True, text=True)
check("tlog: /v1/proof and /v1/consistency verify with tools/verify_proof.py", pv.returncode == 0, pv.stdout + pv.stderr)
proof["path"][0] = proof["path"][0][:-1] + ("0" if proof["path"][0][-1] != "0" else "1")
with open(path("bad.json"), "w") as f:
    json.dump(proof, f)
pv = subprocess.run([sys.executable, VERIFY, path("bad.json")], capture_output=True, text=True)
check("tlog: a proof with one hash changed does not verify", pv.returncode == 1, pv.stdout + pv.stderr)
r = srv.get("/v1/proof?seq=99")
check("tlog: a proof of a record beyond the log: 400", is_json_error(r, 400, "bad_argument"), r)
st = srv.get("/v1/store").json()
check("tlog: /v1/store gives the store's id and the events tree of 8 records",
      len(st["id"]) == 32 and st["events"]["size"] == 8 and st["settings"]["require_signatures"] is False, st)
cur = srv.get("/v1/checkpoints").json()["current"]
check("tlog: GET /v1/checkpoints gives the current tree head (the root /v1/store gives)",
      cur["size"] == 8 and cur["root"] == st["events"]["root"] and cur["origin"] == "pactum:" + st["id"], cur)
srv.stop()
# A checkpoint signed by a key registered in the store is kept; forged or inconsistent ones are not.
pactum("keygen", "--party", "openai", "--out", keys)
reg = pactum("event", "sign", "--db", srv.db, "--key", os.path.join(keys, "openai.key"),
             stdin=open(os.path.join(keys, "openai.pub")).read().replace('{', '{"type":"key_registered","date":"2026-12-01",', 1))
db3 = path("tlog2.db")
pactum("init", "--db", db3, "--bootstrap-key", os.path.join(keys, "bootstrap.pub"))
reg = pactum("event", "sign", "--db", db3, "--key", os.path.join(keys, "openai.key"),
             stdin=open(os.path.join(keys, "openai.pub")).read().replace('{', '{"type":"key_registered","date":"2026-12-01",', 1))
add = pactum("event", "add", "--db", db3, "--sign", os.path.join(keys, "bootstrap.key"), stdin=reg.stdout)
cp = pactum("checkpoint", "sign", "--db", db3, "--key", os.path.join(keys, "openai.key"))
check("tlog: openai signs a checkpoint of its store", cp.returncode == 0, cp.stderr)
srv = Server("--tokens", tokens, db=db3, name="tlog2")
r = srv.post("/v1/checkpoints", json.loads(cp.stdout), headers=bearer("microsoft"))
check("tlog: POST /v1/checkpoints keeps openai's cosignature", r.status == 200 and r.json()["signers"] == ["openai"], r)
got = srv.get("/v1/checkpoints").json()["signed"]
check("tlog: GET /v1/checkpoints lists it", len(got) >= 1 and got[-1]["signatures"][0]["signer"] == "openai", got)
forged = json.loads(cp.stdout)
forged["size"] = 1
r = srv.post("/v1/checkpoints", forged, headers=bearer("microsoft"))
check("tlog: a checkpoint changed after it was signed is refused (400 bad_signature)", is_json_error(r, 400, "bad_signature"), r)
r = srv.post("/v1/checkpoints", json.loads(cp.stdout), headers={})
check("tlog: sending a checkpoint needs a token (401)", is_json_error(r, 401), r)
srv.stop()

# ---- A mixed quorum: 3 members, including 1 from each side ---------------------------------------
# The body's rule (docs/language.md#body-groups-and-mixed-quorum): three votes from one side are
# three distinct members, the quorum's count, but none from the other side, so the event waits;
# the first vote from the other side records it, naming all four voters.
MIXED = '''agreement "mixed" { version "1" effective 2026-01-01 }
party nimbus
party relay
body board {
  members n1, n2, n3, r1, r2, r3
  groups { nimbus_side: n1, n2, n3  relay_side: r1, r2, r3 }
  quorum 3 including 1 from nimbus_side, 1 from relay_side
}
event cured recorded by board { invoice: string }
'''
mixed = path("mixed.pact")
with open(mixed, "w") as f:
    f.write(MIXED)
board = ["board.n1", "board.n2", "board.n3", "board.r1"]
for m in board:
    L.TOKENS[m] = "tok-" + m
mtokens = write_tokens("tokens-mixed.txt", {m: L.TOKENS[m] for m in board})
srv = Server("--agreement", mixed, "--tokens", mtokens, name="mixed")
body = srv.get("/v1/agreement").json()["bodies"][0]
check("mixed quorum: GET /v1/agreement shows the groups and what the quorum asks of each",
      body.get("groups") == [{"id": "nimbus_side", "members": ["n1", "n2", "n3"]},
                             {"id": "relay_side", "members": ["r1", "r2", "r3"]}]
      and body.get("including") == [{"group": "nimbus_side", "count": 1}, {"group": "relay_side", "count": 1}]
      and body.get("quorum") == 3, body)
ev = {"type": "cured", "date": "2026-03-20", "invoice": "INV-12"}
for k, m in enumerate(board[:3]):
    r = vote(srv, m, ev)
    check(f"mixed quorum: vote {k + 1} of Nimbus's side is kept, not recorded (202)",
          r.status == 202 and r.json()["proposal"]["votes"] == k + 1 and not r.json()["proposal"]["recorded"], r)
check("mixed quorum: three members of one side record nothing",
      all(e.get("type") != "cured" for e in pactum_events(srv.db)), pactum_events(srv.db))
r = vote(srv, "board.r1", ev)
check("mixed quorum: a vote from Relay's side records the event (200)", r.status == 200 and r.json()["proposal"]["recorded"], r)
stored = pactum_events(srv.db)
check("mixed quorum: the stored event names its four voters", stored[-1] == dict(ev, recorded_by=sorted(board)), stored)
srv.stop()

finish()
