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
import re
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


# ---- The Merkle tree over a chain (RFC 9162, section 2.1; docs/store.md) --------------------------
# Leaf k-1 is the chain hash of record k. Beside record k the store keeps, in its `tree` column, the
# hashes of the perfect subtrees that complete at its leaf: levels 1 .. ctz(k), lowest first.

def leaf_hash(chain_hash_bytes):
    return hashlib.sha256(b"\x00" + chain_hash_bytes).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def tree_blobs(hashes):
    """The `tree` column of each record, given the chain hashes of records 1..n in order."""
    stack, out = [], []  # stack: (level, hash) of the perfect subtrees so far, largest first
    for h in hashes:
        node, level, made = leaf_hash(h), 0, b""
        while stack and stack[-1][0] == level:
            node = node_hash(stack.pop()[1], node)
            level += 1
            made += node
        stack.append((level, node))
        out.append(made)
    return out


def mth(leaves):
    """MTH of a list of leaf hashes, by RFC 9162's recursive definition (SHA-256 of "" when empty)."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return leaves[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def trees(db, table="events"):
    """{seq: tree bytes} as stored (b"" for NULL)."""
    out = {}
    for line in sql(db, "SELECT seq, hex(tree) FROM %s ORDER BY seq;" % table):
        seq, hx = line.split("|")
        out[int(seq)] = bytes.fromhex(hx)
    return out


def genesis_of(db):
    return bytes.fromhex(sql(db, "SELECT value FROM meta WHERE key='agreement_hash';")[0])


def verify_independently(db, table="events"):
    """Recompute a chain with hashlib: (ok, bad_seq, head_hex). Mirrors docs/store.md: seqs 1, 2, ...,
    each prev_hash the previous record's hash, each hash its own, each record's tree nodes those the
    chain's leaves give (schema 3)."""
    prev, expect = genesis_of(db), 1
    stored_trees = trees(db, table) if has_tree(db, table) else None
    stack = []  # the perfect subtrees so far, as in tree_blobs
    for seq, text, prev_hex, hash_hex in rows(db, table):
        if seq != expect:
            return False, expect, prev.hex()
        if prev_hex != prev.hex():
            return False, seq, prev.hex()
        h = chain_hash(seq, prev, text)
        if hash_hex != h.hex():
            return False, seq, prev.hex()
        node, level, made = leaf_hash(h), 0, b""
        while stack and stack[-1][0] == level:
            node = node_hash(stack.pop()[1], node)
            level += 1
            made += node
        stack.append((level, node))
        if stored_trees is not None and stored_trees.get(seq, b"") != made:
            return False, seq, prev.hex()
        prev, expect = h, expect + 1
    return True, 0, prev.hex()


def _blob(b):
    return "X'%s'" % b.hex() if b else "NULL"


def has_tree(db, table="events"):
    """1 if the chain keeps Merkle nodes (schema 3; a store of an older pactum does not)."""
    return any(r.split("|")[1] == "tree" for r in sql(db, "PRAGMA table_info(%s);" % table))


def rehash(db, first, table="events"):
    """What a forger with the sqlite3 shell does: recompute prev_hash, hash and tree of every record
    from seq `first` on, so that the chain and its tree are consistent again. Returns the new
    chain hashes of records 1..n."""
    rs = rows(db, table)
    prev, hashes, updates = genesis_of(db), [], []
    for seq, text, prev_hex, hash_hex in rs:
        if seq < first:
            h = bytes.fromhex(hash_hex)
        else:
            h = chain_hash(seq, prev, text)
        hashes.append(h)
        if seq >= first:
            updates.append((seq, prev, h))
        prev = h
    blobs = tree_blobs(hashes)
    tree = has_tree(db, table)
    stmts = ["BEGIN;"]
    for seq, p, h in updates:
        stmts.append("UPDATE %s SET prev_hash = %s, hash = %s%s WHERE seq = %d;"
                     % (table, q(p.hex()), q(h.hex()), ", tree = %s" % _blob(blobs[seq - 1]) if tree else "", seq))
    stmts.append("COMMIT;")
    sql(db, *stmts)
    return hashes


def append_forged(db, text, table="events"):
    """Append a record behind pactum's back, hashed and with its tree nodes computed as pactum
    does: a self-consistent forgery. Returns its seq."""
    rs = rows(db, table)
    seq = rs[-1][0] + 1 if rs else 1
    prev = bytes.fromhex(rs[-1][3]) if rs else genesis_of(db)
    h = chain_hash(seq, prev, text)
    if has_tree(db, table):
        blob = tree_blobs([bytes.fromhex(r[3]) for r in rs] + [h])[-1]
        sql(db, "INSERT INTO %s(seq, json, prev_hash, hash, tree) VALUES(%d, %s, %s, %s, %s);"
            % (table, seq, q(text), q(prev.hex()), q(h.hex()), _blob(blob)))
    else:
        sql(db, "INSERT INTO %s(seq, json, prev_hash, hash) VALUES(%d, %s, %s, %s);"
            % (table, seq, q(text), q(prev.hex()), q(h.hex())))
    return seq


# ---- The chain's own records -------------------------------------------------------------------
# Record 1 of every store is `store_created` (its settings); record-level events are not agreement
# events (docs/store.md).
RECORD_TYPES = ("store_created", "store_upgraded", "settings_changed", "key_registered", "key_revoked")


def settings_record(db):
    """Record 1 of the events chain, parsed."""
    return json.loads(sql(db, "SELECT json FROM events WHERE seq = 1;")[0])


def store_id(db):
    return settings_record(db)["store"]


def check_store_created(name, db, require_signatures=False, bootstrap=None, agreement=MSFT, agreement_id=None):
    """Record 1 is the store_created record docs/store.md defines, chained from the agreement hash."""
    rs = rows(db)[:1]
    try:
        rec = json.loads(rs[0][1])
    except (IndexError, ValueError):
        return check("%s: record 1 is store_created" % name, False, rs)
    genesis = agreement_hash(agreement)
    want_keys = {"type", "agreement", "store", "created", "require_signatures"} | ({"bootstrap"} if bootstrap else set())
    ok = (rec.get("type") == "store_created" and set(rec) == want_keys
          and rec["agreement"].get("hash") == genesis.hex()
          and (agreement_id is None or rec["agreement"].get("id") == agreement_id)
          and re.fullmatch(r"[0-9a-f]{32}", rec.get("store", "")) is not None
          and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", rec.get("created", "")) is not None
          and rec.get("require_signatures") is require_signatures
          and rec.get("bootstrap") == bootstrap
          and rs[0][0] == 1 and rs[0][2] == genesis.hex() and rs[0][3] == chain_hash(1, genesis, rs[0][1]).hex()
          and rs[0][1] == canon(rec))
    return check("%s: record 1 is store_created, with the settings, chained from the agreement hash" % name, ok, rs)


def agreement_events(db):
    """The exported events without the chain's own records."""
    return [e for e in events_of(db) if e.get("type") not in RECORD_TYPES]


# ---- Keys --------------------------------------------------------------------------------------
def keygen(party, out, member=None):
    """`pactum keygen --party P [--member M] --out DIR`; the .key path."""
    os.makedirs(out, exist_ok=True)
    r = run("keygen", "--party", party, "--out", out, *(["--member", member] if member else []))
    name = party + ("." + member if member else "")
    check("keygen %s into %s" % (name, os.path.basename(out)), r.rc == 0, r)
    return os.path.join(out, name + ".key")


def keygen_bootstrap(out):
    """`pactum keygen --bootstrap --out DIR`; the .key path."""
    os.makedirs(out, exist_ok=True)
    r = run("keygen", "--bootstrap", "--out", out)
    check("keygen --bootstrap into %s" % os.path.basename(out), r.rc == 0, r)
    return os.path.join(out, "bootstrap.key")


def pub(keyfile):
    """The public key (base64) of a .key or .pub file."""
    with open(keyfile[:-4] + ".pub") as f:
        return json.load(f)["public_key"]


def key_event(signer, keyfile, date="2026-01-01", kind="key_registered"):
    return {"type": kind, "date": date, "signer": signer, "public_key": pub(keyfile)}


def sign(events, *keyfiles, db=None, store=None):
    """`pactum event sign --key K (--db DB | --store ID)` once per key, each over the last one's output:
    the signed events, parsed."""
    text = jsonl(events)
    for k in keyfiles:
        scope = ["--db", db] if db else ["--store", store] if store else []
        r = run("event", "sign", "--key", k, *scope, stdin=text)
        if not check("event sign --key %s" % os.path.basename(k), r.rc == 0, r):
            return []
        text = r.out
    return [json.loads(l) for l in text.splitlines() if l.strip()]


def events_of(db):
    r = run("events", "--db", db)
    return [json.loads(l) for l in r.out.splitlines() if l.strip()]


def seqs(db, table="events"):
    return [int(x) for x in sql(db, "SELECT seq FROM %s ORDER BY seq;" % table)]


def count(db, table="events"):
    return int(sql(db, "SELECT count(*) FROM %s;" % table)[0])
