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
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checklib import ROOT, SLOW, check, finish as finish_tally  # noqa: E402,F401  (the tally: tests/checklib.py)
TMP = tempfile.mkdtemp(prefix="pactum-analysis-")
def run(*args):
    """Run pactum in TMP: (exit status, stdout, stderr)."""
    p = subprocess.run([PACTUM, *args], capture_output=True, timeout=60 * SLOW, cwd=TMP)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def finish():
    """Remove TMP, print "N passed, M failed" and exit 1 if any check failed."""
    shutil.rmtree(TMP, ignore_errors=True)
    finish_tally()
