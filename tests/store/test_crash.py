#!/usr/bin/env python3
"""A crash test that really crashes: a writer appends events one `pactum event add` at a time and
prints each acknowledged seq; the test sends SIGKILL to the writer and its pactum child at random
moments, at least 25 times, restarting it each time. At the end every acknowledged event is
present exactly once at the seq it was acknowledged with, nothing is duplicated, every batch is
all there or not at all, and `audit verify` passes.

    python3 tests/store/test_crash.py PACTUM          # about 5 s: 30 kills
    PACTUM_LONG=1 python3 tests/store/test_crash.py PACTUM   # 400 kills, longer runs

Each writer run uses its own range of amounts, so an amount names one event: the writer never
sends an event twice, and a duplicate in the store would be pactum's doing. Odd runs append
batches of 25 events in one `event add`, to check that a batch killed half way leaves nothing.
"""
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from storelib import *  # noqa: E402,F401,F403
import storelib as L  # noqa: E402

L.need_sqlite3()

KILLS = 400 if L.LONG else 30
MAX_SLEEP = 0.6 if L.LONG else 0.12
BATCH = 25
DATE = "2026-06-15"
seed = int(os.environ.get("PACTUM_SEED", str(int(time.time()))))
random.seed(seed)
print("seed %d (set PACTUM_SEED to repeat), %d kills" % (seed, KILLS))

# The writer: appends forever, printing "ACK FIRST_AMOUNT COUNT <pactum's first line>" after each
# acknowledged add and "ERR FIRST_AMOUNT <stderr>" after a refused one.
WRITER = r'''
pactum=$1 db=$2 base=$3 batch=$4 date=$5
i=$base
while :; do
  lines=
  for ((j = 0; j < batch; j++)); do
    lines+="{\"type\":\"azure_purchase\",\"date\":\"$date\",\"amount_usd\":$((i + j))}"$'\n'
  done
  if out=$(printf '%s' "$lines" | "$pactum" event add --db "$db" 2>"$db.err.$base"); then
    printf 'ACK %d %d %s\n' "$i" "$batch" "${out%%$'\n'*}"
  else
    printf 'ERR %d %s\n' "$i" "$(tr '\n' ' ' < "$db.err.$base")"
  fi
  i=$((i + batch))
done
'''

db = fresh("crash.db")
r = run("init", "--db", db)
check("init", r.rc == 0, r)

acked = []      # (first_amount, count, first_seq, last_seq)
errors = []
started = {}    # run -> (base, batch)
ACK = re.compile(r"^ACK (\d+) (\d+) recorded \d+ events?, seq (\d+)\.\.(\d+)$")


def group_alive(pgid):
    """1 if a process of group pgid is still running (zombies, which hold no locks, do not count)."""
    if not os.path.isdir("/proc"):
        time.sleep(0.05)
        return False
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def reader(stream, sink):
    for line in stream:
        sink.append(line.rstrip("\n"))


t0 = time.time()
for k in range(KILLS):
    base = (k + 1) * 1_000_000
    batch = BATCH if k % 2 else 1
    started[k] = (base, batch)
    p = subprocess.Popen(["bash", "-c", WRITER, "writer", PACTUM, db, str(base), str(batch), DATE],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    lines = []
    t = threading.Thread(target=reader, args=(p.stdout, lines))
    t.start()
    # Half the runs are killed at a random moment from the start (often inside the first add);
    # the other half only after their first acknowledgement, so that a slow machine (sanitizers,
    # load) still exercises appends and the check on their number below holds without timing.
    if k % 4 < 2:
        deadline = time.time() + 30
        while not lines and p.poll() is None and time.time() < deadline:
            time.sleep(0.002)
    time.sleep(random.uniform(0.005, MAX_SLEEP))
    os.killpg(p.pid, signal.SIGKILL)  # the writer and the pactum it is running, at once
    p.wait()
    # A process killed in the middle of a system call (fsync) dies when the call returns: wait
    # until the whole group is gone before looking at the store or starting the next writer.
    deadline = time.time() + 30
    while group_alive(p.pid) and time.time() < deadline:
        time.sleep(0.002)
    t.join(timeout=30)
    for line in lines:
        m = ACK.match(line)
        if m:
            acked.append((int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4))))
        else:
            errors.append(line)
elapsed = time.time() - t0

check("no add failed between the crashes (no leftover lock, no corruption refused a later add)",
      not errors, "\n".join(errors[:5]))
check("the writer was acknowledged at least once per 3 runs (the test exercised appends)",
      len(acked) >= KILLS // 3, "%d acknowledged adds" % len(acked))

rws = rows(db)
check("record 1 is the store's store_created record", rws and json.loads(rws[0][1]).get("type") == "store_created")
present = {}
dups = []
for seq, text, _, _ in rws[1:]:
    a = json.loads(text)["amount_usd"]
    if a in present:
        dups.append(a)
    present[a] = seq
check("no event is duplicated", not dups, "duplicated amounts: %s" % dups[:10])

lost, moved = [], []
for first, n, s0, s1 in acked:
    for j in range(n):
        if first + j not in present:
            lost.append(first + j)
        elif present[first + j] != s0 + j:
            moved.append((first + j, s0 + j, present[first + j]))
check("every acknowledged event is present (%d adds, %d events)" % (len(acked), sum(a[1] for a in acked)),
      not lost, "lost: %s" % lost[:10])
check("every acknowledged event is at the seq it was acknowledged with", not moved, "moved: %s" % moved[:10])
check("seqs run 1..N without a gap", [r_[0] for r_ in rws] == list(range(1, len(rws) + 1)))

# A batch is written all or nothing, even when the process dies half way through it.
partial = []
for k, (base, batch) in started.items():
    if batch == 1:
        continue
    i = base
    while i in present or any(i + j in present for j in range(batch)):
        got = [i + j in present for j in range(batch)]
        seqs_ = [present.get(i + j) for j in range(batch)]
        if not all(got) or seqs_ != list(range(seqs_[0], seqs_[0] + batch)):
            partial.append((i, got.count(True)))
        i += batch
check("every batch is all there (at consecutive seqs) or not there at all", not partial,
      "partial batches (first amount, events present): %s" % partial[:10])

unacked = len(present) - sum(a[1] for a in acked)
print("%d kills in %.1f s; %d events stored, %d acknowledged; %d stored without an acknowledgement "
      "(killed between commit and ack)" % (KILLS, elapsed, len(present), len(present) - unacked, unacked))

r = run("audit", "verify", "--db", db)
check("audit verify passes after the crashes", r.rc == 0 and ("events: ok: %d records" % len(rws)) in r.out, r)
iok, bad, head = verify_independently(db)
check("the independent verifier agrees", iok and head in r.out, "bad seq %s" % bad)
check("PRAGMA integrity_check is ok", sql(db, "PRAGMA integrity_check;") == ["ok"])
r = run("ledger", "--db", db, "--date", "2026-12-31", "--format", "json")
try:
    fulfilled = json.loads(r.out)["commitments"][0]["fulfilled"]
except (ValueError, KeyError, IndexError):
    fulfilled = None
check("the ledger counts exactly the stored purchases", fulfilled == sum(present), r)
r = add(db, [purchase(DATE, 1)])
check("the store takes a new event after the crashes, at the next seq",
      r.rc == 0 and ("seq %d..%d" % (len(rws) + 1, len(rws) + 1)) in r.out, r)

finish()
