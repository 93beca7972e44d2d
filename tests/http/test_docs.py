#!/usr/bin/env python3
"""The examples of docs/http-api.md, replayed against the real server.

    python3 tests/http/test_docs.py PACTUM [DOC]

Starts `pactum serve --tokens tokens.txt` on an empty store, with the tokens file the document
shows, then sends every request of the document in order (each ```http block that starts with a
method) and compares the answer with the ```http response block that follows it: the status, the
headers shown (Date and Content-Length aside) and the body. JSON is compared as data: "..." matches
any value, a trailing "..." element any further elements of an array, a "..." key any further keys
of an object; otherwise keys must come in the order shown. What differs on every run (a store gets
a random id when it is made, and the hashes and times follow) is shown by its form, and matches only
a value of that form: in a string, "<hash>" stands for 64 lowercase hex digits, "<store-id>" for 32,
and "<utc-time>" for YYYY-MM-DDTHH:MM:SSZ (so "pactum:<store-id>" is the literal text followed by an
id); the string "<unix-time>" matches a whole number of seconds after 2020. A text body must contain
the lines shown, in order, where a line "..." stands for any lines.
"""
import hashlib
import json
import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serverlib import *  # noqa: E402,F401,F403
import serverlib as L  # noqa: E402

DOC = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "docs", "http-api.md")
with open(DOC, encoding="utf-8") as f:
    text = f.read()

# ---- The tokens file the document shows -------------------------------------------------------

TOKS = {"openai": "tok-openai", "microsoft": "tok-microsoft", "panel.expert_1": "tok-expert-1",
        "panel.expert_2": "tok-expert-2", "panel.expert_3": "tok-expert-3"}
m = re.search(r"```text\n# file: tokens\.txt[^\n]*\n(.*?)```", text, re.S)
shown = m.group(1).strip().splitlines() if m else []
want = ["%s %s" % (who, hashlib.sha256(tok.encode()).hexdigest()) for who, tok in TOKS.items()]
check("the document shows the tokens file, with the SHA-256 of each token", shown == want, "\n".join(shown))
tokens = path("tokens.txt")
with open(tokens, "w") as f:
    f.write("\n".join(want) + "\n")

# ---- The examples -------------------------------------------------------------------------------

blocks = [(text.count("\n", 0, b.start()) + 2, b.group(1)) for b in re.finditer(r"```http\n(.*?)```", text, re.S)]
pairs = []
i = 0
while i < len(blocks):
    line, blk = blocks[i]
    if re.match(r"(GET|POST|PUT|PATCH|DELETE) ", blk):
        if i + 1 < len(blocks) and blocks[i + 1][1].startswith("HTTP/1.1 "):
            pairs.append((line, blk, blocks[i + 1][1]))
            i += 2
            continue
        check("line %d: a request block is followed by its response block" % line, False)
    else:
        check("line %d: a response block follows a request block" % line, False, blk[:200])
    i += 1
check("the document has examples (at least 20 request/response pairs)", len(pairs) >= 20, len(pairs))


def split(blk):
    head, _, body = blk.partition("\n\n")
    lines = head.splitlines()
    hdrs = []
    for h in lines[1:]:
        k, _, v = h.partition(":")
        hdrs.append((k.strip(), v.strip()))
    return lines[0], hdrs, body.rstrip("\n")


FORMS = {"<hash>": "[0-9a-f]{64}", "<store-id>": "[0-9a-f]{32}", "<utc-time>": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"}
PLACEHOLDER = re.compile("|".join(re.escape(k) for k in FORMS))


def match_form(want, got, where):
    """None if got has the form the placeholders of string want show, else the difference."""
    if want == "<unix-time>":
        ok = isinstance(got, int) and not isinstance(got, bool) and got > 1577836800
        return None if ok else "%s: %r, expected a Unix time (<unix-time>)" % (where, got)
    parts = re.split("(%s)" % PLACEHOLDER.pattern, want)
    ok = isinstance(got, str) and re.fullmatch("".join(FORMS.get(x) or re.escape(x) for x in parts), got)
    return None if ok else "%s: %r, expected the form %r" % (where, got, want)


def match(want, got, where="$"):
    """None if got matches want, else a description of the first difference."""
    if want == "...":
        return None
    if isinstance(want, str) and (want == "<unix-time>" or PLACEHOLDER.search(want)):
        return match_form(want, got, where)
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return "%s: expected an object, got %r" % (where, got)
        open_ = "..." in want
        keys = [k for k in want if k != "..."]
        if not open_ and list(got) != keys:
            return "%s: keys %s, expected %s" % (where, list(got), keys)
        if open_:
            order = [k for k in got if k in want]
            if order != keys:
                return "%s: keys %s, expected %s among them, in that order" % (where, list(got), keys)
        for k in keys:
            d = match(want[k], got[k], "%s.%s" % (where, k))
            if d:
                return d
        return None
    if isinstance(want, list):
        if not isinstance(got, list):
            return "%s: expected an array, got %r" % (where, got)
        open_ = bool(want) and want[-1] == "..."
        items = want[:-1] if open_ else want
        if len(got) < len(items) or (not open_ and len(got) != len(items)):
            return "%s: %d elements, expected %s%d" % (where, len(got), "at least " if open_ else "", len(items))
        for n, w in enumerate(items):
            d = match(w, got[n], "%s[%d]" % (where, n))
            if d:
                return d
        return None
    if isinstance(want, bool) or isinstance(got, bool) or want is None or got is None:
        return None if want is got else "%s: %r, expected %r" % (where, got, want)
    if isinstance(want, (int, float)) and isinstance(got, (int, float)):
        return None if want == got else "%s: %r, expected %r" % (where, got, want)
    return None if want == got else "%s: %r, expected %r" % (where, got, want)


def match_text(want, got):
    lines = got.splitlines()
    pos = 0
    for w in want.splitlines():
        if w == "...":
            continue
        try:
            pos = lines.index(w, pos) + 1
        except ValueError:
            return "the line %r is not in the answer (after line %d)" % (w, pos)
    return None


srv = Server("--tokens", tokens, name="docs")
for line, rq, rs in pairs:
    start, hdrs, body = split(rq)
    method, target, _ = start.split(" ")
    want_start, want_hdrs, want_body = split(rs)
    want_status = int(want_start.split(" ")[1])
    send = {k: v for k, v in hdrs if k.lower() != "host"}
    r = srv.request(method, target, body=body.encode() if body else None, headers=send)
    name = "line %d: %s %s" % (line, method, target)
    problems = []
    if r.status != want_status:
        problems.append("status %d, expected %d" % (r.status, want_status))
    for k, v in want_hdrs:
        if k.lower() in ("date", "content-length"):
            continue
        if r.header(k) != v:
            problems.append("header %s: %r, expected %r" % (k, r.header(k), v))
    if want_body:
        if (r.header("Content-Type") or "").startswith("application/json"):
            try:
                d = match(json.loads(want_body), r.json())
            except ValueError as e:
                d = "the document's JSON does not parse: %s" % e
        else:
            d = match_text(want_body, r.text)
        if d:
            problems.append(d)
    elif r.body:
        problems.append("a body, where the document shows none")
    check(name + " answers as the document shows", not problems, "\n".join(problems) + "\n--- the answer\n%r" % r)

check("the server never crashed", srv.alive(), srv.stderr()[-1500:])
check("SIGTERM: exit 0", srv.stop() == 0)
finish()
