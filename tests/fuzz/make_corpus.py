#!/usr/bin/env python3
"""make_corpus.py: (re)build the seed corpora of the fuzz harnesses, tests/fuzz/corpus/<target>/,
from pactum's own test files: the golden .pact files, the agreements, the decision scenarios, the
event files and the HTTP API's documented requests. Run from anywhere; it rewrites only the
files named seed-*, so inputs added by hand or merged from fuzzing runs are kept.

Input layouts (see each harness): pact is the file itself; request and event start with one
byte of flags (bit 0: the cloud-reseller agreement) then lines of JSON; http starts with a flags
byte then requests separated by a line "@@@", each "METHOD TARGET", headers, an empty line and
the body; sign starts with a flags byte
then one JSON value; diff is raw choice bytes; merkle is a flags byte (bit 0: consistency, bit 1:
the huge tree, bit 2: a failing node function), the size and the index (or old size) in 8
big-endian bytes each, with bit 2 the failing call's number, then mutations.
"""
import glob
import hashlib
import json
import os
import random

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "tests", "fuzz", "corpus")
AGREEMENTS = {"microsoft-openai-2025-10-28": 0, "cloud-reseller": 1}


def write(target, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    name = "seed-" + hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def clear():
    for path in glob.glob(os.path.join(OUT, "*", "seed-*")):
        os.remove(path)


def jsonl(path):
    """The JSON objects of a JSONL file, comments and blank lines skipped."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                out.append(json.loads(line))
    return out


def compact(v):
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False)


def scenarios():
    """(agreement index, scenario) for every decision scenario of the agreements' X.test.jsonl files
    (those with a request: pactum test also checks status and refusals)."""
    for name, which in sorted(AGREEMENTS.items()):
        found = glob.glob(os.path.join(ROOT, "agreements", name + ".test.jsonl"))
        found += glob.glob(os.path.join(ROOT, "agreements", "examples", name + ".test.jsonl"))
        if not found:
            raise SystemExit("make_corpus: no scenarios for %s beside its agreement" % name)
        for sc in jsonl(found[0]):
            if "request" in sc:
                yield which, sc


def pact_seeds():
    files = sorted(glob.glob(os.path.join(ROOT, "tests", "lang", "*", "*.pact")))
    files += sorted(glob.glob(os.path.join(ROOT, "agreements", "*.pact")))
    files += sorted(glob.glob(os.path.join(ROOT, "agreements", "examples", "*.pact")))
    for path in files:
        with open(path, "rb") as f:
            data = f.read()
        if len(data) <= 256 * 1024:
            write("pact", data)


def request_and_event_seeds():
    for which, sc in scenarios():
        events = [compact(e) for e in sc.get("events", [])]
        req = compact(sc["request"])
        flags = bytes([which | 2])
        write("request", flags + "\n".join(events + [req]).encode())
        if events:
            write("event", bytes([which]) + "\n".join(events).encode())
            write("sign", bytes([which]) + events[0].encode())
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "events", "*.jsonl"))):
        with open(path, "rb") as f:
            write("event", bytes([1]) + f.read())
    with open(os.path.join(ROOT, "agreements", "microsoft-openai-2025-10-28.sample.jsonl"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                write("request", bytes([2]) + compact(json.loads(line)["request"]).encode())
    # Odd requests on purpose: an id, a missing date, duplicate keys, a real, deep nesting.
    for text in ['{"id":7,"principal":"openai","action":"serve_api"}',
                 '{"id":"a","principal":"openai","action":"serve_api","context":{"date":"2026-01-01"}}',
                 '{"principal":"openai","principal":"openai","action":"serve_api"}',
                 '{"principal":"openai","action":"serve_api","context":{"date":"2026-01-01","cloud":1.5}}',
                 '[' * 64 + ']' * 64]:
        write("request", bytes([0]) + text.encode())
        write("request", bytes([2]) + text.encode())
    # Key registrations and signed-looking events for the signature paths.
    write("sign", bytes([4]) + compact({"type": "key_registered", "date": "2026-01-01", "signer": "openai",
                                         "public_key": "A" * 43 + "=",
                                         "signatures": [{"signer": "bootstrap", "public_key": "B" * 43 + "=",
                                                         "signature": "C" * 86 + "=="}]}).encode())
    write("sign", bytes([0]) + compact({"b": [1, {"z": "\u00e9\u0001", "a": None}], "a": True,
                                         "signatures": []}).encode())
    # The record's own members and types: nonces, recorded_by, revocations, settings, checkpoints.
    write("sign", bytes([4]) + compact({"type": "key_revoked", "date": "2026-02-01", "signer": "openai",
                                         "public_key": "A" * 43 + "=", "nonce": "0123456789abcdef0123456789abcdef",
                                         "signatures": [{"signer": "openai", "public_key": "A" * 43 + "=",
                                                         "signature": "C" * 86 + "=="}]}).encode())
    write("sign", bytes([4]) + compact({"type": "settings_changed", "date": "2026-02-01", "require_signatures": True,
                                         "bootstrap": {"keys": ["B" * 43 + "="], "threshold": 1},
                                         "nonce": "settings-change-nonce-1"}).encode())
    write("sign", bytes([0]) + compact({"type": "azure_purchase", "date": "2026-01-01", "amount_usd": 5,
                                         "nonce": "a-nonce-of-sixteen", "recorded_by": ["openai", "microsoft"]}).encode())
    write("sign", bytes([1]) + compact({"type": "volume_purchase", "date": "2026-01-01", "amount_usd": 5,
                                         "nonce": "bad nonce!"}).encode())
    write("sign", bytes([8]) + compact({"type": "agi_declared", "date": "2026-01-01", "by": "openai",
                                         "signatures": [{"signer": "openai", "public_key": "A" * 43 + "=",
                                                         "signature": "C" * 86 + "=="}]}).encode())
    write("sign", bytes([0]) + compact({"origin": "pactum:0123456789abcdef0123456789abcdef", "agreement": "1" * 64,
                                         "chain": "events", "size": 5, "root": "3" * 64, "head": "2" * 64,
                                         "signatures": [{"signer": "microsoft", "public_key": "A" * 43 + "=",
                                                         "signature": "C" * 86 + "=="}]}).encode())
    write("sign", bytes([0]) + b'"\\ud83d\\ude00"')
    write("sign", bytes([0]) + b'[1,-9223372036854775808,9223372036854775807]')


def http_seeds():
    reqs = [("GET /healthz", [], ""), ("GET /metrics", [], ""), ("GET /v1/agreement", [], ""),
            ("GET /v1/vocabulary", [], ""), ("GET /v1/clauses", [], ""), ("GET /v1/status?date=2027-01-01", [], ""),
            ("GET /v1/status?date=2027-02-30", [], ""), ("GET /v1/ledger?by=quarter&date=2030-01-01", [], ""),
            ("GET /v1/ledger?by=week", [], ""), ("GET /v1/events?since=0", [], ""), ("GET /v1/events?since=-1", [], ""),
            ("GET /v1/audit/verify", [], ""), ("GET /", [], ""), ("GET /app.js", [], ""), ("GET /style.css", [], ""),
            ("GET /nowhere", [], ""), ("DELETE /v1/decide", [], ""), ("POST /v1/decide", [], "{"),
            ("GET /v1/gate", ["X-Pactum-Principal: openai", "X-Pactum-Action: serve_api",
                              "X-Pactum-Context-Cloud: aws", "X-Pactum-Date: 2026-03-01"], ""),
            ("GET /v1/gate", ["X-Pactum-Principal: openai", "X-Pactum-Action: serve_api",
                              "X-Pactum-Context-Customer-Segment: us_gov_national_security",
                              "X-Pactum-Resource-Built-With-Third-Party: true"], ""),
            ("GET /v1/gate", ["X-Pactum-Principal: openai"], ""),
            ("POST /v1/events", [], "{}"),
            ("POST /v1/decide", ["Content-Length: 99999999"], ""),
            ("POST /v1/decide", ["Transfer-Encoding: chunked"], "5\r\n[1,2]\r\n0\r\n\r\n")]
    batch = []
    for which, sc in scenarios():
        if which != 0:
            continue
        req = compact(sc["request"])
        batch.append(sc["request"])
        reqs.append(("POST /v1/decide", ["Content-Type: application/json"], req))
        if len(batch) % 7 == 0:
            reqs.append(("POST /v1/explain", [], req))
        if sc.get("events"):
            for party in range(3):
                reqs.append(("POST /v1/events", ["Authorization: Bearer fuzz-write-%d" % party],
                             compact(sc["events"]) if len(sc["events"]) > 1 else compact(sc["events"][0])))
    # Several requests on one input, separated by a line "@@@": append events, then read them back.
    for which, sc in scenarios():
        if which != 0 or not sc.get("events"):
            continue
        date = sc["request"].get("context", {}).get("date", "2030-01-01")
        for party in range(3):
            parts = ["POST /v1/events\nAuthorization: Bearer fuzz-write-%d\n\n%s" % (party, compact(sc["events"])),
                     "POST /v1/decide\n\n" + compact(sc["request"]),
                     "GET /v1/status?date=%s\n\n" % date,
                     "GET /v1/events?since=0\n\n" if party != 1 else "GET /v1/ledger?date=%s\n\n" % date]
            write("http", bytes([0]) + "\n@@@\n".join(parts).encode())
    write("http", bytes([0]) + b"GET /v1/audit/verify\n\n\n@@@\nGET /metrics\n\n")
    reqs.append(("POST /v1/decide", [], compact(batch[:5])))
    reqs.append(("POST /v1/decide", [], compact(batch[:9])))
    for line, headers, body in reqs:
        for flags in (0, 1):
            hdrs = list(headers)
            if flags and not any(h.startswith("Authorization") for h in hdrs):
                hdrs.append("Authorization: Bearer fuzz-read")
            text = line + "\n" + "".join(h + "\n" for h in hdrs) + "\n" + body
            write("http", bytes([flags]) + text.encode())


def http_record_seeds():
    """The record of issue 13 over HTTP (fuzz_http.c): a body's members voting until the quorum
    records the event, the refusals of a vote, GET /v1/proposals, /v1/store, proofs, and
    checkpoints, signed by the harness's registered key (X-Fuzz-Sign). The harness's store holds
    store_created (seq 1) and party 0's key (seq 2): the first event is seq 3."""
    with open(os.path.join(ROOT, "agreements", "microsoft-openai-2025-10-28.pact"), "rb") as f:
        agreement = hashlib.sha256(f.read()).hexdigest()
    openai = "Authorization: Bearer fuzz-write-1"
    member = ["Authorization: Bearer fuzz-vote-0-%d" % m for m in range(5)]
    declared = compact({"type": "agi_declared", "date": "2029-01-15", "by": "openai"})
    verdict = {"type": "panel_verdict", "date": "2029-06-01", "declaration": 3, "verdict": "verified"}

    def req(line, headers=(), body=""):
        return line + "\n" + "".join(h + "\n" for h in headers) + "\n" + body

    def seed(flags, parts):
        if flags & 1:  # reads need the read token; writes carry their own
            parts = [p if "\nAuthorization:" in p.split("\n\n", 1)[0] or p.startswith("POST")
                     else p.replace("\n", "\nAuthorization: Bearer fuzz-read\n", 1) for p in parts]
        write("http", bytes([flags]) + "\n@@@\n".join(parts).encode())

    vote = lambda m, ev=verdict: req("POST /v1/events", [member[m], "Content-Type: application/json"], compact(ev))
    forged = {"origin": "pactum:" + "0" * 32, "agreement": agreement, "chain": "events", "size": 2, "root": "0" * 64,
              "head": "1" * 64}
    for flags in (0, 1):
        # Three members' votes record the verdict; the same member twice counts once.
        seed(flags, [req("POST /v1/events", [openai], declared), vote(0), vote(0), vote(1), req("GET /v1/proposals"),
                     vote(2), req("GET /v1/proof?seq=4"), req("GET /v1/consistency?from=2&to=4")])
        # Votes refused: a batch, a recorded_by of its own, a stale declaration, a party's token, a signed vote.
        seed(flags, [req("POST /v1/events", [openai], declared), vote(0, [verdict, verdict]),
                     vote(1, dict(verdict, recorded_by=["panel.expert_2"])), vote(2, dict(verdict, declaration=2)),
                     req("POST /v1/events", [openai], compact(verdict)),
                     vote(3, dict(verdict, signatures=[{"signer": "panel.expert_4", "public_key": "A" * 43 + "=",
                                                        "signature": "B" * 86 + "=="}])),
                     vote(4, dict(verdict, nonce="fuzz-nonce-000001")), req("GET /v1/proposals")])
        # Checkpoints: the current tree head signed by party 0's registered key is kept; one the
        # store does not hold is refused (409): of another store, of a size it does not have, with
        # another root; an unsigned one (400), one without a token (401).
        seed(flags, [req("GET /v1/store"), req("GET /v1/checkpoints"),
                     req("POST /v1/checkpoints", [openai, "X-Fuzz-Sign: current"]),
                     req("GET /v1/checkpoints?chain=events"),
                     req("POST /v1/checkpoints", [openai, "X-Fuzz-Sign: body"], compact(forged)),
                     req("POST /v1/checkpoints", [openai], compact(forged)),
                     req("POST /v1/checkpoints", [], compact(forged))])
        sign = lambda over: req("POST /v1/checkpoints", [openai, "X-Fuzz-Sign: current"], compact(over))
        seed(flags, [sign({"size": 9}), sign({"root": "0" * 64}), sign({"head": "0" * 64}), sign({"size": 1}),
                     sign({"chain": "decisions", "size": 0}), sign({"extra": 1}), sign({"size": "2"}),
                     req("GET /v1/checkpoints?chain=decisions")])
        # Proofs of both chains, in and out of range.
        seed(flags, [req("GET /v1/proof?seq=1&size=2"), req("GET /v1/proof?seq=3"), req("GET /v1/proof?seq=1&chain=decisions"),
                     req("GET /v1/proof?seq=0"), req("GET /v1/consistency?from=1"), req("GET /v1/consistency?from=2&to=1"),
                     req("GET /v1/consistency?from=1&chain=decisions"), req("GET /v1/checkpoints?chain=nope")])
        # Events after a vote: the tree grows, and a proof of the new record.
        seed(flags, [req("POST /v1/events", [openai, "Content-Type: application/json"],
                         compact([{"type": "azure_purchase", "date": "2026-01-15", "amount_usd": 100},
                                  {"type": "azure_purchase", "date": "2026-02-15", "amount_usd": 200}])),
                     req("GET /v1/store"), req("GET /v1/proof?seq=4&size=4"), req("GET /v1/consistency?from=3"),
                     req("POST /v1/checkpoints", [openai, "X-Fuzz-Sign: current"]), req("GET /v1/checkpoints")])


def diff_seeds():
    rng = random.Random(7)
    for n in range(48):
        write("diff", bytes(rng.randrange(256) for _ in range(8 + n * 2)))


def merkle_seeds():
    # fuzz_merkle.c reads n = 1 + N % limit and m = M % n (inclusion) or 1 + M % n (consistency);
    # each mutation is a kind byte (kind % 9), a byte choosing a hash, and its arguments.
    def seed(flags, n, m, ops):
        first = m - 1 if flags & 1 else m
        write("merkle", bytes([flags]) + (n - 1).to_bytes(8, "big") + first.to_bytes(8, "big") + b"".join(ops))

    flip = lambda i, at: bytes([0, i, at])
    overwrite = lambda i: bytes([1, i]) + bytes(range(32))
    drop = lambda i: bytes([2, i])
    insert = lambda i, at: bytes([3, i, at])
    swap = lambda i, j: bytes([4, i, j])
    truncate = lambda k: bytes([5, 0, k])
    index = lambda d: bytes([6, 0, 1, d & 0xFF])
    size = lambda d: bytes([7, 0, 1, d & 0xFF])
    shift = lambda up: bytes([8, 0, up])
    every = [flip(0, 5), flip(0, 5), flip(1, 200), overwrite(0), drop(0), insert(0, 0), swap(0, 1), truncate(1),
             index(1), index(-1), size(1), size(-1), shift(1), shift(0)]
    huge = (1 << 63) - 1
    for flags in (0, 1, 2, 3):
        sizes = [1, 2, 3, 7, 8, 9, 1000, 65535, 65536] if flags < 2 else [huge, (1 << 62) + 1, 1 << 40, 3]
        for n in sizes:
            for m in sorted({1, n // 2, n - 1, n} if flags & 1 else {0, n // 3, n - 1}):
                if m < (1 if flags & 1 else 0) or m > n:
                    continue
                seed(flags, n, m, [])
                seed(flags, n, m, every)
        # one mutation at a time, on a mid-sized proof
        for op in every:
            seed(flags, 1000 if flags < 2 else huge, 333, [op])
    # bit 2: the node function fails at call 1 + byte % 48 (the byte after the two numbers)
    for flags in (4, 5, 6, 7):
        for call in (0, 3, 9):
            n = 1000 if flags < 6 else huge
            m = 333
            write("merkle", bytes([flags]) + (n - 1).to_bytes(8, "big") + (m - (flags & 1)).to_bytes(8, "big")
                  + bytes([call]) + b"".join([index(1), size(-1)]))


def main():
    clear()
    pact_seeds()
    request_and_event_seeds()
    http_seeds()
    http_record_seeds()
    diff_seeds()
    merkle_seeds()
    for d in sorted(os.listdir(OUT)):
        print("%-8s %4d seeds" % (d, len(glob.glob(os.path.join(OUT, d, "seed-*")))))


if __name__ == "__main__":
    main()
