#!/usr/bin/env python3
"""Tamper evidence: every way of rewriting the events table through the sqlite3 shell is found by
`pactum audit verify` at the seq derived below, with exit 1; an intact chain exits 0.

    python3 tests/store/test_tamper.py PACTUM

The expected seq of each case is derived from the chain's definition (docs/store.md): audit walks
seq 1, 2, ... recomputing each hash from the previous record's recomputed hash, so the first
record that is missing, does not link to the one before, or does not match its hash is reported.
Each case is also checked against an independent hashlib verifier (storelib.verify_independently).
"""
import os
import re
import sys

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from storelib import *  # noqa: E402,F401,F403
import storelib as L  # noqa: E402

L.need_sqlite3()

EVENTS = [
    purchase("2026-01-10", 100),
    purchase("2026-01-20", 200),
    {"type": "agi_declared", "date": "2026-02-01", "by": "openai"},
    purchase("2026-02-15", 300),
    {"type": "panel_verdict", "date": "2026-03-01", "declaration": 3, "verdict": "rejected"},  # names seq 3
    purchase("2026-04-01", 400),
]
N = len(EVENTS)
FAILED_AT = re.compile(r"^events: FAILED at seq (\d+): ", re.M)

# ---- The golden store --------------------------------------------------------------------------
GOLD = fresh("gold.db")
r = run("init", "--db", GOLD)
check("init creates a store", r.rc == 0, r)
r = add(GOLD, EVENTS)
check("6 events are recorded as seq 1..6", r.rc == 0 and "seq 1..6" in r.out, r)

GENESIS = agreement_hash(MSFT)
check("the store's agreement_hash is SHA-256 of the agreement source",
      sql(GOLD, "SELECT value FROM meta WHERE key='agreement_hash';") == [GENESIS.hex()])

# Hashes derived independently: H[k] is record k's hash, H[0] the genesis.
H = [GENESIS]
for k, ev in enumerate(EVENTS, 1):
    H.append(chain_hash(k, H[-1], canon(ev)))
stored = rows(GOLD)
check("each stored record holds seq, canonical JSON, prev_hash and hash as derived",
      stored == [(k, canon(ev), H[k - 1].hex(), H[k].hex()) for k, ev in enumerate(EVENTS, 1)],
      "\n".join(map(str, stored)))

r = run("audit", "verify", "--db", GOLD)
check("an intact chain verifies: exit 0", r.rc == 0, r)
check("audit verify reports 6 records and the derived head",
      ("events: ok: 6 records, %d bytes; head 6 %s" % (sum(len(canon(e)) for e in EVENTS), H[6].hex())) in r.out, r)
r = run("audit", "head", "--db", GOLD)
check("audit head prints the derived head hash", r.rc == 0 and r.out.strip() == H[6].hex(), r)
HEAD6 = H[6].hex()

n_case = 0


def clone(name):
    """A copy of the golden store, made with the sqlite3 shell's .backup."""
    global n_case
    n_case += 1
    dst = fresh("case%02d-%s.db" % (n_case, name))
    sql(GOLD, ".backup %s" % q(dst))
    return dst


def expect_failure(name, db, seq, *extra, reason=None):
    """audit verify must exit 1 naming `seq`, as the independent verifier does."""
    r = run("audit", "verify", "--db", db, *extra)
    m = FAILED_AT.search(r.out)
    got = int(m.group(1)) if m else None
    ok = r.rc == 1 and got == seq and sane(r)
    if ok and reason:
        ok = reason in r.out
    check("%s: audit verify exits 1 and reports seq %d" % (name, seq), ok, "got seq %s\n%r" % (got, r))
    iok, iseq, _ = verify_independently(db)
    check("%s: the independent verifier also fails at seq %d" % (name, seq), not iok and iseq == seq,
          "independent: ok=%s seq=%s" % (iok, iseq))


def expect_ok(name, db, *extra):
    r = run("audit", "verify", "--db", db, *extra)
    check("%s: audit verify exits 0" % name, r.rc == 0 and "events: ok" in r.out, r)
    return r


def renumber_from(db, first, by):
    """Shift seq >= first by `by` without tripping the primary key half way."""
    sql(db, "UPDATE events SET seq = -(seq + %d) WHERE seq >= %d;" % (by, first),
        "UPDATE events SET seq = -seq WHERE seq < 0;")


# ---- Altering a record's JSON ------------------------------------------------------------------
for k in (1, 3, N):
    db = clone("alter-json-%d" % k)
    sql(db, "UPDATE events SET json = replace(json, '\"date\"', '\"date\" ') WHERE seq = %d;" % k)
    expect_failure("white space added to record %d's JSON" % k, db, k, reason="altered")

db = clone("alter-amount")
sql(db, "UPDATE events SET json = replace(json, '200', '2000') WHERE seq = 2;")
expect_failure("record 2's amount raised from 200 to 2000", db, 2, reason="altered")

db = clone("alter-verdict")
sql(db, "UPDATE events SET json = replace(json, 'rejected', 'verified') WHERE seq = 5;")
expect_failure("the panel's verdict turned from rejected to verified", db, 5)

# ---- Altering stored hashes --------------------------------------------------------------------
db = clone("alter-hash")
sql(db, "UPDATE events SET hash = %s WHERE seq = 4;" % q("00" * 32))
expect_failure("record 4's stored hash zeroed", db, 4, reason="altered")

db = clone("alter-hash-case")
sql(db, "UPDATE events SET hash = %s WHERE seq = 4;" % q(H[5].hex()))
expect_failure("record 4's stored hash replaced by record 5's", db, 4)

db = clone("alter-hash-garbage")
sql(db, "UPDATE events SET hash = 'not a hash' WHERE seq = 6;")
expect_failure("record 6's stored hash is not hex", db, 6)

db = clone("alter-prev")
sql(db, "UPDATE events SET prev_hash = %s WHERE seq = 2;" % q(H[0].hex()))
expect_failure("record 2's prev_hash pointed at the genesis", db, 2)

# ---- Deleting records --------------------------------------------------------------------------
db = clone("delete-middle")
sql(db, "DELETE FROM events WHERE seq = 3;")
expect_failure("record 3 deleted", db, 3, reason="missing")

db = clone("delete-first")
sql(db, "DELETE FROM events WHERE seq = 1;")
expect_failure("record 1 deleted", db, 1, reason="missing")

db = clone("delete-middle-renumbered")
sql(db, "DELETE FROM events WHERE seq = 3;")
renumber_from(db, 4, -1)
# Record 3 is now the old record 4: its prev_hash is H[3] (the deleted record's), not H[2].
expect_failure("record 3 deleted and the rest renumbered to close the gap", db, 3)

db = clone("delete-last")
sql(db, "DELETE FROM events WHERE seq = %d;" % N)
r = expect_ok("the last record deleted (a cut tail is a valid shorter chain)", db)
check("after the cut, audit verify reports 5 records and head H5", ("head 5 %s" % H[5].hex()) in r.out, r)
r = run("audit", "verify", "--db", db, "--head", HEAD6)
check("after the cut, audit verify --head OLDHEAD exits 1: the receipt is gone",
      r.rc == 1 and "FAILED" in r.out and "receipt" in r.out, r)
r = run("audit", "verify", "--db", db, "--head", H[3].hex())
check("after the cut, a receipt of seq 3 is still extended: exit 0, found at seq 3",
      r.rc == 0 and "receipt (seq 3)" in r.out, r)
r = run("audit", "verify", "--db", GOLD, "--head", HEAD6)
check("the intact store extends the receipt of its own head", r.rc == 0 and "receipt (seq 6)" in r.out, r)
r = run("audit", "verify", "--db", GOLD, "--head", HEAD6.upper())
check("a receipt in upper-case hex is the same receipt", r.rc == 0, r)
r = run("audit", "verify", "--db", GOLD, "--head", "12" * 31)
check("a receipt that is not 64 hex digits is bad input: exit 2", r.rc == 2, r)

db = clone("delete-all")
sql(db, "DELETE FROM events;")
r = run("audit", "verify", "--db", db, "--head", HEAD6)
check("every record deleted: audit verify --head OLDHEAD exits 1", r.rc == 1, r)

# ---- Inserting forged records ------------------------------------------------------------------
FORGED = canon(purchase("2026-05-01", 999))

db = clone("insert-end-naive")
sql(db, "INSERT INTO events(seq, json, prev_hash, hash) VALUES(7, %s, %s, %s);"
    % (q(FORGED), q(H[6].hex()), q(H[6].hex())))
expect_failure("a forged record appended with a copied hash", db, 7, reason="altered")

db = clone("insert-end-wrong-prev")
h7 = chain_hash(7, H[5], FORGED)
sql(db, "INSERT INTO events(seq, json, prev_hash, hash) VALUES(7, %s, %s, %s);"
    % (q(FORGED), q(H[5].hex()), q(h7.hex())))
expect_failure("a forged record appended, chained to record 5 instead of 6", db, 7)

db = clone("insert-end-gap")
sql(db, "INSERT INTO events(seq, json, prev_hash, hash) VALUES(8, %s, %s, %s);"
    % (q(FORGED), q(H[6].hex()), q(chain_hash(8, H[6], FORGED).hex())))
expect_failure("a forged record appended as seq 8, leaving out 7", db, 7, reason="missing")

db = clone("insert-far")
sql(db, "INSERT INTO events(seq, json, prev_hash, hash) VALUES(1000000000000, %s, %s, %s);"
    % (q(FORGED), q(H[6].hex()), q(chain_hash(10**12, H[6], FORGED).hex())))
expect_failure("a forged record appended at seq 10^12", db, 7, reason="missing")

db = clone("insert-middle-naive")
renumber_from(db, 4, 1)
sql(db, "INSERT INTO events(seq, json, prev_hash, hash) VALUES(4, %s, %s, %s);"
    % (q(canon(purchase("2026-02-10", 999))), q(H[3].hex()), q(H[4].hex())))
expect_failure("a forged record inserted as seq 4 (records 4..6 renumbered 5..7), hash copied", db, 4)

db = clone("insert-middle-careful")
renumber_from(db, 4, 1)
forged4 = canon(purchase("2026-02-10", 999))
sql(db, "INSERT INTO events(seq, json, prev_hash, hash) VALUES(4, %s, %s, %s);"
    % (q(forged4), q(H[3].hex()), q(chain_hash(4, H[3], forged4).hex())))
# The forged record is self-consistent; the first record that is wrong is the one after it,
# whose prev_hash (H[3]) is not the forged record's hash, and whose seq moved.
expect_failure("a forged record inserted as seq 4 with a correct hash: the next record breaks", db, 5,
               reason="does not follow")

db = clone("rewrite-tail")
renumber_from(db, 4, 1)
sql(db, "INSERT INTO events(seq, json, prev_hash, hash) VALUES(4, %s, '', '');" % q(forged4))
# A forger who recomputes every later hash makes a chain that verifies on its own ...
prev = H[3]
for seq, text, _, _ in rows(db)[3:]:
    h = chain_hash(seq, prev, text)
    sql(db, "UPDATE events SET prev_hash = %s, hash = %s WHERE seq = %d;" % (q(prev.hex()), q(h.hex()), seq))
    prev = h
expect_ok("the tail rewritten after a forged insertion, every hash recomputed", db)
# ... but no longer contains the receipt a party kept.
r = run("audit", "verify", "--db", db, "--head", HEAD6)
check("the rewritten tail does not extend the receipt of the old head: exit 1",
      r.rc == 1 and "receipt" in r.out, r)
r = run("audit", "verify", "--db", db, "--head", H[3].hex())
check("the rewritten tail still extends a receipt taken before the forgery (seq 3)", r.rc == 0, r)

# ---- Reordering --------------------------------------------------------------------------------
db = clone("swap-json")
sql(db, "UPDATE events SET json = CASE seq WHEN 2 THEN %s WHEN 4 THEN %s END WHERE seq IN (2, 4);"
    % (q(canon(EVENTS[3])), q(canon(EVENTS[1]))))
expect_failure("the JSON of records 2 and 4 swapped", db, 2, reason="altered")

db = clone("swap-json-hashes")
# Swap everything but the seqs: json, prev_hash and hash of records 2 and 3 move together.
sql(db, "UPDATE events SET seq = 100 WHERE seq = 2;", "UPDATE events SET seq = 2 WHERE seq = 3;",
    "UPDATE events SET seq = 3 WHERE seq = 100;")
expect_failure("records 2 and 3 swapped (their seqs exchanged)", db, 2, reason="does not follow")

db = clone("swap-last-two")
sql(db, "UPDATE events SET seq = 100 WHERE seq = 5;", "UPDATE events SET seq = 5 WHERE seq = 6;",
    "UPDATE events SET seq = 6 WHERE seq = 100;")
expect_failure("records 5 and 6 swapped (their seqs exchanged)", db, 5)

# ---- The agreement the chain belongs to -------------------------------------------------------
db = clone("meta-hash")
other = agreement_hash(RESELLER).hex()
sql(db, "UPDATE meta SET value = %s WHERE key = 'agreement_hash';" % q(other))
expect_failure("the store's agreement_hash changed", db, 1, reason="does not follow")
r = add(db, [purchase("2026-05-01", 1)])
check("a store whose agreement_hash was changed is refused by event add: wrong_agreement, exit 2",
      r.rc == 2 and "wrong_agreement" in r.err and count(db) == N, r)

db = clone("meta-hash-gone")
sql(db, "DELETE FROM meta WHERE key = 'agreement_hash';")
r = run("audit", "verify", "--db", db)
check("a store with no agreement_hash does not verify (exit 1)", r.rc == 1 and sane(r), r)

db = clone("meta-hash-rebound")
sql(db, "UPDATE meta SET value = %s WHERE key = 'agreement_hash';" % q(other))
prev = bytes.fromhex(other)
for seq, text, _, _ in rows(db):
    h = chain_hash(seq, prev, text)
    sql(db, "UPDATE events SET prev_hash = %s, hash = %s WHERE seq = %d;" % (q(prev.hex()), q(h.hex()), seq))
    prev = h
r = run("audit", "verify", "--db", db, "--head", HEAD6)
check("a chain re-bound to another agreement and rehashed fails the old receipt", r.rc == 1, r)
# docs/cli.md: the audit commands read the store alone and do not load an agreement, so a chain
# re-bound to another agreement and rehashed throughout is a valid chain of its own; the receipt
# above and every command that folds the store with the agreement refuse it.
r = run("status", "--db", db)
check("status --db refuses the re-bound store: wrong_agreement", r.rc == 2 and "wrong_agreement" in r.err, r)

# ---- Rows outside the chain -------------------------------------------------------------------
db = clone("seq-zero")
sql(db, "INSERT INTO events(seq, json, prev_hash, hash) VALUES(0, %s, %s, %s);"
    % (q(FORGED), q(H[0].hex()), q(H[0].hex())))
r = run("audit", "verify", "--db", db)
ev = events_of(db)
led = run("ledger", "--db", db, "--date", "2026-12-31", "--format", "json")
# A row at seq 0 is not part of the chain: audit may report it, but nothing may read it as an event.
check("a row at seq 0 is reported by audit or ignored by every reader",
      (r.rc == 1) or (len(ev) == N and '"fulfilled":1000,' in led.out), "%r\nevents %d\n%r" % (r, len(ev), led))

# ---- Audit's report after a failure -----------------------------------------------------------
db = clone("report")
sql(db, "UPDATE events SET json = replace(json, '300', '301') WHERE seq = 4;")
r = run("audit", "verify", "--db", db)
check("the report of a failed audit names the seq and the reason on one line",
      re.search(r"^events: FAILED at seq 4: record 4 was altered", r.out, re.M) is not None, r)
r = add(db, [purchase("2026-05-01", 5)])
if r.rc == 0:
    expect_failure("after an append to the altered store, the alteration is still reported at seq 4", db, 4)

finish()
