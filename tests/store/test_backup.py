#!/usr/bin/env python3
"""Backup, restore and verify, as docs/store.md describes them: backups taken with the sqlite3
shell (.backup and VACUUM INTO) while writers append are consistent stores whose chains verify
and whose heads the live store still extends; a restore is verified with receipts.

    python3 tests/store/test_backup.py PACTUM

Record 1 of every store is its `store_created` record: a store of N records holds N - 1 events.
"""
import os
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from storelib import *  # noqa: E402,F401,F403
import storelib as L  # noqa: E402

L.need_sqlite3()
DATE = "2026-06-15"

db = fresh("live.db")
check("init", run("init", "--db", db).rc == 0)
batch = path("batch.jsonl")
with open(batch, "w") as f:
    f.write(jsonl([purchase(DATE, i + 1) for i in range(100)]))

# Two writers append 15 batches of 100 each while backups are taken.
script = 'for i in $(seq 15); do "$1" event add --db "$2" < "$3" > /dev/null || exit 1; done'
writers = [subprocess.Popen(["bash", "-c", script, "w", PACTUM, db, batch]) for _ in range(2)]
backups = []
k = 0
while any(w.poll() is None for w in writers) or k < 2:
    k += 1
    b = fresh("backup-%d.db" % k)
    if k % 2:
        sql(db, ".timeout 10000", ".backup %s" % q(b))
    else:
        sql(db, ".timeout 10000", "VACUUM INTO %s;" % q(b))
    backups.append(b)
    time.sleep(0.02)
check("the writers succeeded while backups were taken", [w.wait() for w in writers] == [0, 0])
final = run("audit", "verify", "--db", db)
check("the live store verifies: 3,000 events after its store_created", final.rc == 0 and "ok: 3001 records" in final.out,
      final)

heads = []
for b in backups:
    r = run("audit", "verify", "--db", b)
    n = count(b)
    check("backup %s (%d events) verifies on its own" % (os.path.basename(b), n), r.rc == 0, r)
    check("backup %s holds its store_created and whole batches only" % os.path.basename(b), n % 100 == 1, n)
    h = run("audit", "head", "--db", b).out.strip()
    heads.append((b, n, h))
    if n:
        r = run("audit", "verify", "--db", db, "--head", h)
        check("the live store extends the head of backup %s (seq %d)" % (os.path.basename(b), n),
              r.rc == 0 and "receipt (seq %d)" % n in r.out, r)
check("at least one backup was taken half way through the writes", any(1 < n < 3001 for _, n, _ in heads),
      [n for _, n, _ in heads])

# ---- Restore --------------------------------------------------------------------------------------
receipt = run("audit", "head", "--db", db).out.strip()
older = next(((b, n, h) for b, n, h in heads if 1 < n < 3001), None)
if older:
    b, n, h = older
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    shutil.copyfile(b, db)
    r = run("audit", "verify", "--db", db)
    check("the restored store verifies", r.rc == 0 and ("ok: %d records" % n) in r.out, r)
    r = run("audit", "verify", "--db", db, "--head", receipt)
    check("the latest receipt shows the restored store lost events (exit 1)", r.rc == 1 and "receipt" in r.out, r)
    r = run("audit", "verify", "--db", db, "--head", h)
    check("the backup's own receipt is extended", r.rc == 0, r)
    r = add(db, [purchase(DATE, 5)])
    check("the restored store takes new events at seq %d" % (n + 1), r.rc == 0 and "seq %d..%d" % (n + 1, n + 1) in r.out, r)

# ---- An empty store's receipt ---------------------------------------------------------------------
e = fresh("empty.db")
run("init", "--db", e)
r = run("audit", "head", "--db", e)
genesis = agreement_hash(MSFT).hex()
created = chain_hash(1, agreement_hash(MSFT), rows(e)[0][1]).hex()
check("the head of a store without events is its store_created record, chained from the agreement hash",
      r.rc == 0 and r.out.strip() == created, r)
r = run("audit", "verify", "--db", e, "--head", created)
check("audit verify --head accepts the receipt audit head gave for the store without events", r.rc == 0, r)
r = run("audit", "verify", "--db", e, "--head", genesis)
check("audit verify --head accepts the agreement hash (the receipt of an empty chain)", r.rc == 0, r)
add(e, [purchase(DATE, 1)])
r = run("audit", "verify", "--db", e, "--head", created)
check("a store that grew from no events still extends that first receipt", r.rc == 0, r)
sql(e, "UPDATE meta SET value = %s WHERE key = 'agreement_hash';" % q("ab" * 32))
r = run("audit", "verify", "--db", e, "--head", genesis)
check("but not once the store is bound to another agreement hash", r.rc == 1, r)
sql(e, "UPDATE meta SET value = %s WHERE key = 'agreement_hash';" % q(genesis))
first = run("audit", "head", "--db", e).out.strip()
r = run("audit", "verify", "--db", e, "--head", first)
check("the receipt of the first event is extended", r.rc == 0 and "receipt (seq 2)" in r.out, r)

finish()
