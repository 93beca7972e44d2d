#!/usr/bin/env python3
"""Every error path of `pactum serve` that a single request can reach, against the real binary.

    python3 tests/http/test_errors.py PACTUM

Bad requests get 400 with a JSON body {"error":{"code","message"}} whose message names the
problem; unknown routes 404, wrong methods 405, missing or wrong tokens 401, a token whose party
may not record an event 403 with nothing written; a batch over --max-batch is refused as a whole;
hostile bytes (garbage, a 100000-deep JSON array) never crash or hang the server.
"""
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serverlib import *  # noqa: E402,F401,F403
import serverlib as L  # noqa: E402

tokens = write_tokens()
srv = Server("--tokens", tokens, "--max-batch", "50", "--timeout", "2", name="errors")


def post(url, body, **kw):
    return srv.post(url, body, **kw)


# ---- /v1/decide: each kind of bad request names its problem ---------------------------------

CASES = [
    # (name, body, code, a word the message must contain)
    ("malformed JSON", '{"principal": "openai", "action": ', "bad_json", "malformed JSON"),
    ("malformed JSON (trailing comma)", '{"principal":"openai","action":"serve_api",}', "bad_json", "malformed JSON"),
    ("an empty body", "", "bad_json", "malformed JSON"),
    ("a bare number", "5", "bad_json", None),
    ("a bare string", '"serve_api"', "bad_json", None),
    ("bytes that are not UTF-8", b'{"principal":"open\xff\xfeai","action":"serve_api"}', "bad_json", None),
    ("an unknown action", {"principal": "openai", "action": "fly_to_mars"}, "unknown_action", "fly_to_mars"),
    ("a wrong type (number for a string attribute)", {"principal": "openai", "action": "serve_api", "context": {"cloud": 5}},
     "wrong_type", "context.cloud"),
    ("a wrong type (string for a bool attribute)",
     {"principal": "openai", "action": "serve_api", "resource": {"built_with_third_party": "yes"}},
     "wrong_type", "built_with_third_party"),
    ("a wrong type (context is an array)", {"principal": "openai", "action": "serve_api", "context": []}, "wrong_type", "context"),
    ("an unknown field", {"principal": "openai", "action": "serve_api", "colour": "blue"}, "unknown_field", "colour"),
    ("an unknown attribute", {"principal": "openai", "action": "serve_api", "context": {"planet": "mars"}},
     "unknown_attribute", "planet"),
    ("a date that does not exist", aws("2026-02-30"), "bad_date", "2026-02-30"),
    ("a date in another format", aws("01/03/2026"), "bad_date", "01/03/2026"),
    ("a missing principal", {"action": "serve_api"}, "missing_field", "principal"),
    ("a missing action", {"principal": "openai"}, "missing_field", "action"),
    ("an unknown principal", {"principal": "google", "action": "serve_api"}, "unknown_principal", "google"),
    ("a principal the action does not allow", {"principal": "microsoft", "action": "serve_api"}, "bad_principal", "microsoft"),
]
for name, body, code, word in CASES:
    r = post("/v1/decide", body)
    check("decide, %s: 400 %s naming the problem" % (name, code), is_json_error(r, 400, code, word), r)

# The same validation on /v1/explain.
for name, body, code, word in [CASES[0], CASES[6], CASES[7], CASES[10], CASES[12], CASES[14]]:
    r = post("/v1/explain", body)
    check("explain, %s: 400 %s" % (name, code), is_json_error(r, 400, code, word), r)

# ---- Query parameters ----------------------------------------------------------------------

for url, code in [("/v1/status?date=2026-13-01", "bad_date"), ("/v1/status?date=tomorrow", "bad_date"),
                  ("/v1/status?date=", "bad_date"), ("/v1/ledger?date=2026-02-29", "bad_date"),
                  ("/v1/ledger?by=week", "bad_argument"), ("/v1/events?since=abc", "bad_argument"),
                  ("/v1/events?since=-1", "bad_argument"), ("/v1/events?since=1x", "bad_argument")]:
    r = srv.get(url)
    check("GET %s: 400 %s" % (url, code), is_json_error(r, 400, code), r)

# ---- Batches over --max-batch ----------------------------------------------------------------

r = post("/v1/decide", [aws("2026-01-01")] * 51)
check("decide, a batch of 51 over --max-batch 50: refused as a whole (413 batch_too_large), naming the cap",
      r.status in (400, 413) and error_of(r)[0] == "batch_too_large" and "50" in (error_of(r)[1] or ""), r)
r = post("/v1/decide", [aws("2026-01-01")] * 50)
check("decide, a batch of exactly 50 is decided", r.status == 200 and isinstance(r.json(), list) and len(r.json()) == 50, r)
before = len(pactum_events(srv.db))
r = post("/v1/events", [purchase("2026-01-01", 1)] * 51, headers=bearer("openai"))
check("events, a batch of 51 over --max-batch 50: refused (413 batch_too_large)",
      r.status in (400, 413) and error_of(r)[0] == "batch_too_large", r)
check("events, the refused batch wrote nothing", len(pactum_events(srv.db)) == before)

# ---- 404 and 405 -----------------------------------------------------------------------------

for method, url in [("GET", "/v2/decide"), ("GET", "/nothing/here"), ("POST", "/v1/decide/"), ("GET", "/v1"),
                    ("GET", "/V1/STATUS"), ("POST", "/v1/unknown")]:
    r = srv.request(method, url, body="{}" if method == "POST" else None)
    check("%s %s: 404 with a JSON error" % (method, url), is_json_error(r, 404, "not_found"), r)

no_allow = []
ALLOWED = {"/v1/decide": "POST", "/v1/events": "GET, POST", "/v1/status": "GET", "/healthz": "GET",
           "/v1/audit/verify": "GET", "/v1/gate": "GET", "/metrics": "GET"}
for method, url in [("GET", "/v1/decide"), ("PUT", "/v1/decide"), ("DELETE", "/v1/events"), ("PUT", "/v1/status"),
                    ("POST", "/healthz"), ("POST", "/v1/audit/verify"), ("POST", "/v1/gate"), ("PATCH", "/metrics")]:
    r = srv.request(method, url, body="{}" if method != "GET" else None)
    check("%s %s: 405 with a JSON error" % (method, url), is_json_error(r, 405, "method_not_allowed"), r)
    want = set(m.strip() for m in ALLOWED[url].split(","))
    got = set(m.strip() for m in (r.header("Allow") or "").split(",") if m.strip())
    if not want <= got:
        no_allow.append("%s %s: Allow: %r, want %r" % (method, url, r.header("Allow"), ALLOWED[url]))
check("every 405 carries an Allow header listing the path's methods (RFC 9110 15.5.6: MUST)", not no_allow,
      "\n".join(no_allow))

# ---- 401 and 403 on POST /v1/events ------------------------------------------------------------

def stored():
    return pactum_events(srv.db)


before = stored()
no_challenge = []
for name, hdrs in [("no Authorization header", {}), ("a wrong token", {"Authorization": "Bearer not-a-token"}),
                   ("an empty bearer token", {"Authorization": "Bearer "}),
                   ("a token of another scheme", {"Authorization": "Basic " + TOKENS["openai"]}),
                   ("the token's hash instead of the token",
                    {"Authorization": "Bearer " + __import__("hashlib").sha256(TOKENS["openai"].encode()).hexdigest()})]:
    r = post("/v1/events", purchase("2026-01-05", 10), headers=hdrs)
    check("events with %s: 401 with a JSON reason" % name, is_json_error(r, 401, "unauthorized"), r)
    if not (r.header("WWW-Authenticate") or "").lower().startswith("bearer"):
        no_challenge.append("POST /v1/events with %s: WWW-Authenticate: %r" % (name, r.header("WWW-Authenticate")))
check("every 401 of POST /v1/events carries 'WWW-Authenticate: Bearer' (RFC 9110 11.6.1: MUST)", not no_challenge,
      "\n".join(no_challenge))
check("nothing was written by the 401s", stored() == before)

# Microsoft may not declare AGI: `event agi_declared recorded by openai`.
r = post("/v1/events", declared("2026-01-05") | {"by": "microsoft"}, headers=bearer("microsoft"))
check("events, microsoft declaring AGI: 403 with a JSON reason naming the signer and the event",
      is_json_error(r, 403, None, "microsoft") and "agi_declared" in error_of(r)[1], r)
r2 = srv.get("/v1/events")
check("events, after the 403 GET /v1/events lists nothing new (only record 1, the store's store_created)",
      r2.status == 200 and [e["seq"] for e in r2.json()["events"]] == [1] and r2.json()["head"]["seq"] == 1, r2)
check("events, after the 403 the store holds nothing new", stored() == before)

# A batch whose first event microsoft may record (a purchase) and whose second it may not.
r = post("/v1/events", [purchase("2026-01-05", 10), verdict("2026-01-06", "verified", 1)], headers=bearer("microsoft"))
check("events, a batch with one event its signer may not record: 403, naming event 1",
      is_json_error(r, 403, None, "event 1"), r)
check("events, that batch wrote nothing, not even the allowed purchase", stored() == before)

# A panel member may rule but may not record a purchase.
r = post("/v1/events", purchase("2026-01-05", 10), headers=bearer("panel.expert_1"))
check("events, a panel member recording a purchase: 403", is_json_error(r, 403), r)
check("events, and nothing was written", stored() == before)

# ---- All or nothing ------------------------------------------------------------------------

# Event 2 of 3 fails the guard of `on agi_declared` (a declaration is already pending).
batch = [declared("2026-02-01"), declared("2026-02-02"), purchase("2026-02-03", 100)]
r = post("/v1/events", batch, headers=bearer("openai"))
check("events, a guard failure in event 2 of 3: 400 guard_failed naming event 1 (0-based)",
      is_json_error(r, 400, "guard_failed", "event 1"), r)
check("events, the guard failure wrote nothing (GET /v1/events)", srv.get("/v1/events?since=1").json()["events"] == [])
check("events, the guard failure wrote nothing (pactum events --db)", stored() == before)
for name, body, code in [
    ("an unknown event type", [purchase("2026-02-01", 1), {"type": "merger", "date": "2026-02-02"}], "unknown_event"),
    ("an unknown field", [purchase("2026-02-01", 1), purchase("2026-02-02", 1) | {"note": "x"}], "unknown_field"),
    ("a wrong type", [purchase("2026-02-01", 1), purchase("2026-02-02", "a lot")], "wrong_type"),
    ("a bad date", [purchase("2026-02-01", 1), purchase("2026-02-30", 1)], "bad_date"),
    ("dates out of order", [purchase("2026-02-02", 1), purchase("2026-02-01", 1)], "out_of_order"),
    ("a non-object element", [purchase("2026-02-01", 1), 7], None),
]:
    r = post("/v1/events", body, headers=bearer("openai"))
    check("events, %s in event 2 of 2: 400%s, naming event 1" % (name, " " + code if code else ""),
          is_json_error(r, 400, code, "event 1"), r)
    check("events, %s: nothing was written" % name, stored() == before)
for name, body in [("malformed JSON", '[{"type":"azure_purchase",'), ("a bare string", '"purchase"'), ("a number", "12")]:
    r = post("/v1/events", body, headers=bearer("openai"))
    check("events, %s: 400 with a JSON error" % name, is_json_error(r, 400), r)

# The server still takes a good batch afterwards.
r = post("/v1/events", [purchase("2026-02-01", 5), purchase("2026-02-02", 6)], headers=bearer("openai"))
check("events, a good batch of 2 is recorded as seq 2..3 (after store_created)",
      r.status == 200 and r.json().get("recorded") == 2 and r.json().get("first") == 2 and r.json().get("last") == 3, r)
check("events, pactum events --db shows exactly those 2, each naming the token's signer in recorded_by",
      stored() == [by("openai", purchase("2026-02-01", 5)), by("openai", purchase("2026-02-02", 6))])

# ---- Hostile input ---------------------------------------------------------------------------

deep = b"[" * 100000
for url, hdrs in [("/v1/decide", {}), ("/v1/explain", {}), ("/v1/events", bearer("openai"))]:
    r = srv.post(url, deep, headers=hdrs, timeout=20)
    check("POST %s with a 100000-deep JSON array: 400 bad_json" % url, is_json_error(r, 400, "bad_json"), r)
r = srv.post("/v1/decide", b"[" * 100000 + b"]" * 100000, timeout=20)
check("decide with a closed 100000-deep array: 400 bad_json", is_json_error(r, 400, "bad_json"), r)
r = srv.post("/v1/decide", b'{"a":' * 100000 + b"1" + b"}" * 100000, timeout=20)
check("decide with a 100000-deep object: 400 with a JSON error", is_json_error(r, 400), r)
check("the server is healthy after the deep JSON", srv.healthy())

GARBAGE = [
    ("random bytes", bytes((i * 7919 + 13) % 256 for i in range(4096))),
    ("NUL bytes", b"\0" * 2048),
    ("a line that is not HTTP", b"HELLO THERE\r\n\r\n"),
    ("a bad request line", b"GET\r\n\r\n"),
    ("a header without a colon", b"GET /healthz HTTP/1.1\r\nHost: x\r\nthis is not a header\r\n\r\n"),
    ("an unknown HTTP version", b"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n"),
    ("a 100 KB request line", b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("a negative Content-Length", b"POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n{}"),
    ("a bad chunk size", b"POST /v1/decide HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"),
    ("TLS bytes on the plain port", bytes.fromhex("16030100c4010000c00303") + b"\x00" * 200),
]
for name, data in GARBAGE:
    try:
        out = srv.raw(data, timeout=5)
        st = status_of(out)
        ok = out == b"" or (st is not None and 400 <= st < 600 and st != 500)
    except OSError as e:  # a reset is an answer too
        out, ok = repr(e).encode(), True
    check("garbage (%s): a 4xx or a closed connection, not a hang" % name, ok, out[:300])
    check("garbage (%s): the server is still healthy" % name, srv.alive() and srv.healthy(), srv.stderr()[-1500:])

# ---- The read token closes the read endpoints --------------------------------------------------

ro = Server("--tokens", tokens, "--read-token", write_read_token("reader-secret-51"), name="readtoken")
READS = [("GET", "/v1/status", None), ("GET", "/v1/status?date=2026-01-01", None), ("GET", "/v1/ledger", None),
         ("GET", "/v1/clauses", None), ("GET", "/v1/agreement", None), ("GET", "/v1/vocabulary", None),
         ("GET", "/v1/events", None), ("GET", "/v1/audit/verify", None), ("GET", "/metrics", None),
         ("POST", "/v1/decide", aws("2026-01-01")), ("POST", "/v1/explain", aws("2026-01-01")), ("GET", "/", None)]
for method, url, body in READS:
    r = ro.request(method, url, body=body)
    check("--read-token: %s %s without a token: 401 with a JSON error" % (method, url), is_json_error(r, 401, "unauthorized"), r)
    r = ro.request(method, url, body=body, headers={"Authorization": "Bearer reader-secret-52"})
    check("--read-token: %s %s with a wrong token: 401" % (method, url), r.status == 401, r)
    r = ro.request(method, url, body=body, headers={"Authorization": "Bearer reader-secret-51"})
    check("--read-token: %s %s with the read token: 200" % (method, url), r.status == 200, r)
r = ro.get("/v1/status", headers=bearer("microsoft"))
check("--read-token: a party's token reads too", r.status == 200, r)
r = ro.get("/healthz")
check("--read-token: /healthz stays open", r.status == 200, r)
r = ro.get("/v1/gate", headers={"X-Pactum-Principal": "openai", "X-Pactum-Action": "serve_api"})
check("--read-token: the gate without a token: 401", r.status == 401, r)
r = ro.post("/v1/events", purchase("2026-01-01", 1), headers={"Authorization": "Bearer reader-secret-51"})
check("--read-token: the read token may not append events (401)", r.status == 401, r)
r = ro.post("/v1/events", purchase("2026-01-01", 1), headers=bearer("openai"))
check("--read-token: a party's token still appends", r.status == 200, r)

# ---- Error metrics, and the servers survived all of it -----------------------------------------

m = srv.metrics()
check("metrics: errors counted by kind (bad_request, unauthorized, forbidden, not_found, method_not_allowed, too_large)",
      all(m.get(("pactum_errors_total", '{kind="%s"}' % k), 0) > 0
          for k in ["bad_request", "unauthorized", "forbidden", "not_found", "method_not_allowed", "too_large"]),
      {k: v for k, v in m.items() if k[0] == "pactum_errors_total"})
check("the server never crashed", srv.alive() and ro.alive(), srv.stderr()[-2000:])
check("no sanitizer report", "Sanitizer" not in srv.stderr() + ro.stderr() and "runtime error" not in srv.stderr() + ro.stderr())
check("SIGTERM: exit 0", srv.stop() == 0 and ro.stop() == 0)
finish()
