#!/usr/bin/env bash
# refresh.sh: how soon `pactum serve` answers on what another process appended (issue 13: "the
# server's refresh after another process's append costs time proportional to the new records"),
# on a store of N events (default 1,000,000 purchases, filled by bench_tlog), for this tree and,
# when BASE is set (default f7ab9b2, whose snapshots were full copies; BASE= to skip), for BASE.
#
# Each server runs on its own copy of the store. R times for each k in 1, 100 and 10,000:
# `pactum event add` (another process) appends k purchases and exits, its commit acknowledged;
# then one POST /v1/decide on a kept-alive connection. That decision finds the store changed,
# folds the k new records (record_refresh), publishes a new snapshot, and must answer with the
# new head as its events_seq. Its latency, against the same decision when nothing changed, is the
# time from the other process's commit to the snapshot published and used. Medians in ms.
#
#   bench/refresh.sh                          # build, fill /tmp's store, measure both
#   STORE=big.db OLD_PACTUM=old/pactum R=5 bench/refresh.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/ab.sh
R=${R:-7}
ab_build pactum bench_tlog
ab_pactums
store=$(ab_purchases)
ab_machine
echo "== store: $store, $(ls -l "$store" | awk '{printf "%.0f MB", $5 / 1e6}'); $R rounds for each k"
printf '%-5s %-28s %10s %10s %10s\n' pactum what median_ms min_ms max_ms
for entry in "${pactums[@]}"; do
  name=${entry%%=*}
  exe=${entry#*=}
  db=$work/run-$name.db
  cp "$store" "$db" && sync  # sync: the copy's writes would slow the server's
  python3 - "$exe" "$root/$B/pactum" "$db" "$name" "$R" "$root/bench" <<'PY'
import http.client, json, statistics, subprocess, sys, time
exe, adder, db, name, rounds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
sys.path.insert(0, sys.argv[6])
from servelib import start
p, port = start(exe, db)
c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
REQ = json.dumps({"principal": "openai", "action": "serve_api",
                  "context": {"date": "2030-06-01", "cloud": "aws", "customer_segment": "commercial"}})

def decide():
    t0 = time.perf_counter()
    c.request("POST", "/v1/decide", REQ, {"Content-Type": "application/json"})
    r = c.getresponse()
    body = r.read()
    ms = (time.perf_counter() - t0) * 1e3
    if r.status != 200:
        sys.exit("decide: %d %s" % (r.status, body[:300]))
    return ms, json.loads(body)["events_seq"]

day = 0
def append(k):
    """Another process appends k purchases, each day after the last."""
    global day
    lines = []
    for i in range(k):
        lines.append('{"type":"azure_purchase","date":"2034-%02d-%02d","amount_usd":%d}' % (1 + day // 28 % 12, 1 + day % 28, 1000 + i))
    day += 1
    q = subprocess.run([adder, "event", "add", "--db", db], input="\n".join(lines) + "\n", capture_output=True, text=True)
    if q.returncode:
        sys.exit("event add: " + q.stdout + q.stderr)

def row(what, xs):
    print("%-5s %-28s %10.2f %10.2f %10.2f" % (name, what, statistics.median(xs), min(xs), max(xs)))

decide()
_, head = decide()
quiet = []
for i in range(50):
    time.sleep(0.02)
    quiet.append(decide()[0])
row("decide, nothing new", quiet)
for k in (1, 100, 10000):
    after = []
    for i in range(rounds):
        append(k)
        ms, seq = decide()
        if seq != head + k:
            sys.exit("events_seq %d after appending %d to %d" % (seq, k, head))
        head = seq
        after.append(ms)
        time.sleep(0.2)
        decide()
    row("decide after %d appended" % k, after)
c.close()
p.terminate()
p.wait(timeout=60)
PY
  rm -f "$db" "$db"-wal "$db"-shm "$db".stderr
done
