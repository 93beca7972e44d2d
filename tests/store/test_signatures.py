#!/usr/bin/env python3
"""Signatures and who may record what, on the shipped agreement (`agi_declared recorded by
openai`, `panel_verdict recorded by panel` with a quorum of 3 of 5 members, `azure_purchase
recorded by openai, microsoft`).

    python3 tests/store/test_signatures.py PACTUM

A store is created with --require-signatures and a bootstrap key; every signer's first key is
registered by a key_registered event signed by the bootstrap key, later keys by a key already
registered to the same signer, and every new key also signs its own registration (proof of
possession). Signatures are bound to the store and its agreement and carry a nonce, so a signed
event is recorded once, in one store. Every refusal must exit 2, name the reason code and write
nothing.
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
boot = keygen_bootstrap(BOOT)
k = {"openai": keygen("openai", KEYS), "microsoft": keygen("microsoft", KEYS)}
for i in range(1, 6):
    k["panel.expert_%d" % i] = keygen("panel", KEYS, member="expert_%d" % i)
k2_openai = keygen("openai", KEYS2)
k2_expert1 = keygen("panel", KEYS2, member="expert_1")
stranger = keygen("openai", STRANGER)
stranger2 = keygen("microsoft", STRANGER)

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
check_store_created("init", db, require_signatures=True, bootstrap={"keys": [pub(boot)], "threshold": 1})

refused("a first key registered without any signature", db, [key_event("openai", k["openai"])], "unsigned",
        message="1 of the 1 bootstrap keys")
# Changed on purpose: the new key's own signature is its proof of possession, not a stranger's.
refused("a first key signed by the key itself, not the bootstrap", db, [key_event("openai", k["openai"])],
        "no_quorum", k["openai"], message="1 of the 1 bootstrap keys; 0 signed")
refused("a first key signed by the bootstrap key alone: its holder has not shown it has the key", db,
        [key_event("openai", k["openai"])], "no_proof", boot)

# OpenAI's first key: signed with `event sign --key boot.key`, then `--key openai.key`, then added.
accepted("openai's first key, signed by the bootstrap key and by itself (event sign, twice)", db,
         sign([key_event("openai", k["openai"])], boot, k["openai"], db=db))
# The others: each signed by its own key with `event sign`, the batch by the bootstrap key (--sign).
accepted("microsoft's and the panel members' first keys, each signed by itself, by the bootstrap key (--sign)", db,
         [sign([key_event(s, k[s])], k[s], db=db)[0] for s in ["microsoft"] + ["panel.expert_%d" % i for i in range(1, 6)]],
         boot)

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
check("the refusal says how many signed and how many are needed", "needs 3" in r.err and "2 have" in r.err, r)
refused("expert_1 signs twice with the same key, with expert_2", db, [VERDICT], "no_quorum",
        k["panel.expert_1"], k["panel.expert_1"], k["panel.expert_2"])
refused("expert_1's second key, signed by its first alone (no proof of possession)", db,
        [key_event("panel.expert_1", k2_expert1, date="2026-02-15")], "no_proof", k["panel.expert_1"])
accepted("expert_1's second key, signed by its first and by itself", db,
         [key_event("panel.expert_1", k2_expert1, date="2026-02-15")], k["panel.expert_1"], k2_expert1)
refused("expert_1 signs with both its keys, with expert_2: two members, not three", db, [VERDICT], "no_quorum",
        k["panel.expert_1"], k2_expert1, k["panel.expert_2"])
refused("OpenAI signs the verdict", db, [VERDICT], "not_allowed", k["openai"])
accepted("three panel members sign a verdict", db, [VERDICT],
         k["panel.expert_1"], k["panel.expert_2"], k["panel.expert_3"])
r = run("status", "--db", db, "--date", "2026-03-01", "--format", "json")
check("the verified verdict is in the state", r.rc == 0 and json.loads(r.out)["state"]["agi"] == "verified", r)

# ---- Forged and replayed signatures -------------------------------------------------------------
PURCHASE = purchase("2026-04-01", 1000)
signed = sign([PURCHASE], k["openai"], db=db)[0]
check("event sign adds one signature naming the signer and its public key",
      [(s["signer"], s["public_key"]) for s in signed["signatures"]] == [("openai", pub(k["openai"]))])
check("event sign adds a nonce (32 hex digits) and changes nothing else",
      re.fullmatch(r"[0-9a-f]{32}", signed.get("nonce", "")) is not None
      and {x: v for x, v in signed.items() if x not in ("nonce", "signatures")} == PURCHASE, signed)
line = run("event", "sign", "--key", k["openai"], "--db", db, stdin=json.dumps(PURCHASE, indent=None) + "\n").out.strip()
check("event sign writes the signed event in canonical form", line == canon(json.loads(line)), line)
r = run("event", "sign", "--key", k["openai"], stdin=jsonl([PURCHASE]))
check("event sign without --db or --store is refused: a signature is bound to a store", r.rc == 2 and "--store" in r.err, r)

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

onto = dict(DECL, date="2026-04-01", nonce=signed["nonce"], signatures=signed["signatures"])
refused("OpenAI's signature of a purchase copied onto a declaration", db, [onto], "bad_signature")

liar = json.loads(json.dumps(signed))
liar["signatures"][0]["signer"] = "microsoft"
refused("OpenAI's signature presented as Microsoft's", db, [liar], "unknown_key")

refused("a batch whose 2nd event carries a forged signature writes nothing", db,
        [signed, forged], "bad_signature", line=2)
accepted("the genuine signed purchase", db, [signed])
refused("the same signed purchase again", db, [signed], "replayed")
renonced = dict(signed, nonce="a-nonce-of-my-own-choosing")
refused("the signed purchase under a new nonce (the nonce is signed)", db, [renonced], "bad_signature")
unnonced = {x: v for x, v in signed.items() if x != "nonce"}
refused("the signed purchase without its nonce", db, [unnonced], "missing_nonce")
accepted("a purchase signed by Microsoft", db, [purchase("2026-04-02", 10)], k["microsoft"])
accepted("a purchase signed by both parties", db, [purchase("2026-04-03", 20)], k["openai"], k["microsoft"])
refused("a purchase signed by three panel members", db, [purchase("2026-04-04", 30)], "not_allowed",
        k["panel.expert_1"], k["panel.expert_2"], k["panel.expert_3"])

# ---- More keys for a party ---------------------------------------------------------------------
accepted("a second key for openai, signed by its first key and by itself", db,
         [key_event("openai", k2_openai, date="2026-05-01")], k["openai"], k2_openai)
accepted("a purchase signed with openai's second key", db, [purchase("2026-05-02", 40)], k2_openai)
refused("a key for openai signed by a stranger's key", db, [key_event("openai", stranger, date="2026-05-03")],
        "unknown_key", stranger2, stranger)
refused("a key for openai signed by itself alone: no registered key of openai signed", db,
        [key_event("openai", stranger, date="2026-05-03")], "not_allowed", stranger)
refused("a key for openai signed by Microsoft's registered key", db,
        [key_event("openai", stranger, date="2026-05-03")], "not_allowed", k["microsoft"], stranger)
refused("a further key for openai signed by the bootstrap key", db,
        [key_event("openai", stranger, date="2026-05-03")], "not_allowed", boot, stranger)

r = run("audit", "verify", "--db", db)
check("the signed store verifies", r.rc == 0, r)
r = run("events", "--db", db, "--format", "text")
check("events --format text names the signers",
      "signed by panel.expert_1, panel.expert_2, panel.expert_3" in r.out and "signed by openai, microsoft" in r.out,
      r)
for ev in events_of(db):
    if ev["type"] not in ("store_created", "key_registered") and not ev.get("signatures"):
        check("every stored event of a require-signatures store is signed", False, ev)
        break

# ---- Export and import (docs/cli.md, pactum events) ------------------------------------------------
# Changed on purpose: signatures are bound to the store they were made for, so the export of a
# signed store no longer imports into another store, even one with the same settings.
export = run("events", "--db", db).out
exported = path("signed-export.jsonl")
with open(exported, "w") as f:
    f.write("".join(export.splitlines(True)[1:]))  # without its store_created record
copy = fresh("signed-copy.db")
run("init", "--db", copy, "--require-signatures", "--bootstrap-key", boot[:-4] + ".pub")
r = run("event", "import", exported, "--db", copy)
check("the export of the signed store does not import into another store with the same settings "
      "(line 1: bad_signature)", r.rc == 2 and ":1: error:" in r.err and "[bad_signature]" in r.err
      and count(copy) == 1, r)

# ---- A record forged behind pactum's back --------------------------------------------------------
db2 = fresh("signed-forged.db")
sql(db, ".backup %s" % q(db2))
# Hashed and with its Merkle nodes, as pactum would: only the signature rule can catch it.
seq = append_forged(db2, canon(purchase("2026-06-01", 5_000_000)))
check("the forged record is a consistent part of the chain (the independent verifier passes)",
      verify_independently(db2)[0])
for cmd in (["status", "--date", "2026-12-31"], ["ledger", "--date", "2026-12-31"],
            ["decide", "--request", '{"principal":"openai","action":"serve_api"}']):
    r = run(*cmd, "--db", db2)
    check("%s --db refuses a store holding an unsigned record (store_corrupt, names its seq %d)" % (cmd[0], seq),
          r.rc == 2 and "seq %d" % seq in r.err and "store_corrupt" in r.err and "must be signed by" in r.err, r)
r = add(db2, [purchase("2026-06-02", 1)], "--sign", k["openai"])
check("event add refuses to extend it", r.rc == 2 and count(db2) == seq, r)

# ---- Without --require-signatures ---------------------------------------------------------------
opt = fresh("optional.db")
r = run("init", "--db", opt, "--bootstrap-key", boot[:-4] + ".pub")
check("init with a bootstrap key, signatures optional", r.rc == 0 and "optional" in r.out, r)
accepted("keys for openai and microsoft", opt,
         [sign([key_event(s, k[s])], k[s], db=opt)[0] for s in ("openai", "microsoft")], boot)
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
r = run("event", "sign", "--key", k["openai"][:-4] + ".pub", "--db", opt, stdin=jsonl([PURCHASE]))
check("event sign with a .pub file is refused", r.rc == 2 and "no secret key" in r.err, r)
r = run("init", "--db", fresh("badboot.db"), "--bootstrap-key", path("missing.pub"))
check("init with a missing bootstrap key file is refused", r.rc == 2, r)

finish()
