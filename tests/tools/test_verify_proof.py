#!/usr/bin/env python3
"""tools/verify_proof.py, the standalone verifier, against proofs and checkpoints written by
pactum's own Merkle code (make_proofs: src/merkle.h over a synthetic log, checkpoints signed with
libsodium's Ed25519): every real proof and checkpoint is accepted, and every tampered one refused
with exit 1 and a FAILED line; malformed input exits 2, a missing openssl 3.

    python3 tests/tools/test_verify_proof.py MAKE_PROOFS VERIFY_PROOF_PY
"""
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from checklib import check, finish  # noqa: E402

MAKE, VERIFY = sys.argv[1], sys.argv[2]
WORK = tempfile.mkdtemp(prefix="pactum_verify_proof.")


def make(*args):
    r = subprocess.run([MAKE] + [str(a) for a in args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise SystemExit("make_proofs %s failed: %s" % (" ".join(map(str, args)), r.stderr))
    return r.stdout


def doc(*args):
    return json.loads(make(*args))


class Run:
    def __init__(self, r):
        self.rc, self.out, self.err = r.returncode, r.stdout, r.stderr

    def lines(self, prefix):
        return [line for line in self.out.splitlines() if line.startswith(prefix)]

    def __str__(self):
        return "exit %d\nstdout:\n%s\nstderr:\n%s" % (self.rc, self.out, self.err)


def write(name, value):
    path = os.path.join(WORK, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(value if isinstance(value, str) else json.dumps(value, indent=1))
    return path


def verify(*args, stdin=None, env=None):
    r = subprocess.run([sys.executable, VERIFY] + list(args), input=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, env=env, timeout=120)
    return Run(r)


def accepted(name, *args, **kw):
    r = verify(*args, **kw)
    check(name + ": accepted", r.rc == 0 and r.lines("ok: ") and not r.lines("FAILED") and not r.err, r)
    return r


def refused(name, value, *args, why=None):
    """value (a document) written to a file must give exit 1, a FAILED line, and mention why."""
    r = verify(*(list(args) + [write("t.json", value)]))
    ok = r.rc == 1 and r.lines("FAILED: ")
    if why:
        ok = ok and any(why in line for line in r.lines("FAILED: "))
    check(name + ": refused", ok, r)
    return r


class Batch:
    """Documents checked by one run of the verifier, each in its own file; every file's lines are
    told apart by the file name the verifier prints, so each document is judged alone."""

    def __init__(self):
        self.cases = []

    def add(self, name, value, expect, why=None):
        path = write("b%d.json" % len(self.cases), value)
        self.cases.append((name, path, expect, why))

    def accepted(self, name, value):
        self.add(name, value, True)

    def refused(self, name, value, why=None):
        self.add(name, value, False, why)

    def run(self, *args):
        if not self.cases:
            return
        r = verify(*(list(args) + [path for _, path, _, _ in self.cases]))
        check("batch of %d: no error" % len(self.cases), r.rc in (0, 1) and not r.err, r)
        for name, path, expect, why in self.cases:
            oks = r.lines("ok: %s: " % path)
            fails = r.lines("FAILED: %s: " % path)
            if expect:
                check(name + ": accepted", oks and not fails, "\n".join(oks + fails) or r)
            else:
                ok = bool(fails) and (why is None or any(why in line for line in fails))
                check(name + ": refused", ok, "\n".join(oks + fails) or r)
        self.cases = []


def malformed(name, text, *args):
    r = verify(*(list(args) + [write("m.json", text)]))
    check(name + ": malformed, exit 2", r.rc == 2 and r.lines("error: "), r)


def split(n):
    """k: the largest power of two below n (RFC 9162 2.1.1)."""
    k = 1
    while 2 * k < n:
        k *= 2
    return k


def inclusion_shape(m, n):
    """The sides of PATH(m, D[n])'s siblings, leaf first (R: right of the running hash)."""
    out = []
    while n > 1:
        k = split(n)
        if m < k:
            out.append("R")
            n = k
        else:
            out.append("L")
            m, n = m - k, n - k
    return "".join(reversed(out))


def consistency_shape(m, n):
    """The same for PROOF(m, D[n]): P when the old root starts it, S for MTH(D[m]) in the path."""
    out, whole, pow2 = [], True, m & (m - 1) == 0
    while m < n:
        k = split(n)
        if m <= k:
            out.append("R")
            n = k
        else:
            out.append("L")
            m, n, whole = m - k, n - k, False
    return ("P" if pow2 else "") + ("" if whole else "S") + "".join(reversed(out))


def flip_hex(h, at=0):
    """h with one hex digit changed (so one byte differs)."""
    c = h[at]
    return h[:at] + ("0" if c != "0" else "1") + h[at + 1:]


# ---- Inclusion proofs ------------------------------------------------------------------------

for n, seq in [(1, 1), (2, 1), (2, 2), (13, 1), (13, 7), (13, 12), (13, 13), (16, 16), (1000, 1), (1000, 513),
               (1000, 1000), (1025, 1025)]:
    p = doc("inclusion", n, seq)
    name = "inclusion %d of %d" % (seq, n)
    check(name + ": path length", len(p["path"]) <= max(1, n - 1).bit_length())
    B = Batch()
    if seq == n:  # one run of its own per size: the exit status and the lines of a real proof
        r = accepted(name, write("p.json", p))
        check(name + ": three checks", len(r.lines("ok: ")) == 3, r)
        accepted(name + " on stdin", "-", stdin=json.dumps(p))
    else:
        B.accepted(name, p)
    for i in range(len(p["path"])):
        q = copy.deepcopy(p)
        q["path"][i] = flip_hex(q["path"][i], 5 + i)
        B.refused("%s, path[%d] flipped" % (name, i), q, why="leaf %d of the tree" % (seq - 1))
    q = copy.deepcopy(p)
    q["record"]["json"] = q["record"]["json"].replace(":%d000," % seq, ":%d001," % seq)
    check(name + ": the json was changed", q["record"]["json"] != p["record"]["json"])
    B.refused(name + ", the record's json altered", q, why="chain hash")
    q = copy.deepcopy(p)
    q["record"]["hash"] = flip_hex(q["record"]["hash"], 63)
    B.refused(name + ", the record's hash altered", q, why="chain hash")
    q = copy.deepcopy(p)
    q["record"]["prev_hash"] = flip_hex(q["record"]["prev_hash"], 10)
    B.refused(name + ", the record's prev_hash altered", q, why="chain hash")
    q = copy.deepcopy(p)
    q["root"] = flip_hex(q["root"], 0)
    B.refused(name + ", root flipped", q, why="not to the root")
    # a wrong seq: the proof's alone, or with the record's (the chain hash covers the seq)
    for other in {seq - 1, seq + 1} - {0}:
        q = copy.deepcopy(p)
        q["seq"] = other
        B.refused("%s, seq %d" % (name, other), q, why="record.seq")
        q["record"]["seq"] = other
        B.refused("%s, seq %d in the record too" % (name, other), q, why="chain hash")
    if len(p["path"]) >= 2:
        q = copy.deepcopy(p)
        q["path"][0], q["path"][1] = q["path"][1], q["path"][0]
        B.refused(name + ", path[0] and path[1] swapped", q)
        q = copy.deepcopy(p)
        q["path"].reverse()
        B.refused(name + ", path reversed", q)
    if p["path"]:
        q = copy.deepcopy(p)
        q["path"].pop()
        B.refused(name + ", path truncated", q, why="fewer hashes")
        q = copy.deepcopy(p)
        q["path"].pop(0)
        B.refused(name + ", first hash dropped", q)
    q = copy.deepcopy(p)
    q["path"].append(p["path"][-1] if p["path"] else p["root"])
    B.refused(name + ", a hash too many", q, why="more hashes" if n > 1 else None)
    # Another size: the path and root alone do not bind the size (the signed checkpoint does), so
    # RFC 9162's verification passes exactly when that size gives the path the same shape.
    for other in (n - 1, n + 1, n + 2, n * 2 + 1):
        if other < seq:
            continue
        q = copy.deepcopy(p)
        q["size"] = other
        if inclusion_shape(seq - 1, other) == inclusion_shape(seq - 1, n):
            B.accepted("%s, size %d (the same shape)" % (name, other), q)
            refused("%s, size %d against the checkpoint" % (name, other), q, "--checkpoint",
                    write("cps.json", doc("checkpoint", n)), why="about %d records" % other)
        else:
            B.refused("%s, size %d" % (name, other), q)
    if seq < n:
        q = copy.deepcopy(p)
        q["size"] = seq - 1
        B.refused(name + ", a size below the seq", q, why="not below the tree size")
    B.run()

# A record of one log, proven against the root of a log rewritten at record 3 (--fork 3).
real = doc("inclusion", 13, 7)
forked = doc("--fork", 3, "inclusion", 13, 7)
check("a rewritten log has another root and record 7 another prev chain", real["root"] != forked["root"]
      and real["record"]["hash"] != forked["record"]["hash"])
q = copy.deepcopy(real)
q["root"] = forked["root"]
refused("record 7 against the rewritten log's root", q)
q = copy.deepcopy(forked)
q["path"] = real["path"]
refused("the rewritten record 7 with the real path", q)

# ---- Consistency proofs ----------------------------------------------------------------------

for m, n in [(1, 2), (1, 13), (2, 13), (4, 13), (5, 13), (7, 8), (8, 13), (12, 13), (13, 13), (1, 1000),
             (500, 1000), (512, 1000), (999, 1000), (1000, 1025)]:
    p = doc("consistency", m, n)
    name = "consistency %d..%d" % (m, n)
    B = Batch()
    B.accepted(name, p)
    for i in range(len(p["path"])):
        q = copy.deepcopy(p)
        q["path"][i] = flip_hex(q["path"][i], 7)
        B.refused("%s, path[%d] flipped" % (name, i), q)
    for end in ("from", "to"):
        q = copy.deepcopy(p)
        q[end]["root"] = flip_hex(q[end]["root"], 1)
        B.refused("%s, %s.root flipped" % (name, end), q)
    if m < n:
        q = copy.deepcopy(p)
        q["from"]["root"], q["to"]["root"] = p["to"]["root"], p["from"]["root"]
        B.refused(name + ", roots swapped", q)
        q = copy.deepcopy(p)
        q["path"].pop()
        B.refused(name + ", path truncated", q)
        q = copy.deepcopy(p)
        q["path"] = []
        B.refused(name + ", empty path", q, why="empty path proves nothing")
        q = copy.deepcopy(p)
        q["path"].insert(0, p["path"][0])
        B.refused(name + ", a hash too many", q)
        if len(p["path"]) >= 2:
            q = copy.deepcopy(p)
            q["path"][-1], q["path"][-2] = q["path"][-2], q["path"][-1]
            B.refused(name + ", the last two swapped", q)
        for other in (m - 1, m + 1, 2 * m):
            if 0 < other < n:
                q = copy.deepcopy(p)
                q["from"]["size"] = other
                if consistency_shape(other, n) == consistency_shape(m, n):
                    B.accepted("%s, old size %d (the same shape)" % (name, other), q)
                else:
                    B.refused("%s, old size %d" % (name, other), q)
        q = copy.deepcopy(p)
        q["to"]["size"] = n + 1
        if consistency_shape(m, n + 1) != consistency_shape(m, n):
            B.refused(name + ", new size + 1", q)
    else:
        q = copy.deepcopy(p)
        q["path"] = [p["to"]["root"]]
        B.refused(name + ", a non-empty proof between equal sizes", q, why="must be empty")
    q = copy.deepcopy(p)
    q["from"]["size"] = 0
    B.refused(name + ", from the empty log", q, why="no consistency proof from the empty log")
    q = copy.deepcopy(p)
    q["from"]["size"] = n + 1
    B.refused(name + ", old size above the new", q)
    B.run()

# A log rewritten at record 3: its proof from 8 to 13 does not extend the real log of 8.
real8 = doc("checkpoint", 8)
fork = doc("--fork", 3, "consistency", 8, 13)
check("the rewritten log's tree of 8 differs", fork["from"]["root"] != real8["root"])
q = copy.deepcopy(fork)
q["from"]["root"] = real8["root"]
refused("the rewritten log's proof against the real old root", q)
f8 = write("real8.json", real8)
refused("the rewritten log's proof against a checkpoint of the real log", fork, "--checkpoint", f8,
        why="another root")

# ---- Checkpoints -----------------------------------------------------------------------------

ms, oa, panel = make("key", "microsoft").strip(), make("key", "openai").strip(), make("key", "panel").strip()
cp = doc("checkpoint", 13)
fcp = write("cp13.json", cp)
r = accepted("checkpoint of 13", fcp)
check("checkpoint: one line per signature", len(r.lines("ok: ")) == 2, r)
accepted("checkpoint, both keys required", "--key", ms, "--key", oa, fcp)
r = verify("--key", panel, fcp)
check("checkpoint, a key that did not sign is required: refused", r.rc == 1 and
      any("required key" in line for line in r.lines("FAILED")), r)
accepted("checkpoint re-serialised (keys reordered, other white space, \\u escapes changed)",
         write("cp-reordered.json", json.dumps(dict(reversed(list(cp.items()))), ensure_ascii=False, indent=3)))
accepted("checkpoint of the empty log", write("cp0.json", doc("checkpoint", 0)))
accepted("checkpoint signed by three", write("cp3.json", doc("checkpoint", 13, "microsoft", "openai", "panel")))

for field, value in [("size", 12), ("root", flip_hex(cp["root"], 3)), ("head", flip_hex(cp["head"], 3)),
                     ("origin", cp["origin"] + " "), ("chain", "decisions"), ("agreement", flip_hex(cp["agreement"]))]:
    q = copy.deepcopy(cp)
    q[field] = value
    r = refused("checkpoint, %s changed" % field, q, why="does not verify")
    check("checkpoint, %s changed: both signatures fail" % field, len(r.lines("FAILED")) == 2, r)
q = copy.deepcopy(cp)
q["extra"] = 1
refused("checkpoint, a member added", q, why="does not verify")
q = copy.deepcopy(cp)
s = q["signatures"][0]["signature"]
q["signatures"][0]["signature"] = ("A" if s[0] != "A" else "B") + s[1:]
r = refused("checkpoint, a signature byte changed", q, why="does not verify")
check("checkpoint, a signature byte changed: the other still verifies", len(r.lines("ok: ")) == 1, r)
q = copy.deepcopy(cp)
q["signatures"][0]["signature"], q["signatures"][1]["signature"] = \
    q["signatures"][1]["signature"], q["signatures"][0]["signature"]
refused("checkpoint, signatures swapped between the keys", q, why="does not verify")
q = copy.deepcopy(cp)
q["signatures"][0]["public_key"] = panel
refused("checkpoint, another key claimed for a signature", q, "--key", ms, why="does not verify")
q = copy.deepcopy(cp)
q["signatures"] = []
refused("checkpoint without signatures", q, why="no signature")
q = copy.deepcopy(cp)
q["signatures"][0]["public_key"] = "AAAA"
refused("checkpoint, a key that is not 32 bytes", q, why="not 32 bytes")
q = copy.deepcopy(cp)
q["signatures"][0]["signature"] = "!!!!"
refused("checkpoint, a signature that is not base64", q, why="not 64 bytes")
cp0 = doc("checkpoint", 0)
cp0_bad = doc("checkpoint", 0)
cp0_bad["root"] = cp["root"]
refused("checkpoint of the empty log with another root", cp0_bad, why="empty string")

# ---- Proofs against checkpoints --------------------------------------------------------------

incl13 = write("i13.json", doc("inclusion", 13, 7))
last13 = write("last13.json", doc("inclusion", 13, 13))
cons = write("c5-13.json", doc("consistency", 5, 13))
cp5 = write("cp5.json", doc("checkpoint", 5))
cp12 = write("cp12.json", doc("checkpoint", 12))
cp7 = write("cp7.json", doc("checkpoint", 7))
r = accepted("inclusion with its checkpoint", "--checkpoint", fcp, "--key", ms, incl13)
check("inclusion with its checkpoint: the match is reported", any("matches the checkpoint" in line
                                                                  for line in r.lines("ok: ")), r)
r = accepted("the last record is the checkpoint's head", "--checkpoint", fcp, last13)
check("the head check is reported", any("checkpoint's head" in line for line in r.lines("ok: ")), r)
forked_last = doc("--fork", 13, "inclusion", 13, 13)
refused("the last record of a log rewritten at its head, against the real checkpoint", forked_last,
        "--checkpoint", fcp)
# A checkpoint signed over a head that is not its last record (record 12's hash, for 13 records).
r = verify("--checkpoint", write("cp-head12.json", doc("--head-of", 12, "checkpoint", 13)), last13)
check("the last record against a checkpoint naming another head: refused", r.rc == 1 and
      any("checkpoint's head" in line for line in r.lines("FAILED")), r)
r = verify("--checkpoint", cp12, incl13)
check("inclusion against a checkpoint of another size: refused", r.rc == 1 and
      any("about 13 records" in line for line in r.lines("FAILED")), r)
dec = doc("inclusion", 13, 7, "decisions")
accepted("a proof of the decisions chain", write("dec.json", dec))
refused("a decisions proof against an events checkpoint", dec, "--checkpoint", fcp, why="decisions chain")
accepted("consistency between two checkpoints", "--checkpoint", cp5, "--checkpoint", fcp, "--key", oa, cons)
r = verify("--checkpoint", cp7, cons)
check("consistency against a checkpoint of neither size: refused", r.rc == 1, r)
q = copy.deepcopy(cp)
q["root"] = flip_hex(cp["root"], 9)
r = verify("--checkpoint", write("cpbad.json", q), incl13)
check("inclusion against a tampered checkpoint: refused", r.rc == 1 and len(r.lines("FAILED")) >= 3, r)
r = verify("--checkpoint", incl13, incl13)
check("--checkpoint naming a proof: exit 2", r.rc == 2, r)

# ---- Several documents, malformed input, options, openssl ------------------------------------

both = write("both.json", [doc("inclusion", 13, 2), doc("consistency", 2, 13), cp])
r = accepted("an array of three documents", both)
q = [doc("inclusion", 13, 2), doc("consistency", 2, 13)]
q[1]["path"] = q[1]["path"][:-1]
r = verify(write("two.json", q))
check("an array with one bad proof: exit 1, one FAILED", r.rc == 1 and len(r.lines("FAILED")) == 1, r)

p = doc("inclusion", 13, 7)
malformed("not JSON", "{\"proof\":")
malformed("not an object", "42")
malformed("an empty array", "[]")
malformed("neither proof nor checkpoint", json.dumps({"seq": 1}))
malformed("an unknown proof kind", json.dumps(dict(p, proof="exclusion")))
malformed("an unknown chain", json.dumps(dict(p, chain="other")))
for key in ("seq", "size", "root", "record", "path"):
    q = copy.deepcopy(p)
    del q[key]
    malformed("inclusion without %s" % key, json.dumps(q))
malformed("a seq that is a string", json.dumps(dict(p, seq="7")))
malformed("a seq that is true", json.dumps(dict(p, seq=True)))
malformed("a negative size", json.dumps(dict(p, size=-1)))
malformed("a real size", json.dumps(p).replace('"size": 13', '"size": 13.0'))
malformed("a short hash in the path", json.dumps(dict(p, path=[p["path"][0][:62]] + p["path"][1:])))
malformed("a path hash that is not hex", json.dumps(dict(p, path=["zz" * 32] + p["path"][1:])))
malformed("a path that is not an array", json.dumps(dict(p, path=p["path"][0])))
malformed("a duplicate member", json.dumps(p)[:-1] + ', "seq": 7}')
malformed("NaN", json.dumps(p).replace('"size": 13', '"size": NaN'))
q = copy.deepcopy(cp)
del q["signatures"][0]["signature"]
malformed("a signature without its signature", json.dumps(q))
q = copy.deepcopy(cp)
q["extra"] = 1.5
malformed("a checkpoint holding a real number (no canonical form)", json.dumps(q))
r = verify(os.path.join(WORK, "no-such-file.json"))
check("a missing file: exit 2", r.rc == 2 and r.lines("error: "), r)
r = verify(incl13, write("bad.json", "nope"), cons)
check("one malformed file among good ones: exit 2, the others still checked",
      r.rc == 2 and len(r.lines("ok: ")) == 4 and r.lines("error: "), r)
r = verify("--key", "not-a-key", incl13)
check("a bad --key: exit 2", r.rc == 2 and "--key" in r.err, r)
r = verify("--frobnicate", incl13)
check("an unknown option: exit 2", r.rc == 2, r)
r = verify()
check("no file: exit 2", r.rc == 2, r)
r = verify("--help")
check("--help prints the docstring", r.rc == 0 and "RFC 9162" in r.out, r)

# Sizes beyond the largest log fail (the C verifier's MERKLE_MAX_SIZE), never crash.
q = copy.deepcopy(p)
q["size"] = 2**63
refused("a size of 2^63", q, why="largest log")
q = copy.deepcopy(p)
q["path"] = p["path"] * 17
refused("a path of 68 hashes", q, why="at most 64")

# openssl missing: exit 3 with a clear message (proofs alone need no openssl).
env = dict(os.environ, PATH=os.path.join(WORK, "empty-bin"))
os.makedirs(env["PATH"], exist_ok=True)
r = verify(fcp, env=env)
check("no openssl: exit 3, said so", r.rc == 3 and "openssl is not installed" in r.err, r)
r = verify(incl13, cons, env=env)
check("no openssl, proofs only: still checked", r.rc == 0, r)

shutil.rmtree(WORK, ignore_errors=True)
finish()
