#!/usr/bin/env python3
"""Graceful shutdown: SIGTERM during a stream of requests.

    python3 tests/http/test_shutdown.py PACTUM

Requests already sent when SIGTERM arrives (on connections the server had accepted) complete
with 200; the process exits 0; every event whose append was acknowledged is in the store
afterwards (`pactum events --db`), exactly once. Run three times, with SIGTERM at different
moments of the stream, and once with a request half-sent at the signal.
"""
import http.client
import json
import os
import signal
import socket
import sys
import threading
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serverlib import *  # noqa: E402,F401,F403
import serverlib as L  # noqa: E402

tokens = write_tokens()
MARGIN = 0.002  # a request sent within 2 ms of the signal may go either way
# PACTUM_TIME_SCALE (scripts/test.sh sets 3 for the ASan build, tests/valgrind 30): the server's
# own bounds are fixed (it reads requests on the wire for 0.25 s, waits 1.5 s for those begun), so
# on a slowed build a request sent before the signal may not have been read within them. There the
# bounds that depend on the machine's speed are widened or reported, not asserted; what the record
# holds (every acknowledged event stored, once) and the exit status are checked at every speed.
SLOW = float(os.environ.get("PACTUM_TIME_SCALE", "1"))
# Likewise on a machine busier than its cores (the load average over the last minute above the
# number of CPUs, as when other builds share them): the server's threads may not be scheduled
# within its 0.25 s, so the checks that depend on it are reported there, not asserted.
def overloaded():
    return os.getloadavg()[0] > (os.cpu_count() or 1)


def stream(round_no, delay):
    srv = Server("--tokens", tokens, "--timeout", "3", name="shutdown%d" % round_no)
    results = []  # (kind, sent_at, status or exception, body, amount)
    t_sig_box = [None]
    stop = threading.Event()
    counter = [round_no * 1_000_000]
    clock = threading.Lock()
    batch = json.dumps([aws("2026-01-01"), azure("2026-01-01"), aws("2026-01-01", segment="us_gov_national_security")] * 700)

    def worker(kind, who=None):
        c = srv.conn(timeout=15)
        # Keep sending until the process is gone, but not more than 3 s past the signal (so that the
        # test stays short even when the server does not stop).
        while not stop.is_set() and not (t_sig_box[0] and time.monotonic() > t_sig_box[0] + 3.0):
            amount = None
            sent = None
            try:
                if kind == "event":
                    with clock:
                        counter[0] += 1
                        amount = counter[0]
                    c.request("POST", "/v1/events", json.dumps(purchase("2026-01-01", amount)),
                              {"Content-Type": "application/json", **bearer(who)})
                elif kind == "batch":
                    c.request("POST", "/v1/decide", batch, {"Content-Type": "application/json"})
                else:
                    c.request("POST", "/v1/decide", json.dumps(aws("2026-01-01")), {"Content-Type": "application/json"})
                sent = time.monotonic()
                r = c.getresponse()
                body = r.read()
                results.append((kind, sent, r.status, body, amount))
            except (OSError, http.client.HTTPException) as e:
                results.append((kind, sent, e, b"", amount))
                return  # the server is going away; this connection is done

    threads = [threading.Thread(target=worker, args=a) for a in
               [("event", "openai"), ("event", "microsoft"), ("batch",), ("batch",), ("batch",), ("batch",), ("single",)]]
    for t in threads:
        t.start()
    time.sleep(delay)
    t_sig = t_sig_box[0] = time.monotonic()
    srv.proc.send_signal(signal.SIGTERM)
    try:
        rc = srv.proc.wait(20)
    except Exception:  # noqa: BLE001
        srv.kill()
        rc = "hung"
    t_exit = time.monotonic() - t_sig
    stop.set()
    for t in threads:
        t.join(20)
    if srv in Server.running:
        Server.running.remove(srv)

    tag = "round %d (SIGTERM after %.2f s)" % (round_no, delay)
    busy = overloaded()
    if busy:
        print("note %s: load average %.1f on %d CPUs; the timing checks are reported, not asserted"
              % (tag, os.getloadavg()[0], os.cpu_count() or 1))
    check("%s: the process exits 0" % tag, rc == 0, "exit %s\n%s" % (rc, srv.stderr()[-1500:]))
    # The clients keep sending on their keep-alive connections until the process is gone: a server
    # that goes on serving new requests after the signal (instead of closing those connections after
    # the answers in flight) would not stop under steady load.
    check("%s: it exits promptly although clients keep sending (within %.0f s)" % (tag, 2.0 * SLOW), busy or t_exit < 2.0 * SLOW,
          "%.1f s; %d requests answered after the signal" % (t_exit, sum(1 for x in results if x[2] == 200 and x[1] and x[1] > t_sig)))
    ok = [x for x in results if x[2] == 200]
    check("%s: the stream was under way (at least %d answered requests)" % (tag, 20 / SLOW), busy or len(ok) >= 20 / SLOW, len(ok))
    bad_status = [x[:3] for x in results if isinstance(x[2], int) and x[2] != 200]
    check("%s: no request was answered with an error" % tag, not bad_status, bad_status[:5])
    dropped = [(x[0], "sent %.1f ms before SIGTERM" % ((t_sig - x[1]) * 1000), repr(x[2]))
               for x in results if not isinstance(x[2], int) and x[1] is not None and x[1] < t_sig - MARGIN]
    if SLOW == 1 and not busy:
        check("%s: every request sent before SIGTERM was answered with 200 (none dropped in flight)" % tag, not dropped,
              "\n".join(map(str, dropped)))
    else:
        print("note %s: %d requests sent before SIGTERM closed unanswered; not asserted (PACTUM_TIME_SCALE=%g, load average %.1f)"
              % (tag, len(dropped), SLOW, os.getloadavg()[0]))
    stored = pactum_events(srv.db, own=True)  # every record, so that stored[s - 1] is seq s
    amounts = [e["amount_usd"] for e in stored if e.get("type") == "azure_purchase"]
    acked = [json.loads(x[3])["last"] for x in ok if x[0] == "event"]
    acked_amounts = [x[4] for x in ok if x[0] == "event"]
    check("%s: every acknowledged event is in the store (pactum events --db)" % tag,
          set(acked_amounts) <= set(amounts) and all(stored[s - 1]["amount_usd"] == a for s, a in
                                                     zip(acked, acked_amounts) if s <= len(stored)),
          "%d acknowledged, %d stored, missing %s" % (len(acked_amounts), len(amounts),
                                                      sorted(set(acked_amounts) - set(amounts))[:10]))
    unacked = [x[4] for x in results if x[0] == "event" and x[2] != 200]
    check("%s: the store holds nothing else but events whose answer was lost, each once" % tag,
          len(amounts) == len(set(amounts)) and set(amounts) - set(acked_amounts) <= set(unacked),
          sorted(set(amounts) - set(acked_amounts))[:10])
    check("%s: no sanitizer report" % tag, "Sanitizer" not in srv.stderr() and "runtime error" not in srv.stderr())


for i, delay in enumerate([0.6, 1.0, 1.4]):
    stream(i + 1, delay * SLOW)

# A request half-sent when the signal arrives, the rest sent 200 ms later: it is in flight, and is
# answered before the process exits.
srv = Server("--timeout", "5", name="halfsent")
body = json.dumps(aws("2026-01-01")).encode()
s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
s.sendall(b"POST /v1/decide HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
          + body[:10])
time.sleep(0.3)
srv.proc.send_signal(signal.SIGTERM)
time.sleep(0.2)
try:
    s.sendall(body[10:])
    out = read_response(s, 5)
except OSError as e:
    out = repr(e).encode()
s.close()
try:
    rc = srv.proc.wait(15)
except Exception:  # noqa: BLE001
    srv.kill()
    rc = "hung"
Server.running.remove(srv)
check("a request half-sent at SIGTERM is completed: 200 with its decision",
      status_of(out) == 200 and json.loads(body_of(out) or b"{}").get("decision") == "deny", out[:300] or "(closed without an answer)")
check("after it, the process exits 0", rc == 0, rc)

# An idle keep-alive connection does not hold the shutdown up past --timeout.
srv = Server("--timeout", "2", name="idle")
c = srv.conn()
c.request("GET", "/healthz")
c.getresponse().read()
t = time.monotonic()
srv.proc.send_signal(signal.SIGTERM)
try:
    rc = srv.proc.wait(15)
except Exception:  # noqa: BLE001
    srv.kill()
    rc = "hung"
Server.running.remove(srv)
check("with an idle keep-alive connection open, SIGTERM exits 0 within --timeout 2 + 2 s",
      rc == 0 and time.monotonic() - t < 4.0, "exit %s after %.1f s" % (rc, time.monotonic() - t))
c.close()
finish()
