"""Shared helpers of the store tests (tests/store/test_*.py).

Every test runs the real `pactum` binary and, where a test tampers with a store, the real
`sqlite3` shell. Expected values are derived here, independently of pactum: the chain hashes
are recomputed with hashlib from docs/store.md's definition, and amounts are summed by hand.

Each script prints "N passed, M failed" last and exits 1 if anything failed.
"""
import atexit
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

if len(sys.argv) < 2:
    sys.exit("usage: %s PACTUM" % os.path.basename(sys.argv[0]))

PACTUM = os.path.abspath(sys.argv[1])
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checklib import ROOT, SLOW, check, finish  # noqa: E402,F401  (the tally: tests/checklib.py)
MSFT = os.path.join(ROOT, "agreements", "microsoft-openai-2025-10-28.pact")
RESELLER = os.path.join(ROOT, "agreements", "examples", "cloud-reseller.pact")
SQLITE3 = shutil.which("sqlite3")
LONG = os.environ.get("PACTUM_LONG") == "1"

TMP = tempfile.mkdtemp(prefix="pactum-store-")
if os.environ.get("PACTUM_KEEP_TMP") != "1":
    atexit.register(shutil.rmtree, TMP, True)

def need_sqlite3():
    if not SQLITE3:
        check("the sqlite3 shell is on PATH (install it with scripts/deps.sh)", False)
        finish()


class Run:
    def __init__(self, rc, out, err):
        self.rc, self.out, self.err = rc, out, err

    def __repr__(self):
        return "exit %s\n--- stdout\n%s\n--- stderr\n%s" % (self.rc, self.out[:1500], self.err[:1500])


def run(*args, stdin=b"", cwd=None, timeout=60):
    if isinstance(stdin, str):
        stdin = stdin.encode()
    try:
        p = subprocess.run([PACTUM, *args], input=stdin, capture_output=True, timeout=timeout * SLOW, cwd=cwd or TMP)
    except subprocess.TimeoutExpired:
        return Run(-9, "", "(killed after %s s)" % timeout)
    return Run(p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"))


def sane(r):
    """A normal exit below 128 and no sanitizer report."""
    return 0 <= r.rc < 128 and "Sanitizer" not in r.err and "runtime error" not in r.err


def sql(db, *statements, check_rc=True):
    """Run statements through the sqlite3 shell; the output lines (with '|' between columns)."""
    p = subprocess.run([SQLITE3, "-batch", "-bail", "-cmd", ".timeout 10000", db], input="\n".join(statements) + "\n",
                       capture_output=True, text=True, timeout=60)
    if check_rc and p.returncode != 0:
        raise RuntimeError("sqlite3 %s failed: %s\n%s" % (db, p.stderr, "\n".join(statements)))
    return p.stdout.splitlines()


def q(s):
    """An SQL string literal."""
    return "'" + s.replace("'", "''") + "'"


def path(name):
    return os.path.join(TMP, name)


def fresh(name):
    """A path in TMP where nothing exists yet (removes an old store and its WAL files)."""
    p = path(name)
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(p + suffix):
            os.remove(p + suffix)
    return p


def jsonl(events):
    return "".join(json.dumps(e) + "\n" for e in events)


def purchase(date, amount):
    return {"type": "azure_purchase", "date": date, "amount_usd": amount}


def add(db, events, *extra, agreement=None):
    args = ["event", "add", "--db", db, *extra]
    if agreement:
        args += ["--agreement", agreement]
    return run(*args, stdin=jsonl(events) if isinstance(events, list) else events)


_SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def canon_string(s):
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch in _SHORT:
            out.append(_SHORT[ch])
        elif c < 0x20 or 0x7F < c < 0x10000:
            out.append("\\u%04X" % c)
        elif c >= 0x10000:
            c -= 0x10000
            out.append("\\u%04X\\u%04X" % (0xD800 + (c >> 10), 0xDC00 + (c & 0x3FF)))
        else:
            out.append(ch)  # printable ASCII and DEL (0x7F) stay as they are
    out.append('"')
    return "".join(out)


def canon(v):
    """Canonical JSON as docs/store.md defines it (jansson's compact, sorted, ASCII-only form)."""
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
        keys = sorted(v, key=lambda k: k.encode("utf-8"))
        return "{" + ",".join(canon_string(k) + ":" + canon(v[k]) for k in keys) + "}"
    raise ValueError("no canonical form for %r (reals are not allowed)" % (v,))


def agreement_hash(pact_path):
    with open(pact_path, "rb") as f:
        src = f.read()
    if src.startswith(b"\xef\xbb\xbf"):
        src = src[3:]
    return hashlib.sha256(src.replace(b"\r\n", b"\n")).digest()


def chain_hash(seq, prev, json_text):
    if isinstance(json_text, str):
        json_text = json_text.encode()
    return hashlib.sha256(struct.pack(">Q", seq) + prev + json_text).digest()


def rows(db, table="events"):
    """[(seq, json, prev_hash, hash)] in seq order, read through the sqlite3 shell as JSON."""
    out = sql(db, ".mode json", "SELECT seq, json, prev_hash, hash FROM %s ORDER BY seq;" % table)
    text = "\n".join(out).strip()
    if not text:
        return []
    return [(r["seq"], r["json"], r["prev_hash"], r["hash"]) for r in json.loads(text)]


def verify_independently(db, table="events"):
    """Recompute a chain with hashlib: (ok, bad_seq, head_hex). Mirrors docs/store.md."""
    genesis = bytes.fromhex(sql(db, "SELECT value FROM meta WHERE key='agreement_hash';")[0])
    prev, expect = genesis, 1
    for seq, text, prev_hex, hash_hex in rows(db, table):
        if seq != expect:
            return False, expect, prev.hex()
        if prev_hex != prev.hex():
            return False, seq, prev.hex()
        h = chain_hash(seq, prev, text)
        if hash_hex != h.hex():
            return False, seq, prev.hex()
        prev, expect = h, expect + 1
    return True, 0, prev.hex()


def events_of(db):
    r = run("events", "--db", db)
    return [json.loads(l) for l in r.out.splitlines() if l.strip()]


def seqs(db, table="events"):
    return [int(x) for x in sql(db, "SELECT seq FROM %s ORDER BY seq;" % table)]


def count(db, table="events"):
    return int(sql(db, "SELECT count(*) FROM %s;" % table)[0])
