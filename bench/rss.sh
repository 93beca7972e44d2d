#!/usr/bin/env bash
# rss.sh: the memory of `pactum serve` on a store of N events (default 1,000,000 purchases of the
# shipped agreement, filled by bench_tlog), and on an empty store, for this tree and, when BASE is
# set (default f7ab9b2, the server before timeline views; BASE= to skip), for BASE built alike.
# Each server is started on a copy of the store (with its decision log, as by default), then:
#   start      VmRSS once /healthz answers and the fold is done
#   readers    40 clients that ask GET /v1/events and never read (half of them for the largest
#              page, limit=10000), through a 4 KiB receive buffer, after 3 s
#   decisions  then 20,000 decisions (200 POST /v1/decide batches of 100) and 100 pages of
#              GET /v1/events followed by `next` (the readers still connected); `waiting` is
#              how many of the decisions the decision log's writer had yet to write then
#   logged     once the decision log has written them all (its queue holds each decision's
#              JSON until then: a backlog costs memory while it lasts)
#   peak       VmHWM, the largest VmRSS the process had
# Issue 13's target: under 30 MB at 1,000,000 events with /v1/events paginated.
#
#   bench/rss.sh                      # build, fill /tmp's store, measure both
#   STORE=big.db BASE= bench/rss.sh   # an existing store of purchases; this tree only
#   OLD_PACTUM=path/pactum bench/rss.sh  # compare with a pactum already built
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/ab.sh
ab_build pactum bench_tlog
ab_pactums
store=$(ab_purchases)
ab_machine
echo "== store: $store, $(ls -l "$store" | awk '{printf "%.0f MB", $5 / 1e6}')"
printf '%-5s %-6s %9s %11s %13s %8s %10s %8s\n' pactum store start_MB readers_MB decisions_MB waiting logged_MB peak_MB
for entry in "${pactums[@]}"; do
  name=${entry%%=*}
  exe=${entry#*=}
  for which in empty big; do
    db=$work/run-$name.db  # a copy: the decisions logged do not reach the next run
    rm -f "$db"*
    if [ "$which" = big ]; then cp "$store" "$db" && sync; fi  # sync: the copy's writes would slow the log's
    python3 - "$exe" "$db" "$name" "$which" "$root/bench" <<'PY'
import http.client, json, re, socket, sys, time
exe, db, name, which = sys.argv[1:5]
sys.path.insert(0, sys.argv[5])
from servelib import start, status_mb
p, port = start(exe, db)

def status(key):
    return status_mb(p, key)

def get(path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, body

time.sleep(1)
start = status("VmRSS")
readers = []
for i in range(40):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", port))
    s.sendall(b"GET /v1/events%s HTTP/1.1\r\nHost: t\r\n\r\n" % (b"?limit=10000" if i % 2 else b""))
    readers.append(s)
time.sleep(3)
with_readers = status("VmRSS")
clouds = ["azure", "aws", "gcp", "oracle"]
c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
for b in range(200):
    batch = [{"principal": "openai", "action": "serve_api",
              "context": {"date": "20%02d-0%d-15" % (26 + (b + i) % 8, 1 + i % 9), "cloud": clouds[i % 4],
                          "customer_segment": "commercial"}} for i in range(100)]
    c.request("POST", "/v1/decide", json.dumps(batch), {"Content-Type": "application/json"})
    r = c.getresponse()
    body = r.read()
    if r.status != 200:
        sys.exit("decide: %d %s" % (r.status, body[:300]))
c.close()
since = 0
for page in range(100):
    st, body = get("/v1/events?since=%d" % since)
    if st != 200:
        sys.exit("events: %d %s" % (st, body[:300]))
    j = json.loads(body)
    since = j["next"]
    if not j["more"]:
        break
with_decisions = status("VmRSS")

def waiting():
    st, body = get("/metrics")
    m = re.search(rb"^pactum_decision_log_waiting (\d+)", body, re.M)
    return int(m.group(1)) if m else 0

backlog = waiting()
deadline = time.time() + 60
while waiting() and time.time() < deadline:
    time.sleep(0.2)
logged = status("VmRSS")
peak = status("VmHWM")
for s in readers:
    s.close()
p.terminate()
p.wait(timeout=60)
print("%-5s %-6s %9.1f %11.1f %13.1f %8d %10.1f %8.1f" % (name, which, start, with_readers, with_decisions, backlog,
                                                        logged, peak))
PY
    rm -f "$db"*
  done
done
