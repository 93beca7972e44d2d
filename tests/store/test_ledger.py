#!/usr/bin/env python3
"""The commitments ledger over a store: `pactum ledger --db X` reports each commitment's total,
fulfilled, remaining and percentage, its amounts per month (or per quarter with --by quarter)
from the first period with an amount through the period of --date, empty periods included, and,
when the commitment has a deadline, the days left and the monthly pace needed to meet it.

    python3 tests/store/test_ledger.py PACTUM

Every expected number is worked out by hand in the comments.
"""
import json
import os
import sys

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from storelib import *  # noqa: E402,F401,F403
import storelib as L  # noqa: E402

L.need_sqlite3()
TOTAL = 250_000_000_000


def ledger(db, date, *extra, agreement=None):
    args = ["ledger", "--db", db, "--date", date, "--format", "json", *extra]
    if agreement:
        args += ["--agreement", agreement]
    r = run(*args)
    try:
        return json.loads(r.out), r
    except ValueError:
        return {}, r


def periods(doc, k=0):
    try:
        return [(p["period"], p["amount"], p["cumulative"]) for p in doc["commitments"][k]["periods"]]
    except (KeyError, IndexError, TypeError):
        return None


db = fresh("ledger.db")
check("init", run("init", "--db", db).rc == 0)
# January: 1,000 + 500 = 1,500. March: 2,000. July: 7. Total 3,507.
r = add(db, [purchase("2026-01-15", 1000), purchase("2026-01-31", 500), purchase("2026-03-02", 2000),
             purchase("2026-07-31", 7)])
check("4 purchases recorded", r.rc == 0, r)

doc, r = ledger(db, "2026-12-31")
c = (doc.get("commitments") or [{}])[0]
check("ledger --format json runs", r.rc == 0 and doc.get("date") == "2026-12-31" and doc.get("by") == "month", r)
check("azure_services: total 250,000,000,000, fulfilled 3,507, remaining 249,999,996,493",
      (c.get("id"), c.get("total"), c.get("fulfilled"), c.get("remaining"), c.get("excess")) ==
      ("azure_services", TOTAL, 3507, TOTAL - 3507, 0), c)
# 3,507 / 250,000,000,000 = 0.0000014 %: 0.00 at two decimals.
check("percent is 0.00 (3,507 of 250 billion)", c.get("percent") == 0, c.get("percent"))
check("no deadline: deadline, days_left and pace are null, status open",
      (c.get("deadline"), c.get("days_left"), c.get("pace_per_month"), c.get("status")) == (None, None, None, "open"))
month = [1500, 0, 2000, 0, 0, 0, 7, 0, 0, 0, 0, 0]
cum = [sum(month[:i + 1]) for i in range(12)]
want = [("2026-%02d" % (i + 1), month[i], cum[i]) for i in range(12)]
check("per month 2026-01..2026-12: 1,500, 0, 2,000, 0, 0, 0, 7, 0 ... with running totals",
      periods(doc) == want, periods(doc))

doc, r = ledger(db, "2026-12-31", "--by", "quarter")
check("by quarter: Q1 3,500, Q2 0, Q3 7, Q4 0",
      doc.get("by") == "quarter" and periods(doc) == [("2026-Q1", 3500, 3500), ("2026-Q2", 0, 3500),
                                                      ("2026-Q3", 7, 3507), ("2026-Q4", 0, 3507)], r)

# Time travel: on 2026-03-01 the March purchase (dated 03-02) is not counted yet.
doc, r = ledger(db, "2026-03-01")
check("as of 2026-03-01: fulfilled 1,500; months 2026-01..03 are 1,500, 0, 0",
      doc["commitments"][0]["fulfilled"] == 1500 and
      periods(doc) == [("2026-01", 1500, 1500), ("2026-02", 0, 1500), ("2026-03", 0, 1500)], r)
doc, r = ledger(db, "2026-01-14")
check("before the first purchase: fulfilled 0 and no periods",
      doc["commitments"][0]["fulfilled"] == 0 and periods(doc) == [], r)
doc, r = ledger(db, "2027-02-10", "--by", "quarter")
check("into the next year by quarter: 2026-Q1..2027-Q1",
      [p[0] for p in periods(doc)] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1"], r)

r = run("ledger", "--db", db, "--date", "2026-12-31")
check("text ledger shows the amounts with thousands separators",
      r.rc == 0 and "$3,507" in r.out and "$249,999,996,493" in r.out and "2026-03" in r.out, r)
r = run("ledger", "--db", db, "--date", "2026-12-31", "--by", "quarter")
check("text ledger by quarter lists the quarters", r.rc == 0 and "2026-Q3" in r.out and "$3,500" in r.out, r)
r = run("ledger", "--db", db, "--by", "year")
check("--by year is refused (exit 2)", r.rc == 2, r)

# status --db reports the same figures.
r = run("status", "--db", db, "--date", "2026-12-31", "--format", "json")
s = json.loads(r.out)["commitments"][0] if r.rc == 0 else {}
check("status --db: total, fulfilled, remaining and percent agree with the ledger",
      (s.get("total"), s.get("fulfilled"), s.get("remaining"), s.get("percent")) == (TOTAL, 3507, TOTAL - 3507, 0), r)

# ---- Quarter edges ---------------------------------------------------------------------------------
q = fresh("quarters.db")
run("init", "--db", q)
add(q, [purchase("2026-03-31", 10), purchase("2026-04-01", 20), purchase("2026-12-31", 30),
        purchase("2027-01-01", 40)])
doc, r = ledger(q, "2027-01-01", "--by", "quarter")
check("03-31 is Q1, 04-01 is Q2, 12-31 is Q4, 01-01 is the next year's Q1",
      periods(doc) == [("2026-Q1", 10, 10), ("2026-Q2", 20, 30), ("2026-Q3", 0, 30), ("2026-Q4", 30, 60),
                       ("2027-Q1", 40, 100)], periods(doc))
doc, r = ledger(q, "2027-01-01")
check("by month the same purchases fall in 2026-03, 2026-04, 2026-12 and 2027-01 (11 periods)",
      [(p[0], p[1]) for p in periods(doc) if p[1]] == [("2026-03", 10), ("2026-04", 20), ("2026-12", 30),
                                                         ("2027-01", 40)] and len(periods(doc)) == 11, periods(doc))

# ---- A deadline and the pace (the example reseller agreement) -----------------------------------
rs = fresh("reseller-ledger.db")
check("init the reseller's store", run("init", "--db", rs, "--agreement", RESELLER).rc == 0)
r = add(rs, [{"type": "volume_purchase", "date": "2026-02-10", "amount_usd": 600_000},
             {"type": "volume_purchase", "date": "2026-05-20", "amount_usd": 400_000}], agreement=RESELLER)
check("two volume purchases recorded", r.rc == 0, r)
# On 2027-01-01: fulfilled 1,000,000 of 5,000,000; 4,000,000 left; the deadline 2028-12-31 is
# 730 days away (2027: 365, 2028: 366, less one); from 2027-01-01 through the end of 2028-12-31 is
# exactly 24 months, so the pace is ceil(4,000,000 / 24) = 166,667 a month; 20.00 %.
doc, r = ledger(rs, "2027-01-01", agreement=RESELLER)
c = (doc.get("commitments") or [{}])[0]
check("reseller on 2027-01-01: fulfilled 1,000,000, remaining 4,000,000, 20.00 %",
      (c.get("fulfilled"), c.get("remaining"), c.get("percent")) == (1_000_000, 4_000_000, 20), c)
check("deadline 2028-12-31, 730 days left, pace 166,667 a month",
      (c.get("deadline"), c.get("days_left"), c.get("pace_per_month")) == ("2028-12-31", 730, 166_667), c)
# On 2026-12-31: 731 days; 24 whole months to 2028-12-31 and one day more counts as a 25th month:
# ceil(4,000,000 / 25) = 160,000.
doc, r = ledger(rs, "2026-12-31", agreement=RESELLER)
c = (doc.get("commitments") or [{}])[0]
check("reseller on 2026-12-31: 731 days left, pace 160,000 a month (25 months, the last one part)",
      (c.get("days_left"), c.get("pace_per_month")) == (731, 160_000), c)
# After the deadline an open commitment is missed.
doc, r = ledger(rs, "2029-01-01", agreement=RESELLER)
c = (doc.get("commitments") or [{}])[0]
check("reseller on 2029-01-01: status missed, no pace", (c.get("status"), c.get("pace_per_month")) == ("missed", None),
      c)
check("reseller months run 2026-02 .. 2029-01 (36 periods)",
      periods(doc) is not None and len(periods(doc)) == 36 and periods(doc)[0] == ("2026-02", 600_000, 600_000), r)

finish()
