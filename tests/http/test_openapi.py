#!/usr/bin/env python3
"""docs/openapi.yaml: it parses, it is OpenAPI 3.0, it describes the endpoints docs/http-api.md
lists, its references resolve, and the real server's answers fit its schemas.

    python3 tests/http/test_openapi.py PACTUM

Needs PyYAML: if this interpreter has none, the script runs itself again under Debian's
/usr/bin/python3 (python3-yaml); if neither has it, it exits 77 (skipped). The schema check is a
small validator of the OpenAPI subset the file uses: type, nullable, required, properties,
additionalProperties, items, enum, pattern, oneOf, allOf and $ref.
"""
import json
import os
import re
import subprocess
import sys

try:
    import yaml
except ImportError:
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") \
            and os.environ.get("PACTUM_OPENAPI_REEXEC") != "1":
        os.environ["PACTUM_OPENAPI_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3", *sys.argv])
    print("SKIP: PyYAML is not installed (Debian: apt-get install python3-yaml)")
    sys.exit(77)

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serverlib import *  # noqa: E402,F401,F403
import serverlib as L  # noqa: E402

SPEC = os.path.join(ROOT, "docs", "openapi.yaml")
DOC = os.path.join(ROOT, "docs", "http-api.md")
try:
    with open(SPEC, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    ok = True
except yaml.YAMLError as e:
    spec, ok = {}, e
check("docs/openapi.yaml parses as YAML", ok is True, ok)
if not spec:
    finish()
check("it is OpenAPI 3.0", str(spec.get("openapi", "")).startswith("3.0."), spec.get("openapi"))
check("it has info.title and info.version", bool(spec.get("info", {}).get("title")) and bool(spec.get("info", {}).get("version")))

# The endpoints of http-api.md's table, each with its method.
with open(DOC, encoding="utf-8") as f:
    doc = f.read()
table = re.findall(r"^\| (GET|POST) \| `([^`?]+)(?:\?[^`]*)?`", doc, re.M)
check("http-api.md's table lists the endpoints", len(table) >= 13, table)
paths = spec.get("paths", {})
for method, p in table:
    check("openapi.yaml describes %s %s" % (method, p), method.lower() in paths.get(p, {}), sorted(paths))
for p, ops in paths.items():
    for m in ops:
        if m in ("get", "post", "put", "patch", "delete"):
            check("%s %s of openapi.yaml is in http-api.md's table" % (m.upper(), p), (m.upper(), p) in table)

# Every $ref resolves; every operation has an id and responses with descriptions.
refs = []


def walk(node, where):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                refs.append((where, v))
            else:
                walk(v, where + "/" + str(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            walk(v, "%s/%d" % (where, i))


def resolve(ref):
    node = spec
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


walk(spec, "#")
bad = []
for where, ref in refs:
    try:
        resolve(ref)
    except (KeyError, TypeError):
        bad.append("%s -> %s" % (where, ref))
check("every $ref resolves (%d refs)" % len(refs), not bad and refs, bad)
ids = [op.get("operationId") for ops in paths.values() for m, op in ops.items() if isinstance(op, dict)]
check("every operation has a unique operationId", all(ids) and len(ids) == len(set(ids)), ids)
nodesc = ["%s %s %s" % (m, p, st) for p, ops in paths.items() for m, op in ops.items()
          for st, r in op.get("responses", {}).items() if "$ref" not in r and not r.get("description")]
check("every response has a description", not nodesc, nodesc)
used = {ref.split("/")[-1] for _, ref in refs}
unused = [n for n in spec.get("components", {}).get("schemas", {}) if n not in used]
check("every schema is used", not unused, unused)


# ---- The real answers fit the schemas ------------------------------------------------------------

def validate(schema, value, where="$"):
    if "$ref" in schema:
        return validate(resolve(schema["$ref"]), value, where)
    if value is None:
        return None if schema.get("nullable") or not schema.get("type") and "oneOf" not in schema \
            and "allOf" not in schema else "%s: null, not nullable" % where
    if "allOf" in schema:
        for s in schema["allOf"]:
            d = validate(s, value, where)
            if d:
                return d
    if "oneOf" in schema:
        fits = [s for s in schema["oneOf"] if validate(s, value, where) is None]
        return None if len(fits) == 1 else "%s: fits %d of the oneOf schemas, not 1" % (where, len(fits))
    t = schema.get("type")
    types = {"object": dict, "array": list, "string": str, "boolean": bool}
    if t in types and not isinstance(value, types[t]):
        return "%s: %r is not a%s %s" % (where, value, "n" if t[0] in "aeiou" else "", t)
    if t == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
        return "%s: %r is not an integer" % (where, value)
    if t == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))):
        return "%s: %r is not a number" % (where, value)
    if "enum" in schema and value not in schema["enum"]:
        return "%s: %r is not one of %s" % (where, value, schema["enum"])
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        return "%s: %r does not match %s" % (where, value, schema["pattern"])
    if isinstance(value, dict):
        for k in schema.get("required", []):
            if k not in value:
                return "%s: no required '%s'" % (where, k)
        props = schema.get("properties", {})
        for k, v in value.items():
            if k in props:
                d = validate(props[k], v, "%s.%s" % (where, k))
                if d:
                    return d
            elif schema.get("additionalProperties") is False:
                return "%s: '%s' is not allowed" % (where, k)
            elif isinstance(schema.get("additionalProperties"), dict):
                d = validate(schema["additionalProperties"], v, "%s.%s" % (where, k))
                if d:
                    return d
    if isinstance(value, list) and "items" in schema:
        for i, v in enumerate(value):
            d = validate(schema["items"], v, "%s[%d]" % (where, i))
            if d:
                return d
    return None


def response_schema(path, method, status):
    r = paths[path][method]["responses"].get(str(status))
    if r is None:
        return None, "status %s is not described" % status
    if "$ref" in r:
        r = resolve(r["$ref"])
    content = r.get("content", {})
    for ctype, media in content.items():
        return media.get("schema"), ctype
    return {}, None


tokens = write_tokens()
srv = Server("--tokens", tokens, name="openapi")
srv.post("/v1/events", [purchase("2026-01-15", 100), declared("2026-02-01")], headers=bearer("openai"))
CALLS = [
    ("/healthz", "get", None, {}),
    ("/v1/agreement", "get", None, {}),
    ("/v1/vocabulary", "get", None, {}),
    ("/v1/clauses", "get", None, {}),
    ("/v1/status?date=2026-03-01", "get", None, {}),
    ("/v1/status?date=2026-02-30", "get", None, {}),
    ("/v1/ledger?date=2026-12-31&by=quarter", "get", None, {}),
    ("/v1/ledger?by=week", "get", None, {}),
    ("/v1/obligations?date=2026-03-01", "get", None, {}),
    ("/v1/obligations?date=2026-02-30", "get", None, {}),
    ("/v1/decide", "post", aws("2026-03-01"), {}),
    ("/v1/decide", "post", dict(aws("2026-03-01"), id="r-1"), {}),
    ("/v1/decide", "post", [aws("2026-03-01"), azure(), {"principal": "openai", "action": "fly"}], {}),
    ("/v1/decide", "post", {"principal": "openai"}, {}),
    ("/v1/explain", "post", aws("2026-03-01"), {}),
    ("/v1/whatif", "post", {"add": ["agi_declared openai 2026-05-01", "panel_verdict 1 verified 2026-06-01"], "date": "2026-07-01"}, {}),
    ("/v1/whatif", "post", {"add": ["panel_verdict verdict=maybe 2026-06-01"]}, {}),
    ("/v1/whatif", "post", {"add": []}, {}),
    ("/v1/events", "get", None, {}),
    ("/v1/events?limit=1", "get", None, {}),
    ("/v1/events?since=x", "get", None, {}),
    ("/v1/events?limit=0", "get", None, {}),
    ("/v1/events", "post", purchase("2026-03-01", 5), bearer("openai")),
    ("/v1/events", "post", purchase("2026-03-01", 5), {}),
    ("/v1/events", "post", declared("2026-03-02"), bearer("microsoft")),
    ("/v1/events", "post", declared("2026-03-02"), bearer("openai")),
    # A verdict is the panel's: three members' votes (202, 202, then 200 with the proposal); it
    # names the declaration, seq 3 (after store_created and the purchase).
    ("/v1/events", "post", verdict("2026-03-05", "verified", 3), bearer("panel.expert_1")),
    ("/v1/proposals", "get", None, {}),
    ("/v1/events", "post", verdict("2026-03-05", "verified", 3), bearer("panel.expert_2")),
    ("/v1/events", "post", [verdict("2026-03-05", "verified", 3)] * 2, bearer("panel.expert_3")),
    ("/v1/events", "post", dict(verdict("2026-03-05", "verified", 3), recorded_by=["panel.expert_1"]), bearer("panel.expert_3")),
    ("/v1/events", "post", verdict("2026-03-05", "verified", 3), bearer("panel.expert_3")),
    ("/v1/proposals", "get", None, {}),
    ("/v1/store", "get", None, {}),
    ("/v1/proof?seq=2", "get", None, {}),
    ("/v1/proof?seq=1&size=1&chain=events", "get", None, {}),
    ("/v1/proof?seq=1&chain=decisions", "get", None, {}),
    ("/v1/proof?seq=99", "get", None, {}),
    ("/v1/consistency?from=1", "get", None, {}),
    ("/v1/consistency?from=2&to=3&chain=decisions", "get", None, {}),
    ("/v1/consistency?from=0", "get", None, {}),
    ("/v1/checkpoints", "get", None, {}),
    ("/v1/checkpoints?chain=decisions", "get", None, {}),
    ("/v1/checkpoints?chain=x", "get", None, {}),
    ("/v1/checkpoints", "post", {"origin": "pactum:" + "0" * 32, "agreement": "0" * 64, "chain": "events", "size": 1,
                                 "root": "0" * 64, "head": "0" * 64}, bearer("openai")),
    ("/v1/checkpoints", "post", {}, {}),
    ("/v1/audit/verify", "get", None, {}),
    ("/v1/gate", "get", None, {"X-Pactum-Principal": "openai", "X-Pactum-Action": "serve_api", "X-Pactum-Context-Cloud": "aws"}),
    ("/v1/gate", "get", None, {"X-Pactum-Principal": "openai", "X-Pactum-Action": "serve_api"}),
    ("/v1/gate", "get", None, {"X-Pactum-Principal": "openai"}),
    ("/metrics", "get", None, {}),
    ("/", "get", None, {}),
]
# Checkpoints signed by a key the store registered (docs/store.md, "Checkpoints"): openai's key in
# two stores made with one bootstrap key. A checkpoint of the one is kept there (200), and refused
# by the other, which does not hold its tree (409).
keys = path("keys")
os.makedirs(keys, exist_ok=True)


def pactum(*args, stdin=None):
    return subprocess.run([L.PACTUM, *args], input=stdin, capture_output=True, text=True, cwd=L.TMP, timeout=60)


pactum("keygen", "--bootstrap", "--out", keys)
pactum("keygen", "--party", "openai", "--out", keys)
signed = []
for name in ("cp-a.db", "cp-b.db"):
    pactum("init", "--db", path(name), "--bootstrap-key", os.path.join(keys, "bootstrap.pub"))
    with open(os.path.join(keys, "openai.pub")) as f:
        reg = pactum("event", "sign", "--db", path(name), "--key", os.path.join(keys, "openai.key"),
                     stdin=f.read().replace("{", '{"type":"key_registered","date":"2026-01-01",', 1))
    add = pactum("event", "add", "--db", path(name), "--sign", os.path.join(keys, "bootstrap.key"), stdin=reg.stdout)
    cp = pactum("checkpoint", "sign", "--db", path(name), "--key", os.path.join(keys, "openai.key"))
    check("%s: openai's key registered and a checkpoint signed" % name, add.returncode == 0 and cp.returncode == 0,
          reg.stderr + add.stderr + cp.stderr)
    signed.append(json.loads(cp.stdout or "{}"))
cps = Server("--tokens", tokens, db=path("cp-a.db"), name="openapi-checkpoints")
CALLS.append(("/v1/checkpoints", "post", signed[0], bearer("microsoft"), cps))
CALLS.append(("/v1/checkpoints", "post", signed[1], bearer("microsoft"), cps))
CALLS.append(("/v1/checkpoints", "get", None, {}, cps))
# A limit's error: a what-if over --max-whatif-work, on another server.
lim = Server("--max-whatif-work", "1", name="openapi-limits")
CALLS.append(("/v1/whatif", "post", {"add": ["agi_declared openai 2026-06-01"], "date": "2026-07-01"}, {}, lim))
seen = set()
for url, method, body, hdrs, *on in CALLS:
    r = (on[0] if on else srv).request(method.upper(), url, body=body, headers=hdrs)
    p = url.split("?")[0]
    schema, ctype = response_schema(p, method, r.status)
    name = "%s %s -> %d" % (method.upper(), url, r.status)
    if schema is None:
        check(name + ": the status is described", False, ctype)
        continue
    if ctype is None:
        check(name + ": described without a body, and has none", r.body == b"", r)
        continue
    check(name + ": the Content-Type is the described %s" % ctype, (r.header("Content-Type") or "").startswith(ctype), r.header("Content-Type"))
    if ctype == "application/json":
        d = validate(schema, r.json())
        check(name + ": the body fits the schema", d is None, "%s\n%r" % (d, r))
    if r.status in (204, 403) and p == "/v1/gate":
        hs = paths[p]["get"]["responses"][str(r.status)].get("headers", {})
        check(name + ": the described headers are sent (X-Pactum-Clauses only when a clause determined it)",
              all(r.header(h) is not None for h in hs if h != "X-Pactum-Clauses"), r)
    seen.add((p, method, r.status))
check("the limit's error says which limit, and its value", r.status == 413 and r.json()["error"].get("limit") == "max-whatif-work"
      and r.json()["error"].get("value") == 1, r)
# The answers above reached what the record's endpoints describe: votes (202) and their quorum
# (200), their refusals, proofs in and out of range, checkpoints kept and refused.
for want in [("/v1/events", "post", 202), ("/v1/events", "post", 200), ("/v1/proposals", "get", 200),
             ("/v1/store", "get", 200), ("/v1/proof", "get", 200), ("/v1/proof", "get", 400),
             ("/v1/consistency", "get", 200), ("/v1/consistency", "get", 400), ("/v1/checkpoints", "get", 200),
             ("/v1/checkpoints", "post", 200), ("/v1/checkpoints", "post", 400), ("/v1/checkpoints", "post", 401),
             ("/v1/checkpoints", "post", 409)]:
    check("answered: %s %s -> %d" % (want[1].upper(), want[0], want[2]), want in seen)
lim.stop()
cps.stop()
srv.stop()
finish()
