#!/usr/bin/env python3
"""Snapshot swapping under load: readers decide and read the status in loops while a writer
appends 50 events one request at a time (a verdict as the three votes of a quorum of the panel).
No request fails, no reader sees half an append, and answers only move forward.

    python3 tests/http/test_snapshot.py PACTUM

The writer's events alternate an AGI declaration (OpenAI) and a rejection (the panel), so after n
events `agi` is none when n is even and declared when n is odd; the 49th and 50th are a declaration
and a verification. A status read is consistent when its `events` count and its state agree; AWS on
2030-01-01 is denied until the 50th event and not_applicable from then on; AWS on 2025-12-01,
before every event, is always denied. The store's first record is its own (store_created, seq 1),
so the 50 events get seqs 2..51.
"""
import json
import os
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serverlib import *  # noqa: E402,F401,F403
import serverlib as L  # noqa: E402

tokens = write_tokens()
srv = Server("--tokens", tokens, name="snapshot")

N = 50
EVENTS = []
for k in range(N):
    day = "2026-%02d-%02d" % (1 + k // 28, 1 + k % 28)
    if k % 2 == 0:
        EVENTS.append(("openai", declared(day)))
    else:
        # Names the declaration just before it: its seq is filled in from that append's answer.
        # Voted by a quorum of the panel: its last vote records it.
        EVENTS.append(("panel", verdict(day, "verified" if k == N - 1 else "rejected", None)))


def expected_agi(n):
    if n == N:
        return "verified"
    return "declared" if n % 2 else "none"


done = threading.Event()
errors = []
decisions = []   # (reader, time sent, [early, late]), in each reader's order
statuses = []    # (time, events, agi)
write_acks = []  # (time, seq)
lock = threading.Lock()


def reader_decide(me):
    c = srv.conn()
    body = json.dumps([aws("2025-12-01"), aws("2030-01-01")])
    while not done.is_set():
        try:
            sent = time.monotonic()
            c.request("POST", "/v1/decide", body, {"Content-Type": "application/json"})
            r = c.getresponse()
            data = r.read()
            if r.status != 200:
                errors.append(("decide", r.status, data[:200]))
                continue
            with lock:
                decisions.append((me, sent, [d.get("decision") for d in json.loads(data)]))
        except Exception as e:  # noqa: BLE001
            errors.append(("decide", repr(e)))
            c = srv.conn()


def reader_status():
    c = srv.conn()
    while not done.is_set():
        try:
            c.request("GET", "/v1/status?date=2030-01-01")
            r = c.getresponse()
            data = r.read()
            if r.status != 200:
                errors.append(("status", r.status, data[:200]))
                continue
            s = json.loads(data)
            with lock:
                statuses.append((time.monotonic(), s["events"], s["state"]["agi"]))
        except Exception as e:  # noqa: BLE001
            errors.append(("status", repr(e)))
            c = srv.conn()


def writer():
    c = srv.conn()
    for who, ev in EVENTS:
        if ev["type"] == "panel_verdict" and write_acks:
            ev["declaration"] = write_acks[-1][1]
        try:
            # A party's event is one request; the panel's, one vote per member (202), the last 200.
            for n, signer in enumerate(PANEL if who == "panel" else [who]):
                c.request("POST", "/v1/events", json.dumps(ev), {"Content-Type": "application/json", **bearer(signer)})
                r = c.getresponse()
                data = r.read()
                want = 200 if who != "panel" or n == len(PANEL) - 1 else 202
                if r.status != want:
                    errors.append(("append", signer, r.status, data[:300]))
                    break
            if r.status != 200:
                break
            write_acks.append((time.monotonic(), json.loads(data)["last"]))
        except Exception as e:  # noqa: BLE001
            errors.append(("append", repr(e)))
            break
        time.sleep(0.01)  # let the readers see each snapshot
    done.set()


threads = [threading.Thread(target=reader_decide, args=(1,)), threading.Thread(target=reader_decide, args=(2,)),
           threading.Thread(target=reader_status), threading.Thread(target=writer)]
t0 = time.time()
for t in threads:
    t.start()
for t in threads:
    t.join(45)
done.set()
elapsed = time.time() - t0

check("no request failed while events were appended", not errors, errors[:10])
check("the writer's 50 appends were acknowledged with seqs 2..51", [s for _, s in write_acks] == list(range(2, N + 2)),
      write_acks[-3:])
check("the readers made many requests meanwhile (decide batches > 100, status > 50)",
      len(decisions) > 100 and len(statuses) > 50, "%d decide, %d status in %.1f s" % (len(decisions), len(statuses), elapsed))

bad = [s for s in statuses if s[2] != expected_agi(s[1])]
check("every status read is one whole snapshot: its event count and its state agree", not bad, bad[:10])
counts = [s[1] for s in statuses]
check("the status event count never goes back", all(a <= b for a, b in zip(counts, counts[1:])),
      [(a, b) for a, b in zip(counts, counts[1:]) if a > b][:5])
seen = sorted(set(counts))
check("the readers saw many of the 51 snapshots (at least 10 distinct counts)", len(seen) >= 10, seen)
early = [d[0] for _, _, d in decisions]
check("AWS on 2025-12-01, before every event, is denied in every answer", set(early) == {"deny"}, set(early))
for me in (1, 2):
    late = [d[1] for who, _, d in decisions if who == me]
    flip = late.index("not_applicable") if "not_applicable" in late else len(late)
    check("reader %d: AWS on 2030-01-01 is denied until the verification, not_applicable after, never back" % me,
          set(late[:flip]) <= {"deny"} and set(late[flip:]) <= {"not_applicable"}, late[max(0, flip - 3):flip + 3])
ack50 = write_acks[-1][0] if len(write_acks) == N else None
stale = [t for _, t, d in decisions if ack50 and t > ack50 and d[1] != "not_applicable"]
check("a request sent after the 50th append was acknowledged is never answered from an older snapshot", not stale,
      stale[:5])
r = srv.get("/v1/status?date=2030-01-01").json() or {}
check("the final status: 50 events, agi verified, the last declaration's seq", r.get("events") == N
      and r.get("state") == {"agi": "verified", "declaration": EVENTS[-1][1]["declaration"]}, r)
check("pactum events --db holds the 50 events in order, each naming who recorded it (the verdicts, their voters)",
      pactum_events(srv.db) == [L.by_panel(e) if who == "panel" else by(who, e) for who, e in EVENTS])

# ---- Two writers at once: nothing lost, nothing doubled ------------------------------------------

acks = {"openai": [], "microsoft": []}


def buyer(who, base):
    c = srv.conn()
    for i in range(30):
        amount = base + i
        c.request("POST", "/v1/events", json.dumps(purchase("2026-12-31", amount)),
                  {"Content-Type": "application/json", **bearer(who)})
        r = c.getresponse()
        data = r.read()
        if r.status == 200:
            acks[who].append((json.loads(data)["last"], amount))
        else:
            errors.append(("buyer", who, r.status, data[:200]))


ws = [threading.Thread(target=buyer, args=("openai", 1000)), threading.Thread(target=buyer, args=("microsoft", 5000))]
for t in ws:
    t.start()
for t in ws:
    t.join(30)
allacks = sorted(acks["openai"] + acks["microsoft"])
stored = pactum_events(srv.db, own=True)  # every record, so that stored[s - 1] is seq s
who_paid = {a: who for who in acks for _, a in acks[who]}
check("two writers at once: all 60 purchases acknowledged", len(allacks) == 60, errors[-5:])
check("two writers at once: seqs 52..111, each once", [s for s, _ in allacks] == list(range(N + 2, N + 62)))
check("two writers at once: the store holds each acknowledged purchase at its seq, recorded by its buyer",
      all(stored[s - 1] == by(who_paid[a], purchase("2026-12-31", a)) for s, a in allacks) and len(stored) == N + 61)
st = srv.get("/v1/status?date=2030-01-01").json() or {}
check("two writers at once: the snapshot counts every purchase",
      st.get("commitments", [{}])[0].get("fulfilled") == sum(a for _, a in allacks) and st.get("events") == N + 60, st.get("events"))
a = srv.get("/v1/audit/verify").json() or {}
check("audit/verify: the chain of 111 records (store_created and 110 events) is whole",
      a.get("ok") is True and a.get("records") == N + 61, a)
check("the server never crashed", srv.alive(), srv.stderr()[-2000:])
check("no sanitizer report", "Sanitizer" not in srv.stderr() and "runtime error" not in srv.stderr())
check("SIGTERM: exit 0", srv.stop() == 0, srv.stderr()[-1500:])

# ---- Another process appends; then a write that records nothing ---------------------------------
# The server's writer catches up with the store before it checks a batch or a vote. When the batch
# is refused, or the vote only kept, the snapshot must still move to what the writer folded: a
# request after it is answered on a head that holds the other process's append (docs/http-api.md,
# freshness). Each case: `pactum event add` records a purchase, then the write, then a decision.
import subprocess  # noqa: E402

srv = Server("--tokens", tokens, name="caught-up")
srv.post("/v1/events", declared("2026-01-10"), headers=bearer("openai"))  # seq 2
for n, (what, write) in enumerate([
        ("a refused batch", lambda: srv.post("/v1/events", {"type": "no_such_event", "date": "2026-02-01"},
                                             headers=bearer("openai"))),
        ("a vote kept, not yet a quorum", lambda: srv.post("/v1/events", verdict("2026-03-01", "rejected", 2),
                                                           headers=bearer("panel.expert_1")))]):
    seq = 3 + n
    add = subprocess.run([L.PACTUM, "event", "add", "--db", srv.db], input=json.dumps(purchase("2026-02-01", 7)) + "\n",
                         capture_output=True, text=True, timeout=60, cwd=L.TMP)
    w = write()
    d = srv.post("/v1/decide", aws("2026-05-01")).json() or {}
    m = srv.metrics()
    check("after the CLI's append (seq %d) and %s (%d), a decision says events_seq %d, and /metrics the same head"
          % (seq, what, w.status, seq),
          add.returncode == 0 and "seq %d..%d" % (seq, seq) in add.stdout and w.status in (400, 202)
          and d.get("events_seq") == seq and m.get(("pactum_events_recorded", "")) == seq,
          (add.stdout + add.stderr, w, d.get("events_seq"), m.get(("pactum_events_recorded", ""))))
led = srv.get("/v1/ledger?date=2026-12-31").json()["commitments"][0]["fulfilled"]
check("... and the ledger counts both of the CLI's purchases", led == 14, led)
check("SIGTERM: exit 0", srv.stop() == 0, srv.stderr()[-1500:])
finish()
