#!/usr/bin/env python3
"""The valgrind pass fails when valgrind reports something, and only then.

    python3 tests/valgrind/selftest.py VALGRIND LEAK LOGDIR

LEAK (leak.c) leaks a block and branches on an uninitialised byte; run.py must fail on it even
though it exits 0, and print valgrind's report. The same pass over a program that valgrind has
nothing to say about must succeed."""
import os
import subprocess
import sys

valgrind, leak, logdir = sys.argv[1:4]
here = os.path.dirname(os.path.abspath(__file__))
failed = 0


def check(name, ok, detail=""):
    global failed
    print(("ok   " if ok else "FAIL ") + name)
    if not ok:
        failed += 1
        print(detail[-3000:])


def vg_pass(tag, program, *args):
    p = subprocess.run([sys.executable, os.path.join(here, "run.py"), valgrind, program, os.path.join(logdir, tag),
                        os.path.join(here, "once.py"), *args], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout + p.stderr


# once.py gets the wrapper as its first argument and runs it with the rest.
rc, out = vg_pass("leak", leak)
check("a leak and an uninitialised read fail the pass", rc == 1, out)
check("the report names the lost block", "definitely lost" in out, out)
check("the report names the uninitialised read", "uninitialised value" in out, out)
check("the summary counts one process with a report", "1 pactum processes, 1 with a report" in out, out)
rc, out = vg_pass("leak-only", leak, "clean")
check("a definite leak alone fails the pass", rc == 1 and "definitely lost" in out, out)
rc, out = vg_pass("true", "/bin/true")
check("a program valgrind has nothing to say about passes", rc == 0 and "0 with a report" in out, out)
print("%d failed" % failed)
sys.exit(1 if failed else 0)
