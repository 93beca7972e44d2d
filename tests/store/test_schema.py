#!/usr/bin/env python3
"""Schema versions: a store records its schema version in PRAGMA user_version. pactum migrates an
older store forward when it opens it (version 1 has no decisions table; version 2 adds it;
version 3 adds the Merkle nodes of each record, the votes and the checkpoints) and refuses a
newer one with an error that names the version. A store of an older pactum kept its settings in
`meta`; the first command that opens it with its agreement commits them to the chain as a
`store_upgraded` record.

    python3 tests/store/test_schema.py PACTUM

The version 1 store is built by hand with the sqlite3 shell from the schema in src/store.c's
comment (and docs/store.md), with the meta rows an older pactum wrote and events hashed here.
"""
import json
import os
import re
import sys

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from storelib import *  # noqa: E402,F401,F403
import storelib as L  # noqa: E402

L.need_sqlite3()

V1_SCHEMA = [
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);",
    "CREATE TABLE events(seq INTEGER PRIMARY KEY, json TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);",
    "PRAGMA user_version = 1;",
]
EVENTS = [purchase("2026-01-10", 100), {"type": "agi_declared", "date": "2026-02-01", "by": "openai"},
          purchase("2026-02-15", 250)]


def columns(db, table):
    return [tuple(r.split("|")[1:6]) for r in sql(db, "PRAGMA table_info(%s);" % table)]


CHAIN_COLUMNS = [("seq", "INTEGER", "0", "", "1"), ("json", "TEXT", "1", "", "0"),
                 ("prev_hash", "TEXT", "1", "", "0"), ("hash", "TEXT", "1", "", "0"), ("tree", "BLOB", "0", "", "0")]

# ---- A new store is version 3 ------------------------------------------------------------------
real = fresh("real.db")
r = run("init", "--db", real)
check("init", r.rc == 0, r)
check("a new store has user_version 3", sql(real, "PRAGMA user_version;") == ["3"])
check("a new store is in WAL mode", sql(real, "PRAGMA journal_mode;") == ["wal"])
check("tables checkpoints, decisions, events, meta and votes",
      sql(real, "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name;")
      == ["checkpoints", "decisions", "events", "meta", "votes"])
check("meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
      columns(real, "meta") == [("key", "TEXT", "0", "", "1"), ("value", "TEXT", "1", "", "0")], columns(real, "meta"))
check("events(seq INTEGER PRIMARY KEY, json, prev_hash, hash TEXT NOT NULL, tree BLOB)",
      columns(real, "events") == CHAIN_COLUMNS, columns(real, "events"))
check("decisions has the same columns as events", columns(real, "decisions") == CHAIN_COLUMNS)
meta = sql(real, ".mode quote", "SELECT key, value FROM meta ORDER BY key;")
check("meta holds agreement, agreement_hash and settings_seq 1 (the settings themselves are in the chain)",
      meta == ["'agreement','microsoft-openai'", "'agreement_hash','%s'" % agreement_hash(MSFT).hex(),
               "'settings_seq','1'"], meta)
check_store_created("a new store", real)

# ---- Version 1, made by hand as an older pactum made it, is migrated on open ---------------------
GENESIS = agreement_hash(MSFT)
V1_META = [("agreement", "microsoft-openai"), ("agreement_hash", GENESIS.hex()), ("require_signatures", "0")]
V1_ROWS, prev = [], GENESIS
for seq, ev in enumerate(EVENTS, 1):
    h = chain_hash(seq, prev, canon(ev))
    V1_ROWS.append((seq, canon(ev), prev.hex(), h.hex()))
    prev = h
V1_HEAD = prev.hex()


def make_v1(name):
    db = fresh(name)
    sql(db, *V1_SCHEMA)
    sql(db, *["INSERT INTO meta(key, value) VALUES(%s, %s);" % (q(k_), q(v_)) for k_, v_ in V1_META])
    sql(db, *["INSERT INTO events(seq, json, prev_hash, hash) VALUES(%d, %s, %s, %s);"
              % (s, q(j), q(p), q(h)) for s, j, p, h in V1_ROWS])
    return db


def meta_of(db):
    return [tuple(m.split("|", 1)) for m in sql(db, "SELECT key, value FROM meta ORDER BY key;")]


v1 = make_v1("v1.db")
check("the hand-made store is version 1 with no decisions table",
      sql(v1, "PRAGMA user_version;") == ["1"]
      and sql(v1, "SELECT count(*) FROM sqlite_master WHERE name='decisions';") == ["0"])
r = run("events", "--db", v1)
check("events reads the version 1 store", r.rc == 0 and len(r.out.splitlines()) == 3, r)
check("opening it migrated it to version 3", sql(v1, "PRAGMA user_version;") == ["3"])
check("the decisions table exists afterwards, with the chain columns", columns(v1, "decisions") == CHAIN_COLUMNS)
check("the events table has the tree column", columns(v1, "events") == CHAIN_COLUMNS)
check("the old events are intact", rows(v1) == V1_ROWS)
check("the migration filled in each record's Merkle nodes",
      [trees(v1)[s_] for s_, _, _, _ in V1_ROWS] == tree_blobs([bytes.fromhex(x[3]) for x in V1_ROWS]))
check("the meta rows are intact (nothing folded the chain yet)", meta_of(v1) == V1_META, meta_of(v1))
r = run("audit", "verify", "--db", v1)
check("the migrated chain verifies, with the same head", r.rc == 0 and V1_HEAD in r.out, r)
r = add(v1, [purchase("2026-03-01", 1)])
check("the migrated store takes new events after its store_upgraded record: seq 5",
      r.rc == 0 and "seq 5..5" in r.out, r)
check("the old events are still intact", rows(v1)[:3] == V1_ROWS)
up = json.loads(rows(v1)[3][1]) if len(rows(v1)) > 3 else {}
check("record 4 is store_upgraded: the agreement, a store id and the settings meta held",
      set(up) == {"type", "agreement", "store", "upgraded", "require_signatures"}
      and up["type"] == "store_upgraded" and up["agreement"].get("hash") == GENESIS.hex()
      and re.fullmatch(r"[0-9a-f]{32}", up["store"]) and up["require_signatures"] is False, up)
check("meta keeps the agreement and where the settings record is; require_signatures left it",
      meta_of(v1) == [("agreement", "microsoft-openai"), ("agreement_hash", GENESIS.hex()), ("settings_seq", "4")],
      meta_of(v1))
r = run("audit", "verify", "--db", v1, "--head", V1_HEAD)
check("the upgraded chain verifies and extends the old head", r.rc == 0 and "receipt (seq 3)" in r.out, r)
r = run("decide", "--db", v1, "--log-decisions",
        "--request", '{"principal":"openai","action":"serve_api","context":{"date":"2026-03-01"}}')
check("the migrated store keeps a decision log", r.rc == 0 and '"decision_id":1' in r.out, r)
r = run("status", "--db", v1, "--date", "2026-03-01", "--format", "json")
check("status folds the old events and the new one", r.rc == 0 and json.loads(r.out)["events"] == 4, r)

v1b = make_v1("v1-add.db")
r = add(v1b, [purchase("2026-03-01", 1)])
check("event add on a version 1 store migrates it, commits its settings and appends", r.rc == 0 and "seq 5..5" in r.out
      and sql(v1b, "PRAGMA user_version;") == ["3"] and json.loads(rows(v1b)[3][1]).get("type") == "store_upgraded", r)
v1c = make_v1("v1-audit.db")
r = run("audit", "verify", "--db", v1c)
check("audit verify on a version 1 store migrates it and verifies", r.rc == 0
      and sql(v1c, "PRAGMA user_version;") == ["3"], r)

# ---- A newer store is refused --------------------------------------------------------------------
r = add(real, EVENTS)
check("3 events recorded", r.rc == 0, r)
for version in (99, 4):
    newer = fresh("v%d.db" % version)
    sql(real, ".backup %s" % q(newer))
    sql(newer, "PRAGMA user_version = %d;" % version)
    before = rows(newer)
    for cmd in (["events"], ["audit", "verify"], ["audit", "head"], ["decisions"], ["status"], ["ledger"],
                ["decide", "--request", '{"principal":"openai","action":"serve_api"}'],
                ["event", "add"]):
        r = run(*cmd, "--db", newer, stdin=jsonl([purchase("2026-03-01", 1)]))
        check("version %d: '%s' refuses the store, naming its version" % (version, " ".join(cmd[:2])),
              r.rc == 2 and ("version %d" % version) in r.err and "store_version" in r.err and sane(r), r)
    check("version %d: the store is untouched" % version,
          sql(newer, "PRAGMA user_version;") == [str(version)] and rows(newer) == before)

# A newer store is refused before anything in the file changes, its journal mode included.
newer = fresh("v99-rollback.db")
sql(newer, *V1_SCHEMA[:2], "PRAGMA user_version = 99;")
r = run("events", "--db", newer)
check("a version 99 file in rollback-journal mode is refused and its journal mode is not changed",
      r.rc == 2 and "version 99" in r.err and sql(newer, "PRAGMA journal_mode;") == ["delete"],
      "%r\njournal_mode %s" % (r, sql(newer, "PRAGMA journal_mode;")))

# ---- Not a store ---------------------------------------------------------------------------------
v0 = fresh("v0.db")
sql(v0, "CREATE TABLE something(x);")
r = run("audit", "verify", "--db", v0)
check("an SQLite file of version 0 is not a store: exit 2", r.rc == 2 and "not a pactum store" in r.err, r)
check("and it is left alone", sql(v0, "SELECT name FROM sqlite_master;") == ["something"])

# Another program's database (user_version 0 is SQLite's default) is not a new store: event add,
# which creates a missing store, must not add pactum's tables to it or switch it to WAL.
other = fresh("other-program.db")
sql(other, "CREATE TABLE accounts(id INTEGER PRIMARY KEY, name TEXT);", "INSERT INTO accounts(name) VALUES('x');")
r = add(other, [purchase("2026-01-10", 1)])
check("event add refuses another program's database of version 0 (exit 2, not a pactum store)",
      r.rc == 2 and "not a pactum store" in r.err, r)
check("and leaves it untouched: no pactum tables, still in rollback-journal mode",
      sql(other, "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name;") == ["accounts"]
      and sql(other, "PRAGMA journal_mode;") == ["delete"],
      sql(other, "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name;", "PRAGMA journal_mode;"))
other1 = fresh("other-program-v1.db")
sql(other1, "CREATE TABLE accounts(id INTEGER PRIMARY KEY);", "PRAGMA user_version = 1;")
r = add(other1, [purchase("2026-01-10", 1)])
check("event add refuses another program's database of version 1 and leaves it untouched",
      r.rc == 2 and sql(other1, "SELECT name FROM sqlite_master WHERE type='table';") == ["accounts"]
      and sql(other1, "PRAGMA journal_mode;") == ["delete"], r)

finish()
