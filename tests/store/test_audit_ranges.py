#!/usr/bin/env python3
"""Tamper tests on a chain long enough for `audit verify` to split it into ranges checked in
parallel (src/audit.c: one range per CPU, at most 8, when each range holds at least 2^16
records). Faults at and next to the seams between ranges, in the Merkle nodes that span ranges,
and seqs far beyond the chain, must be reported at the same seq as a serial walk of the chain
reports them.

    python3 tests/store/test_audit_ranges.py PACTUM

The ranges are cut at max_seq / n * k (k = 1 .. n-1) rounded down to a multiple of 2^16, so that
every tree node of level 16 or less lies inside one range; the chain is made long enough that n
is the number of CPUs (up to 8), so the seams fall where this script computes them. On one CPU
there is one range and the test still checks the serial walk.
"""
import os
import re
import sys

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from storelib import *  # noqa: E402,F401,F403
import storelib as L  # noqa: E402

L.need_sqlite3()

cpus = os.sysconf("SC_NPROCESSORS_ONLN") if hasattr(os, "sysconf") else 1
n = max(1, min(cpus, 8))
ALIGN = 1 << 16
MAX = ALIGN * max(n, 2) + 777  # records: store_created and MAX - 1 events
seams = sorted({(MAX // n * k) // ALIGN * ALIGN for k in range(1, n)}) or [ALIGN]
print("%d CPUs: %d ranges over %d records; seams after %s" % (cpus, n, MAX, seams))

gold = fresh("long.db")
check("init", run("init", "--db", gold).rc == 0)
events = [purchase("2026-01-15", i + 1) for i in range(MAX - 1)]
r = add(gold, events)
check("%d events recorded in one batch" % (MAX - 1), r.rc == 0, r)
H = [agreement_hash(MSFT), chain_hash(1, agreement_hash(MSFT), rows(gold)[0][1])]
for k, ev in enumerate(events, 2):
    H.append(chain_hash(k, H[-1], canon(ev)))
r = run("audit", "verify", "--db", gold)
check("the long chain verifies, with the derived head",
      r.rc == 0 and ("events: ok: %d records" % MAX) in r.out and H[MAX].hex() in r.out, r)

FAILED_AT = re.compile(r"^events: FAILED at seq (\d+): ", re.M)
ncase = 0


def case(name, statements, seq, *extra):
    global ncase
    ncase += 1
    db = fresh("long-%02d.db" % ncase)
    sql(gold, ".backup %s" % q(db))
    sql(db, *statements)
    r = run("audit", "verify", "--db", db, *extra)
    m = FAILED_AT.search(r.out)
    got = int(m.group(1)) if m else None
    check("%s: reported at seq %d" % (name, seq), r.rc == 1 and got == seq, "got %s\n%r" % (got, r))


def swap(a, b):
    return ["UPDATE events SET seq = -1 WHERE seq = %d;" % a, "UPDATE events SET seq = %d WHERE seq = %d;" % (a, b),
            "UPDATE events SET seq = %d WHERE seq = -1;" % b]


for b in (seams[0], seams[-1]) if seams[0] != seams[-1] else (seams[0],):
    tag = "seam after %d" % b
    case("%s: record %d's JSON altered" % (tag, b), ["UPDATE events SET json = json || ' ' WHERE seq = %d;" % b], b)
    case("%s: record %d's JSON altered" % (tag, b + 1),
         ["UPDATE events SET json = json || ' ' WHERE seq = %d;" % (b + 1)], b + 1)
    case("%s: record %d's hash altered" % (tag, b), ["UPDATE events SET hash = %s WHERE seq = %d;" % (q("0" * 64), b)],
         b)
    case("%s: record %d's prev_hash altered" % (tag, b + 1),
         ["UPDATE events SET prev_hash = %s WHERE seq = %d;" % (q("0" * 64), b + 1)], b + 1)
    case("%s: record %d (the last of a range) deleted" % (tag, b), ["DELETE FROM events WHERE seq = %d;" % b], b)
    case("%s: record %d (the first of a range) deleted" % (tag, b + 1),
         ["DELETE FROM events WHERE seq = %d;" % (b + 1)], b + 1)
    case("%s: records %d..%d deleted" % (tag, b - 2, b), ["DELETE FROM events WHERE seq BETWEEN %d AND %d;" % (b - 2, b)],
         b - 2)
    case("%s: records %d..%d deleted" % (tag, b - 1, b + 1),
         ["DELETE FROM events WHERE seq BETWEEN %d AND %d;" % (b - 1, b + 1)], b - 1)
    case("%s: records %d and %d swapped" % (tag, b, b + 1), swap(b, b + 1), b)
    case("%s: records %d and %d swapped" % (tag, b - 1, b), swap(b - 1, b), b - 1)
    case("%s: faults at 10 and at %d: the first is reported" % (tag, b + 5),
         ["UPDATE events SET json = json || ' ' WHERE seq IN (10, %d);" % (b + 5)], 10)
    db = fresh("long-receipt.db")
    r = run("audit", "verify", "--db", gold, "--head", H[b + 3].hex())
    check("%s: a receipt of seq %d is found" % (tag, b + 3), r.rc == 0 and "receipt (seq %d)" % (b + 3) in r.out, r)

# Tree nodes: level 16 completes at seq 2^16 (inside the first range); level 17 at seq 2^17 spans
# two ranges when there are two or more, and is checked after they are joined.
case("record %d's level-16 tree node altered" % ALIGN,
     ["UPDATE events SET tree = substr(tree, 1, 15 * 32) || zeroblob(32) WHERE seq = %d;" % ALIGN], ALIGN)
case("record %d's level-1 tree node altered" % (ALIGN + 2),
     ["UPDATE events SET tree = zeroblob(32) WHERE seq = %d;" % (ALIGN + 2)], ALIGN + 2)
case("record %d's level-17 tree node (over two ranges) altered" % (2 * ALIGN),
     ["UPDATE events SET tree = substr(tree, 1, 16 * 32) || zeroblob(32) WHERE seq = %d;" % (2 * ALIGN)], 2 * ALIGN)
case("record %d's level-17 tree node removed" % (2 * ALIGN),
     ["UPDATE events SET tree = substr(tree, 1, 16 * 32) WHERE seq = %d;" % (2 * ALIGN)], 2 * ALIGN)

if n >= 3:
    a, b = seams[0], seams[1]
    case("a whole range (%d..%d) deleted" % (a + 1, b), ["DELETE FROM events WHERE seq BETWEEN %d AND %d;" % (a + 1, b)],
         a + 1)
case("the last record deleted and a far seq (10^12) appended", [
    "DELETE FROM events WHERE seq = %d;" % MAX,
    "INSERT INTO events(seq, json, prev_hash, hash) VALUES(1000000000000, '{}', %s, %s);"
    % (q(H[MAX - 1].hex()), q("ab" * 32))], MAX)
case("a record appended at seq %d (one past a gap)" % (MAX + 2),
     ["INSERT INTO events(seq, json, prev_hash, hash) VALUES(%d, '{}', %s, %s);"
      % (MAX + 2, q(H[MAX].hex()), q("ab" * 32))], MAX + 1)
case("the tail from the first seam on deleted, and the head re-appended", [
    "DELETE FROM events WHERE seq > %d AND seq < %d;" % (seams[0], MAX)], seams[0] + 1)

r = run("audit", "verify", "--db", gold, "--head", H[5].hex())
check("a receipt early in the first range is found", r.rc == 0 and "receipt (seq 5)" in r.out, r)
r = run("audit", "verify", "--db", gold, "--head", H[MAX].hex())
check("a receipt of the head is found", r.rc == 0 and "receipt (seq %d)" % MAX in r.out, r)

finish()
