"""servelib.py: starting `pactum serve` for the benchmarks (bench/rss.sh, bench/refresh.sh) and
reading its memory. Standard library only."""
import re
import subprocess
import sys
import time


def start(exe, db):
    """Start `exe serve` on db, on a free port; return (process, port) once it listens (after its
    fold). Exits the script if the server does not start within two minutes."""
    err = open(db + ".stderr", "w+")
    p = subprocess.Popen([exe, "serve", "--listen", "127.0.0.1:0", "--db", db], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=err)
    deadline = time.time() + 120
    while time.time() < deadline:
        time.sleep(0.1)
        err.seek(0)
        m = re.search(r"on http://127\.0\.0\.1:(\d+)/", err.read())
        if m:
            return p, int(m.group(1))
        if p.poll() is not None:
            err.seek(0)
            sys.exit("serve exited: " + err.read())
    sys.exit("serve did not start")


def status_mb(p, key):
    """A line of /proc/PID/status (VmRSS, VmHWM) in MiB."""
    with open("/proc/%d/status" % p.pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024.0
    return None
