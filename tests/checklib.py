"""checklib: the tally the Python test harnesses keep (cli, store, http and analysis libraries).

check() counts one check and, when it does not hold, prints "FAIL name" and up to 3,000
characters of detail; it returns ok. finish() prints "N passed, M failed" (the last line every
harness prints) and exits 1 if any check failed. SLOW scales time limits: tests/valgrind/run.py
sets PACTUM_TIME_SCALE because every run under valgrind is ~20-50 times slower. ROOT is the
source tree.
"""
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
SLOW = float(os.environ.get("PACTUM_TIME_SCALE", "1"))
_tally = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    if ok:
        _tally["passed"] += 1
        return ok
    _tally["failed"] += 1
    print("FAIL %s" % name, flush=True)
    if detail:
        for line in str(detail)[:3000].splitlines():
            print("    " + line)
    return ok


def finish():
    print("%d passed, %d failed" % (_tally["passed"], _tally["failed"]), flush=True)
    sys.exit(1 if _tally["failed"] else 0)
