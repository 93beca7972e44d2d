#!/usr/bin/env python3
"""valgrind pass: run a test harness with every `pactum` it starts wrapped in valgrind.

    python3 tests/valgrind/run.py VALGRIND PACTUM LOGDIR HARNESS [ARGS...]

Writes LOGDIR/pactum, a shell script that runs
`valgrind --error-exitcode=1 --leak-check=full` on the real PACTUM, and runs
`python3 HARNESS LOGDIR/pactum ARGS...`, so every command the harness starts (directly or from
the bash scripts it spawns) runs under valgrind. Each valgrind process writes its report to
LOGDIR/vg.<pid>.log; with -q a clean run writes nothing. The test fails if the harness fails or
any report is non-empty (an exit status of 1 alone could be mistaken for pactum's own "a check
found a problem"), and the reports are printed. PACTUM_TIME_SCALE=30 tells the harness to
allow 30 times its usual time limits.
"""
import glob
import os
import resource
import shlex
import subprocess
import sys
import time

if len(sys.argv) < 5:
    sys.exit("usage: run.py VALGRIND PACTUM LOGDIR HARNESS [ARGS...]")
valgrind, pactum, logdir, harness = (os.path.abspath(a) for a in sys.argv[1:5])
os.makedirs(logdir, exist_ok=True)
for old in glob.glob(os.path.join(logdir, "vg.*.log")):
    os.remove(old)

wrapper = os.path.join(logdir, "pactum")
with open(wrapper, "w") as f:
    f.write("#!/bin/sh\n"
            "# written by tests/valgrind/run.py: the real pactum under valgrind\n"
            "exec %s -q --error-exitcode=1 --leak-check=full --show-leak-kinds=definite,indirect,possible "
            "--errors-for-leak-kinds=definite,indirect,possible --track-fds=no --num-callers=30 "
            "--log-file=%s %s \"$@\"\n"
            % (shlex.quote(valgrind), shlex.quote(os.path.join(logdir, "vg.%p.log")), shlex.quote(pactum)))
os.chmod(wrapper, 0o755)

start = time.monotonic()
env = dict(os.environ, PACTUM_TIME_SCALE="30")
rc = subprocess.call([sys.executable, harness, wrapper, *sys.argv[5:]], env=env)
elapsed = time.monotonic() - start

logs = sorted(glob.glob(os.path.join(logdir, "vg.*.log")))
bad = [p for p in logs if os.path.getsize(p) > 0]
for p in bad[:5]:
    print("== valgrind report %s" % p)
    with open(p, errors="replace") as f:
        print(f.read()[:6000])
cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
print("valgrind: %d pactum processes, %d with a report, %.1f s wall, %.1f s CPU" % (
    len(logs), len(bad), elapsed, cpu.ru_utime + cpu.ru_stime))
sys.exit(1 if rc != 0 or bad else 0)
