#!/usr/bin/env python3
"""Concurrency with real processes: writers that append batches of purchases to one store at once
are serialised. No event is lost, no seq is duplicated, batches are never interleaved, the chain
verifies, and the commitment's fulfilled amount is the sum of every purchase.

    python3 tests/store/test_concurrency.py PACTUM

All purchases share one date, so no transition guard or date order can refuse any of them.
Record 1 of every store is its `store_created` record, made once by whichever process creates the
store; the events follow from seq 2.
While the writers run, a reader runs `audit verify` in a loop: in WAL mode a reader sees the store
as of a commit, so every audit must pass.
"""
import json
import os
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from storelib import *  # noqa: E402,F401,F403
import storelib as L  # noqa: E402

L.need_sqlite3()
DATE = "2026-06-15"


def amount(w, b, i):
    return w * 1_000_000 + b * 1_000 + i + 1


def write_batches(tag, writers, batches, size):
    """Batch files: writers x batches files of `size` purchases with distinct amounts."""
    files = {}
    for w in range(writers):
        for b in range(batches):
            p = path("%s-w%d-b%d.jsonl" % (tag, w, b))
            with open(p, "w") as f:
                f.write(jsonl([purchase(DATE, amount(w, b, i)) for i in range(size)]))
            files[w, b] = p
    return files


def race(tag, db, writers, batches, size, readers=0):
    files = write_batches(tag, writers, batches, size)
    procs = []
    for w in range(writers):
        # Each writer appends its batches one after another with separate `pactum event add`
        # processes; the writers run side by side. A failed add stops the writer with its status.
        script = "set -e\n" + "".join('"$1" event add --db "$2" < %s\n' % q(files[w, b]) for b in range(batches))
        procs.append(subprocess.Popen(["bash", "-c", script, "writer", PACTUM, db], stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True))
    reader_procs = []
    for k in range(readers):
        script = ('ok=0; bad=0; while kill -0 %s 2>/dev/null; do '
                  'if [ -e "$2" ]; then if "$1" audit verify --db "$2" >/dev/null 2>"$3"; then ok=$((ok+1)); '
                  'else bad=$((bad+1)); cat "$3" >&2; fi; fi; done; echo "$ok $bad"'
                  % " ".join(str(p.pid) for p in procs))
        reader_procs.append(subprocess.Popen(["bash", "-c", script, "reader", PACTUM, db, path("%s-r%d.err" % (tag, k))],
                                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        results.append((p.returncode, out, err))
    reads = []
    for p in reader_procs:
        out, err = p.communicate(timeout=120)
        reads.append((out.strip(), err))
    return results, reads


def check_store(tag, db, writers, batches, size):
    n = writers * batches * size
    evs = events_of(db)
    s = seqs(db)
    check("%s: one store_created record, first" % tag,
          [e.get("type") for e in evs].count("store_created") == 1 and evs[0].get("type") == "store_created")
    evs = evs[1:]
    check("%s: total events = the sum of the batches (%d)" % (tag, n), len(evs) == n == len(s) - 1,
          "events %d, rows %d" % (len(evs), len(s)))
    check("%s: seqs are exactly 1..%d (no gap, no duplicate)" % (tag, n + 1), s == list(range(1, n + 2)))
    amounts = [e.get("amount_usd") for e in evs]
    want = sorted(amount(w, b, i) for w in range(writers) for b in range(batches) for i in range(size))
    check("%s: every purchase is present exactly once" % tag, sorted(amounts) == want)
    # A batch is written in one transaction: its events take consecutive seqs, in file order.
    where = {a: k for k, a in enumerate(amounts)}
    interleaved = []
    for w in range(writers):
        for b in range(batches):
            pos = [where.get(amount(w, b, i), -1) for i in range(size)]
            if pos != list(range(pos[0], pos[0] + size)):
                interleaved.append((w, b))
    check("%s: no batch is interleaved with another; each keeps its order" % tag, not interleaved,
          "interleaved: %s" % interleaved[:10])
    r = run("audit", "verify", "--db", db)
    check("%s: audit verify passes" % tag, r.rc == 0 and ("events: ok: %d records" % (n + 1)) in r.out, r)
    iok, _, head = verify_independently(db)
    check("%s: the independent verifier agrees, with the same head" % tag, iok and head in r.out, r)
    total = sum(want)
    r = run("ledger", "--db", db, "--date", "2026-12-31", "--format", "json")
    try:
        led = json.loads(r.out)["commitments"][0]
    except (ValueError, KeyError, IndexError):
        led = {}
    check("%s: the commitment's fulfilled amount is the sum of the purchases (%d)" % (tag, total),
          led.get("fulfilled") == total and led.get("remaining") == 250_000_000_000 - total, r)
    r = run("status", "--db", db, "--date", DATE, "--format", "json")
    try:
        st = json.loads(r.out)
    except ValueError:
        st = {}
    check("%s: status --db counts every event and the same fulfilled amount" % tag,
          st.get("events") == n and st.get("commitments", [{}])[0].get("fulfilled") == total, r)


# ---- Two writers, then four, on a store made by init -------------------------------------------
for writers, batches, size in ((2, 20, 50), (4, 15, 40)):
    tag = "%d writers" % writers
    db = fresh("race-%d.db" % writers)
    r = run("init", "--db", db)
    check("%s: init" % tag, r.rc == 0, r)
    t0 = time.time()
    results, reads = race("w%d" % writers, db, writers, batches, size, readers=1)
    for k, (rc, out, err) in enumerate(results):
        check("%s: writer %d's adds all succeed" % (tag, k), rc == 0 and out.count("recorded %d events" % size) == batches,
              "exit %s\n%s\n%s" % (rc, out[-500:], err[-800:]))
    for k, (out, err) in enumerate(reads):
        parts = out.split()
        check("%s: every audit verify run during the writes passes (reader %d: %s ok/bad)" % (tag, k, out),
              len(parts) == 2 and parts[1] == "0", err[-800:])
    check_store(tag, db, writers, batches, size)

# ---- Four writers racing to create the same store ----------------------------------------------
db = fresh("race-create.db")
results, _ = race("create", db, 4, 3, 20)
for k, (rc, out, err) in enumerate(results):
    check("creating race: writer %d's adds all succeed" % k, rc == 0, "exit %s\n%s\n%s" % (rc, out[-500:], err[-800:]))
check_store("creating race", db, 4, 3, 20)
check("creating race: the store is bound to the agreement once",
      sql(db, "SELECT key, value FROM meta WHERE key='agreement_hash';") == ["agreement_hash|" + agreement_hash(MSFT).hex()])
check("creating race: the store is in WAL mode", sql(db, "PRAGMA journal_mode;") == ["wal"])

# Many small races on stores that do not exist yet: the first use of a store by several processes
# at once must wait for the lock like any other write, never fail with "database is locked".
one = path("one.jsonl")
with open(one, "w") as f:
    f.write(jsonl([purchase(DATE, 1)] * 5))
failures, rounds = [], 40 if not L.LONG else 400
for k in range(rounds):
    db = fresh("create-round.db")
    ps = [subprocess.Popen([PACTUM, "event", "add", "--db", db], stdin=open(one), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True) for _ in range(4)]
    for p in ps:
        out, err = p.communicate(timeout=60)
        if p.returncode != 0:
            failures.append(err.strip())
    if count(db) != 21 - 5 * sum(1 for p in ps if p.returncode != 0):
        failures.append("round %d: %d records" % (k, count(db)))
check("%d rounds of 4 processes creating a store at once: every add succeeds" % rounds, not failures,
      "%d failures, e.g. %s" % (len(failures), failures[:3]))

# ---- A refused batch racing with good ones writes nothing and disturbs nothing ------------------
db = fresh("race-refused.db")
run("init", "--db", db)
bad = path("refused.jsonl")
with open(bad, "w") as f:
    f.write(jsonl([purchase(DATE, 999_999_999)] * 5 + [{"type": "panel_verdict", "date": DATE, "declaration": 1, "verdict": "verified"}]))
good = write_batches("refgood", 1, 1, 200)[0, 0]
procs = [subprocess.Popen([PACTUM, "event", "add", "--db", db], stdin=open(bad), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) for _ in range(3)]
procs.append(subprocess.Popen([PACTUM, "event", "add", "--db", db], stdin=open(good), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE))
rcs = [p.wait(timeout=60) for p in procs]
check("refused batches exit 2 and the good one 0, though they ran together", rcs == [2, 2, 2, 0], rcs)
check("only the good batch was recorded", seqs(db) == list(range(1, 202))
      and 999_999_999 not in [e["amount_usd"] for e in agreement_events(db)])

finish()
