#!/usr/bin/env python3
"""Validation and all-or-nothing appends: `pactum event add` and `event import` check every event
of a batch (type, fields, date order, transition guard, amounts) before writing, refuse the whole
batch naming the line and the reason, write nothing, and leave the store as it was.

    python3 tests/store/test_validation.py PACTUM

Record 1 of every store is its `store_created` record; the events follow from seq 2.
"""
import os
import re
import sys

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from storelib import *  # noqa: E402,F401,F403
import storelib as L  # noqa: E402

L.need_sqlite3()
INT64_MAX = 2**63 - 1


def snapshot(db):
    return (rows(db), sql(db, "SELECT key, value FROM meta ORDER BY key;"))


def refused(name, db, text, line, code, *extra, src="<stdin>", via_import=False):
    """The batch is refused: exit 2, '<src>:<line>: error: ... [code]', nothing written."""
    before = snapshot(db)
    if via_import:
        f = path("import-%d.jsonl" % abs(hash(name)))
        with open(f, "w") as fh:
            fh.write(text)
        r = run("event", "import", f, "--db", db, *extra)
        src = f
    else:
        r = add(db, text, *extra)
    m = re.search(r"^(.*):(\d+): error: .*\[(\w+)\]$", r.err, re.M)
    got = (m.group(1), int(m.group(2)), m.group(3)) if m else None
    check("%s: refused with exit 2 at %s:%d [%s]" % (name, os.path.basename(src), line, code),
          r.rc == 2 and got == (src, line, code) and "nothing was recorded" in r.err and sane(r),
          "got %s\n%r" % (got, r))
    check("%s: nothing was written" % name, snapshot(db) == before)
    return r


db = fresh("v.db")
check("init", run("init", "--db", db).rc == 0)

# ---- A guard fails on the 3rd event ------------------------------------------------------------
# A verdict names the declaration it rules on by its seq; with none recorded, it names nothing.
batch = jsonl([purchase("2026-01-10", 100), purchase("2026-01-11", 200),
               {"type": "panel_verdict", "date": "2026-01-12", "declaration": 1, "verdict": "verified"},
               purchase("2026-01-13", 300)])
r = refused("a verdict with no declaration to name, 3rd of 4", db, batch, 3, "bad_reference")
check("the reason names the field and the seq", "field 'declaration' of event 'panel_verdict' names seq 1" in r.err, r)
check("the refused batch left the store with its store_created record only", count(db) == 1)

# Blank lines count: the refused event is on line 5 of the input.
batch = (jsonl([purchase("2026-01-10", 1)]) + "\n" + jsonl([purchase("2026-01-11", 2)]) + "   \n"
         + jsonl([{"type": "panel_verdict", "date": "2026-01-12", "declaration": 1, "verdict": "rejected"}]))
refused("the same with blank lines before it (line numbers count them)", db, batch, 5, "bad_reference")

refused("the same through event import (names the file)", db,
        jsonl([purchase("2026-01-10", 1), purchase("2026-01-11", 2),
               {"type": "panel_verdict", "date": "2026-01-12", "declaration": 1, "verdict": "verified"}]),
        3, "bad_reference", via_import=True)

# ---- Guards see the events before them, in the batch and in the store ---------------------------
r = add(db, [purchase("2026-01-10", 100), {"type": "agi_declared", "date": "2026-02-01", "by": "openai"}])
check("a purchase and a declaration are recorded (seq 2..3)", r.rc == 0 and "seq 2..3" in r.out, r)
m = re.search(r"seq \d+\.\.(\d+)", r.out)
decl = int(m.group(1)) if m else 0  # the declaration's seq, which a verdict names
refused("a second declaration while one is pending", db,
        jsonl([{"type": "agi_declared", "date": "2026-02-02", "by": "openai"}]), 1, "guard_failed")
refused("a verdict, then a verdict again in the same batch", db,
        jsonl([{"type": "panel_verdict", "date": "2026-02-03", "declaration": decl, "verdict": "rejected"},
               {"type": "panel_verdict", "date": "2026-02-04", "declaration": decl, "verdict": "rejected"}]), 2, "guard_failed")
REJECTION = {"type": "panel_verdict", "date": "2026-02-03", "declaration": decl, "verdict": "rejected"}
r = add(db, [REJECTION, {"type": "agi_declared", "date": "2026-02-03", "by": "openai"}])
check("a rejection, then a new declaration the same day in one batch (reading R2) is recorded (seq 4..5)",
      r.rc == 0 and "seq 4..5" in r.out, r)
# The replay: the rejection recorded again after the new declaration names the old one.
r = refused("the rejection recorded again after OpenAI declares anew", db, jsonl([REJECTION]), 1, "guard_failed")
check("the reason: the verdict must rule on the pending declaration",
      "the verdict must rule on the pending declaration" in r.err, r)

# ---- Date order --------------------------------------------------------------------------------
refused("an event dated before the last stored one (2026-02-03)", db,
        jsonl([purchase("2026-02-01", 5)]), 1, "out_of_order")
refused("out-of-order dates inside a batch", db,
        jsonl([purchase("2026-03-01", 5), purchase("2026-03-05", 6), purchase("2026-03-02", 7)]), 3, "out_of_order")
r = add(db, [purchase("2026-02-04", 5), purchase("2026-02-04", 6)])
check("events on the same day as the last one are in order (seq 6..7)", r.rc == 0 and "seq 6..7" in r.out, r)
refused("an impossible date", db, jsonl([purchase("2026-02-30", 5)]), 1, "bad_date")

# ---- Types and fields --------------------------------------------------------------------------
refused("an unknown event type, 2nd of 2", db,
        jsonl([purchase("2026-03-01", 1), {"type": "agi_revoked", "date": "2026-03-02"}]), 2, "unknown_event")
refused("a field the event type does not have", db,
        jsonl([{"type": "azure_purchase", "date": "2026-03-01", "amount_usd": 1, "note": "x"}]), 1, "unknown_field")
refused("a missing field", db, jsonl([{"type": "azure_purchase", "date": "2026-03-01"}]), 1, "missing_field")
refused("an amount with a fraction", db, '{"type":"azure_purchase","date":"2026-03-01","amount_usd":1.5}\n', 1,
        "wrong_type")
# Money in a string must be an exact decimal ("0.004"); a JSON real is refused above (docs/formats.md).
refused("an amount as a string that is not a number", db,
        jsonl([{"type": "azure_purchase", "date": "2026-03-01", "amount_usd": "one"}]), 1, "wrong_type")
refused("a verdict outside its enum", db,
        jsonl([{"type": "panel_verdict", "date": "2026-03-01", "declaration": decl, "verdict": "maybe"}]), 1, "wrong_type")
refused("malformed JSON on line 2", db, jsonl([purchase("2026-03-01", 1)]) + '{"type": \n', 2, "bad_json")
refused("a duplicated key", db, '{"type":"azure_purchase","date":"2026-03-01","amount_usd":1,"amount_usd":2}\n', 1,
        "bad_json")
# The record's own members and types (docs/store.md): an event may not bring its own
# "recorded_by" (a server writes it), nor a malformed nonce, nor claim to be the store's settings.
refused("an event that brings its own recorded_by", db,
        jsonl([dict(purchase("2026-03-01", 1), recorded_by=["openai"])]), 1, "reserved_field")
refused("a nonce too short (15 characters)", db, jsonl([dict(purchase("2026-03-01", 1), nonce="a" * 15)]), 1,
        "bad_nonce")
refused("a nonce with a character outside [A-Za-z0-9_-]", db,
        jsonl([dict(purchase("2026-03-01", 1), nonce="abcdefghijklmnop!")]), 1, "bad_nonce")
refused("a nonce that is not a string", db, jsonl([dict(purchase("2026-03-01", 1), nonce=12345678901234567)]), 1,
        "bad_nonce")
refused("a second store_created record", db,
        jsonl([purchase("2026-03-01", 1), settings_record(db)]), 2, "not_allowed")
refused("a store_upgraded record", db, jsonl([dict(settings_record(db), type="store_upgraded")]), 1, "not_allowed")
refused("a settings_changed record in a store without bootstrap keys", db,
        jsonl([{"type": "settings_changed", "date": "2026-03-01", "require_signatures": True}]), 1, "no_bootstrap")
refused("a negative purchase", db, jsonl([purchase("2026-03-01", -5)]), 1, "negative_amount")

# ---- 64-bit amounts ----------------------------------------------------------------------------
# Money is kept in millionths of a dollar (docs/language.md "Types and literals"): the largest sum
# is INT64_MAX millionths, $9,223,372,036,854.775807. Amounts with a fraction go in strings.
MAX_USD = "9223372036854.775807"
o = fresh("overflow.db")
run("init", "--db", o)
r = add(o, [purchase("2026-01-10", "9223372036854.775797")])  # INT64_MAX - 10 millionths
check("a purchase of INT64_MAX - 10 millionths is recorded exactly",
      r.rc == 0 and '"amount_usd":"9223372036854.775797"' in run("events", "--db", o).out, r)
refused("a purchase that would take the sum past INT64_MAX", o, jsonl([purchase("2026-01-11", "0.000011")]), 1,
        "overflow")
refused("an overflow on the 2nd event of a batch whose 1st fits", o,
        jsonl([purchase("2026-01-11", "0.00001"), purchase("2026-01-12", "0.000001")]), 2, "overflow")
r = add(o, [purchase("2026-01-11", "0.00001")])
check("a purchase that brings the sum to exactly INT64_MAX is recorded", r.rc == 0, r)
r = run("ledger", "--db", o, "--date", "2026-01-31", "--format", "json")
check("the ledger shows fulfilled = INT64_MAX millionths, not a wrapped value",
      ('"fulfilled":"%s"' % MAX_USD) in r.out, r)
refused("a purchase of a millionth past INT64_MAX", o, jsonl([purchase("2026-01-12", "0.000001")]), 1, "overflow")
refused("a whole-dollar amount past the range", o, jsonl([purchase("2026-01-12", 9223372036855)]), 1, "overflow")
refused("an amount that is itself past the 64-bit range", o,
        '{"type":"azure_purchase","date":"2026-01-12","amount_usd":9223372036854775808}\n', 1, "bad_json")

# ---- A store of another agreement --------------------------------------------------------------
other = fresh("reseller.db")
r = run("init", "--db", other, "--agreement", RESELLER)
check("init --agreement cloud-reseller", r.rc == 0 and "acme-cloud-reseller" in r.out, r)
before = snapshot(other)
r = add(other, [purchase("2026-01-10", 1)])
check("event add with the default agreement on the reseller's store: wrong_agreement, exit 2",
      r.rc == 2 and "[wrong_agreement]" in r.err, r)
check("nothing was written to the other agreement's store", snapshot(other) == before)
for cmd in (["decide", "--request", '{"principal":"openai","action":"serve_api"}'], ["status"], ["ledger"],
            ["explain", "--request", '{"principal":"openai","action":"serve_api"}']):
    r = run(*cmd, "--db", other)
    check("%s --db on the reseller's store with the default agreement: wrong_agreement, exit 2" % cmd[0],
          r.rc == 2 and "wrong_agreement" in r.err, r)
r = run("event", "add", "--db", other, "--agreement", RESELLER,
        stdin=jsonl([{"type": "volume_purchase", "date": "2026-02-01", "amount_usd": 1000}]))
check("the reseller's own agreement may add to its store", r.rc == 0, r)

# ---- What a refusal leaves -----------------------------------------------------------------------
r = add(db, "")
check("an empty batch records nothing and succeeds", r.rc == 0 and "no events" in r.out and count(db) == 7, r)
r = add(db, [purchase("2026-03-01", 7)])
check("after all the refusals the next event takes seq 8", r.rc == 0 and "seq 8..8" in r.out, r)
r = run("audit", "verify", "--db", db)
check("the chain verifies after all the refusals", r.rc == 0 and "8 records" in r.out, r)
# A well-formed nonce on an unsigned event is kept, and a store takes it once (`replayed`).
NONCED = dict(purchase("2026-03-01", 8), nonce="nonce-of-validation-0001")
r = add(db, [NONCED])
check("an unsigned event with a well-formed nonce is recorded (seq 9)", r.rc == 0 and "seq 9..9" in r.out, r)
refused("the same nonce again", db, jsonl([dict(purchase("2026-03-02", 9), nonce=NONCED["nonce"])]), 1, "replayed")
refused("a nonce given twice in one batch", db,
        jsonl([dict(purchase("2026-03-02", 9), nonce="twice-in-a-batch-0001"),
               dict(purchase("2026-03-02", 10), nonce="twice-in-a-batch-0001")]), 2, "replayed")
r = add(db, [dict(purchase("2026-03-02", 9), nonce="twice-in-a-batch-0001")])
check("the nonce of a refused batch was not kept: it is accepted afterwards (seq 10)",
      r.rc == 0 and "seq 10..10" in r.out, r)

# ---- Export and import ----------------------------------------------------------------------------
# The export begins with the store's own store_created record, which a store writes once, itself.
# `event import` leaves it out, with a note on stderr naming the file and line, and imports the
# rest into the new store, which has its own store_created record (its own store id and time): the
# records from seq 2 on are the same and every hash differs. `event add` of the same lines takes
# them as they are, and refuses store_created at line 1.
exported = path("export.jsonl")
export = run("events", "--db", db).out
with open(exported, "w") as f:
    f.write(export)
copy = fresh("copy.db")
whole = fresh("copy-whole.db")
run("init", "--db", whole)
refused("the export given to event add as it is", whole, export, 1, "not_allowed")
r = run("event", "import", exported, "--db", copy)
check("event import of a whole export leaves out its store_created, saying so, and records seq 2..10",
      r.rc == 0 and "seq 2..10" in r.out
      and "%s:1: 'store_created' left out" % exported in r.err, r)
check("the copy has the same records from seq 2 on, and its own store_created",
      [x[:2] for x in rows(copy)[1:]] == [x[:2] for x in rows(db)[1:]]
      and store_id(copy) != store_id(db) and verify_independently(copy)[0])
r = run("events", "--db", db, "--since", "5")
check("events --since 5 lists records 6 to 10", [l for l in r.out.splitlines()] == [x[1] for x in rows(db)[5:]], r)
r = run("events", "--db", db, "--since", "-1")
check("events --since -1 is refused (exit 2)", r.rc == 2, r)

# A refusal writes nothing: a batch refused by `event add` on a store that does not exist yet
# leaves no store behind (whose settings, fixed at creation, would then bind later adds).
ghost = path("ghost.db")
r = run("event", "add", "--db", ghost, "--require-signatures",
        stdin=jsonl([{"type": "agi_revoked", "date": "2026-01-01"}]))
check("a refused first batch creates no store", r.rc == 2 and not os.path.exists(ghost),
      "%r\nexists: %s" % (r, os.path.exists(ghost)))

# ---- The default store -------------------------------------------------------------------------
cwd = path("cwd")
os.makedirs(cwd, exist_ok=True)
r = run("event", "add", stdin=jsonl([purchase("2026-01-10", 1)]), cwd=cwd)
check("without --db, event add uses ./pactum.db", r.rc == 0 and os.path.exists(os.path.join(cwd, "pactum.db")), r)
r = run("events", cwd=cwd)
check("without --db, events reads ./pactum.db", r.rc == 0 and '"amount_usd":1' in r.out, r)
r = run("init", cwd=cwd)
check("init refuses a store that exists (exit 2)", r.rc == 2, r)
r = run("events", "--db", path("nothing-here.db"))
check("events on a missing store: exit 2, and no store is created",
      r.rc == 2 and not os.path.exists(path("nothing-here.db")), r)
r = run("audit", "verify", "--db", path("nothing-here.db"))
check("audit verify on a missing store: exit 2", r.rc == 2, r)
notstore = path("not-a-store.db")
sql(notstore, "CREATE TABLE t(x);")
r = run("events", "--db", notstore)
check("events on an SQLite file that is not a pactum store: exit 2", r.rc == 2 and "not a pactum store" in r.err, r)
junk = path("junk.db")
with open(junk, "wb") as f:
    f.write(b"this is not a database, just text\n" * 100)
r = run("audit", "verify", "--db", junk)
check("audit verify on a file that is not SQLite: exit 2, no crash", r.rc == 2 and sane(r), r)

finish()
