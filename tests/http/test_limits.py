#!/usr/bin/env python3
"""The limits of `pactum serve`: --max-body (413, with Content-Length and chunked), --timeout (a
slow client is cut off without blocking the others) and --max-conns (a connection over the cap
is refused or waits, and the server stays healthy).

    python3 tests/http/test_limits.py PACTUM
"""
import json
import os
import socket
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serverlib import *  # noqa: E402,F401,F403
import serverlib as L  # noqa: E402

tokens = write_tokens()
MAX = 4096
srv = Server("--tokens", tokens, "--max-body", str(MAX), "--timeout", "2", name="limits")

# ---- --max-body --------------------------------------------------------------------------------

ONE = json.dumps(aws("2026-01-01")).encode()


def padded(n):
    """A valid decide body of exactly n bytes (the request, then spaces)."""
    return ONE + b" " * (n - len(ONE))


def chunked(body, size=1000):
    out = b""
    for i in range(0, len(body), size):
        piece = body[i:i + size]
        out += b"%x\r\n" % len(piece) + piece + b"\r\n"
    return out + b"0\r\n\r\n"


def post_raw(url, body, extra=b"", te_chunked=False):
    head = b"POST %s HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n" % url.encode() + extra
    if te_chunked:
        return srv.raw(head + b"Transfer-Encoding: chunked\r\n\r\n" + chunked(body), timeout=10)
    return srv.raw(head + b"Content-Length: %d\r\n\r\n" % len(body) + body, timeout=10)


def json_413(raw):
    try:
        e = json.loads(body_of(raw))["error"]
    except (ValueError, KeyError, TypeError):
        return False
    return status_of(raw) == 413 and e.get("code") == "too_large" and str(MAX) in e.get("message", "")


r = post_raw("/v1/decide", padded(MAX))
check("a body of exactly --max-body (%d bytes) is decided: 200" % MAX, status_of(r) == 200, r[:400])
r = post_raw("/v1/decide", padded(MAX), te_chunked=True)
check("the same body, chunked: 200", status_of(r) == 200, r[:400])
r = post_raw("/v1/decide", padded(MAX + 1))
check("a body of --max-body + 1 with Content-Length: 413 too_large with a JSON error naming the limit", json_413(r), r[:400])
r = post_raw("/v1/decide", padded(MAX + 1), te_chunked=True)
check("a body of --max-body + 1, chunked: 413 too_large with a JSON error", json_413(r), r[:400])
r = post_raw("/v1/decide", padded(200000), te_chunked=True)
check("a 200 KB chunked body: 413", json_413(r), r[:400])
r = post_raw("/v1/explain", padded(MAX * 3))
check("explain, an oversized body: 413", json_413(r), r[:400])
before = pactum_events(srv.db)
big = json.dumps([purchase("2026-01-01", 1)] * 200).encode()
r = post_raw("/v1/events", big, extra=b"Authorization: Bearer %s\r\n" % TOKENS["openai"].encode())
check("events, an oversized batch with a good token: 413", json_413(r), r[:400])
r = post_raw("/v1/events", big, extra=b"Authorization: Bearer %s\r\n" % TOKENS["openai"].encode(), te_chunked=True)
check("events, an oversized chunked batch: 413", json_413(r), r[:400])
check("events, the oversized batches wrote nothing", pactum_events(srv.db) == before)

# A declared length over the limit should be refused before the body is sent: with
# `Expect: 100-continue` (what curl sends for bodies over 1 MiB) the server must answer 413
# rather than 100 Continue, so the client never uploads the gigabyte.
s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
s.sendall(b"POST /v1/decide HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
          b"Content-Length: 1073741824\r\nExpect: 100-continue\r\n\r\n")
first = read_response(s, 1.5)
s.close()
check("a declared Content-Length of 1 GiB with Expect: 100-continue: 413 at once, not '100 Continue'",
      status_of(first) == 413, first[:300] or "(nothing within 1.5 s)")

# An endless chunked body: the server should answer 413 once the limit is passed, not keep
# reading (the idle --timeout never fires while bytes keep coming).
s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
s.sendall(b"POST /v1/decide HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n")
answer = b""
t0 = time.time()
try:
    while time.time() - t0 < 3.0 and not answer:
        s.sendall(b"400\r\n" + b" " * 1024 + b"\r\n")  # 1 KiB a chunk, 50 KiB a second
        s.settimeout(0.02)
        try:
            answer = s.recv(4096)
            if not answer:
                answer = b"(closed)"
        except socket.timeout:
            pass
except OSError as e:
    answer = answer or ("(%r)" % e).encode()
s.close()
check("an endless chunked body: answered 413 (or cut off) once it passes --max-body, within 3 s",
      bool(answer) and (status_of(answer) == 413 or answer.startswith(b"(")), answer[:300] or "(no answer after 3 s of streaming)")
check("the server is healthy after the oversized bodies", srv.healthy())

# ---- --timeout: a slow client ------------------------------------------------------------------


def slow_socket(data):
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    s.sendall(data)
    return s


t_open = time.time()
slow = [slow_socket(b"POST /v1/decide HTTP/1.1\r\nHost: t\r\nContent-Le"),                       # half a header
        slow_socket(b"POST /v1/decide HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n{\"princ"),  # half a body
        slow_socket(b"GET /healthz HTTP/1.1\r\n"),                                               # no blank line
        slow_socket(b"")]                                                                        # nothing at all
time.sleep(0.2)
lat = []
for i in range(20):
    t = time.time()
    r = srv.post("/v1/decide", aws("2026-01-01"), timeout=5)
    lat.append(time.time() - t)
    if r.status != 200:
        break
check("with 4 stalled sockets open, 20 other requests are answered at once (each < 0.5 s)",
      len(lat) == 20 and max(lat) < 0.5, "latencies %s" % [round(x, 3) for x in lat])
results = []
ths = [threading.Thread(target=lambda s=s: results.append(closed_after(s, 8))) for s in slow]
for t in ths:
    t.start()
for t in ths:
    t.join()
total = time.time() - t_open
check("each stalled socket is closed by the server after --timeout 2 (not before 1.5 s, all within 6 s)",
      len(results) == 4 and all(x is not None for x in results) and 1.5 < total < 6.0,
      "closed after %s s; %.1f s since they opened" % (results, total))
for s in slow:
    s.close()
check("the server is healthy after the slow clients", srv.healthy())
srv_stop = srv.stop()
check("limits server: SIGTERM exits 0", srv_stop == 0, srv.stderr()[-1500:])

# ---- --max-conns -------------------------------------------------------------------------------

cap = Server("--max-conns", "4", "--timeout", "3", "--threads", "2", name="conns")
held = []
for i in range(4):
    s = socket.create_connection(("127.0.0.1", cap.port), timeout=5)
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")  # a keep-alive connection, answered and held open
    held.append(s)
answers = [read_response(s, 3) for s in held]
check("--max-conns 4: four keep-alive connections are served", all(status_of(a) == 200 for a in answers), answers)
time.sleep(0.1)
fifth = socket.create_connection(("127.0.0.1", cap.port), timeout=5)  # the kernel's backlog accepts the TCP connection
t5 = time.time()
fifth.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
early = read_response(fifth, 0.8)
early_status = status_of(early)
check("--max-conns 4: a fifth connection is not served while four are open (it waits, or is refused)",
      early_status is None or early_status == 503, early[:200])
extra = []
for i in range(40):  # a burst beyond the cap
    try:
        s = socket.create_connection(("127.0.0.1", cap.port), timeout=2)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        extra.append(s)
    except OSError:
        pass
for s in held:
    s.close()
late = early if early_status else read_response(fifth, 6)
check("--max-conns 4: once the others close, the waiting fifth is served (200) or was refused cleanly",
      status_of(late) == 200 or (early_status is None and late == b""), late[:200])
fifth.close()
for s in extra:
    s.close()
time.sleep(0.3)
oks = 0
for i in range(10):
    try:
        oks += cap.get("/healthz", timeout=8).status == 200
    except OSError:
        pass
check("--max-conns 4: after the burst the server answers again (10 of 10 health checks)", oks == 10, "%d of 10" % oks)
check("--max-conns 4: the server never crashed", cap.alive(), cap.stderr()[-1500:])
check("--max-conns server: SIGTERM exits 0", cap.stop() == 0, cap.stderr()[-1500:])
finish()
