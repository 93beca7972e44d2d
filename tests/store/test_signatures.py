#!/usr/bin/env python3
"""Signatures and who may record what, on the shipped agreement (`agi_declared recorded by
openai`, `panel_verdict recorded by panel` with a quorum of 3 of 5 members, `azure_purchase
recorded by openai, microsoft`).

    python3 tests/store/test_signatures.py PACTUM

A store is created with --require-signatures and a bootstrap key; every signer's first key is
registered by a key_registered event signed by the bootstrap key, later keys by a key already
registered to the same signer. Every refusal must exit 2, name the reason code and write nothing.
"""
import json
import os
import re
import stat
import sys

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from storelib import *  # noqa: E402,F401,F403
import storelib as L  # noqa: E402

L.need_sqlite3()

BOOT, KEYS, KEYS2, STRANGER = path("boot"), path("keys"), path("keys2"), path("stranger")
for d in (BOOT, KEYS, KEYS2, STRANGER):
    os.makedirs(d, exist_ok=True)


def keygen(party, out, member=None):
    args = ["keygen", "--party", party, "--out", out] + (["--member", member] if member else [])
    r = run(*args)
    name = party + ("." + member if member else "")
    check("keygen %s into %s" % (name, os.path.basename(out)), r.rc == 0, r)
    return os.path.join(out, name + ".key")


def pub(keyfile):
    with open(keyfile[:-4] + ".pub") as f:
        return json.load(f)["public_key"]


def key_event(signer, keyfile, date="2026-01-01"):
    return {"type": "key_registered", "date": date, "signer": signer, "public_key": pub(keyfile)}


def sign(events, keyfile):
    """`pactum event sign --key KEY`: the signed events, parsed."""
    r = run("event", "sign", "--key", keyfile, stdin=jsonl(events))
    check("event sign --key %s" % os.path.basename(keyfile), r.rc == 0, r)
    return [json.loads(l) for l in r.out.splitlines() if l.strip()]


def accepted(name, db, events, *signers):
    extra = [a for k in signers for a in ("--sign", k)]
    n = count(db)
    r = add(db, events, *extra)
    check("%s: accepted" % name, r.rc == 0 and count(db) == n + len(events), r)
    return r


def refused(name, db, events, code, *signers, line=1, message=None):
    extra = [a for k in signers for a in ("--sign", k)]
    before = rows(db)
    r = add(db, events, *extra)
    m = re.search(r"^<stdin>:(\d+): error: (.*) \[(\w+)\]$", r.err, re.M)
    got = (int(m.group(1)), m.group(3)) if m else None
    ok = r.rc == 2 and got == (line, code) and sane(r)
    if ok and message:
        ok = message in m.group(2)
    check("%s: refused [%s]" % (name, code), ok, "got %s\n%r" % (got, r))
    check("%s: nothing was written" % name, rows(db) == before)
    return r


# ---- Keys --------------------------------------------------------------------------------------
boot = keygen("openai", BOOT)  # the bootstrap key: any key file will do
k = {"openai": keygen("openai", KEYS), "microsoft": keygen("microsoft", KEYS)}
for i in range(1, 6):
    k["panel.expert_%d" % i] = keygen("panel", KEYS, member="expert_%d" % i)
k2_openai = keygen("openai", KEYS2)
k2_expert1 = keygen("panel", KEYS2, member="expert_1")
stranger = keygen("openai", STRANGER)

mode = stat.S_IMODE(os.stat(k["openai"]).st_mode)
check("a .key file is written with mode 0600", mode == 0o600, oct(mode))
before = open(k["openai"]).read()
r = run("keygen", "--party", "openai", "--out", KEYS)
check("keygen refuses to overwrite a key file (exit 2), which keeps its key",
      r.rc == 2 and open(k["openai"]).read() == before, r)
r = run("keygen", "--party", "google", "--out", KEYS)
check("keygen refuses a party the agreement does not have", r.rc == 2, r)
r = run("keygen", "--party", "panel", "--member", "expert_9", "--out", KEYS)
check("keygen refuses a member the body does not have", r.rc == 2, r)
with open(k["panel.expert_3"][:-4] + ".pub") as f:
    check("a member's key names the signer BODY.MEMBER", json.load(f)["signer"] == "panel.expert_3")

# ---- The store ---------------------------------------------------------------------------------
db = fresh("signed.db")
r = run("init", "--db", db, "--require-signatures", "--bootstrap-key", boot[:-4] + ".pub")
check("init --require-signatures --bootstrap-key", r.rc == 0 and "required" in r.out, r)

refused("a first key registered without the bootstrap signature", db, [key_event("openai", k["openai"])], "unsigned")
refused("a first key signed by the key itself, not the bootstrap", db, [key_event("openai", k["openai"])],
        "unknown_key", k["openai"])

# OpenAI's first key: signed with `event sign --key boot.key`, then added.
accepted("openai's first key, signed by the bootstrap key (event sign)", db,
         sign([key_event("openai", k["openai"])], boot))
# The others: --sign with the bootstrap key on `event add`.
accepted("microsoft's and the panel members' first keys, signed by the bootstrap key (--sign)", db,
         [key_event(s, k[s]) for s in ["microsoft"] + ["panel.expert_%d" % i for i in range(1, 6)]], boot)

refused("a key for a member the panel does not have", db,
        [{"type": "key_registered", "date": "2026-01-01", "signer": "panel.expert_9", "public_key": pub(stranger)}],
        "unknown_signer", boot)
refused("a key for a party the agreement does not have", db,
        [{"type": "key_registered", "date": "2026-01-01", "signer": "google", "public_key": pub(stranger)}],
        "unknown_signer", boot)
refused("expert_1's key registered again for expert_2 (one key, one signer)", db,
        [{"type": "key_registered", "date": "2026-01-01", "signer": "panel.expert_2",
          "public_key": pub(k["panel.expert_1"])}], "key_in_use", k["panel.expert_2"])

# ---- Who may declare AGI ------------------------------------------------------------------------
DECL = {"type": "agi_declared", "date": "2026-02-01", "by": "openai"}
r = refused("Microsoft signs agi_declared", db, [DECL], "not_allowed", k["microsoft"])
check("the refusal says who may record it", "openai" in r.err, r)
refused("an unsigned agi_declared in a require-signatures store", db, [DECL], "unsigned")
refused("agi_declared signed only by the bootstrap key", db, [DECL], "unknown_key", boot)
refused("agi_declared signed by a key no one registered", db, [DECL], "unknown_key", stranger)
refused("three panel members sign agi_declared", db, [DECL], "not_allowed",
        k["panel.expert_1"], k["panel.expert_2"], k["panel.expert_3"])
r = accepted("OpenAI signs agi_declared", db, [DECL], k["openai"])
m = re.search(r"seq (\d+)\.\.", r.out)  # "recorded 1 event, seq N..N": the verdict names it

# ---- The panel's quorum ------------------------------------------------------------------------
VERDICT = {"type": "panel_verdict", "date": "2026-03-01", "declaration": int(m.group(1)) if m else 0, "verdict": "verified"}
r = refused("two panel members sign a verdict where three are needed", db, [VERDICT], "no_quorum",
            k["panel.expert_1"], k["panel.expert_2"])
check("the refusal says how many signed and how many are needed", "3" in r.err and "2 signed" in r.err, r)
refused("expert_1 signs twice with the same key, with expert_2", db, [VERDICT], "no_quorum",
        k["panel.expert_1"], k["panel.expert_1"], k["panel.expert_2"])
accepted("expert_1's second key, signed by its first", db,
         [key_event("panel.expert_1", k2_expert1, date="2026-02-15")], k["panel.expert_1"])
refused("expert_1 signs with both its keys, with expert_2: two members, not three", db, [VERDICT], "no_quorum",
        k["panel.expert_1"], k2_expert1, k["panel.expert_2"])
refused("OpenAI signs the verdict", db, [VERDICT], "not_allowed", k["openai"])
accepted("three panel members sign a verdict", db, [VERDICT],
         k["panel.expert_1"], k["panel.expert_2"], k["panel.expert_3"])
r = run("status", "--db", db, "--date", "2026-03-01", "--format", "json")
check("the verified verdict is in the state", r.rc == 0 and json.loads(r.out)["state"]["agi"] == "verified", r)

# ---- Forged and replayed signatures -------------------------------------------------------------
PURCHASE = purchase("2026-04-01", 1000)
signed = sign([PURCHASE], k["openai"])[0]
check("event sign adds one signature naming the signer and its public key",
      [(s["signer"], s["public_key"]) for s in signed["signatures"]] == [("openai", pub(k["openai"]))])
line = run("event", "sign", "--key", k["openai"], stdin=json.dumps(PURCHASE, indent=None) + "\n").out.strip()
check("event sign writes the signed event in canonical form", line == canon(json.loads(line)), line)

forged = json.loads(json.dumps(signed))
s64 = forged["signatures"][0]["signature"]
forged["signatures"][0]["signature"] = ("B" if s64[0] != "B" else "C") + s64[1:]
refused("a forged signature (its base64 edited)", db, [forged], "bad_signature")

short = json.loads(json.dumps(signed))
short["signatures"][0]["signature"] = s64[:40]
refused("a signature cut short", db, [short], "bad_signature")

altered = json.loads(json.dumps(signed))
altered["amount_usd"] = 1_000_000
refused("a signature copied onto an altered event (the amount changed)", db, [altered], "bad_signature")

moved = json.loads(json.dumps(signed))
moved["date"] = "2026-04-02"
refused("a signature copied onto an altered event (the date changed)", db, [moved], "bad_signature")

onto = dict(DECL, date="2026-04-01", signatures=signed["signatures"])
refused("OpenAI's signature of a purchase copied onto a declaration", db, [onto], "bad_signature")

liar = json.loads(json.dumps(signed))
liar["signatures"][0]["signer"] = "microsoft"
refused("OpenAI's signature presented as Microsoft's", db, [liar], "unknown_key")

refused("a batch whose 2nd event carries a forged signature writes nothing", db,
        [signed, forged], "bad_signature", line=2)
accepted("the genuine signed purchase", db, [signed])
accepted("a purchase signed by Microsoft", db, [purchase("2026-04-02", 10)], k["microsoft"])
accepted("a purchase signed by both parties", db, [purchase("2026-04-03", 20)], k["openai"], k["microsoft"])
refused("a purchase signed by three panel members", db, [purchase("2026-04-04", 30)], "not_allowed",
        k["panel.expert_1"], k["panel.expert_2"], k["panel.expert_3"])

# ---- More keys for a party ---------------------------------------------------------------------
accepted("a second key for openai, signed by its first key", db,
         [key_event("openai", k2_openai, date="2026-05-01")], k["openai"])
accepted("a purchase signed with openai's second key", db, [purchase("2026-05-02", 40)], k2_openai)
refused("a key for openai signed by a stranger's key", db, [key_event("openai", stranger, date="2026-05-03")],
        "unknown_key", stranger)
refused("a key for openai signed by Microsoft's registered key", db,
        [key_event("openai", stranger, date="2026-05-03")], "not_allowed", k["microsoft"])
refused("a further key for openai signed by the bootstrap key", db,
        [key_event("openai", stranger, date="2026-05-03")], "not_allowed", boot)

r = run("audit", "verify", "--db", db)
check("the signed store verifies", r.rc == 0, r)
r = run("events", "--db", db, "--format", "text")
check("events --format text names the signers",
      "signed by panel.expert_1, panel.expert_2, panel.expert_3" in r.out and "signed by openai, microsoft" in r.out,
      r)
for ev in events_of(db):
    if ev["type"] != "key_registered" and not ev.get("signatures"):
        check("every stored event of a require-signatures store is signed", False, ev)
        break

# ---- Export and import rebuild the same chain (docs/cli.md, pactum events) -------------------------
exported = path("signed-export.jsonl")
with open(exported, "w") as f:
    f.write(run("events", "--db", db).out)
copy = fresh("signed-copy.db")
run("init", "--db", copy, "--require-signatures", "--bootstrap-key", boot[:-4] + ".pub")
r = run("event", "import", exported, "--db", copy)
check("the export of the signed store imports into a new store with the same settings", r.rc == 0, r)
check("and rebuilds the same chain, down to the head hash",
      run("audit", "head", "--db", copy).out == run("audit", "head", "--db", db).out and rows(copy) == rows(db))
other_boot = fresh("signed-other-boot.db")
run("init", "--db", other_boot, "--require-signatures", "--bootstrap-key", k["openai"][:-4] + ".pub")
r = run("event", "import", exported, "--db", other_boot)
check("it does not import into a store with another bootstrap key (line 1 refused)",
      r.rc == 2 and ":1: error:" in r.err and count(other_boot) == 0, r)

# ---- A record forged behind pactum's back --------------------------------------------------------
db2 = fresh("signed-forged.db")
sql(db, ".backup %s" % q(db2))
last = rows(db2)[-1]
text = canon(purchase("2026-06-01", 5_000_000))
h = chain_hash(last[0] + 1, bytes.fromhex(last[3]), text)
sql(db2, "INSERT INTO events VALUES(%d, %s, %s, %s);" % (last[0] + 1, q(text), q(last[3]), q(h.hex())))
for cmd in (["status", "--date", "2026-12-31"], ["ledger", "--date", "2026-12-31"],
            ["decide", "--request", '{"principal":"openai","action":"serve_api"}']):
    r = run(*cmd, "--db", db2)
    check("%s --db refuses a store holding an unsigned record (names its seq %d)" % (cmd[0], last[0] + 1),
          r.rc == 2 and "seq %d" % (last[0] + 1) in r.err, r)
r = add(db2, [purchase("2026-06-02", 1)], "--sign", k["openai"])
check("event add refuses to extend it", r.rc == 2 and count(db2) == last[0] + 1, r)

# ---- Without --require-signatures ---------------------------------------------------------------
opt = fresh("optional.db")
r = run("init", "--db", opt, "--bootstrap-key", boot[:-4] + ".pub")
check("init with a bootstrap key, signatures optional", r.rc == 0 and "optional" in r.out, r)
accepted("keys for openai and microsoft", opt, [key_event("openai", k["openai"]),
                                                key_event("microsoft", k["microsoft"])], boot)
r = accepted("an unsigned declaration", opt, [DECL])
m = re.search(r"seq (\d+)\.\.", r.out)
VERDICT_OPT = {**VERDICT, "declaration": int(m.group(1)) if m else 0}  # this store's declaration
refused("a forged signature is still refused", opt, [forged], "bad_signature")
refused("a replayed signature on an altered event is still refused", opt, [altered], "bad_signature")
refused("a verdict signed by Microsoft is still refused (signatures are verified when present)", opt,
        [VERDICT_OPT], "not_allowed", k["microsoft"])
accepted("an unsigned verdict", opt, [VERDICT_OPT])

nob = fresh("no-bootstrap.db")
run("init", "--db", nob)
refused("a first key registered in a store with no bootstrap key", nob, [key_event("openai", k["openai"])],
        "no_bootstrap")
refused("a first key signed by a key the store does not know (it has no bootstrap key)", nob,
        [key_event("openai", k["openai"])], "unknown_key", boot)

r = add(opt, [purchase("2026-05-01", 1)], "--sign", k["openai"][:-4] + ".pub")
check("--sign with a .pub file is refused (no secret key)", r.rc == 2, r)
r = run("event", "sign", "--key", k["openai"][:-4] + ".pub", stdin=jsonl([PURCHASE]))
check("event sign with a .pub file is refused", r.rc == 2, r)
r = run("init", "--db", fresh("badboot.db"), "--bootstrap-key", path("missing.pub"))
check("init with a missing bootstrap key file is refused", r.rc == 2, r)

finish()
