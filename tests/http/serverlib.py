"""Shared helpers of the `pactum serve` tests (tests/http/test_*.py).

Every test starts the real `pactum` binary with `serve --listen 127.0.0.1:0` in a scratch
directory with its own --db, reads the port it picked from its stderr ("serving ... on
http://127.0.0.1:PORT/"), talks to it over loopback with the standard library only
(http.client and raw sockets), and stops it by its pid at the end.

Expected values come from the agreements (agreements/*.pact), docs/formats.md and the issue, not
from the server's own output. Each script prints "N passed, M failed" last and exits 1 if
anything failed.
"""
import atexit
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

if len(sys.argv) < 2:
    sys.exit("usage: %s PACTUM" % os.path.basename(sys.argv[0]))

PACTUM = os.path.abspath(sys.argv[1])
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checklib import ROOT, check, finish as finish_tally  # noqa: E402,F401  (the tally: tests/checklib.py)
MSFT = os.path.join(ROOT, "agreements", "microsoft-openai-2025-10-28.pact")
RESELLER = os.path.join(ROOT, "agreements", "examples", "cloud-reseller.pact")
SQLITE3 = shutil.which("sqlite3")
AGREEMENT = {"id": "microsoft-openai", "version": "2025-10-28"}
DECISION_KEYS = ["decision", "determining", "overridden", "obligations", "valid_until", "agreement"]

TMP = tempfile.mkdtemp(prefix="pactum-http-")
if os.environ.get("PACTUM_KEEP_TMP") != "1":
    atexit.register(shutil.rmtree, TMP, True)

def finish():
    for s in list(Server.running):
        s.stop()
    finish_tally()


def path(name):
    return os.path.join(TMP, name)


# ---- Tokens ------------------------------------------------------------------------------

TOKENS = {
    "openai": "tok-openai-4f1c",
    "microsoft": "tok-microsoft-9a2e",
    "panel.expert_1": "tok-panel-1-77d0",
    "panel.expert_2": "tok-panel-2-c3b5",
    "panel.expert_3": "tok-panel-3-e61a",
}

# Three of the panel's five members: the quorum of the shipped agreement's `panel`, which records
# panel_verdict. Over HTTP each member's token is one vote (docs/http-api.md, "Votes").
PANEL = ["panel.expert_1", "panel.expert_2", "panel.expert_3"]


def write_tokens(name="tokens.txt", tokens=None):
    """A tokens file: 'SIGNER SHA256HEX-OF-TOKEN' lines, with a comment and a blank line."""
    tokens = tokens or TOKENS
    p = path(name)
    with open(p, "w") as f:
        f.write("# signer  sha256 of the bearer token\n\n")
        for who, tok in tokens.items():
            f.write("%s %s\n" % (who, hashlib.sha256(tok.encode()).hexdigest()))
    return p


def bearer(who):
    return {"Authorization": "Bearer " + TOKENS[who]}


def panel_vote(srv, event, members=None):
    """event posted to srv's POST /v1/events by each of members (default PANEL) in turn, each with
    its own token: the Responses, in order. With a quorum of members, the last one records it."""
    return [srv.post("/v1/events", event, headers=bearer(m)) for m in (members or PANEL)]


def write_read_token(token, name="read-token.txt", mode=0o600):
    """A --read-token file holding token (with a newline), readable by its owner only by default."""
    p = path(name)
    with open(p, "w") as f:
        f.write(token + "\n")
    os.chmod(p, mode)
    return p


# ---- The server --------------------------------------------------------------------------

class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def __repr__(self):
        return "HTTP %s\n%s\n\n%s" % (self.status, "\n".join("%s: %s" % kv for kv in self.headers), self.text[:1500])


class Server:
    running = []

    def __init__(self, *args, db=None, name="srv", env=None):
        self.db = db or path(name + ".db")
        self.errpath = path(name + ".stderr")
        self.args = ["serve", "--listen", "127.0.0.1:0", "--db", self.db, *args]
        self.err = open(self.errpath, "w")
        self.proc = subprocess.Popen([PACTUM, *self.args], cwd=TMP, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=self.err, env=env)
        self.port = None
        deadline = time.time() + 15
        while time.time() < deadline:
            m = re.search(r"serving .* on https?://127\.0\.0\.1:(\d+)/", self.stderr())
            if m:
                self.port = int(m.group(1))
                break
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        if not self.port:
            self.kill()
            raise RuntimeError("pactum serve did not start: exit %s\n%s" % (self.proc.returncode, self.stderr()))
        Server.running.append(self)

    def stderr(self):
        with open(self.errpath, errors="replace") as f:
            return f.read()

    def alive(self):
        return self.proc.poll() is None

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()

    def stop(self, timeout=15):
        """SIGTERM, then wait; SIGKILL if it does not exit. The exit status."""
        if self in Server.running:
            Server.running.remove(self)
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return "killed"
        self.err.close()
        return self.proc.returncode

    def conn(self, timeout=10):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, url, body=None, headers=None, timeout=10):
        """One request on a fresh connection: a Response, never raises for HTTP statuses."""
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        c = self.conn(timeout)
        try:
            h = {"Content-Type": "application/json"} if body is not None else {}
            h.update(headers or {})
            c.request(method, url, body=body, headers=h)
            r = c.getresponse()
            return Response(r.status, r.getheaders(), r.read())
        finally:
            c.close()

    def get(self, url, **kw):
        return self.request("GET", url, **kw)

    def post(self, url, body, **kw):
        return self.request("POST", url, body=body, **kw)

    def healthy(self):
        try:
            return self.get("/healthz", timeout=5).status == 200
        except OSError:
            return False

    def raw(self, data, timeout=5.0, read=True):
        """Send raw bytes on a new socket; return what comes back until close, a full response or
        the timeout."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        try:
            s.sendall(data)
            return read_response(s, timeout) if read else b""
        finally:
            s.close()

    def metrics(self):
        return parse_metrics(self.get("/metrics").text)

    def cpu_seconds(self):
        """CPU time the server has used, user and system (its resource usage, not the wall clock)."""
        with open("/proc/%d/stat" % self.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / float(os.sysconf("SC_CLK_TCK"))

    def rss_mb(self):
        """The server's resident set size, in MiB."""
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
        return None


def read_response(s, timeout=5.0):
    """Bytes of one HTTP response from socket s (headers and a Content-Length body), or whatever
    arrived before the peer closed or the timeout passed."""
    s.settimeout(timeout)
    out = b""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            d = s.recv(65536)
        except socket.timeout:
            break
        except OSError:
            break
        if not d:
            break
        out += d
        head, sep, body = out.partition(b"\r\n\r\n")
        if sep:
            m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
            if m and len(body) >= int(m.group(1)):
                break
            if not m and re.match(rb"HTTP/1\.[01] (1\d\d|204|304)", head):
                break
    return out


def closed_after(s, limit):
    """Seconds until the server closes socket s (EOF or reset), reading and dropping what it
    sends meanwhile; None if it is still open after limit."""
    t0 = time.time()
    s.settimeout(limit)
    try:
        while True:
            d = s.recv(4096)
            if not d:
                return time.time() - t0
    except socket.timeout:
        return None
    except OSError:
        return time.time() - t0


def status_of(raw):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", raw)
    return int(m.group(1)) if m else None


def body_of(raw):
    return raw.partition(b"\r\n\r\n")[2]


# ---- Metrics -----------------------------------------------------------------------------

METRIC_LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? '
                         r'(-?(?:[0-9.]+(?:[eE][-+]?[0-9]+)?|\+Inf|-Inf|NaN))$')


def parse_metrics(text):
    """Prometheus text format: {(name, labels-text): value}; raises ValueError on a bad line."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            if line.startswith("#") and not re.match(r"^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$", line):
                raise ValueError("bad comment line %r" % line)
            continue
        m = METRIC_LINE.match(line)
        if not m:
            raise ValueError("bad sample line %r" % line)
        out[(m.group(1), m.group(2) or "")] = float(m.group(3))
    return out


# ---- Requests of the shipped agreement -----------------------------------------------------

def aws(date=None, segment=None, third_party=None):
    """OpenAI serving the API on AWS. Denied by azure_api_exclusivity until the panel verifies AGI,
    unless the customer is a U.S. government national security customer."""
    rq = {"principal": "openai", "action": "serve_api", "context": {"cloud": "aws"}}
    if date:
        rq["context"]["date"] = date
    if segment:
        rq["context"]["customer_segment"] = segment
    if third_party is not None:
        rq["resource"] = {"built_with_third_party": third_party}
    return rq


def azure(date=None):
    rq = {"principal": "openai", "action": "serve_api", "context": {"cloud": "azure"}}
    if date:
        rq["context"]["date"] = date
    return rq


def purchase(date, amount):
    return {"type": "azure_purchase", "date": date, "amount_usd": amount}


def declared(date):
    return {"type": "agi_declared", "date": date, "by": "openai"}


def verdict(date, v, declaration):
    """The panel's verdict on the declaration recorded with seq `declaration`."""
    return {"type": "panel_verdict", "date": date, "declaration": declaration, "verdict": v}


def error_of(r):
    """(code, message) of a JSON error body, or (None, None)."""
    j = r.json()
    if isinstance(j, dict) and isinstance(j.get("error"), dict):
        return j["error"].get("code"), j["error"].get("message")
    return None, None


def is_json_error(r, status, code=None, mentions=None):
    c, m = error_of(r)
    if r.status != status or c is None or not isinstance(m, str) or not m:
        return False
    if not (r.header("Content-Type") or "").startswith("application/json"):
        return False
    if code is not None and c != code:
        return False
    if mentions is not None and mentions not in m:
        return False
    return True


RECORD_TYPES = ("store_created", "store_upgraded", "settings_changed", "key_registered", "key_revoked")


def pactum_events(db, own=False):
    """The store's events through the CLI: [event objects] in seq order. Without own, the store's own
    records (store_created at seq 1, key registrations, settings) are left out."""
    p = subprocess.run([PACTUM, "events", "--db", db], capture_output=True, text=True, timeout=60, cwd=TMP)
    if p.returncode != 0:
        raise RuntimeError("pactum events failed: %s" % p.stderr)
    events = [json.loads(l) for l in p.stdout.splitlines() if l.strip()]
    return events if own else [e for e in events if e.get("type") not in RECORD_TYPES]


def by(signer, event):
    """event as a server stores it when signer's token posted it: with its recorded_by."""
    return dict(event, recorded_by=[signer])


def by_panel(event, members=None):
    """event as a server stores it once members (default PANEL) voted for it: recorded_by names
    them, sorted (docs/http-api.md)."""
    return dict(event, recorded_by=sorted(members or PANEL))


# ---- The hash chain, as docs/store.md defines it ----------------------------------------------

CANON_ESCAPES = {'"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t'}


def canon_string(s):
    out = []
    for ch in s:
        c = ord(ch)
        if ch in CANON_ESCAPES:
            out.append(CANON_ESCAPES[ch])
        elif c < 0x20 or 0x7F < c < 0x10000:
            out.append("\\u%04X" % c)
        elif c >= 0x10000:
            c -= 0x10000
            out.append("\\u%04X\\u%04X" % (0xD800 + (c >> 10), 0xDC00 + (c & 0x3FF)))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def canon(v):
    """Canonical JSON as docs/store.md defines it (and writes it in Python): a str."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return canon_string(v)
    if isinstance(v, list):
        return "[" + ",".join(canon(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(canon_string(k) + ":" + canon(v[k]) for k in sorted(v, key=lambda k: k.encode("utf-8"))) + "}"
    raise ValueError("no canonical form for %r" % (v,))


def canonical(v):
    """Canonical JSON (docs/store.md): keys sorted, no spaces, pure ASCII; the bytes."""
    return canon(v).encode()


def chain_hash(seq, prev, record):
    """hash(n) = SHA-256(BE64(n) || prev(n) || J(n)), with prev the 32 bytes of the hash before."""
    return hashlib.sha256(struct.pack(">Q", seq) + prev + canonical(record)).digest()


def merkle_root(leaves):
    """RFC 9162's MTH over the records' chain hashes (each leaf SHA-256(0x00 || hash)): 32 bytes."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + merkle_root(leaves[:k]) + merkle_root(leaves[k:])).digest()


def store_created_problems(ev, pact, require_signatures=False):
    """What is wrong with ev as a store's first record for the agreement in file pact (docs/store.md,
    "The settings record"): [] when nothing is. Its store id and time differ on every run: checked
    for their form (32 hex digits; a UTC time within a day of now)."""
    with open(pact, encoding="utf-8") as f:
        m = re.search(r'(?m)^agreement "([^"]+)" \{\s*version "([^"]+)"', f.read())
    want = {"hash": sha256_file(pact), "id": m.group(1), "version": m.group(2)} if m else None
    out = []
    if not isinstance(ev, dict):
        return ["not an object: %r" % (ev,)]
    if sorted(ev) != ["agreement", "created", "require_signatures", "store", "type"]:
        out.append("members %s" % sorted(ev))
    if ev.get("type") != "store_created":
        out.append("type %r" % ev.get("type"))
    if ev.get("agreement") != want:
        out.append("agreement %r, expected %r" % (ev.get("agreement"), want))
    if not re.fullmatch(r"[0-9a-f]{32}", str(ev.get("store"))):
        out.append("store %r is not 32 hex digits" % ev.get("store"))
    created = str(ev.get("created"))
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", created) or \
            abs(time.mktime(time.strptime(created, "%Y-%m-%dT%H:%M:%SZ")) - time.mktime(time.gmtime())) > 86400:
        out.append("created %r is not a UTC time of today" % created)
    if ev.get("require_signatures") is not require_signatures:
        out.append("require_signatures %r" % ev.get("require_signatures"))
    return out


def sha256_file(p):
    with open(p, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()
