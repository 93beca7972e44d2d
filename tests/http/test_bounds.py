#!/usr/bin/env python3
"""The bounds on the endpoints whose cost grows with the record (docs/http-api.md#worst-cases):

- POST /v1/whatif: a body that kept the server busy for minutes (10,000 added events that each
  change the state 10,000 requests read) is refused or cut within its deadline; --max-whatif-work,
  --max-whatif-answer and --whatif-deadline each answer an error naming the limit and its value;
  and a comparison whose client leaves stops using CPU at once.
- GET /v1/events: pages of at most `limit` events, streamed: 40 readers that never read their
  answer keep the server's RSS bounded on a store of 100,000 records, and following `next` reads
  the whole record.
- The heavy pool: when it is busy and its queue full, a heavy request is answered 503 `busy` with
  Retry-After at once, and /v1/gate and /v1/decide keep answering promptly meanwhile.

CPU is measured as the server's resource usage (/proc/PID/stat), not wall time; wall-time bounds
are generous hang bounds, because the machine may be shared and loaded.

    python3 tests/http/test_bounds.py PACTUM
"""
import datetime
import json
import os
import socket
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serverlib import *  # noqa: E402,F401,F403
import serverlib as L  # noqa: E402

# An agreement written for these tests: `open_it` and `close_it` flip a state that both clauses
# read. `always` allows whatever the state (so a request with k = 0 is decided alike in both
# records, however often the state flips: work, but nothing to list); `while_open` also allows
# k = 1 while open (so those requests differ whenever the what-if record is open).
PACT = path("bounds.pact")
with open(PACT, "w") as f:
    f.write('agreement "bounds" {\n  version "1"\n  effective 2026-01-01\n}\nparty a\nsource s official "s.txt"\n'
            'action act by a {\n  context k: integer = 0\n}\nstate open: bool = false\n'
            'event open_it { }\nevent close_it { }\n'
            'on open_it {\n  set open = true\n}\non close_it {\n  set open = false\n}\n'
            'permission always {\n  principal a\n  action act\n  while open or not open\n  quote s "a may act"\n}\n'
            'permission while_open {\n  principal a\n  action act\n  when context.k == 1\n  while open\n'
            '  quote s "a may act while it is open"\n}\n')

D0 = datetime.date(2026, 1, 2)
ADDS = ["%s %s" % ("open_it" if i % 2 == 0 else "close_it", (D0 + datetime.timedelta(days=i)).isoformat())
        for i in range(10000)]


def body(k, n=10000, adds=ADDS):
    return json.dumps({"add": adds, "requests": [{"principal": "a", "action": "act", "context": {"k": k}}] * n},
                      separators=(",", ":")).encode()


WORK = body(0)    # 10,000 stretches x 10,000 requests, every decision made again on each: minutes before
ANSWER = body(1)  # the same, and 10,000 differences listed on every other stretch
SMALL = json.dumps({"add": ["open_it 2026-03-01"], "date": "2026-03-02",
                    "requests": [{"principal": "a", "action": "act", "context": {"k": 1}}]})


def limit_error(r, status, code, limit, value):
    j = r.json() or {}
    e = j.get("error") if isinstance(j, dict) else None
    return (r.status == status and isinstance(e, dict) and e.get("code") == code and e.get("limit") == limit
            and e.get("value") == value and str(value) in e.get("message", ""))


def timed_post(srv, url, data, timeout):
    t = time.time()
    try:
        r = srv.post(url, data, timeout=timeout)
    except OSError as e:
        r = Response(None, [], repr(e).encode())
    return r, time.time() - t


# ---- POST /v1/whatif: the defaults -------------------------------------------------------------

srv = Server("--agreement", PACT, name="whatif-defaults")
c0 = srv.cpu_seconds()
r, took = timed_post(srv, "/v1/whatif", WORK, 60)
used = srv.cpu_seconds() - c0
print("measured: the minutes-long body on the defaults: HTTP %s after %.1f s, %.1f s of the server's CPU" % (r.status, took, used))
check("defaults: the minutes-long body is refused within its deadline (work_limit 413 or deadline 503, "
      "within 10 s + slack): %.1f s, %.1f s of CPU" % (took, used),
      (limit_error(r, 413, "work_limit", "max-whatif-work", 20000000)
       or limit_error(r, 503, "deadline", "whatif-deadline", 10)) and took < 30 and used < 25, r)
r, took = timed_post(srv, "/v1/whatif", ANSWER, 60)
check("defaults: a body whose answer would list 50 million differences: 413 answer_limit naming "
      "--max-whatif-answer and 100000 (%.1f s)" % took, limit_error(r, 413, "answer_limit", "max-whatif-answer", 100000), r)
r = srv.post("/v1/whatif", SMALL)
check("defaults: a small comparison is still answered 200", r.status == 200 and len(r.json()["changes"]) == 1, r)
m = srv.metrics()
check("the limits are counted in pactum_limits_total",
      m.get(("pactum_limits_total", '{limit="whatif_answer"}')) == 1
      and m.get(("pactum_limits_total", '{limit="whatif_work"}'), 0) + m.get(("pactum_limits_total", '{limit="whatif_deadline"}'), 0) == 1,
      {k: v for k, v in m.items() if k[0] == "pactum_limits_total"})
check("defaults server: SIGTERM exits 0", srv.stop() == 0, srv.stderr()[-1500:])

# ---- Each limit, named with its value ----------------------------------------------------------

srv = Server("--agreement", PACT, "--max-whatif-work", "200000", name="whatif-work")
c0 = srv.cpu_seconds()
r, took = timed_post(srv, "/v1/whatif", WORK, 60)
used = srv.cpu_seconds() - c0
check("--max-whatif-work 200000: 413 work_limit naming the option and its value, after at most a few seconds "
      "of CPU (%.2f s)" % used, limit_error(r, 413, "work_limit", "max-whatif-work", 200000) and used < 5, r)
srv.stop()

# Folding counts first: a baseline of 3 events folded twice, and 2 added ones, are 8 units.
srv = Server("--agreement", PACT, "--max-whatif-work", "7", "--tokens", write_tokens("tokens-a.txt", {"a": "tok-a"}),
             name="whatif-fold")
r = srv.post("/v1/events", [{"type": "open_it", "date": "2026-01-05"}, {"type": "close_it", "date": "2026-01-06"},
                            {"type": "open_it", "date": "2026-01-07"}], headers={"Authorization": "Bearer tok-a"})
check("three events recorded", r.status == 200, r)
r = srv.post("/v1/whatif", {"add": ["close_it 2026-02-01", "open_it 2026-02-02"], "date": "2026-03-01"})
check("--max-whatif-work 7: a baseline of 3 events and 2 added ones (8 units to fold) is refused before "
      "anything is read", limit_error(r, 413, "work_limit", "max-whatif-work", 7), r)
srv.stop()

srv = Server("--agreement", PACT, "--whatif-deadline", "2", "--max-whatif-work", "1000000000000", name="whatif-deadline")
r, took = timed_post(srv, "/v1/whatif", WORK, 60)
check("--whatif-deadline 2: 503 deadline naming the option and 2 seconds, with Retry-After, after 2 s "
      "(at most 15 s on a loaded machine): %.1f s" % took,
      limit_error(r, 503, "deadline", "whatif-deadline", 2) and r.header("Retry-After") == "1" and 1.9 < took < 15, r)
srv.stop()

srv = Server("--agreement", PACT, "--max-whatif-answer", "3", name="whatif-answer")
r = srv.post("/v1/whatif", json.dumps({"add": ["open_it 2026-03-01"], "date": "2026-03-02",
                                       "requests": [{"principal": "a", "action": "act", "context": {"k": 1}}] * 3}))
check("--max-whatif-answer 3: one change listing 3 differences is 4 items: 413 answer_limit naming 3",
      limit_error(r, 413, "answer_limit", "max-whatif-answer", 3), r)
r = srv.post("/v1/whatif", json.dumps({"add": ["open_it 2026-03-01"], "date": "2026-03-02",
                                       "requests": [{"principal": "a", "action": "act", "context": {"k": 1}}] * 2}))
check("--max-whatif-answer 3: one change listing 2 differences (3 items) is answered", r.status == 200
      and len(r.json()["changes"][0]["decisions"]) == 2, r)
srv.stop()

# ---- A comparison whose client leaves stops ----------------------------------------------------

srv = Server("--agreement", PACT, "--whatif-deadline", "300", "--max-whatif-work", "1000000000000", name="whatif-gone")
s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
s.sendall(b"POST /v1/whatif HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n" % len(WORK) + WORK)
c0 = srv.cpu_seconds()
t = time.time()
while srv.cpu_seconds() - c0 < 0.5 and time.time() - t < 30:  # it is working
    time.sleep(0.1)
busy = srv.cpu_seconds() - c0
s.close()
time.sleep(0.5)
c1 = srv.cpu_seconds()
time.sleep(3)
after = srv.cpu_seconds() - c1
print("measured: a comparison's client left after %.1f s of CPU; the server used %.2f s of CPU in the 3 s after" % (busy, after))
check("the client left after %.1f s of the server's CPU: the server used %.2f s of CPU in the 3 s after "
      "(under 0.3 s)" % (busy, after), busy >= 0.5 and after < 0.3, "before the client left: %.2f s" % busy)
m = srv.metrics()
check("... counted as client_gone", m.get(("pactum_limits_total", '{limit="client_gone"}')) == 1,
      {k: v for k, v in m.items() if k[0] == "pactum_limits_total"})
r = srv.post("/v1/whatif", SMALL)
check("... and the next comparison is answered", r.status == 200, r)
check("whatif-gone server: SIGTERM exits 0", srv.stop() == 0, srv.stderr()[-1500:])

# ---- The heavy pool: full, it answers 503 at once; decisions go on ------------------------------

srv = Server("--agreement", PACT, "--threads", "2", "--heavy-threads", "1", "--heavy-queue", "1",
             "--whatif-deadline", "120", "--max-whatif-work", "1000000000000",
             "--tokens", write_tokens("tokens-pool.txt", {"a": "tok-a"}), name="pool")
held = []
for i in range(2):  # one runs, one waits
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    s.sendall(b"POST /v1/whatif HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n" % len(WORK) + WORK)
    held.append(s)
    t = time.time()
    while time.time() - t < 20:
        m = srv.metrics()
        if m.get(("pactum_pool_requests", '{pool="heavy",state="running"}')) == 1 and \
                m.get(("pactum_pool_requests", '{pool="heavy",state="waiting"}')) == i:
            break
        time.sleep(0.05)
check("one comparison runs in the pool and one waits", m.get(("pactum_pool_requests", '{pool="heavy",state="running"}')) == 1
      and m.get(("pactum_pool_requests", '{pool="heavy",state="waiting"}')) == 1, m)
r, took = timed_post(srv, "/v1/whatif", SMALL, 10)
check("a third heavy request: 503 busy at once (%.2f s), with Retry-After and the limit's name and value" % took,
      limit_error(r, 503, "busy", "heavy-queue", 1) and r.header("Retry-After") == "1" and took < 3, r)
r = srv.get("/v1/audit/verify")
check("the audit is heavy too: 503 busy", limit_error(r, 503, "busy", "heavy-queue", 1), r)
lat = []
for i in range(20):
    t = time.time()
    g = srv.get("/v1/gate", headers={"X-Pactum-Principal": "a", "X-Pactum-Action": "act"}, timeout=10)
    d = srv.post("/v1/decide", {"principal": "a", "action": "act"}, timeout=10)
    lat.append(time.time() - t)
    if g.status != 204 or d.status != 200:
        break
print("measured: with the heavy pool full, gate and decide pairs answered in %.3f s at most" % max(lat))
check("meanwhile 20 gate decisions (204) and 20 decide requests (200) are answered promptly (each pair < 1 s; "
      "slowest %.3f s)" % max(lat), len(lat) == 20 and max(lat) < 1.0 and g.status == 204 and d.status == 200,
      "latencies %s" % [round(x, 3) for x in lat])
t = time.time()
r = srv.post("/v1/events", {"type": "open_it", "date": "2026-01-02"}, headers={"Authorization": "Bearer tok-a"}, timeout=10)
took = time.time() - t
check("an append meanwhile is not held up by the reads: 200 at once on the writer's thread (%.2f s)" % took,
      r.status == 200 and took < 3, r)
for s in held:
    s.close()
t = time.time()
while time.time() - t < 20:
    m = srv.metrics()
    if m.get(("pactum_pool_requests", '{pool="heavy",state="running"}')) == 0 and m.get(("pactum_pool_requests", '{pool="heavy",state="waiting"}')) == 0:
        break
    time.sleep(0.1)
check("their clients gone, the pool empties (both counted as client_gone)",
      m.get(("pactum_pool_requests", '{pool="heavy",state="running"}')) == 0 and m.get(("pactum_limits_total", '{limit="client_gone"}')) == 2, m)
r = srv.post("/v1/whatif", SMALL)
check("... and takes requests again", r.status == 200, r)
check("pool server: SIGTERM exits 0", srv.stop() == 0, srv.stderr()[-1500:])

# ---- GET /v1/events: 40 readers that never read, on 100,000 records ----------------------------

N = 100000  # records: the store's own first one (store_created) and N - 1 events
events = path("events-100k.jsonl")
with open(events, "w") as f:
    for i in range(N - 1):
        f.write(json.dumps({"type": "open_it" if i % 2 == 0 else "close_it",
                            "date": (D0 + datetime.timedelta(days=i // 50)).isoformat()}) + "\n")
db = path("big.db")
p = subprocess.run([L.PACTUM, "event", "import", "--agreement", PACT, "--db", db, events], capture_output=True, text=True,
                   timeout=300, cwd=L.TMP)
check("a store of 100,000 records (store_created and 99,999 events)", p.returncode == 0, p.stdout + p.stderr)
srv = Server("--agreement", PACT, db=db, name="events")
time.sleep(0.3)
r0 = srv.rss_mb()
readers = []
for i in range(40):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", srv.port))
    s.sendall(b"GET /v1/events%s HTTP/1.1\r\nHost: t\r\n\r\n" % (b"?limit=10000" if i % 2 else b""))
    readers.append(s)
time.sleep(3)
r1 = srv.rss_mb()
ok = srv.healthy()
print("measured: 40 unread readers of GET /v1/events on 100,000 records: RSS %.1f MB -> %.1f MB" % (r0, r1))
check("40 readers of GET /v1/events that never read (half of them asking for the largest page, 10,000): RSS from "
      "%.1f MB to %.1f MB, +%.1f MB (bounded: under 40 MB more)" % (r0, r1, r1 - r0), r1 - r0 < 40)
check("... and the server stays healthy", ok)
for s in readers:
    s.close()
seqs, since, pages, heads = [], 0, 0, set()
while pages < 20:
    j = srv.get("/v1/events?since=%d&limit=10000" % since, timeout=30).json()
    seqs.extend(e["seq"] for e in j["events"])
    heads.add(j["head"]["seq"])
    pages += 1
    since = j["next"]
    if not j["more"]:
        break
check("following next in pages of 10,000 reads seqs 1..100000 once each, in 10 pages, the head always 100000",
      seqs == list(range(1, N + 1)) and pages == 10 and heads == {N} and since == N,
      "%d seqs, %d pages, heads %s, last next %d" % (len(seqs), pages, heads, since))
j = srv.get("/v1/events?since=99990").json()
check("the default page after 99990: 10 events, next 100000, no more",
      [e["seq"] for e in j["events"]] == list(range(99991, N + 1)) and j["next"] == N and j["more"] is False, j)
check("events server: SIGTERM exits 0", srv.stop() == 0, srv.stderr()[-1500:])
finish()
