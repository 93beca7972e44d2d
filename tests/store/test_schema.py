#!/usr/bin/env python3
"""Schema versions: a store records its schema version in PRAGMA user_version. pactum migrates an
older store forward when it opens it (version 1 has no decisions table; version 2 adds it) and
refuses a newer one with an error that names the version.

    python3 tests/store/test_schema.py PACTUM

The version 1 store is built by hand with the sqlite3 shell from the schema in src/store.c's
comment (and docs/store.md), with the meta rows and events of a real store copied into it.
"""
import os
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
                 ("prev_hash", "TEXT", "1", "", "0"), ("hash", "TEXT", "1", "", "0")]

# ---- A new store is version 2 ------------------------------------------------------------------
real = fresh("real.db")
r = run("init", "--db", real)
check("init", r.rc == 0, r)
check("a new store has user_version 2", sql(real, "PRAGMA user_version;") == ["2"])
check("a new store is in WAL mode", sql(real, "PRAGMA journal_mode;") == ["wal"])
check("tables meta, events and decisions",
      sql(real, "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name;") == ["decisions", "events", "meta"])
check("meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
      columns(real, "meta") == [("key", "TEXT", "0", "", "1"), ("value", "TEXT", "1", "", "0")], columns(real, "meta"))
check("events(seq INTEGER PRIMARY KEY, json, prev_hash, hash TEXT NOT NULL)",
      columns(real, "events") == CHAIN_COLUMNS, columns(real, "events"))
check("decisions has the same columns as events", columns(real, "decisions") == CHAIN_COLUMNS)
meta = sql(real, ".mode quote", "SELECT key, value FROM meta ORDER BY key;")
check("meta holds agreement, agreement_hash and require_signatures",
      [m.split(",")[0] for m in meta] == ["'agreement'", "'agreement_hash'", "'require_signatures'"], meta)
r = add(real, EVENTS)
check("3 events recorded", r.rc == 0, r)
real_rows = rows(real)
real_head = run("audit", "head", "--db", real).out.strip()

# ---- Version 1, made by hand, is migrated on open ------------------------------------------------
def make_v1(name):
    db = fresh(name)
    sql(db, *V1_SCHEMA)
    sql(db, *["INSERT INTO meta(key, value) VALUES(%s);" % m for m in meta])
    sql(db, *["INSERT INTO events(seq, json, prev_hash, hash) VALUES(%d, %s, %s, %s);"
              % (s, q(j), q(p), q(h)) for s, j, p, h in real_rows])
    return db


v1 = make_v1("v1.db")
check("the hand-made store is version 1 with no decisions table",
      sql(v1, "PRAGMA user_version;") == ["1"]
      and sql(v1, "SELECT count(*) FROM sqlite_master WHERE name='decisions';") == ["0"])
r = run("events", "--db", v1)
check("events reads the version 1 store", r.rc == 0 and len(r.out.splitlines()) == 3, r)
check("opening it migrated it to version 2", sql(v1, "PRAGMA user_version;") == ["2"])
check("the decisions table exists afterwards, with the chain columns", columns(v1, "decisions") == CHAIN_COLUMNS)
check("the old events are intact", rows(v1) == real_rows)
check("the meta rows are intact", sql(v1, ".mode quote", "SELECT key, value FROM meta ORDER BY key;") == meta)
r = run("audit", "verify", "--db", v1)
check("the migrated chain verifies, with the same head", r.rc == 0 and real_head in r.out, r)
r = add(v1, [purchase("2026-03-01", 1)])
check("the migrated store takes new events at seq 4", r.rc == 0 and "seq 4..4" in r.out, r)
r = run("decide", "--db", v1, "--log-decisions",
        "--request", '{"principal":"openai","action":"serve_api","context":{"date":"2026-03-01"}}')
check("the migrated store keeps a decision log", r.rc == 0 and '"decision_id":1' in r.out, r)

v1b = make_v1("v1-add.db")
r = add(v1b, [purchase("2026-03-01", 1)])
check("event add on a version 1 store migrates it and appends", r.rc == 0 and "seq 4..4" in r.out
      and sql(v1b, "PRAGMA user_version;") == ["2"], r)
v1c = make_v1("v1-audit.db")
r = run("audit", "verify", "--db", v1c)
check("audit verify on a version 1 store migrates it and verifies", r.rc == 0
      and sql(v1c, "PRAGMA user_version;") == ["2"], r)

# ---- A newer store is refused --------------------------------------------------------------------
for version in (99, 3):
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
