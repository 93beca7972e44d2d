#!/usr/bin/env python3
"""verify_proof.py: check the proofs and checkpoints of a pactum transparency log, offline.

It uses nothing of pactum: only Python 3's standard library, and the `openssl` command
(OpenSSL 3) for Ed25519 signatures. Each FILE holds one JSON object (or an array of them),
of one of three kinds.

An inclusion proof: the record `seq` is in the log whose Merkle tree has `size` leaves and the
root `root`.

    {"proof":"inclusion","chain":"events","seq":S,"size":N,"root":HEX,
     "record":{"seq":S,"prev_hash":HEX,"hash":HEX,"json":TEXT},"path":[HEX,...]}

  1. record.seq must be seq, and the record's chain hash, SHA-256 of seq in 8 bytes big-endian,
     the 32 bytes of prev_hash and the bytes of json (UTF-8), must be record.hash;
  2. the leaf is SHA-256(0x00 || the 32 bytes of record.hash), at index seq - 1;
  3. path must prove that leaf by RFC 9162 section 2.1.3.2 against root and size.

A consistency proof: the log of `to.size` records extends the log of `from.size`.

    {"proof":"consistency","chain":"events","from":{"size":M,"root":HEX},
     "to":{"size":N,"root":HEX},"path":[HEX,...]}

  checked by RFC 9162 section 2.1.4.2 for 0 < M < N. For M == N the path must be empty and the
  two roots equal. There is no proof from the empty log (M == 0): it fails.

A checkpoint: a tree head signed by the parties.

    {"origin":STRING,"agreement":HEX,"chain":"events"|"decisions","size":N,"root":HEX,
     "head":HEX,"signatures":[{"signer":S,"public_key":B64,"signature":B64},...]}

  Each signature must be a valid Ed25519 signature by public_key (32 bytes, standard base64)
  over the bytes "pactum/checkpoint/v1\\n" followed by the canonical JSON (docs/store.md,
  "Canonical JSON") of the checkpoint without its "signatures" member. A checkpoint without a
  signature fails; so does one of size 0 whose root is not SHA-256 of the empty string.

Hashes are 64 hex digits. The tree is RFC 9162's: a node is SHA-256(0x01 || left || right);
sizes go up to 2^63 - 1 and paths to 64 hashes.

Usage:
    verify_proof.py [--key B64]... [--checkpoint FILE]... FILE...      (FILE "-": standard input)

  --key B64          every checkpoint checked (each FILE that is one, and each --checkpoint)
                     must hold a valid signature by this Ed25519 public key. Repeatable.
  --checkpoint FILE  check this checkpoint too, and that every proof matches it: the same chain,
                     and the proof's tree (inclusion), or one of its two trees (consistency), of
                     the checkpoint's size has the checkpoint's root. When an inclusion proof's
                     record is the last of the checkpoint's log, its hash must be the checkpoint's
                     head. Repeatable: a consistency proof between two checkpoints is checked
                     against both.

For example, to check a record against the tree head both parties signed:

    tools/verify_proof.py --key "$MSFT_KEY" --key "$OPENAI_KEY" --checkpoint head.json proof.json

Output: one line per check, "ok: FILE: ..." or "FAILED: FILE: ...". Exit status: 0 when every
check passed; 1 when one failed; 2 on malformed input (not JSON, a member missing or of the wrong
type, a hash that is not 64 hex digits, a bad option), reported as "error: FILE: ..." (the other
files are still checked); 3 when openssl is missing or cannot verify Ed25519 signatures.
"""
import base64
import hashlib
import json
import os
import struct
import subprocess
import sys
import tempfile

CHAINS = ("events", "decisions")
MAX_SIZE = 2**63 - 1
MAX_PATH = 64
CHECKPOINT_PREFIX = b"pactum/checkpoint/v1\n"
# DER of an Ed25519 SubjectPublicKeyInfo (RFC 8410), less its 32 key bytes.
ED25519_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")
EMPTY_ROOT = hashlib.sha256(b"").digest()


class Malformed(Exception):
    """The input is not what this script reads (exit 2)."""


class OpenSSLUnavailable(Exception):
    """openssl is missing or cannot verify Ed25519 (exit 3)."""


# ---- Canonical JSON (docs/store.md) ----------------------------------------------------------

ESCAPES = {'"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t'}


def canon_string(s):
    out = []
    for ch in s:
        c = ord(ch)
        if ch in ESCAPES:
            out.append(ESCAPES[ch])
        elif c < 0x20 or 0x7F < c < 0x10000:
            out.append('\\u%04X' % c)
        elif c >= 0x10000:
            c -= 0x10000
            out.append('\\u%04X\\u%04X' % (0xD800 + (c >> 10), 0xDC00 + (c & 0x3FF)))
        else:
            out.append(ch)
    return '"' + ''.join(out) + '"'


def canon(v):
    if v is None:
        return 'null'
    if v is True:
        return 'true'
    if v is False:
        return 'false'
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return canon_string(v)
    if isinstance(v, list):
        return '[' + ','.join(canon(x) for x in v) + ']'
    if isinstance(v, dict):
        keys = sorted(v, key=lambda k: k.encode('utf-8'))
        return '{' + ','.join(canon_string(k) + ':' + canon(v[k]) for k in keys) + '}'
    raise Malformed('no canonical form for %r (a number with a fraction or an exponent)' % (v,))


# ---- RFC 9162 --------------------------------------------------------------------------------

def sha256(b):
    return hashlib.sha256(b).digest()


def node(left, right):
    return sha256(b"\x01" + left + right)


def shift_while_even(fn, sn):
    """Right-shift fn and sn together until fn is odd or 0."""
    while not fn & 1 and fn != 0:
        fn >>= 1
        sn >>= 1
    return fn, sn


def inclusion_fails(index, size, leaf, path, root):
    """RFC 9162 2.1.3.2: None when path proves leaf at index in the tree (size, root), else why not."""
    if not 0 <= index < size:
        return "leaf index %d is not below the tree size %d" % (index, size)
    fn, sn = index, size - 1
    r = leaf
    for p in path:
        if sn == 0:
            return "the path has more hashes than a tree of %d leaves needs" % size
        if fn & 1 or fn == sn:
            r = node(p, r)
            fn, sn = shift_while_even(fn, sn)
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        return "the path has fewer hashes than a tree of %d leaves needs" % size
    if r != root:
        return "the path leads to %s, not to the root" % r.hex()
    return None


def consistency_fails(first, second, first_hash, second_hash, path):
    """RFC 9162 2.1.4.2: None when path proves (second, second_hash) extends (first, first_hash)."""
    if first == 0:
        return "there is no consistency proof from the empty log"
    if first > second:
        return "the old size %d is larger than the new size %d" % (first, second)
    if first == second:
        if path:
            return "a proof between two logs of the same size must be empty"
        if first_hash != second_hash:
            return "two logs of %d records with different roots" % first
        return None
    if not path:
        return "an empty path proves nothing between %d and %d records" % (first, second)
    if first & (first - 1) == 0:
        path = [first_hash] + path
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return "the path has more hashes than the two sizes need"
        if fn & 1 or fn == sn:
            fr = node(c, fr)
            sr = node(c, sr)
            fn, sn = shift_while_even(fn, sn)
        else:
            sr = node(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        return "the path has fewer hashes than the two sizes need"
    if fr != first_hash:
        return "the path does not lead to the old root (it gives %s)" % fr.hex()
    if sr != second_hash:
        return "the path does not lead to the new root (it gives %s)" % sr.hex()
    return None


# ---- Reading the input -----------------------------------------------------------------------

def no_duplicates(pairs):
    obj = {}
    for k, v in pairs:
        if k in obj:
            raise Malformed("the member %r appears twice" % k)
        obj[k] = v
    return obj


def refuse_constant(name):
    raise Malformed("%s is not JSON" % name)


def parse_json(data):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Malformed("not UTF-8 (%s)" % e)
    try:
        return json.loads(text, object_pairs_hook=no_duplicates, parse_constant=refuse_constant)
    except json.JSONDecodeError as e:
        raise Malformed("not JSON: %s" % e)


def member(obj, key, kind, where):
    """obj[key], which must be of kind "object", "string", "integer" or "array"."""
    if not isinstance(obj, dict):
        raise Malformed("%s is not an object" % where)
    if key not in obj:
        raise Malformed("%s has no %r" % (where, key))
    v = obj[key]
    ok = {"object": isinstance(v, dict), "string": isinstance(v, str), "array": isinstance(v, list),
          "integer": isinstance(v, int) and not isinstance(v, bool)}[kind]
    if not ok:
        raise Malformed("%s.%s is not a%s %s" % (where, key, "n" if kind[0] in "aeiou" else "", kind))
    return v


def count(obj, key, where):
    v = member(obj, key, "integer", where)
    if v < 0:
        raise Malformed("%s.%s is negative" % (where, key))
    return v


def hash32(s, where):
    if not isinstance(s, str) or len(s) != 64:
        raise Malformed("%s is not 64 hex digits" % where)
    try:
        return bytes.fromhex(s)
    except ValueError:
        raise Malformed("%s is not 64 hex digits" % where)


def hash_member(obj, key, where):
    return hash32(member(obj, key, "string", where), "%s.%s" % (where, key))


def path_member(obj, where):
    path = member(obj, "path", "array", where)
    return [hash32(p, "%s.path[%d]" % (where, i)) for i, p in enumerate(path)]


def chain_member(obj, where):
    chain = member(obj, "chain", "string", where)
    if chain not in CHAINS:
        raise Malformed("%s.chain is %r, not one of %s" % (where, chain, ", ".join(CHAINS)))
    return chain


class Report:
    def __init__(self):
        self.failed = False
        self.malformed = False

    def ok(self, name, text):
        print("ok: %s: %s" % (name, text), flush=True)

    def fail(self, name, text):
        self.failed = True
        print("FAILED: %s: %s" % (name, text), flush=True)

    def check(self, name, why_not, text):
        """ok when why_not is None, else FAILED with the reason."""
        if why_not is None:
            self.ok(name, text)
        else:
            self.fail(name, "%s: %s" % (text, why_not))
        return why_not is None


def size_fails(size, what):
    if size > MAX_SIZE:
        return "%s %d is beyond the largest log, 2^63 - 1 records" % (what, size)
    return None


def path_fails(path):
    if len(path) > MAX_PATH:
        return "a path of %d hashes (at most %d)" % (len(path), MAX_PATH)
    return None


# ---- Inclusion -------------------------------------------------------------------------------

def read_inclusion(doc, where):
    p = {"kind": "inclusion", "chain": chain_member(doc, where), "seq": count(doc, "seq", where),
         "size": count(doc, "size", where), "root": hash_member(doc, "root", where), "path": path_member(doc, where)}
    rec = member(doc, "record", "object", where)
    rw = where + ".record"
    p["record"] = {"seq": count(rec, "seq", rw), "prev_hash": hash_member(rec, "prev_hash", rw),
                   "hash": hash_member(rec, "hash", rw), "json": member(rec, "json", "string", rw)}
    try:
        p["record"]["bytes"] = p["record"]["json"].encode("utf-8")
    except UnicodeEncodeError:
        raise Malformed("%s.json is not valid Unicode text" % rw)
    return p


def check_inclusion(report, name, p):
    rec, seq, size = p["record"], p["seq"], p["size"]
    what = "%s record %d" % (p["chain"], seq)
    if not report.check(name, None if rec["seq"] == seq else "record.seq is %d" % rec["seq"],
                        "%s: the record is the one proven" % what):
        return
    why = None
    if seq < 1 or seq > MAX_SIZE:
        why = "seq must be 1 .. 2^63 - 1"
    else:
        chain = sha256(struct.pack(">Q", seq) + rec["prev_hash"] + rec["bytes"])
        if chain != rec["hash"]:
            why = "SHA-256(seq, prev_hash, json) is %s, not record.hash" % chain.hex()
    if not report.check(name, why, "%s: its chain hash is record.hash" % what):
        return
    why = size_fails(size, "size") or path_fails(p["path"]) or \
        inclusion_fails(seq - 1, size, sha256(b"\x00" + rec["hash"]), p["path"], p["root"])
    report.check(name, why, "%s is leaf %d of the tree of %d records with root %s" % (what, seq - 1, size,
                                                                                     p["root"].hex()))


# ---- Consistency -----------------------------------------------------------------------------

def read_consistency(doc, where):
    ends = {}
    for end in ("from", "to"):
        e = member(doc, end, "object", where)
        ends[end] = {"size": count(e, "size", where + "." + end), "root": hash_member(e, "root", where + "." + end)}
    return {"kind": "consistency", "chain": chain_member(doc, where), "from": ends["from"], "to": ends["to"],
            "path": path_member(doc, where)}


def check_consistency(report, name, p):
    a, b = p["from"], p["to"]
    why = size_fails(b["size"], "to.size") or path_fails(p["path"]) or \
        consistency_fails(a["size"], b["size"], a["root"], b["root"], p["path"])
    report.check(name, why, "%s log of %d records (root %s) extends the log of %d records (root %s)" % (
        p["chain"], b["size"], b["root"].hex(), a["size"], a["root"].hex()))


# ---- Checkpoints -----------------------------------------------------------------------------

def read_checkpoint(doc, where):
    cp = {"kind": "checkpoint", "origin": member(doc, "origin", "string", where),
          "agreement": hash_member(doc, "agreement", where), "chain": chain_member(doc, where),
          "size": count(doc, "size", where), "root": hash_member(doc, "root", where),
          "head": hash_member(doc, "head", where), "signatures": []}
    body = {k: v for k, v in doc.items() if k != "signatures"}
    cp["message"] = CHECKPOINT_PREFIX + canon(body).encode("ascii")
    for i, s in enumerate(member(doc, "signatures", "array", where)):
        sw = "%s.signatures[%d]" % (where, i)
        cp["signatures"].append({"signer": member(s, "signer", "string", sw),
                                 "public_key": member(s, "public_key", "string", sw),
                                 "signature": member(s, "signature", "string", sw)})
    return cp


def b64(text, nbytes):
    """The bytes of standard base64 text, or None unless exactly nbytes long."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        return None
    return raw if len(raw) == nbytes else None


def ed25519_verify(public_key, message, signature):
    """None when signature is valid, else why not; raises OpenSSLUnavailable."""
    pem = "-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n" % base64.b64encode(
        ED25519_SPKI_PREFIX + public_key).decode("ascii")
    with tempfile.TemporaryDirectory(prefix="verify_proof.") as d:
        files = {"key.pem": pem.encode("ascii"), "msg": message, "sig": signature}
        for f, data in files.items():
            with open(os.path.join(d, f), "wb") as out:
                out.write(data)
        cmd = [os.environ.get("OPENSSL", "openssl"), "pkeyutl", "-verify", "-pubin", "-inkey",
               os.path.join(d, "key.pem"), "-rawin", "-in", os.path.join(d, "msg"), "-sigfile", os.path.join(d, "sig")]
        try:
            r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
        except FileNotFoundError:
            raise OpenSSLUnavailable("openssl is not installed (or not on the PATH); it verifies the Ed25519 "
                                     "signatures of checkpoints (OpenSSL 3: apt-get install openssl)")
    out = (r.stdout + r.stderr).decode("utf-8", "replace")
    if r.returncode == 0 and "Signature Verified Successfully" in out:
        return None
    if "Signature Verification Failure" in out:
        return "the signature does not verify"
    if "rawin" in out or "nknown option" in out or "not supported" in out.lower():
        raise OpenSSLUnavailable("this openssl cannot verify Ed25519 signatures (OpenSSL 3 is needed): %s"
                                 % out.strip()[:300])
    return "openssl refused the key or signature: %s" % " ".join(out.split())[:300]


def check_checkpoint(report, name, cp, keys):
    what = "%s checkpoint of %d records" % (cp["chain"], cp["size"])
    if cp["size"] > MAX_SIZE:
        report.fail(name, "%s: beyond the largest log, 2^63 - 1 records" % what)
    if cp["size"] == 0:
        report.check(name, None if cp["root"] == EMPTY_ROOT else "its root is not SHA-256 of the empty string",
                     "%s: the root of the empty log" % what)
    if not cp["signatures"]:
        report.fail(name, "%s: it has no signature" % what)
    valid = set()
    for i, s in enumerate(cp["signatures"]):
        label = "%s: signature %d, by %r with key %s" % (what, i + 1, s["signer"], s["public_key"])
        pk, sig = b64(s["public_key"], 32), b64(s["signature"], 64)
        if pk is None:
            report.fail(name, "%s: the public key is not 32 bytes of base64" % label)
        elif sig is None:
            report.fail(name, "%s: the signature is not 64 bytes of base64" % label)
        elif report.check(name, ed25519_verify(pk, cp["message"], sig), "%s is valid" % label):
            valid.add(pk)
    for text, pk in keys:
        report.check(name, None if pk in valid else "no valid signature by it",
                     "%s: signed by the required key %s" % (what, text))


def check_against(report, name, p, cp_name, cp):
    """A proof against a checkpoint: the same chain, and the tree of the checkpoint's size has its root."""
    label = "matches the checkpoint %s (%s, %d records)" % (cp_name, cp["chain"], cp["size"])
    if p["chain"] != cp["chain"]:
        report.fail(name, "%s: the proof is of the %s chain" % (label, p["chain"]))
        return
    trees = [(p["size"], p["root"])] if p["kind"] == "inclusion" else \
        [(p["from"]["size"], p["from"]["root"]), (p["to"]["size"], p["to"]["root"])]
    roots = [root for size, root in trees if size == cp["size"]]
    if not roots:
        report.fail(name, "%s: the proof is about %s records" % (label, " and ".join(str(s) for s, _ in trees)))
        return
    report.check(name, None if all(r == cp["root"] for r in roots) else
                 "the proof's tree of %d records has another root, %s" % (cp["size"], roots[0].hex()), label)
    if p["kind"] == "inclusion" and p["seq"] == cp["size"]:
        report.check(name, None if p["record"]["hash"] == cp["head"] else "the record's hash is not the head",
                     "%s record %d is the checkpoint's head" % (p["chain"], p["seq"]))


# ---- Main ------------------------------------------------------------------------------------

def read_documents(path):
    """(label, [document, ...]) of a FILE argument; raises Malformed or OSError."""
    label = "<stdin>" if path == "-" else path
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(path, "rb") as f:
            data = f.read()
    v = parse_json(data)
    docs = v if isinstance(v, list) else [v]
    if not docs:
        raise Malformed("an empty array")
    return label, docs


def read_document(doc, where):
    if not isinstance(doc, dict):
        raise Malformed("%s is not a JSON object" % where)
    if "proof" in doc:
        kind = member(doc, "proof", "string", where)
        if kind == "inclusion":
            return read_inclusion(doc, where)
        if kind == "consistency":
            return read_consistency(doc, where)
        raise Malformed("%s.proof is %r, not inclusion or consistency" % (where, kind))
    if "signatures" in doc or "origin" in doc:
        return read_checkpoint(doc, where)
    raise Malformed("%s is neither a proof (no \"proof\") nor a checkpoint (no \"signatures\")" % where)


def usage(msg):
    print("error: %s" % msg, file=sys.stderr)
    print("usage: verify_proof.py [--key B64]... [--checkpoint FILE]... FILE...   (FILE - is standard input)",
          file=sys.stderr)
    sys.exit(2)


def main(argv):
    keys, cp_files, files = [], [], []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-h", "--help"):
            print(__doc__)
            return 0
        if a in ("--key", "--checkpoint"):
            if i + 1 >= len(argv):
                usage("%s needs a value" % a)
            v = argv[i + 1]
            i += 2
            if a == "--key":
                pk = b64(v, 32)
                if pk is None:
                    usage("--key %r is not an Ed25519 public key (32 bytes in standard base64)" % v)
                keys.append((v, pk))
            else:
                cp_files.append(v)
            continue
        if a.startswith("--"):
            usage("unknown option %s" % a)
        files.append(a)
        i += 1
    if not files and not cp_files:
        usage("no file to check")

    report = Report()

    def load(path):
        """The documents of path, or None after reporting why they cannot be read."""
        try:
            label, docs = read_documents(path)
            out = []
            for k, d in enumerate(docs):
                out.append(read_document(d, "[%d]" % k if len(docs) > 1 else "the document"))
            return label, out
        except (Malformed, OSError) as e:
            report.malformed = True
            print("error: %s: %s" % ("<stdin>" if path == "-" else path, e), flush=True)
            return None

    try:
        checkpoints = []
        for path in cp_files:
            got = load(path)
            if got is None:
                continue
            label, docs = got
            for d in docs:
                if d["kind"] != "checkpoint":
                    report.malformed = True
                    print("error: %s: --checkpoint names a %s proof, not a checkpoint" % (label, d["kind"]), flush=True)
                    continue
                check_checkpoint(report, label, d, keys)
                checkpoints.append((label, d))
        for path in files:
            got = load(path)
            if got is None:
                continue
            label, docs = got
            for d in docs:
                if d["kind"] == "checkpoint":
                    check_checkpoint(report, label, d, keys)
                    continue
                if d["kind"] == "inclusion":
                    check_inclusion(report, label, d)
                else:
                    check_consistency(report, label, d)
                for cp_label, cp in checkpoints:
                    check_against(report, label, d, cp_label, cp)
    except OpenSSLUnavailable as e:
        print("error: %s" % e, file=sys.stderr, flush=True)
        return 3
    if report.malformed:
        return 2
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
