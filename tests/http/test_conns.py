#!/usr/bin/env python3
"""Connections and their limits (docs/http-api.md#limits): --max-conns-per-ip, --request-deadline,
and floods of connections, headers and bodies.

- Many connections: 300 connections from one address (127.0.0.2) that send half a header and
  stall, against --max-conns 200. Beyond the per-address limit (64 by default) they are closed at
  once, so /healthz and /v1/gate from another address (127.0.0.1) keep answering promptly. (Before
  the limit, 1,100 such connections made /healthz time out for 36 s.)
- A client that trickles its headers, or its body, a byte every 0.5 s is cut at the request
  deadline, although the idle --timeout never fires for it; a request that arrives whole within the
  deadline is answered, on a kept-alive connection too.
- A header flood and a body flood: answered or refused, and the server stays healthy and prompt.

Wall-time bounds are generous: the machine may be shared and loaded.

    python3 tests/http/test_conns.py PACTUM
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

GATE = b"GET /v1/gate HTTP/1.1\r\nHost: t\r\nX-Pactum-Principal: openai\r\nX-Pactum-Action: serve_api\r\n" \
       b"X-Pactum-Context-Cloud: azure\r\n\r\n"


def connect_from(addr, port, timeout=10):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.bind((addr, 0))
    s.connect(("127.0.0.1", port))
    return s


def is_closed(s):
    """Whether the peer has closed s already (without waiting)."""
    s.setblocking(False)
    try:
        return s.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        s.setblocking(True)


# ---- Many connections from one address ---------------------------------------------------------

srv = Server("--max-conns", "200", name="flood")
flood = []
for i in range(300):
    try:
        s = connect_from("127.0.0.2", srv.port, 5)
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: ")  # half a header, then nothing
        flood.append(s)
    except OSError:
        pass
time.sleep(1.0)
refused = sum(1 for s in flood if is_closed(s))
print("measured: of %d slow-header connections from 127.0.0.2, %d were closed at once" % (len(flood), refused))
check("300 slow-header connections from one address: all but the per-address limit (64) are closed at once "
      "(%d of %d closed)" % (refused, len(flood)), len(flood) - refused <= 64 and refused >= len(flood) - 64 - 5)
lat = []
for i in range(10):
    t = time.time()
    try:
        h = srv.get("/healthz", timeout=10)
        g = srv.raw(GATE, timeout=10)
    except OSError as e:
        h, g = Response(None, [], repr(e).encode()), b""
    lat.append(time.time() - t)
    if h.status != 200 or status_of(g) != 204:
        break
print("measured: /healthz and /v1/gate from 127.0.0.1 during the flood: slowest pair %.3f s" % max(lat))
check("meanwhile, from 127.0.0.1, 10 /healthz (200) and 10 /v1/gate (204) answer promptly (each pair < 2 s; "
      "slowest %.3f s)" % max(lat), len(lat) == 10 and max(lat) < 2.0 and h.status == 200 and status_of(g) == 204,
      "latencies %s; last %r %r" % ([round(x, 3) for x in lat], h, g[:200]))
m = srv.metrics()
check("pactum_connections counts the held ones (at most 64 from the flood, and this one)",
      0 < m.get(("pactum_connections", ""), 0) <= 66, m.get(("pactum_connections", "")))
for s in flood:
    s.close()
check("flood server: SIGTERM exits 0", srv.stop() == 0, srv.stderr()[-1500:])

srv = Server("--max-conns-per-ip", "3", name="per-ip")
held = [connect_from("127.0.0.2", srv.port) for _ in range(3)]
for s in held:
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n")
fourth = connect_from("127.0.0.2", srv.port)
fourth.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
check("--max-conns-per-ip 3: a fourth connection from the same address is closed without an answer",
      read_response(fourth, 5) == b"")
other = connect_from("127.0.0.3", srv.port)
other.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
check("--max-conns-per-ip 3: a connection from another address is served", status_of(read_response(other, 5)) == 200)
for s in held + [fourth, other]:
    s.close()
time.sleep(0.3)
s = connect_from("127.0.0.2", srv.port)
s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
check("--max-conns-per-ip 3: once they close, the address is served again", status_of(read_response(s, 5)) == 200)
s.close()
srv.stop()

# ---- The request deadline ----------------------------------------------------------------------

srv = Server("--request-deadline", "3", "--timeout", "10", name="deadline")


def trickle(head, pace=0.5, limit=12.0):
    """Send head, then a byte every `pace` seconds until the server closes: seconds until it did, or None."""
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    t0 = time.time()
    s.sendall(head)
    s.settimeout(pace)
    try:
        while time.time() - t0 < limit:
            try:
                d = s.recv(4096)
                if not d:
                    return time.time() - t0
            except socket.timeout:
                pass
            s.sendall(b"a")
    except OSError:
        return time.time() - t0
    finally:
        s.close()
    return None


results = {}
ths = [threading.Thread(target=lambda k=k, h=h: results.__setitem__(k, trickle(h))) for k, h in (
    ("headers", b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Trickle: "),
    ("body", b"POST /v1/decide HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n"),
    ("chunked body", b"POST /v1/decide HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n"))]
for t in ths:
    t.start()
for t in ths:
    t.join()
print("measured: trickling clients cut after %s s (--request-deadline 3)" % {k: v and round(v, 2) for k, v in results.items()})
for k in ("headers", "body", "chunked body"):
    check("a client trickling its %s a byte every 0.5 s is cut at --request-deadline 3 (not before 2.5 s, "
          "within 8 s): %s" % (k, results.get(k)), results.get(k) is not None and 2.5 < results[k] < 8.0, results)

# A request sent slowly but whole within the deadline is answered; on a kept-alive connection the
# next request has its own deadline, from the previous answer on.
s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
rq = json.dumps(aws("2026-01-01")).encode()
msg = b"POST /v1/decide HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n" % len(rq) + rq
for i in range(0, len(msg), 20):  # about 1.5 s
    s.sendall(msg[i:i + 20])
    time.sleep(1.5 / (len(msg) / 20))
first = read_response(s, 5)
check("a request trickled over 1.5 s, whole within the deadline: answered 200", status_of(first) == 200, first[:300])
time.sleep(1.0)
s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
second = read_response(s, 5)
check("the next request on the kept-alive connection, 1 s later: answered 200", status_of(second) == 200, second[:300])
cut = closed_after(s, 12)
check("the connection then idle (its next request not whole) is closed at the deadline, before the idle --timeout "
      "10 (%s s)" % (cut and round(cut, 2)), cut is not None and 2.0 < cut < 8.0)
s.close()
m = srv.metrics()
check("cuts are counted: pactum_limits_total{limit=\"request_deadline\"} >= 4",
      m.get(("pactum_limits_total", '{limit="request_deadline"}'), 0) >= 4, m)
check("deadline server: healthy", srv.healthy())
check("deadline server: SIGTERM exits 0", srv.stop() == 0, srv.stderr()[-1500:])

# ---- Header and body floods --------------------------------------------------------------------

srv = Server(name="floods")
s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
t0 = time.time()
answer = b""
try:
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n")
    for i in range(2000):  # 2,000 x 1 KiB of headers
        s.sendall(b"X-Flood-%d: %s\r\n" % (i, b"f" * 1000))
except OSError:
    pass
try:
    answer = read_response(s, 5)
except OSError:
    pass
s.close()
check("a header flood (2 MiB of headers) is refused (431) or its connection closed, within 10 s (%.2f s)" % (time.time() - t0),
      (status_of(answer) in (None, 400, 413, 431)) and time.time() - t0 < 10, answer[:300])

body = json.dumps(aws("2026-01-01")).encode()
body += b" " * ((1 << 20) - len(body))  # exactly --max-body, decided
answers = []


def flood_body():
    try:
        answers.append(status_of(srv.raw(b"POST /v1/decide HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\n" % len(body) + body,
                                         timeout=30)))
    except OSError as e:
        answers.append(repr(e))


ths = [threading.Thread(target=flood_body) for _ in range(40)]
for t in ths:
    t.start()
lat = []
for i in range(10):
    t = time.time()
    g = srv.raw(GATE, timeout=10)
    lat.append(time.time() - t)
for t in ths:
    t.join()
check("a body flood (40 clients posting 1 MiB at once): each answered 200", answers.count(200) == 40, answers)
check("... while the gate answers promptly (each < 2 s; slowest %.3f s)" % max(lat), max(lat) < 2.0 and status_of(g) == 204,
      [round(x, 3) for x in lat])
check("floods server: healthy and SIGTERM exits 0", srv.healthy() and srv.stop() == 0, srv.stderr()[-1500:])
finish()
