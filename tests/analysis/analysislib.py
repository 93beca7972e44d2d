"""What the analysis tests share: the binary, a scratch directory, checks and their tally.

    from analysislib import *   # PACTUM, ROOT, TMP, check, run, finish
"""
import os
import shutil
import subprocess
import sys
import tempfile

if len(sys.argv) < 2:
    sys.exit("usage: %s PACTUM" % os.path.basename(sys.argv[0]))
PACTUM = os.path.abspath(sys.argv[1])
# Under valgrind (tests/valgrind/run.py) every run is far slower: time limits scale.
SLOW = float(os.environ.get("PACTUM_TIME_SCALE", "1"))
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TMP = tempfile.mkdtemp(prefix="pactum-analysis-")
_tally = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    """Count one check; print FAIL, the name and the detail when it does not hold."""
    if ok:
        _tally["passed"] += 1
    else:
        _tally["failed"] += 1
        print(f"FAIL {name}")
        for line in str(detail)[:3000].splitlines():
            print("    " + line)


def run(*args):
    """Run pactum in TMP: (exit status, stdout, stderr)."""
    p = subprocess.run([PACTUM, *args], capture_output=True, timeout=60 * SLOW, cwd=TMP)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def finish():
    """Remove TMP, print "N passed, M failed" and exit 1 if any check failed."""
    shutil.rmtree(TMP, ignore_errors=True)
    print(f"{_tally['passed']} passed, {_tally['failed']} failed")
    sys.exit(1 if _tally["failed"] else 0)
