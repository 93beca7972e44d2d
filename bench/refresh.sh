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
root=$PWD
B=${BUILD_DIR:-build-bench}
N=${N:-1000000}
R=${R:-7}
BASE=${BASE-f7ab9b2}
cmake -S . -B "$B" -DCMAKE_BUILD_TYPE=Release -DPACTUM_TESTS=OFF >/dev/null
cmake --build "$B" --target pactum bench_tlog -j"$(nproc)" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pactums=("new=$root/$B/pactum")
if [ -n "${OLD_PACTUM:-}" ]; then
  pactums=("old=$OLD_PACTUM" "${pactums[@]}")
elif [ -n "$BASE" ]; then
  mkdir -p "$work/old"
  git -C "$root" archive "$BASE" | tar -x -C "$work/old"
  cmake -S "$work/old" -B "$work/old/build" -DCMAKE_BUILD_TYPE=Release -DPACTUM_TESTS=OFF >/dev/null
  cmake --build "$work/old/build" --target pactum -j"$(nproc)" >/dev/null
  pactums=("old=$work/old/build/pactum" "${pactums[@]}")
fi
store=${STORE:-}
if [ -z "$store" ]; then
  store=$work/big.db
  "$root/$B/bench/bench_tlog" --db "$store" --records "$N" --fill-only >/dev/null
fi
echo "== machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%M:%SZ); commit $(git -C "$root" rev-parse --short HEAD)${BASE:+ against $BASE}"
echo "== store: $store, $(ls -l "$store" | awk '{printf "%.0f MB", $5 / 1e6}'); $R rounds for each k"
printf '%-5s %-28s %10s %10s %10s\n' pactum what median_ms min_ms max_ms
for entry in "${pactums[@]}"; do
  name=${entry%%=*}
  exe=${entry#*=}
  db=$work/run-$name.db
  cp "$store" "$db"
  python3 - "$exe" "$root/$B/pactum" "$db" "$name" "$R" <<'PY'
import http.client, json, re, statistics, subprocess, sys, time
exe, adder, db, name, rounds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
err = open(db + ".stderr", "w+")
p = subprocess.Popen([exe, "serve", "--listen", "127.0.0.1:0", "--db", db], stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=err)
port = None
deadline = time.time() + 120
while time.time() < deadline and port is None:
    time.sleep(0.1)
    err.seek(0)
    m = re.search(r"on http://127\.0\.0\.1:(\d+)/", err.read())
    if m:
        port = int(m.group(1))
    if p.poll() is not None:
        err.seek(0)
        sys.exit("serve exited: " + err.read())
if port is None:
    sys.exit("serve did not start")
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
