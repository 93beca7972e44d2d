#!/usr/bin/env python3
"""Hostile inputs (issue 7, section 4): each case feeds the real `pactum` binary one kind of
hostile input and checks that it ends in the precise error (its exact text), with the documented
exit status, within bounded time and memory.

    python3 tests/hostile/hostile.py PACTUM CASE [--sanitized]
    python3 tests/hostile/hostile.py PACTUM --list

Every pactum process runs under RLIMIT_CPU (a runaway loop is killed) and, except in a sanitizer
build, RLIMIT_AS (a runaway allocation fails); its peak RSS and wall time, taken from wait4, are
checked against the case's bounds. --sanitized (the ASan build) drops RLIMIT_AS, which ASan's
shadow memory cannot live with, and allows 4 times the time and memory.

Expected messages are written from the rules in docs/language.md, docs/formats.md and
docs/cli.md; line and column numbers are computed here from the generated input. Prints
"N passed, M failed" last and exits 1 if anything failed.
"""
import hashlib
import http.client
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

if len(sys.argv) < 3:
    sys.exit("usage: hostile.py PACTUM CASE [--sanitized] | PACTUM --list")
PACTUM = os.path.abspath(sys.argv[1])
CASE = sys.argv[2]
SANITIZED = "--sanitized" in sys.argv[3:]
SCALE = 4 if SANITIZED else 1
ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
MSFT = os.path.join(ROOT, "agreements", "microsoft-openai-2025-10-28.pact")
SAMPLE = os.path.join(ROOT, "agreements", "microsoft-openai-2025-10-28.sample.jsonl")
RESELLER = os.path.join(ROOT, "agreements", "examples", "cloud-reseller.pact")
INT64_MAX = 2**63 - 1
MB = 1 << 20

TMP = tempfile.mkdtemp(prefix="pactum-hostile-")
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   " + name)
    else:
        failed += 1
        print("FAIL " + name)
        for line in str(detail)[:3000].splitlines():
            print("    " + line)
    return ok


def path(name):
    return os.path.join(TMP, name)


def write(name, data):
    p = path(name)
    with open(p, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)
    return p


class Run:
    def __init__(self, rc, out, err, secs, rss_mb):
        self.rc, self.out, self.err, self.secs, self.rss_mb = rc, out, err, secs, rss_mb

    def __repr__(self):
        return "exit %s, %.2f s, %.0f MB\n--- stdout\n%s\n--- stderr\n%s" % (
            self.rc, self.secs, self.rss_mb, self.out[:800], self.err[:1500])


def limits(cpu_s, mem_mb):
    def apply():
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
        if not SANITIZED:
            resource.setrlimit(resource.RLIMIT_AS, (mem_mb * MB, mem_mb * MB))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def run(*args, stdin=b"", cpu=20, mem=1024):
    """Run pactum under the limits (cpu seconds, address space MB); wall time and peak RSS from wait4."""
    if isinstance(stdin, str):
        stdin = stdin.encode()
    fin = open(write("stdin-%d" % time.monotonic_ns(), stdin), "rb")
    fout, ferr = tempfile.TemporaryFile(dir=TMP), tempfile.TemporaryFile(dir=TMP)
    t0 = time.monotonic()
    p = subprocess.Popen([PACTUM, *args], stdin=fin, stdout=fout, stderr=ferr, cwd=TMP,
                         preexec_fn=limits(cpu * SCALE, mem * SCALE))
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    secs = time.monotonic() - t0
    fin.close()
    fout.seek(0)
    ferr.seek(0)
    out, err = fout.read().decode("utf-8", "replace"), ferr.read().decode("utf-8", "replace")
    return Run(p.returncode, out, err, secs, ru.ru_maxrss / 1024)


def bounded(r, secs, rss_mb):
    """Within the case's bounds: a normal exit (no signal, no sanitizer report), time and memory.
    No time bound is below 5 s: the test machine is shared, and a trivial run can wait that long."""
    return (r.rc >= 0 and "Sanitizer" not in r.err and "runtime error" not in r.err
            and r.secs < max(secs, 5) * SCALE and r.rss_mb < rss_mb * SCALE)


def expect(name, r, rc, stderr=None, stdout=None, secs=10, rss_mb=256):
    """Exit status rc and, when given, the exact stderr / stdout, within the bounds."""
    ok = bounded(r, secs, rss_mb) and r.rc == rc
    if stderr is not None:
        ok = ok and r.err == stderr
    if stdout is not None:
        ok = ok and r.out == stdout
    detail = repr(r)
    if stderr is not None and r.err != stderr:
        detail += "\n--- expected stderr\n" + stderr
    if stdout is not None and r.out != stdout:
        detail += "\n--- expected stdout\n" + stdout
    return check("%s (exit %d, %.2f s, %.0f MB)" % (name, r.rc, r.secs, r.rss_mb), ok, detail)


def source_error(file, line_no, col, message, line_text, span=1):
    """The exact `.pact` error of docs/language.md: FILE:LINE:COL, the line, a caret and tildes."""
    gutter = max(5, len(str(line_no)))
    return "%s:%d:%d: error: %s\n%*d | %s\n%s | %s^%s\n" % (
        file, line_no, col, message, gutter, line_no, line_text, " " * gutter, " " * (col - 1), "~" * (span - 1))


HDR = ('agreement "t" {\n  version "1"\n  effective 2026-01-01\n}\nparty a "A"\nsource doc official "doc.txt"\n'
       'action act by a {\n  context n: integer\n}\n')
HDR_LINES = HDR.count("\n")


def clause_line(name, when="", extra=""):
    return 'permission %s { principal a action act %s%squote doc "x" }' % (name, ("when %s " % when) if when else "",
                                                                         extra)


# ---- .pact files --------------------------------------------------------------------------

def pact_10mb():
    # 10 MB of clauses, each with a condition, and one mistake on the very last line: the whole
    # file is read, lexed and parsed before the error, in linear time.
    parts, size, i = [HDR], len(HDR), 0
    while size < 10 * MB:
        line = clause_line("p%07d" % i, "context.n > %d" % i) + "\n"
        parts.append(line)
        size += len(line)
        i += 1
    last = clause_line("last", "context.n >< 1")
    parts.append(last + "\n")
    f = write("ten.pact", "".join(parts))
    check("the file is at least 10 MB", os.path.getsize(f) >= 10 * MB, os.path.getsize(f))
    line_no = HDR_LINES + i + 1
    col = last.index("><") + 2  # the '<' after '>': '>' then '<' is no operator
    r = run("check", f)
    expect("10 MB, %d clauses, an error on line %d" % (i, line_no), r, 1,
           source_error(f, line_no, col, "expected a condition or value, found '<'", last), secs=10, rss_mb=512)
    # The same clauses without the mistake load, and a request is decided against all of them.
    good = write("ten-good.pact", "".join(parts[:-1]))
    r = run("decide", "--agreement", good, "--request",
            json.dumps({"principal": "a", "action": "act", "context": {"date": "2026-06-01", "n": 1}}))
    dec = json.loads(r.out) if r.rc == 0 and r.out.strip() else {}
    # n = 1 satisfies exactly p0000000 (context.n > 0), nothing else.
    expect("10 MB of clauses load and decide", r, 0, "", secs=10, rss_mb=512)
    check("the decision is allow, by p0000000 alone", dec.get("decision") == "allow" and
          [d["clause"] for d in dec.get("determining", [])] == ["p0000000"], r)
    # A 10 MB string that never ends: one error at its opening quote.
    line = 'party b "' + "x" * (10 * MB)
    f = write("ten-string.pact", HDR + line + "\n")
    r = run("check", f)
    shown = line[:160]  # a long line is shown in a window of 160 characters
    expect("a 10 MB unterminated string", r, 1,
           "%s:%d:9: error: unterminated string\n%5d | %s\n      |         ^\n" % (f, HDR_LINES + 1, HDR_LINES + 1, shown),
           secs=10, rss_mb=512)


def pact_nesting():
    n = 100000
    cases = [
        ("parentheses", "(" * n + "context.n > 1" + ")" * n, "("),
        ("'not'", "not " * n + "context.n > 1", "not"),
    ]
    for what, cond, tok in cases:
        line = clause_line("p", cond)
        f = write("nest.pact", HDR + line + "\n")
        r = run("check", f)
        # The condition itself is level 1, so the 256th 'not' or '(' opens level 257, which is
        # refused: a 'not' is reported at itself, a '(' at the token after it (the 257th '(').
        start = line.index("when ") + 5
        col = start + 1 + (255 * 4 if tok == "not" else 256)
        err = r.err.splitlines()
        first = "%s:%d:%d: error: condition nested too deeply (more than 256 levels)" % (f, HDR_LINES + 1, col)
        expect("%d levels of %s: a nesting error" % (n, what), r, 1, secs=5, rss_mb=128)
        check("  ... at level 257, line %d column %d, reported once" % (HDR_LINES + 1, col),
              err[:1] == [first] and r.err.count("error:") == 1, r)
    # An and-chain is as deep as it is long.
    line = clause_line("p", " and ".join(["context.n > 1"] * n))
    f = write("chain.pact", HDR + line + "\n")
    r = run("check", f)
    expect("an 'and' chain %d long: too long" % n, r, 1, secs=5, rss_mb=128)
    check("  ... 'condition too long' once", r.err.count("error:") == 1 and
          "error: condition too long: more than 2048 operators deep; split it into several clauses" in r.err, r)
    # Braces and brackets do not nest in the grammar: the first extra one is out of place.
    f = write("braces.pact", HDR + "{" * n + "}" * n + "\n")
    r = run("check", f)
    expect("%d nested braces" % n, r, 1, secs=5, rss_mb=128)
    check("  ... 'expected a declaration' at the first brace", r.err.startswith(
        "%s:%d:1: error: expected a declaration (party, body, source, action, state, event, on, permission, "
        "prohibition, obligation, commitment, fact, constant, set or term), found '{'\n" % (f, HDR_LINES + 1)), r)
    line = clause_line("p", "context.n in " + "[" * n + "1" + "]" * n)
    f = write("brackets.pact", HDR + line + "\n")
    r = run("check", f)
    expect("%d nested brackets" % n, r, 1, secs=5, rss_mb=128)
    check("  ... 'expected a literal value' at the second bracket", r.err.startswith(
        "%s:%d:%d: error: expected a literal value, found '['\n" % (f, HDR_LINES + 1, line.index("[[") + 2)), r)


def chain_file(name, n, reverse=False, cycle=False):
    lines = []
    for i in range(n):
        kind = "prohibition" if i % 2 else "permission"
        target = i - 1 if i else (n - 1 if cycle else None)
        exc = ("exception to c%d " % target) if target is not None else ""
        lines.append('%s c%d { principal a action act %squote doc "x" }' % (kind, i, exc))
    if reverse:
        lines.reverse()
    return write(name, HDR + "\n".join(lines) + "\n"), lines


def pact_exception_chain():
    n = 10000
    request = json.dumps({"principal": "a", "action": "act", "context": {"date": "2026-06-01", "n": 1}})
    for reverse in (False, True):
        order = "last to first" if reverse else "first to last"
        f, _ = chain_file("chain.pact", n, reverse)
        r = run("decide", "--agreement", f, "--request", request)
        dec = json.loads(r.out) if r.rc == 0 and r.out.strip() else {}
        expect("a chain of %d exceptions, listed %s, loads and decides" % (n, order), r, 0, "", secs=5, rss_mb=256)
        # c(i) is an exception to c(i-1): the last one, c9999 (odd: a prohibition), wins over all.
        check("  ... deny by c%d, the %d others overridden" % (n - 1, n - 1),
              dec.get("decision") == "deny" and [d["clause"] for d in dec.get("determining", [])] == ["c%d" % (n - 1)]
              and sorted(dec.get("overridden", [])) == sorted("c%d" % i for i in range(n - 1)), r)
    # Closed into a cycle: c0 is an exception to c9999. The search from c0 runs down the chain
    # and finds the cycle at c1's reference to c0.
    f, lines = chain_file("cycle.pact", n, cycle=True)
    r = run("check", f)
    line = lines[1]
    expect("a cycle of %d exceptions" % n, r, 1,
           source_error(f, HDR_LINES + 2, line.index("c0 ") + 1,
                        "exception cycle: 'c1' is an exception to 'c0', which is (through its own exceptions) an "
                        "exception to 'c1'", line, 2), secs=5, rss_mb=256)
    # 200,000 listed from the last to the first: the search once recursed this deep and crashed.
    f, _ = chain_file("long.pact", 200000, reverse=True)
    r = run("check", f)
    expect("a chain of 200000 exceptions listed last to first checks", r, 0, "", secs=10, rss_mb=1024)


def bad_line(name, fname, line, col, message, shown):
    """A file of HDR and one bad line (bytes): `check` reports message at col, echoing it as shown."""
    f = write(fname, HDR.encode() + line + b"\n")
    r = run("check", f)
    expect(name, r, 1, source_error(f, HDR_LINES + 1, col, message, shown), secs=2, rss_mb=64)
    return f, r


def pact_invalid_utf8():
    # The line is echoed with each bad byte as '?'.
    bad_line("a truncated UTF-8 sequence in a string", "utf8.pact", b'party b "caf\xc3"', 13,
             "invalid UTF-8 byte 0xc3 in string", 'party b "caf?"')
    bad_line("a 0xff byte after an identifier", "utf8b.pact", b'party b\xff "x"', 8, "invalid UTF-8 byte 0xff",
             'party b? "x"')
    # An overlong encoding of '/' (0xc0 0xaf) is not UTF-8 either; the error is at its first byte.
    f = write("utf8c.pact", HDR.encode() + b'party b "\xc0\xaf"\n')
    r = run("check", f)
    expect("an overlong encoding in a string", r, 1, secs=2, rss_mb=64)
    check("  ... reported at its first byte", r.err.startswith(
        "%s:%d:10: error: invalid UTF-8 byte 0xc0 in string\n" % (f, HDR_LINES + 1)), r)


def pact_nul_bytes():
    bad_line("a NUL byte between tokens", "nul.pact", b'party b "x"\x00', 12, "unexpected control character 0x00",
             'party b "x"?')
    bad_line("a NUL byte in a string", "nul2.pact", b'party b "x\x00y"', 11, "control character 0x00 in string",
             'party b "x?y"')
    # A file that is nothing but NULs: the first one is the error.
    f = write("nuls.pact", b"\x00" * MB)
    r = run("check", f)
    expect("1 MB of NUL bytes", r, 1, secs=5, rss_mb=128)
    check("  ... the first is reported", r.err.startswith("%s:1:1: error: unexpected control character 0x00\n" % f), r)


def pact_crlf():
    with open(MSFT, "rb") as fh:
        lf = fh.read()
    check("the shipped agreement has LF line endings", b"\r" not in lf)
    crlf = write("crlf.pact", lf.replace(b"\n", b"\r\n"))
    # The sample's requests, one per line (with CRLF too).
    reqs = []
    with open(SAMPLE) as fh:
        for line in fh:
            if line.startswith("{") and "request" in json.loads(line):
                reqs.append(json.dumps(json.loads(line)["request"]))
    check("the sample holds requests", len(reqs) >= 3, reqs)
    stdin = "\r\n".join(reqs) + "\r\n"
    a = run("decide", "--agreement", MSFT, stdin=stdin)
    b = run("decide", "--agreement", crlf, stdin=stdin)
    expect("the shipped agreement with CRLF line endings decides %d requests" % len(reqs), b, 0, "", secs=5,
           rss_mb=64)
    check("  ... exactly as with LF (the agreement's hash included)", a.rc == 0 and a.out == b.out and a.out,
          "LF:\n%s\nCRLF:\n%s" % (a.out[:600], b.out[:600]))
    a = run("check", MSFT)
    b = run("check", crlf)
    check("  ... and 'check' reports the same", b.rc == 0 and a.out.replace(MSFT, "F") == b.out.replace(crlf, "F"), b)
    # An error in a CRLF file: the same line and column as with LF, and no carriage return shown.
    bad = HDR.replace("effective 2026-01-01", "effective 2026-13-01").replace("\n", "\r\n")
    f = write("crlf-bad.pact", bad)
    r = run("check", f)
    expect("an impossible date in a CRLF file", r, 1,
           source_error(f, 3, 13, "impossible date '2026-13-01'", "  effective 2026-13-01", 10), secs=2, rss_mb=64)


# ---- JSON ---------------------------------------------------------------------------------

REQ = {"principal": "relay", "action": "offer_discount", "context": {"date": "2026-05-01", "discount_pct": 5,
                                                                      "deal_value": 1}}


class Server:
    """pactum serve on a loopback port, under the same limits, with a token for relay."""

    def __init__(self, agreement=RESELLER, db="srv.db"):
        # The tokens file holds the SHA-256 of each token (docs/http-api.md).
        self.token = "hostile-token"
        tokens = write("tokens.txt", "relay %s\n" % hashlib.sha256(self.token.encode()).hexdigest())
        self.errpath = path("serve.stderr")
        self.err = open(self.errpath, "w")
        self.proc = subprocess.Popen([PACTUM, "serve", "--listen", "127.0.0.1:0", "--db", path(db), "--agreement",
                                      agreement, "--tokens", tokens], cwd=TMP, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=self.err, preexec_fn=limits(60 * SCALE, 2048))
        self.port = None
        deadline = time.time() + 15 * SCALE
        while time.time() < deadline and self.proc.poll() is None:
            m = re.search(r"on http://127\.0\.0\.1:(\d+)/", open(self.errpath).read())
            if m:
                self.port = int(m.group(1))
                break
            time.sleep(0.02)
        if not self.port:
            self.proc.kill()
            raise RuntimeError("pactum serve did not start:\n" + open(self.errpath).read())

    def post(self, url, body, auth=False):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30 * SCALE)
        try:
            h = {"Content-Type": "application/json"}
            if auth:
                h["Authorization"] = "Bearer " + self.token
            t0 = time.monotonic()
            c.request("POST", url, body=body if isinstance(body, bytes) else body.encode(), headers=h)
            r = c.getresponse()
            data = r.read()
            return r.status, data.decode("utf-8", "replace"), time.monotonic() - t0
        finally:
            c.close()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(15 * SCALE)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = "killed"
        self.err.close()
        return rc


def http_expect(srv, name, url, body, status, code, message, auth=False):
    st, text, secs = srv.post(url, body, auth)
    try:
        got = json.loads(text)
    except ValueError:
        got = None
    want = {"error": {"code": code, "message": message}}
    return check("HTTP %s: %s -> %d %s (%.2f s)" % (url, name, status, code, secs),
                 st == status and got == want and secs < 5 * SCALE,
                 "status %s body %s\nexpected %d %s" % (st, text[:600], status, json.dumps(want)))


def json_cases(kind):
    """(description, request text, event text, expected request error, expected event error).
    Errors are jansson's messages, with the column counted here (1-based, at the end of the token)."""
    if kind == "overflow":
        big = "9223372036854775808"  # INT64_MAX + 1
        req = json.dumps(REQ).replace('"discount_pct": 5', '"discount_pct": ' + big)
        ev = '{"type":"volume_purchase","date":"2026-02-01","amount_usd":%s}' % big
        return [("an integer of 2^63", req, ev,
                 "malformed JSON at column %d: too big integer near '%s'" % (req.index(big) + len(big), big),
                 "malformed JSON at column %d: too big integer near '%s'" % (ev.index(big) + len(big), big))]
    if kind == "duplicate":
        req = '{"principal":"relay","action":"offer_discount","principal":"nimbus","context":{"date":"2026-05-01"}}'
        ev = '{"type":"volume_purchase","date":"2026-02-01","amount_usd":5,"amount_usd":6}'
        k1, k2 = req.index('"principal"', 5), ev.index('"amount_usd"', 50)
        return [("a key given twice", req, ev,
                 "malformed JSON at column %d: duplicate object key near '\"principal\"'" % (k1 + len('"principal"')),
                 "malformed JSON at column %d: duplicate object key near '\"amount_usd\"'" % (k2 + len('"amount_usd"')))]
    if kind == "deep":
        n = 100000
        req = json.dumps(REQ)[:-1] + ',"extra":' + "[" * n + "]" * n + "}"
        ev = '{"type":"volume_purchase","date":"2026-02-01","amount_usd":5,"x":' + "[" * n + "]" * n + "}"
        # jansson refuses the 2049th level (JSON_PARSER_MAX_DEPTH is 2048): the object is level 1.
        return [("%d nested arrays" % n, req, ev,
                 "malformed JSON at column %d: maximum parsing depth reached near '['" % (req.index("[") + 2048),
                 "malformed JSON at column %d: maximum parsing depth reached near '['" % (ev.index("[") + 2048))]
    raise ValueError(kind)


def json_case(kind):
    for what, req, ev, req_err, ev_err in json_cases(kind):
        # decide: an error line for the request, the command goes on, and exits 2 (a bad request).
        r = run("decide", "--agreement", RESELLER, stdin=req + "\n" + json.dumps(REQ) + "\n")
        lines = r.out.splitlines()
        expect("decide, %s: an error line, then the next request is decided" % what, r, 2, "", secs=5, rss_mb=128)
        check("  ... the error line", lines[:1] == [json.dumps({"error": {"line": 1, "code": "bad_json",
                                                                            "message": req_err}},
                                                                 separators=(",", ":"))], r)
        check("  ... the next request", len(lines) == 2 and json.loads(lines[1]).get("decision") == "allow", r)
        # event import: refused, nothing recorded, the store as it was.
        db = path("json-%s.db" % kind)
        good = '{"type":"volume_purchase","date":"2026-01-15","amount_usd":7}'
        r0 = run("event", "import", write("good.jsonl", good + "\n"), "--db", db, "--agreement", RESELLER)
        check("  (a store with one event)", r0.rc == 0, r0)
        f = write("bad.jsonl", good.replace("01-15", "01-16") + "\n" + ev + "\n")
        r = run("event", "import", f, "--db", db, "--agreement", RESELLER)
        expect("event import, %s: refused at line 2, nothing recorded" % what, r, 2,
               "%s:2: error: %s [bad_json]\npactum: nothing was recorded\n" % (f, ev_err), secs=5, rss_mb=128)
        r = run("audit", "verify", "--db", db)
        # Its records: the store's store_created record and the one event.
        check("  ... the store still holds 1 event and verifies", r.rc == 0 and re.search(r"^events: ok: 2 records,", r.out, re.M), r)
        # HTTP: decide, and an event append (nothing written).
        srv = Server(db="http-%s.db" % kind)
        try:
            http_expect(srv, what, "/v1/decide", req, 400, "bad_json", req_err.replace("at column", "at line 1, column"))
            http_expect(srv, what, "/v1/events", ev, 400, "bad_json", ev_err.replace("at column", "at line 1, column"),
                        auth=True)
            st, text, _ = srv.post("/v1/decide", json.dumps(REQ))
            check("HTTP: the server still decides", st == 200 and json.loads(text).get("decision") == "allow", text)
        finally:
            rc = srv.stop()
        check("HTTP: the server exits cleanly (0) on SIGTERM", rc == 0, open(srv.errpath).read()[-1500:])


def json_integer_overflow():
    json_case("overflow")


def json_duplicate_keys():
    json_case("duplicate")


def json_deep_nesting():
    json_case("deep")


# ---- Dates --------------------------------------------------------------------------------

def date_case(day):
    """The day refused everywhere a date is read: a .pact date, --date, a request's date, a date
    attribute, an event's date (CLI and HTTP)."""
    # .pact: the lexer reads YYYY-MM-DD only; a 5-digit year is a number glued to '-'.
    if len(day.split("-")[0]) == 4:
        f = write("d.pact", HDR.replace("2026-01-01", day))
        r = run("check", f)
        msg = "impossible date '%s'" % day
        expect(".pact: 'effective %s'" % day, r, 1, secs=2, rss_mb=64)
        check("  ... %s at 3:13" % msg, r.err.startswith("%s:3:13: error: %s\n" % (f, msg)), r)
    r = run("decide", "--agreement", RESELLER, "--date", day, "--request", json.dumps(REQ).replace(
        '"date": "2026-05-01", ', ""))
    form = "a real date" if len(day) == 10 else "a date of the form YYYY-MM-DD"
    expect("--date %s" % day, r, 2, "pactum: error: '%s' is not %s\n" % (day, form), secs=2, rss_mb=64)
    req = json.dumps(REQ).replace("2026-05-01", day)
    r = run("decide", "--agreement", RESELLER, "--request", req)
    expect("a request dated %s" % day, r, 2, "", json.dumps(
        {"error": {"line": 1, "code": "bad_date", "message": "'context.date' is not a real date: '%s'" % day}},
        separators=(",", ":")) + "\n", secs=2, rss_mb=64)
    req2 = json.dumps({"principal": "relay", "action": "terminate_for_convenience",
                       "context": {"date": "2026-05-01", "notice_days": 90, "termination_date": day}})
    r = run("decide", "--agreement", RESELLER, "--request", req2)
    expect("a date attribute of %s" % day, r, 2, "", json.dumps(
        {"error": {"line": 1, "code": "bad_date",
                   "message": "attribute 'context.termination_date': '%s' is not a real date (YYYY-MM-DD)" % day}},
        separators=(",", ":")) + "\n", secs=2, rss_mb=64)
    ev = '{"type":"volume_purchase","date":"%s","amount_usd":5}' % day
    f = write("d.jsonl", ev + "\n")
    db = path("d-%s.db" % day)
    r = run("event", "import", f, "--db", db, "--agreement", RESELLER)
    msg = "the event's 'date' '%s' is not a real day (YYYY-MM-DD)" % day
    expect("event import of an event dated %s" % day, r, 2,
           "%s:1: error: %s [bad_date]\npactum: nothing was recorded\n" % (f, msg), secs=2, rss_mb=64)
    r = run("status", "--agreement", RESELLER, "--events", f, "--date", "2026-05-01")
    expect("--events with an event dated %s" % day, r, 2,
           "%s:1: error: event 'volume_purchase' has a 'date' that is not a real date (YYYY-MM-DD) [bad_date]\n" % f,
           secs=2, rss_mb=64)
    srv = Server(db="d-http.db")
    try:
        http_expect(srv, "a request dated %s" % day, "/v1/decide", req, 400, "bad_date",
                    "'context.date' is not a real date: '%s'" % day)
        http_expect(srv, "an event dated %s" % day, "/v1/events", ev, 400, "bad_date",
                    "event 0: %s; nothing was written" % msg, auth=True)
    finally:
        srv.stop()


def date_year_0():
    date_case("0000-01-01")


def date_year_99999():
    date_case("99999-01-01")


def date_2025_02_29():
    date_case("2025-02-29")


# ---- Money --------------------------------------------------------------------------------

def usd(m):
    """An amount of m millionths of a dollar as pactum reads and writes it in JSON (docs/formats.md):
    whole dollars as an integer, anything else as an exact decimal in a string."""
    if m % 10**6 == 0:
        return "%d" % (m // 10**6)
    return '"%d.%s"' % (m // 10**6, ("%06d" % (m % 10**6)).rstrip("0"))


def money_sum_overflow():
    # Money is kept in millionths of a dollar: the largest sum is INT64_MAX millionths.
    purchase = '{"type":"volume_purchase","date":"%s","amount_usd":%s}'
    overflow = ("event 'volume_purchase' would take commitment 'volume_commitment' past the 64-bit range")
    db = path("money.db")
    # Exactly INT64_MAX millionths in total is allowed, and the ledger reports it to the millionth.
    f = write("max.jsonl", purchase % ("2026-02-01", usd(INT64_MAX - 10)) + "\n" + purchase % ("2026-05-02", usd(10)) + "\n")
    r = run("event", "import", f, "--db", db, "--agreement", RESELLER)
    check("two purchases summing to exactly INT64_MAX millionths are recorded", r.rc == 0 and "recorded 2 events" in r.out, r)
    r = run("ledger", "--agreement", RESELLER, "--db", db, "--date", "2026-06-01", "--format", "json")
    led = json.loads(r.out) if r.rc == 0 else {}
    c = (led.get("commitments") or [{}])[0]
    expect("ledger at INT64_MAX", r, 0, "", secs=2, rss_mb=64)
    j = lambda m: json.loads(usd(m))
    check("  ... fulfilled INT64_MAX, excess INT64_MAX - $5,000,000, months to the millionth",
          c.get("fulfilled") == j(INT64_MAX) and c.get("excess") == j(INT64_MAX - 5000000 * 10**6) and
          c.get("remaining") == 0 and
          [(p["period"], p["amount"], p["cumulative"]) for p in c.get("periods", []) if p["amount"]] ==
          [("2026-02", j(INT64_MAX - 10), j(INT64_MAX - 10)), ("2026-05", j(10), j(INT64_MAX))], r)
    # One millionth more: refused, nothing recorded, the store as it was.
    f = write("more.jsonl", purchase % ("2026-06-01", usd(1)) + "\n")
    r = run("event", "import", f, "--db", db, "--agreement", RESELLER)
    expect("one more millionth, past INT64_MAX", r, 2,
           "%s:1: error: %s [overflow]\npactum: nothing was recorded\n" % (f, overflow), secs=2, rss_mb=64)
    r = run("audit", "verify", "--db", db)
    # Its records: the store's store_created record and the two events.
    check("  ... the store still holds 2 events and verifies", r.rc == 0 and re.search(r"^events: ok: 3 records,", r.out, re.M), r)
    # Two amounts of INT64_MAX in one batch: the second is refused, and the first is not kept.
    db2 = path("money2.db")
    f = write("two.jsonl", purchase % ("2026-02-01", usd(INT64_MAX)) + "\n" + purchase % ("2026-02-02", usd(INT64_MAX)) + "\n")
    r = run("event", "import", f, "--db", db2, "--agreement", RESELLER)
    expect("two purchases of INT64_MAX in one batch", r, 2,
           "%s:2: error: %s [overflow]\npactum: nothing was recorded\n" % (f, overflow), secs=2, rss_mb=64)
    # The same events as a file for the ledger: the ledger refuses them with the line.
    r = run("ledger", "--agreement", RESELLER, "--events", f, "--date", "2026-06-01")
    expect("ledger --events over the same two", r, 2, "%s:2: error: %s [overflow]\n" % (f, overflow), secs=2,
           rss_mb=64)
    # Many purchases that pass INT64_MAX only all together (2^60 millionths each: the 8th passes it).
    many = "".join(purchase % ("2026-03-%02d" % (i + 1), usd(2**60)) + "\n" for i in range(10))
    f = write("many.jsonl", many)
    r = run("event", "import", f, "--db", path("money3.db"), "--agreement", RESELLER)
    expect("ten purchases of 2^60: the 8th passes INT64_MAX", r, 2,
           "%s:8: error: %s [overflow]\npactum: nothing was recorded\n" % (f, overflow), secs=2, rss_mb=64)
    srv = Server(db="money-http.db")
    try:
        body = "[" + purchase % ("2026-02-01", usd(INT64_MAX)) + "," + purchase % ("2026-02-02", usd(1)) + "]"
        http_expect(srv, "a batch past INT64_MAX", "/v1/events", body, 400, "overflow",
                    "event 1: %s; nothing was written" % overflow, auth=True)
    finally:
        srv.stop()


# ---- Unreadable input ---------------------------------------------------------------------

def read_error():
    # A directory opens, but reading it fails (EISDIR): that is an error, not an empty input.
    # (decide once took the failed read for the end of its input and exited 0 with no output.)
    d = os.path.join(TMP, "a-directory")
    os.mkdir(d)
    r = run("decide", "--agreement", RESELLER, d)
    expect("decide reading a directory", r, 2, "pactum: error: cannot read '%s': Is a directory\n" % d, "",
           secs=2, rss_mb=64)
    r = run("status", "--agreement", RESELLER, "--events", d, "--date", "2026-05-01")
    expect("--events naming a directory", r, 2, "pactum: error: cannot read '%s': Is a directory\n" % d, "",
           secs=2, rss_mb=64)
    r = run("event", "import", d, "--db", path("dir.db"), "--agreement", RESELLER)
    expect("event import of a directory", r, 2, "pactum: error: cannot read the events from %s: Is a directory\n" % d, "",
           secs=2, rss_mb=64)


CASES = {
    "pact_10mb": pact_10mb,
    "pact_nesting_100000": pact_nesting,
    "pact_exception_chain_10000": pact_exception_chain,
    "pact_invalid_utf8": pact_invalid_utf8,
    "pact_nul_bytes": pact_nul_bytes,
    "pact_crlf": pact_crlf,
    "json_integer_overflow": json_integer_overflow,
    "json_duplicate_keys": json_duplicate_keys,
    "json_deep_nesting": json_deep_nesting,
    "date_year_0": date_year_0,
    "date_year_99999": date_year_99999,
    "date_2025_02_29": date_2025_02_29,
    "money_sum_overflow": money_sum_overflow,
    "read_error": read_error,
}

if CASE == "--list":
    print("\n".join(CASES))
    sys.exit(0)
if CASE not in CASES:
    sys.exit("unknown case '%s'; --list names them" % CASE)
try:
    CASES[CASE]()
finally:
    shutil.rmtree(TMP, True)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
