"""clilib: what the CLI harnesses (cli_test.py, history_test.py) share.

Importing it reads PACTUM from argv[1] and makes the scratch directory TMP (every command runs
in it). check(), the tally and SLOW come from tests/checklib.py; finish() removes TMP, then
prints "N passed, M failed" and exits 1 if any check failed.
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
TMP = tempfile.mkdtemp(prefix="pactum-%s-" % os.path.splitext(os.path.basename(sys.argv[0]))[0])
class Run:
    """What one run of pactum gave: its exit status and its output, decoded."""

    def __init__(self, rc, out, err):
        self.rc, self.out, self.err = rc, out, err

    def __repr__(self):
        return f"exit {self.rc}\n--- stdout\n{self.out[:1200]}\n--- stderr\n{self.err[:1200]}"


def run(*args, stdin=b"", timeout=30):
    """Run pactum with args in TMP; a run past its time limit is reported as exit -9."""
    if isinstance(stdin, str):
        stdin = stdin.encode()
    try:
        p = subprocess.run([PACTUM, *args], input=stdin, capture_output=True, timeout=timeout * SLOW, cwd=TMP)
    except subprocess.TimeoutExpired:
        return Run(-9, "", f"(killed after {timeout * SLOW:g} s)")
    return Run(p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"))


def sane(r):
    """No crash: a normal exit below 128 and no sanitizer report."""
    return 0 <= r.rc < 128 and "Sanitizer" not in r.err and "runtime error" not in r.err


def finish():
    shutil.rmtree(TMP, ignore_errors=True)
    finish_tally()
