#!/usr/bin/env python3
"""The service's secrets: TLS (--tls-cert, --tls-key) and the read token's file (--read-token FILE).

TLS: a certificate for 127.0.0.1 made here with `openssl req`; Python's ssl module (and curl, when
it is installed) must get the right answers over HTTPS, verifying the certificate; plain HTTP to the
TLS port must fail; a client that never completes its handshake is cut at the request deadline;
and each bad start-up (one of the two options, a missing file, a file that is not PEM, a key that is
not the certificate's) must exit 2 naming the problem.

The read token: read from the first line of a file, trimmed; an empty or missing file exits 2; a
file others may read is served with a warning; and the token never shows on the command line
(/proc/PID/cmdline, what `ps` shows).

    python3 tests/http/test_tls.py PACTUM
"""
import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serverlib import *  # noqa: E402,F401,F403
import serverlib as L  # noqa: E402

OPENSSL = shutil.which("openssl")
CURL = shutil.which("curl")
if not OPENSSL:
    print("openssl is not installed (scripts/deps.sh installs it): the TLS tests are skipped")
    sys.exit(77)


def openssl(*args):
    p = subprocess.run([OPENSSL, *args], capture_output=True, text=True, timeout=60, cwd=L.TMP)
    if p.returncode != 0:
        raise RuntimeError("openssl %s: %s" % (" ".join(args), p.stderr))


CERT, KEY, OTHER_KEY = path("cert.pem"), path("key.pem"), path("other-key.pem")
openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", KEY,
        "-out", CERT, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost")
openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", OTHER_KEY)
GARBAGE = path("garbage.pem")
with open(GARBAGE, "w") as f:
    f.write("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n")

# ---- Over TLS ----------------------------------------------------------------------------------

tokens = write_tokens()
srv = Server("--tokens", tokens, "--tls-cert", CERT, "--tls-key", KEY, "--request-deadline", "2", name="tls")
check("the start-up line says https://", "on https://127.0.0.1:%d/" % srv.port in srv.stderr(), srv.stderr())
ctx = ssl.create_default_context(cafile=CERT)


def tls_request(method, url, body=None, headers=None):
    c = http.client.HTTPSConnection("127.0.0.1", srv.port, timeout=10, context=ctx)
    try:
        h = {"Content-Type": "application/json"} if body is not None else {}
        h.update(headers or {})
        c.request(method, url, body=json.dumps(body) if isinstance(body, (dict, list)) else body, headers=h)
        r = c.getresponse()
        return Response(r.status, r.getheaders(), r.read())
    finally:
        c.close()


r = tls_request("GET", "/healthz")
check("HTTPS, certificate verified: GET /healthz is 200 {\"ok\": true}", r.status == 200 and r.json() == {"ok": True}, r)
r = tls_request("POST", "/v1/decide", aws("2026-03-01"))
# The shipped agreement: serving the API from AWS is denied by azure_api_exclusivity until AGI is verified.
check("HTTPS: AWS on 2026-03-01 is denied by azure_api_exclusivity", r.status == 200 and r.json()["decision"] == "deny"
      and [d["clause"] for d in r.json()["determining"]] == ["azure_api_exclusivity"], r)
r = tls_request("POST", "/v1/events", [purchase("2026-01-15", 7), purchase("2026-02-15", 8)], bearer("openai"))
check("HTTPS: two events appended with a token", r.status == 200 and r.json()["recorded"] == 2, r)
r = tls_request("GET", "/v1/events?since=1&limit=1")  # seq 1 is the store's own record, store_created
check("HTTPS: a page of the events, streamed (chunked), reads back", r.status == 200 and r.json()["events"] ==
      [{"seq": 2, "event": by("openai", purchase("2026-01-15", 7))}] and r.json()["next"] == 2 and r.json()["more"] is True, r)
r = tls_request("GET", "/v1/gate", headers={"X-Pactum-Principal": "openai", "X-Pactum-Action": "serve_api",
                                            "X-Pactum-Context-Cloud": "aws", "X-Pactum-Date": "2026-03-01"})
check("HTTPS: the gate denies AWS (403, X-Pactum-Decision: deny)", r.status == 403 and r.header("X-Pactum-Decision") == "deny", r)
try:
    c = http.client.HTTPSConnection("127.0.0.1", srv.port, timeout=10, context=ssl.create_default_context())
    c.request("GET", "/healthz")
    c.getresponse()
    untrusted = "answered"
except ssl.SSLError as e:
    untrusted = "refused: %s" % e
check("a client that does not trust the certificate refuses the connection", untrusted.startswith("refused"), untrusted)
if CURL:
    p = subprocess.run([CURL, "-sS", "--cacert", CERT, "-X", "POST", "--data-binary", json.dumps(aws("2026-03-01")),
                        "https://127.0.0.1:%d/v1/decide" % srv.port], capture_output=True, text=True, timeout=30)
    try:
        d = json.loads(p.stdout)
    except ValueError:
        d = None
    check("curl over HTTPS: the same decision (deny)", p.returncode == 0 and d and d["decision"] == "deny", p.stdout + p.stderr)
    p = subprocess.run([CURL, "-sS", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:%d/healthz" % srv.port],
                       capture_output=True, text=True, timeout=30)
    check("curl with plain HTTP to the TLS port fails", p.stdout.strip() != "200", p.stdout + p.stderr)
else:
    print("curl is not installed: its checks are skipped")
plain = b""
try:
    plain = srv.raw(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n", timeout=5)
except OSError as e:
    plain = repr(e).encode()
check("plain HTTP to the TLS port gets no HTTP answer", status_of(plain) is None, plain[:200])
s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
t0 = time.time()
s.settimeout(10)
try:
    while s.recv(4096):
        pass
except OSError:
    pass
took = time.time() - t0
s.close()
check("a connection that never completes its handshake is cut at --request-deadline 2 (%.1f s)" % took, 1.5 < took < 8)
check("TLS server: still healthy over HTTPS", tls_request("GET", "/healthz").status == 200)
check("TLS server: SIGTERM exits 0", srv.stop() == 0, srv.stderr()[-1500:])


def start_fails(*args):
    """Run serve with args; (exit status, stderr). It must exit by itself."""
    p = subprocess.run([L.PACTUM, "serve", "--listen", "127.0.0.1:0", "--db", path("fail.db"), *args],
                       capture_output=True, text=True, timeout=30, cwd=L.TMP)
    return p.returncode, p.stderr


for name, args, says in [
        ("--tls-cert alone", ["--tls-cert", CERT], "'--tls-cert' and '--tls-key' go together"),
        ("--tls-key alone", ["--tls-key", KEY], "'--tls-cert' and '--tls-key' go together"),
        ("a missing certificate", ["--tls-cert", path("nope.pem"), "--tls-key", KEY],
         "cannot read the TLS certificate '%s'" % path("nope.pem")),
        ("a missing key", ["--tls-cert", CERT, "--tls-key", path("nope.pem")], "cannot read the TLS key '%s'" % path("nope.pem")),
        ("a certificate that is not one", ["--tls-cert", GARBAGE, "--tls-key", KEY],
         "the TLS certificate '%s' is not a PEM X.509 certificate" % GARBAGE),
        ("the certificate given as the key", ["--tls-cert", CERT, "--tls-key", CERT],
         "the TLS key '%s' is not a PEM private key" % CERT),
        ("another certificate's key", ["--tls-cert", CERT, "--tls-key", OTHER_KEY],
         "the TLS key '%s' does not belong to the certificate '%s'" % (OTHER_KEY, CERT))]:
    rc, err = start_fails(*args)
    check("TLS start-up, %s: exit 2 saying so" % name, rc == 2 and says in err, "exit %s\n%s" % (rc, err))

# ---- The read token's file ---------------------------------------------------------------------

rc, err = start_fails("--read-token", path("no-such-file"))
check("--read-token, a missing file: exit 2 naming it", rc == 2 and "cannot open the read token file '%s'" % path("no-such-file")
      in err, err)
rc, err = start_fails("--read-token", "reader-secret-51")
check("--read-token with a token instead of a file (the old form): refused, exit 2", rc == 2
      and "cannot open the read token file 'reader-secret-51'" in err, err)
for name, text in [("empty", ""), ("a blank first line", "  \t\n"), ("an empty first line", "\nsecond-line\n")]:
    p = write_read_token("", "empty.txt")
    with open(p, "w") as f:
        f.write(text)
    rc, err = start_fails("--read-token", p)
    check("--read-token, %s: exit 2, the file is empty" % name, rc == 2 and "the read token file '%s' is empty" % p in err, err)

TOKEN = "s3cret-reader-71"
p = write_read_token("x", "token.txt")
with open(p, "w") as f:
    f.write("  %s \t\r\nsecond-line\n" % TOKEN)
srv = Server("--read-token", p, name="readfile")
check("--read-token FILE, owner-only: served without a warning", "warning" not in srv.stderr(), srv.stderr())
with open("/proc/%d/cmdline" % srv.proc.pid, "rb") as f:
    cmdline = f.read()
check("the token is not on the command line (/proc/PID/cmdline, what ps shows)", TOKEN.encode() not in cmdline
      and p.encode() in cmdline, cmdline)
check("the first line, trimmed, is the token: 200", srv.get("/v1/status", headers={"Authorization": "Bearer " + TOKEN}).status == 200)
check("the second line is not a token: 401", srv.get("/v1/status", headers={"Authorization": "Bearer second-line"}).status == 401)
check("no token: 401", srv.get("/v1/status").status == 401)
srv.stop()
for mode, who in ((0o644, "anyone"), (0o640, "its group")):
    os.chmod(p, mode)
    srv = Server("--read-token", p, name="readfile-%o" % mode)
    check("--read-token FILE with mode %o: served, with a warning that %s may read it" % (mode, who),
          "warning: the read token file '%s' may be read by %s" % (p, who) in srv.stderr()
          and srv.get("/v1/status", headers={"Authorization": "Bearer " + TOKEN}).status == 200, srv.stderr())
    srv.stop()
finish()
