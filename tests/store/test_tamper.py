#!/usr/bin/env python3
"""Tamper evidence: every way of rewriting the events table through the sqlite3 shell is found by
`pactum audit verify` at the seq derived below, with exit 1; an intact chain exits 0.

    python3 tests/store/test_tamper.py PACTUM

The expected seq of each case is derived from the chain's definition (docs/store.md): audit walks
seq 1, 2, ... recomputing each hash from the previous record's recomputed hash, so the first
record that is missing, does not link to the one before, does not match its hash, or keeps Merkle
tree nodes that its leaves do not give is reported. Each case is also checked against an
independent hashlib verifier (storelib.verify_independently).

Record 1 of every store is its `store_created` record, so the six events below are seqs 2..7.
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
    {"type": "panel_verdict", "date": "2026-03-01", "declaration": 4, "verdict": "rejected"},  # names seq 4
    purchase("2026-04-01", 400),
]
N = len(EVENTS) + 1  # records: store_created, then the events
FAILED_AT = re.compile(r"^events: FAILED at seq (\d+): ", re.M)

# ---- The golden store --------------------------------------------------------------------------
GOLD = fresh("gold.db")
r = run("init", "--db", GOLD)
check("init creates a store", r.rc == 0, r)
check_store_created("init", GOLD)
r = add(GOLD, EVENTS)
check("6 events are recorded as seq 2..7", r.rc == 0 and "seq 2..7" in r.out, r)

GENESIS = agreement_hash(MSFT)
check("the store's agreement_hash is SHA-256 of the agreement source",
      sql(GOLD, "SELECT value FROM meta WHERE key='agreement_hash';") == [GENESIS.hex()])

# Hashes derived independently: H[k] is record k's hash, H[0] the genesis. Record 1's JSON (its
# random store id and creation time) is read from the store; check_store_created checked its form.
CREATED = rows(GOLD)[0][1]
H = [GENESIS, chain_hash(1, GENESIS, CREATED)]
for k, ev in enumerate(EVENTS, 2):
    H.append(chain_hash(k, H[-1], canon(ev)))
stored = rows(GOLD)
check("each stored record holds seq, canonical JSON, prev_hash and hash as derived",
      stored == [(1, CREATED, H[0].hex(), H[1].hex())]
      + [(k, canon(ev), H[k - 1].hex(), H[k].hex()) for k, ev in enumerate(EVENTS, 2)],
      "\n".join(map(str, stored)))
stored_trees = trees(GOLD)
want_trees = tree_blobs(H[1:])
check("each record keeps the Merkle nodes that complete at its leaf (levels 1..ctz(seq))",
      [stored_trees[k] for k in range(1, N + 1)] == want_trees
      and [len(t) // 32 for t in want_trees] == [0, 1, 0, 2, 0, 1, 0], stored_trees)

r = run("audit", "verify", "--db", GOLD)
check("an intact chain verifies: exit 0", r.rc == 0, r)
check("audit verify reports 7 records and the derived head",
      ("events: ok: 7 records, %d bytes; head 7 %s"
       % (len(CREATED) + sum(len(canon(e)) for e in EVENTS), H[7].hex())) in r.out, r)
r = run("audit", "head", "--db", GOLD)
check("audit head prints the derived head hash", r.rc == 0 and r.out.strip() == H[7].hex(), r)
HEAD = H[N].hex()

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
for k in (1, 2, 4, N):
    db = clone("alter-json-%d" % k)
    sql(db, "UPDATE events SET json = replace(json, '\"type\"', '\"type\" ') WHERE seq = %d;" % k)
    expect_failure("white space added to record %d's JSON" % k, db, k, reason="altered")

db = clone("alter-amount")
sql(db, "UPDATE events SET json = replace(json, '200', '2000') WHERE seq = 3;")
expect_failure("record 3's amount raised from 200 to 2000", db, 3, reason="altered")

db = clone("alter-verdict")
sql(db, "UPDATE events SET json = replace(json, 'rejected', 'verified') WHERE seq = 6;")
expect_failure("the panel's verdict turned from rejected to verified", db, 6)

db = clone("alter-settings")
sql(db, "UPDATE events SET json = replace(json, '\"require_signatures\":false', '\"require_signatures\":true') "
    "WHERE seq = 1;")
expect_failure("the store's settings record turned to require signatures", db, 1, reason="altered")

# ---- Altering stored hashes --------------------------------------------------------------------
db = clone("alter-hash")
sql(db, "UPDATE events SET hash = %s WHERE seq = 5;" % q("00" * 32))
expect_failure("record 5's stored hash zeroed", db, 5, reason="altered")

db = clone("alter-hash-case")
sql(db, "UPDATE events SET hash = %s WHERE seq = 5;" % q(H[6].hex()))
expect_failure("record 5's stored hash replaced by record 6's", db, 5)

db = clone("alter-hash-garbage")
sql(db, "UPDATE events SET hash = 'not a hash' WHERE seq = 7;")
expect_failure("record 7's stored hash is not hex", db, 7)

db = clone("alter-prev")
sql(db, "UPDATE events SET prev_hash = %s WHERE seq = 3;" % q(H[0].hex()))
expect_failure("record 3's prev_hash pointed at the genesis", db, 3)

# ---- Altering the stored Merkle nodes ----------------------------------------------------------
db = clone("alter-tree-zero")
sql(db, "UPDATE events SET tree = zeroblob(64) WHERE seq = 4;")
expect_failure("record 4's two tree nodes zeroed", db, 4, reason="Merkle")

db = clone("alter-tree-swap")
sql(db, "UPDATE events SET tree = %s WHERE seq = 4;" % ("X'%s'" % (want_trees[3][32:] + want_trees[3][:32]).hex()))
expect_failure("record 4's two tree nodes swapped", db, 4, reason="Merkle")

db = clone("alter-tree-cut")
sql(db, "UPDATE events SET tree = %s WHERE seq = 4;" % ("X'%s'" % want_trees[3][:32].hex()))
expect_failure("record 4's level-2 tree node removed", db, 4, reason="Merkle")

db = clone("alter-tree-added")
sql(db, "UPDATE events SET tree = %s WHERE seq = 3;" % ("X'%s'" % want_trees[1].hex()))
expect_failure("a tree node added to record 3, where no subtree completes", db, 3, reason="Merkle")

# ---- Deleting records --------------------------------------------------------------------------
db = clone("delete-middle")
sql(db, "DELETE FROM events WHERE seq = 4;")
expect_failure("record 4 deleted", db, 4, reason="missing")

db = clone("delete-first")
sql(db, "DELETE FROM events WHERE seq = 1;")
expect_failure("record 1 (store_created) deleted", db, 1, reason="missing")

db = clone("delete-first-event")
sql(db, "DELETE FROM events WHERE seq = 2;")
expect_failure("record 2, the first event, deleted", db, 2, reason="missing")

db = clone("delete-middle-renumbered")
sql(db, "DELETE FROM events WHERE seq = 4;")
renumber_from(db, 5, -1)
# Record 4 is now the old record 5: its prev_hash is H[4] (the deleted record's), not H[3].
expect_failure("record 4 deleted and the rest renumbered to close the gap", db, 4)

db = clone("delete-last")
sql(db, "DELETE FROM events WHERE seq = %d;" % N)
r = expect_ok("the last record deleted (a cut tail is a valid shorter chain)", db)
check("after the cut, audit verify reports 6 records and head H6", ("head 6 %s" % H[6].hex()) in r.out, r)
r = run("audit", "verify", "--db", db, "--head", HEAD)
check("after the cut, audit verify --head OLDHEAD exits 1: the receipt is gone",
      r.rc == 1 and "FAILED" in r.out and "receipt" in r.out, r)
r = run("audit", "verify", "--db", db, "--head", H[4].hex())
check("after the cut, a receipt of seq 4 is still extended: exit 0, found at seq 4",
      r.rc == 0 and "receipt (seq 4)" in r.out, r)
r = run("audit", "verify", "--db", GOLD, "--head", HEAD)
check("the intact store extends the receipt of its own head", r.rc == 0 and "receipt (seq 7)" in r.out, r)
r = run("audit", "verify", "--db", GOLD, "--head", HEAD.upper())
check("a receipt in upper-case hex is the same receipt", r.rc == 0, r)
r = run("audit", "verify", "--db", GOLD, "--head", "12" * 31)
check("a receipt that is not 64 hex digits is bad input: exit 2", r.rc == 2, r)

db = clone("delete-all")
sql(db, "DELETE FROM events;")
r = run("audit", "verify", "--db", db, "--head", HEAD)
check("every record deleted: audit verify --head OLDHEAD exits 1", r.rc == 1, r)

# ---- Inserting forged records ------------------------------------------------------------------
FORGED = canon(purchase("2026-05-01", 999))

db = clone("insert-end-naive")
sql(db, "INSERT INTO events(seq, json, prev_hash, hash) VALUES(8, %s, %s, %s);"
    % (q(FORGED), q(H[7].hex()), q(H[7].hex())))
expect_failure("a forged record appended with a copied hash", db, 8, reason="altered")

db = clone("insert-end-wrong-prev")
h8 = chain_hash(8, H[6], FORGED)
sql(db, "INSERT INTO events(seq, json, prev_hash, hash) VALUES(8, %s, %s, %s);"
    % (q(FORGED), q(H[6].hex()), q(h8.hex())))
expect_failure("a forged record appended, chained to record 6 instead of 7", db, 8)

db = clone("insert-end-no-tree")
sql(db, "INSERT INTO events(seq, json, prev_hash, hash) VALUES(8, %s, %s, %s);"
    % (q(FORGED), q(H[7].hex()), q(chain_hash(8, H[7], FORGED).hex())))
expect_failure("a forged record appended as seq 8 with a correct hash but without its 3 tree nodes", db, 8,
               reason="Merkle")

db = clone("insert-end-gap")
sql(db, "INSERT INTO events(seq, json, prev_hash, hash) VALUES(9, %s, %s, %s);"
    % (q(FORGED), q(H[7].hex()), q(chain_hash(9, H[7], FORGED).hex())))
expect_failure("a forged record appended as seq 9, leaving out 8", db, 8, reason="missing")

db = clone("insert-far")
sql(db, "INSERT INTO events(seq, json, prev_hash, hash) VALUES(1000000000000, %s, %s, %s);"
    % (q(FORGED), q(H[7].hex()), q(chain_hash(10**12, H[7], FORGED).hex())))
expect_failure("a forged record appended at seq 10^12", db, 8, reason="missing")

db = clone("insert-middle-naive")
renumber_from(db, 5, 1)
sql(db, "INSERT INTO events(seq, json, prev_hash, hash) VALUES(5, %s, %s, %s);"
    % (q(canon(purchase("2026-02-10", 999))), q(H[4].hex()), q(H[5].hex())))
expect_failure("a forged record inserted as seq 5 (records 5..7 renumbered 6..8), hash copied", db, 5)

db = clone("insert-middle-careful")
renumber_from(db, 5, 1)
forged5 = canon(purchase("2026-02-10", 999))
sql(db, "INSERT INTO events(seq, json, prev_hash, hash) VALUES(5, %s, %s, %s);"
    % (q(forged5), q(H[4].hex()), q(chain_hash(5, H[4], forged5).hex())))
# The forged record is self-consistent (seq 5 completes no subtree: it needs no tree node); the
# first record that is wrong is the one after it, whose prev_hash (H[4]) is not the forged
# record's hash, and whose seq moved.
expect_failure("a forged record inserted as seq 5 with a correct hash: the next record breaks", db, 6,
               reason="does not follow")

db = clone("rewrite-tail")
renumber_from(db, 5, 1)
sql(db, "INSERT INTO events(seq, json, prev_hash, hash) VALUES(5, %s, '', '');" % q(forged5))
# A forger who recomputes every later hash and tree node makes a chain that verifies on its own ...
rehash(db, 5)
expect_ok("the tail rewritten after a forged insertion, every hash and tree node recomputed", db)
# ... but no longer contains the receipt a party kept.
r = run("audit", "verify", "--db", db, "--head", HEAD)
check("the rewritten tail does not extend the receipt of the old head: exit 1",
      r.rc == 1 and "receipt" in r.out, r)
r = run("audit", "verify", "--db", db, "--head", H[4].hex())
check("the rewritten tail still extends a receipt taken before the forgery (seq 4)", r.rc == 0, r)

# ---- Reordering --------------------------------------------------------------------------------
db = clone("swap-json")
sql(db, "UPDATE events SET json = CASE seq WHEN 3 THEN %s WHEN 5 THEN %s END WHERE seq IN (3, 5);"
    % (q(canon(EVENTS[3])), q(canon(EVENTS[1]))))
expect_failure("the JSON of records 3 and 5 swapped", db, 3, reason="altered")

db = clone("swap-json-hashes")
# Swap everything but the seqs: json, prev_hash and hash of records 3 and 4 move together.
sql(db, "UPDATE events SET seq = 100 WHERE seq = 3;", "UPDATE events SET seq = 3 WHERE seq = 4;",
    "UPDATE events SET seq = 4 WHERE seq = 100;")
expect_failure("records 3 and 4 swapped (their seqs exchanged)", db, 3, reason="does not follow")

db = clone("swap-last-two")
sql(db, "UPDATE events SET seq = 100 WHERE seq = 6;", "UPDATE events SET seq = 6 WHERE seq = 7;",
    "UPDATE events SET seq = 7 WHERE seq = 100;")
expect_failure("records 6 and 7 swapped (their seqs exchanged)", db, 6)

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
rehash(db, 1)
r = run("audit", "verify", "--db", db, "--head", HEAD)
check("a chain re-bound to another agreement and rehashed fails the old receipt", r.rc == 1, r)
# docs/cli.md: the audit commands read the store alone and do not load an agreement, so a chain
# re-bound to another agreement and rehashed throughout is a valid chain of its own; the receipt
# above and every command that folds the store with the agreement refuse it.
r = run("status", "--db", db)
check("status --db refuses the re-bound store: wrong_agreement", r.rc == 2 and "wrong_agreement" in r.err, r)
# A forger who also rewrites the settings record to name the other agreement's hash is refused
# the same way: the chain's own record names the agreement, whatever meta says.
db = clone("settings-rebound")
sql(db, "UPDATE events SET json = replace(json, %s, %s) WHERE seq = 1;" % (q(GENESIS.hex()), q(other)))
rehash(db, 1)
r = run("status", "--db", db)
check("status --db refuses a store whose settings record names another agreement: wrong_agreement",
      r.rc == 2 and "wrong_agreement" in r.err, r)

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
sql(db, "UPDATE events SET json = replace(json, '300', '301') WHERE seq = 5;")
r = run("audit", "verify", "--db", db)
check("the report of a failed audit names the seq and the reason on one line",
      re.search(r"^events: FAILED at seq 5: record 5 was altered", r.out, re.M) is not None, r)
# Every fold checks every link: event add (and every command that folds the store) refuses the
# altered store, naming the seq, and writes nothing.
r = add(db, [purchase("2026-05-01", 5)])
check("event add refuses the altered store: store_corrupt naming seq 5, exit 2, nothing written",
      r.rc == 2 and "store_corrupt" in r.err and "record 5" in r.err and count(db) == N, r)
expect_failure("after the refused append, the alteration is still reported at seq 5", db, 5)

finish()
