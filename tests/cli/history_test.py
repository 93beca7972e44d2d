#!/usr/bin/env python3
"""Tests of `pactum decide|explain|status --history`: the version in effect on each request's date.

    python3 tests/cli/history_test.py PACTUM

The expected outcomes are derived from the agreement files and the sections of
../shared/sources/partnership-history.md they encode, as each check's comment says; the manifest
errors are the messages documented in docs/formats.md#history-manifest, with their carets.

The last line printed is "N passed, M failed"; the exit status is 1 if any check failed.
"""
import itertools
import json
import os
import shutil
import sys

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clilib import PACTUM, ROOT, TMP, check, finish, run, sane  # noqa: E402

AGREEMENTS = os.path.join(ROOT, "agreements")
HISTORY = os.path.join(AGREEMENTS, "microsoft-openai.history")
DECISION_FIELDS = ["decision", "determining", "overridden", "obligations", "agreement"]
VERSIONS = ["2019-07-22", "2023-01-23", "2025-01-21", "2025-10-28", "2026-04-27"]


def write(name, text):
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def req(principal, action, date, resource=None, context=None):
    r = {"principal": principal, "action": action}
    if resource:
        r["resource"] = resource
    r["context"] = dict(context or {}, date=date)
    return json.dumps(r)


def decide(*lines, extra=()):
    r = run("decide", "--history", HISTORY, *extra, stdin="\n".join(lines) + "\n")
    return r, [json.loads(l) for l in r.out.splitlines() if l.strip()]


def clauses(d):
    return [c["clause"] for c in d.get("determining", [])]


# ---- decide across the version boundaries -------------------------------------------------
# OpenAI serves its API from AWS on dates in each version:
#   2020-03-01 -> 2019-07-22: "Azure becomes OpenAI's exclusive cloud provider" (deny)
#   2024-03-01 -> 2023-01-23: "Azure is the exclusive cloud provider for all OpenAI workloads" (deny)
#   2025-06-01 -> 2025-01-21: "OpenAI API exclusive to Azure", "through 2030" (deny)
#   2026-01-15 -> 2025-10-28: "Azure API exclusivity remain in place until any AGI declaration" (deny)
#   2026-05-01 -> 2026-04-27: exclusive for *stateless* APIs; a stateful one is not governed
api_aws = [
    ("2020-03-01", "2019-07-22", "deny", ["azure_exclusive_cloud_api"]),
    ("2024-03-01", "2023-01-23", "deny", ["azure_exclusive_cloud_api"]),
    ("2025-06-01", "2025-01-21", "deny", ["azure_api_exclusivity"]),
    ("2026-01-15", "2025-10-28", "deny", ["azure_api_exclusivity"]),
    ("2026-05-01", "2026-04-27", "deny", ["azure_api_exclusivity"]),
]
r, ds = decide(*[req("openai", "serve_api", d, context={"cloud": "aws"}) for d, _, _, _ in api_aws])
check("decide --history: one decision per request, exit 0", r.rc == 0 and len(ds) == len(api_aws), r)
for (date, version, outcome, det), d in zip(api_aws, ds):
    check(f"API on AWS on {date} is decided by version {version}",
          d.get("agreement") == {"id": "microsoft-openai", "version": version} and d.get("decision") == outcome
          and clauses(d) == det, d)

# valid_until stops at the next version's first day when nothing earlier changes the answer.
# 2019 and 2023 have no window at all; 2025-01's own window runs to 2031-01-01, later than the
# 2025-10-28 version; 2025-10-28 and 2026-04-27 depend on the agi state.
want_until = [{"date": "2023-01-23"}, {"date": "2025-01-21"}, {"date": "2025-10-28"},
              {"date": "2026-04-27", "state": "agi"}, {"state": "agi"}]
for (date, version, _, _), d, w in zip(api_aws, ds, want_until):
    check(f"valid_until of the {version} decision on {date} is {w}", d.get("valid_until") == w, d)

# A stateful API on AWS in 2026-05 is not governed by the 2026-04-27 version (reading S1), but in
# 2026-01 (2025-10-28, which knows no `stateless`) the request is refused: the attribute is unknown.
r, ds = decide(req("openai", "serve_api", "2026-05-01", resource={"stateless": False}, context={"cloud": "aws"}),
               req("openai", "serve_api", "2026-01-15", resource={"stateless": False}, context={"cloud": "aws"}))
check("a stateful API on AWS in 2026-05: not_applicable under 2026-04-27",
      len(ds) == 2 and ds[0].get("decision") == "not_applicable" and ds[0]["agreement"]["version"] == "2026-04-27", r)
check("the same request in 2026-01: an error line naming version 2025-10-28, exit 2",
      len(ds) == 2 and ds[1].get("error", {}).get("code") == "unknown_attribute"
      and "(version 2025-10-28)" in ds[1]["error"]["message"] and ds[1]["error"]["line"] == 2 and r.rc == 2, r)

# The boundaries themselves: the effective day belongs to the new version, the day before to the old.
edges = [("2023-01-22", "2019-07-22"), ("2023-01-23", "2023-01-23"), ("2025-01-20", "2023-01-23"),
         ("2025-01-21", "2025-01-21"), ("2025-10-27", "2025-01-21"), ("2025-10-28", "2025-10-28"),
         ("2026-04-26", "2025-10-28"), ("2026-04-27", "2026-04-27"), ("2019-07-22", "2019-07-22")]
r, ds = decide(*[req("openai", "serve_api", d, context={"cloud": "gcp"}) for d, _ in edges])
for (date, version), d in zip(edges, ds):
    check(f"{date} is decided by {version}", d.get("agreement", {}).get("version") == version, d)

# Compute from Oracle, across the versions:
#   2020: exclusive cloud provider (deny); 2025-06: ROFR, Microsoft has not declined (deny by the
#   permission's requires) and has declined (allow); 2026: "Microsoft relinquished its prior right
#   of first refusal" (allow, compute_any_provider, in 2025-10-28 and carried over in 2026-04-27).
r, ds = decide(req("openai", "purchase_compute", "2020-03-01", context={"provider": "oracle"}),
               req("openai", "purchase_compute", "2025-06-01", context={"provider": "oracle"}),
               req("openai", "purchase_compute", "2025-06-01", context={"provider": "oracle", "microsoft_declined": True}),
               req("openai", "purchase_compute", "2026-01-15", context={"provider": "oracle"}),
               req("openai", "purchase_compute", "2026-05-01", context={"provider": "oracle"}))
want = [("deny", ["azure_exclusive_compute"]), ("deny", ["compute_rofr"]), ("allow", ["compute_rofr"]),
        ("allow", ["compute_any_provider"]), ("allow", ["compute_any_provider"])]
check("compute from Oracle: five decisions", len(ds) == 5, r)
for i, (d, (outcome, det)) in enumerate(zip(ds, want)):
    check(f"compute from Oracle, request {i + 1}: {outcome} by {det}",
          d.get("decision") == outcome and clauses(d) == det, d)

# Licensing model IP to a third party: 2026-01 (2025-10-28) "Exclusive IP rights to OpenAI
# models ... remain in place" (deny); 2026-05 (2026-04-27) "becomes non-exclusive" (allow).
r, ds = decide(req("openai", "license_model_ip", "2026-01-15", context={"licensee": "google"}),
               req("openai", "license_model_ip", "2026-05-01", context={"licensee": "google"}))
check("license model IP to google: deny in 2026-01, allow in 2026-05",
      [d.get("decision") for d in ds] == ["deny", "allow"]
      and clauses(ds[0]) == ["exclusive_model_ip"] and clauses(ds[1]) == ["non_exclusive_model_ip"], r)

# Events are folded into every version that declares their type, so the agi state carries over:
# with AGI verified on 2026-03-01, the 2025-10-28 revenue share ("until the panel verifies AGI")
# is over on 2026-04-01, while the 2026-04-27 share ("independent of technology progress") runs.
events = write("agi.jsonl", '{"type":"agi_declared","date":"2026-02-01","by":"openai"}\n'
                            '{"type":"panel_verdict","date":"2026-03-01","declaration":1,"verdict":"verified"}\n')
r, ds = decide(req("microsoft", "receive_revenue_share", "2026-04-01"),
               req("microsoft", "receive_revenue_share", "2026-05-01"),
               req("microsoft", "receive_revenue_share", "2024-03-01"), extra=("--events", events))
check("revenue share after AGI: not_applicable under 2025-10-28, allow under 2026-04-27",
      r.rc == 0 and [(d.get("decision"), d["agreement"]["version"]) for d in ds]
      == [("not_applicable", "2025-10-28"), ("allow", "2026-04-27"), ("allow", "2023-01-23")], r)

# Before the first version: an error line with code no_version, exit 2.
r, ds = decide(req("openai", "serve_api", "2019-07-21"))
check("a date before the first version: error no_version naming the first effective date, exit 2",
      r.rc == 2 and len(ds) == 1 and ds[0].get("error", {}).get("code") == "no_version"
      and "2019-07-22" in ds[0]["error"]["message"] and "2019-07-21" in ds[0]["error"]["message"], r)

# A request without a date is decided on --date, by the version in effect then.
r = run("decide", "--history", HISTORY, "--date", "2024-06-30", "--request", '{"principal":"openai","action":"serve_api"}')
check("no context.date: --date picks the version (2023-01-23 on 2024-06-30)",
      r.rc == 0 and json.loads(r.out)["agreement"]["version"] == "2023-01-23", r)

# A term a later version does not mention carries over (the README): "OpenAI may build additional
# capacity, mainly for research and training." (v2025-01) is allowed in 2025-01-21, and still in
# 2025-10-28 and 2026-04-27, which do not mention it (build_additional_capacity, reading C1).
r, ds = decide(req("openai", "build_capacity", "2025-06-01"), req("openai", "build_capacity", "2026-01-15"),
               req("openai", "build_capacity", "2026-05-01"))
check("build_capacity: allowed in 2025-06, 2026-01 and 2026-05 (carried over)",
      r.rc == 0 and [d.get("decision") for d in ds] == ["allow"] * 3
      and [d["agreement"]["version"] for d in ds] == ["2025-01-21", "2025-10-28", "2026-04-27"]
      and [clauses(d) for d in ds] == [["build_additional_capacity"]] * 3, r)

# An action only some versions know: pursue_agi first appears in 2025-10-28 ("Microsoft may
# independently pursue AGI"), so 2025-01-21 does not know it.
r, ds = decide(req("microsoft", "pursue_agi", "2025-06-01"), req("microsoft", "pursue_agi", "2026-05-01"))
check("pursue_agi: unknown (with the version named) in 2025-06, allowed in 2026-05",
      r.rc == 2 and ds[0].get("error", {}).get("code") == "unknown_action"
      and "(version 2025-01-21)" in ds[0]["error"]["message"] and ds[1].get("decision") == "allow", r)

# The revenue share flowed both ways until the 2026-04-27 amendment: "revenue sharing both ways"
# (v2025-01), not changed by 2025-10-28 ("Revenue share continues until the panel verifies AGI"),
# until "Microsoft stops paying revenue share to OpenAI" (2026-04-27).
r, ds = decide(req("openai", "receive_revenue_share", "2025-06-01"), req("openai", "receive_revenue_share", "2026-01-15"),
               req("openai", "receive_revenue_share", "2026-05-01"))
check("OpenAI's revenue share: allowed in 2025-01-21 and 2025-10-28, denied from 2026-04-27",
      r.rc == 0 and [d.get("decision") for d in ds] == ["allow", "allow", "deny"]
      and [clauses(d) for d in ds] == [["revenue_share_to_openai"], ["revenue_share_to_openai"],
                                       ["revenue_share_to_openai_ends"]], r)

# Licensing a third party (reading X1): the 2025-10-28 text says the "Exclusive IP rights to OpenAI
# models ... remain in place", so they were exclusive in 2025-01-21 too (denied, through 2030);
# in 2023-01-23 Microsoft is only the "preferred partner" (allowed); from 2026-04-27 the licence
# "becomes non-exclusive" (allowed).
r, ds = decide(req("openai", "license_model_ip", "2024-06-01", context={"licensee": "google"}),
               req("openai", "license_model_ip", "2025-06-01", context={"licensee": "google"}),
               req("openai", "license_model_ip", "2026-01-15", context={"licensee": "google"}),
               req("openai", "license_model_ip", "2026-05-01", context={"licensee": "google"}))
check("licensing model IP to a third party: allow (2023), deny (2025-01), deny (2025-10), allow (2026-04)",
      r.rc == 0 and [d.get("decision") for d in ds] == ["allow", "deny", "deny", "allow"]
      and [clauses(d) for d in ds] == [["pre_agi_licensing"], ["exclusive_model_ip"], ["exclusive_model_ip"],
                                       ["non_exclusive_model_ip"]], r)

# The $250B is incremental from 2025-10-28: a purchase made under 2025-01-21 (2025-06-01) counts
# toward nothing in 2025-10-28 or 2026-04-27, whose azure_services are counted since 2025-10-28;
# $3bn on 2025-11-03 counts in both.
ev = write("history-purchases.jsonl",
           '{"type":"azure_purchase","date":"2025-06-01","amount_usd":5000000000}\n'
           '{"type":"azure_purchase","date":"2025-11-03","amount_usd":3000000000}\n')
got = []
for day in ("2026-01-15", "2026-06-01"):
    r = run("status", "--history", HISTORY, "--events", ev, "--date", day, "--format", "json")
    s = json.loads(r.out) if r.rc == 0 else {}
    c = (s.get("commitments") or [{}])[0]
    got.append((s.get("agreement", {}).get("version"), c.get("fulfilled")))
check("status --history: azure_services counts only the purchase from 2025-10-28 on, in both versions",
      got == [("2025-10-28", 3_000_000_000), ("2026-04-27", 3_000_000_000)], got)

# Malformed JSON is reported as decide reports it, with its line.
r, ds = decide('{"principal":', req("openai", "serve_api", "2024-03-01"))
check("malformed JSON: bad_json on line 1, the next line still decided",
      r.rc == 2 and ds[0].get("error", {}).get("code") == "bad_json" and ds[0]["error"]["line"] == 1
      and ds[1].get("agreement", {}).get("version") == "2023-01-23", r)

# Within one version's days, --history answers exactly as that version alone does, except that
# valid_until stops at the next version's first day (2026-04-27 here). Checked over every action
# of the 2025-10-28 agreement, several attribute values and days across its whole span.
days = ["2025-10-28", "2025-12-31", "2026-02-27", "2026-04-26"]
shapes = [("openai", "serve_api", None, {"cloud": c, "customer_segment": g})
          for c, g in itertools.product(["azure", "aws"], ["commercial", "us_gov_national_security"])]
shapes += [("openai", "serve_api", {"built_with_third_party": True}, {"cloud": "gcp"}),
           ("openai", "serve_product", None, {"cloud": "oracle"}),
           ("openai", "codevelop_product", None, {"partner": "apple"}),
           ("openai", "release_open_weights", {"meets_capability_criteria": True}, None),
           ("openai", "purchase_compute", None, {"provider": "oracle"}),
           ("openai", "license_model_ip", None, {"licensee": "meta"}),
           ("microsoft", "pursue_agi", None, {"uses_openai_ip": True}),
           ("microsoft", "receive_revenue_share", None, None)]
shapes += [("microsoft", "use_ip", {"ip_kind": k, "post_agi": p}, {"safety_guardrails": True})
           for k, p in itertools.product(["model", "product", "research", "consumer_hardware"], [False, True])]
lines = [req(p, a, d, resource=r, context=c) for d in days for p, a, r, c in shapes]
single = run("decide", "--events", events, stdin="\n".join(lines) + "\n")
r, ds = decide(*lines, extra=("--events", events))
alone = [json.loads(l) for l in single.out.splitlines()]
mismatch = []
for line, x, y in zip(lines, alone, ds):
    if y.get("agreement", {}).get("version") != "2025-10-28" or any(x[k] != y[k] for k in DECISION_FIELDS):
        mismatch.append((line, x, y))
        continue
    vx, vy = x["valid_until"], y["valid_until"]
    clipped = dict(vx or {}, date="2026-04-27")
    if vx and "date" in vx and vx["date"] <= "2026-04-27":
        clipped = vx
    if vy != clipped:
        mismatch.append((line, x, y))
check(f"{len(lines)} requests within 2025-10-28's days: --history answers as the single agreement does",
      single.rc == 0 and r.rc == 0 and len(ds) == len(alone) == len(lines) and not mismatch,
      "\n".join(f"{m[0]}\n  alone:   {m[1]}\n  history: {m[2]}" for m in mismatch[:3]) or r)

# ---- explain and status -------------------------------------------------------------------
r = run("explain", "--history", HISTORY, "--request", req("openai", "serve_api", "2024-03-01", context={"cloud": "aws"}))
check("explain --history (text) names the version and the days it is in effect",
      r.rc == 0 and r.out.startswith("version  microsoft-openai@2023-01-23, in effect from 2023-01-23 to 2025-01-20\n")
      and "decision deny" in r.out and "valid until   2025-01-21" in r.out, r)
r = run("explain", "--history", HISTORY, "--format", "json", "--request", req("openai", "serve_api", "2026-05-01", context={"cloud": "aws"}))
j = json.loads(r.out) if r.rc == 0 else {}
check("explain --history --format json: the decision names version 2026-04-27",
      j.get("decision", {}).get("agreement", {}).get("version") == "2026-04-27", r)
r = run("status", "--history", HISTORY, "--date", "2024-01-01")
check("status --history on 2024-01-01 reports version 2023-01-23",
      r.rc == 0 and r.out.startswith("microsoft-openai 2023-01-23: status on 2024-01-01"), r)
r = run("status", "--history", HISTORY, "--date", "2018-12-31")
check("status --history before the first version: exit 2 with a message",
      r.rc == 2 and "no version of 'microsoft-openai' is in effect on 2018-12-31" in r.err and r.out == "", r)

# ---- options that do not combine ------------------------------------------------------------
r = run("decide", "--history", HISTORY, "--agreement", os.path.join(AGREEMENTS, "microsoft-openai-2025-10-28.pact"),
        "--request", req("openai", "serve_api", "2024-03-01"))
check("--history with --agreement: exit 2", r.rc == 2 and "--history" in r.err and r.out == "", r)
r = run("decide", "--history", HISTORY, "--db", os.path.join(TMP, "x.db"), "--request", req("openai", "serve_api", "2024-03-01"))
check("--history with --db: exit 2", r.rc == 2 and "--history" in r.err and not os.path.exists(os.path.join(TMP, "x.db")), r)
r = run("clauses", "--history", HISTORY)
check("a command without --history refuses it", r.rc == 2 and "'clauses' does not take '--history'" in r.err, r)
bad_events = write("bad-events.jsonl", '{"type":"agi_declared","date":"2026-02-01","by":"openai"}\n'
                                       '{"type":"merger","date":"2026-03-01"}\n')
r = run("decide", "--history", HISTORY, "--events", bad_events, "--request", req("openai", "serve_api", "2024-03-01"))
check("an event type no version declares: the file and line, exit 2",
      r.rc == 2 and r.out == "" and f"{bad_events}:2: error: no version of 'microsoft-openai' declares event type 'merger' [unknown_event]" in r.err, r)
# The second verdict names the declaration the first rejected: none is pending.
guard = write("guard.jsonl", '{"type":"agi_declared","date":"2026-02-01","by":"openai"}\n'
                             '{"type":"panel_verdict","date":"2026-02-15","declaration":1,"verdict":"rejected"}\n'
                             '{"type":"panel_verdict","date":"2026-03-01","declaration":1,"verdict":"verified"}\n')
r = run("decide", "--history", HISTORY, "--events", guard, "--request", req("openai", "serve_api", "2024-03-01"))
check("an event a version refuses: the line, the reason and the version, exit 2",
      r.rc == 2 and f"{guard}:3: error: event 'panel_verdict' rejected: no AGI declaration is pending [guard_failed] (version 2025-10-28)" in r.err, r)
# A verdict names its declaration by its line's seq in every version: a key registration on line 1
# is skipped but counted, so the declaration is seq 2, and a rejection recorded again after a new
# declaration (seq 4) names seq 2 and is refused.
replay = write("replay.jsonl", '{"type":"key_registered","date":"2026-01-01","signer":"openai","public_key":"AAAA"}\n'
                               '{"type":"agi_declared","date":"2026-02-01","by":"openai"}\n'
                               '{"type":"panel_verdict","date":"2026-02-15","declaration":2,"verdict":"rejected"}\n'
                               '{"type":"agi_declared","date":"2026-05-01","by":"openai"}\n'
                               '{"type":"panel_verdict","date":"2026-05-01","declaration":2,"verdict":"rejected"}\n')
r = run("decide", "--history", HISTORY, "--events", replay, "--request", req("openai", "serve_api", "2026-06-01"))
check("--history: a replayed rejection is refused; the first version that folds it says so",
      r.rc == 2 and f"{replay}:5: error: event 'panel_verdict' rejected: the verdict must rule on the pending declaration "
                    "[guard_failed] (version 2025-10-28)" in r.err, r)

# ---- bad manifests ------------------------------------------------------------------------
for v in VERSIONS:
    shutil.copy(os.path.join(AGREEMENTS, f"microsoft-openai-{v}.pact"), TMP)


def entry(v, eff=None, f=None):
    return f'version "{v}" effective {eff or v} file "{f or "microsoft-openai-" + v + ".pact"}"\n'


cases = {
    "syntax": ('history "microsoft-openai"\nversion "2019-07-22" effective 2019-07-22 "microsoft-openai-2019-07-22.pact"\n',
               "syntax.history:2:43: error: expected 'file', found '\"microsoft-openai-2019-07-22.pact\"'\n"
               "    2 | version \"2019-07-22\" effective 2019-07-22 \"microsoft-openai-2019-07-22.pact\"\n"
               "      |                                           ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"),
    "order": ('history "microsoft-openai"\n' + entry("2019-07-22") + entry("2025-01-21") + entry("2023-01-23"),
              "order.history:4:32: error: effective dates must increase: 2023-01-23 is not after 2025-01-21, the date of version '2025-01-21'\n"
              "    4 | version \"2023-01-23\" effective 2023-01-23 file \"microsoft-openai-2023-01-23.pact\"\n"
              "      |                                ^~~~~~~~~~\n"),
    "same_day": ('history "microsoft-openai"\n' + entry("2019-07-22") + entry("2023-01-23", "2019-07-22"),
                 "same_day.history:3:32: error: effective dates must increase: 2019-07-22 is not after 2019-07-22, the date of version '2019-07-22'\n"
                 "    3 | version \"2023-01-23\" effective 2019-07-22 file \"microsoft-openai-2023-01-23.pact\"\n"
                 "      |                                ^~~~~~~~~~\n"),
    "duplicate": ('history "microsoft-openai"\n' + entry("2019-07-22") + 'version "2019-07-22" effective 2020-01-01 file "microsoft-openai-2019-07-22.pact"\n',
                  "duplicate.history:3:9: error: version '2019-07-22' is listed twice\n"
                  "    3 | version \"2019-07-22\" effective 2020-01-01 file \"microsoft-openai-2019-07-22.pact\"\n"
                  "      |         ^~~~~~~~~~~~\n"
                  "duplicate.history:2:9: note: first listed here\n"
                  "    2 | version \"2019-07-22\" effective 2019-07-22 file \"microsoft-openai-2019-07-22.pact\"\n"
                  "      |         ^~~~~~~~~~~~\n"),
    # 2025-01-21 supersedes 2023-01-23, which is left out of this chain.
    "gap": ('history "microsoft-openai"\n' + entry("2019-07-22") + entry("2025-01-21"),
            "gap.history:3:48: error: 'microsoft-openai-2025-01-21.pact' supersedes 'microsoft-openai@2023-01-23', but the version before it is 'microsoft-openai@2019-07-22'\n"
            "    3 | version \"2025-01-21\" effective 2025-01-21 file \"microsoft-openai-2025-01-21.pact\"\n"
            "      |                                                ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"),
    # The 2019 file supersedes nothing, so it cannot follow another version.
    "no_supersedes": ('history "microsoft-openai"\n' + entry("2018-01-01", f="microsoft-openai-2023-01-23.pact")
                      + entry("2019-07-22"),
                      "no_supersedes.history:2:9: error: 'microsoft-openai-2023-01-23.pact' declares version '2023-01-23', not '2018-01-01'\n"
                      "    2 | version \"2018-01-01\" effective 2018-01-01 file \"microsoft-openai-2023-01-23.pact\"\n"
                      "      |         ^~~~~~~~~~~~\n"
                      "no_supersedes.history:2:32: error: 'microsoft-openai-2023-01-23.pact' takes effect on 2023-01-23, not 2018-01-01\n"
                      "    2 | version \"2018-01-01\" effective 2018-01-01 file \"microsoft-openai-2023-01-23.pact\"\n"
                      "      |                                ^~~~~~~~~~\n"
                      "no_supersedes.history:3:48: error: 'microsoft-openai-2019-07-22.pact' does not supersede the version before it; its header needs supersedes \"microsoft-openai@2018-01-01\"\n"
                      "    3 | version \"2019-07-22\" effective 2019-07-22 file \"microsoft-openai-2019-07-22.pact\"\n"
                      "      |                                                ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"),
    "other_id": ('history "acme"\n' + entry("2019-07-22"),
                 "other_id.history:2:48: error: 'microsoft-openai-2019-07-22.pact' is agreement 'microsoft-openai', not 'acme'\n"
                 "    2 | version \"2019-07-22\" effective 2019-07-22 file \"microsoft-openai-2019-07-22.pact\"\n"
                 "      |                                                ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"),
    "missing_file": ('history "microsoft-openai"\n' + entry("2019-07-22", f="nowhere.pact"),
                     "nowhere.pact: error: cannot open 'nowhere.pact': No such file or directory\n"
                     "missing_file.history:2:48: error: version '2019-07-22' cannot be loaded from 'nowhere.pact'\n"
                     "    2 | version \"2019-07-22\" effective 2019-07-22 file \"nowhere.pact\"\n"
                     "      |                                                ^~~~~~~~~~~~~~\n"),
    "empty": ("# only a comment\n",
              "empty.history:2:1: error: empty history: expected 'history \"ID\"'\n"
              "    2 | \n"
              "      | ^\n"),
    "no_version": ('history "microsoft-openai"\n',
                   "no_version.history:1:9: error: history 'microsoft-openai' lists no version\n"
                   "    1 | history \"microsoft-openai\"\n"
                   "      |         ^~~~~~~~~~~~~~~~~~\n"),
    "not_a_date": ('history "microsoft-openai"\nversion "2019-07-22" effective 2019 file "x.pact"\n',
                   "not_a_date.history:2:32: error: expected the effective date (YYYY-MM-DD), found '2019'\n"
                   "    2 | version \"2019-07-22\" effective 2019 file \"x.pact\"\n"
                   "      |                                ^~~~\n"),
}
for name, (text, want) in sorted(cases.items()):
    write(f"{name}.history", text)
    # The manifest is named relative to the working directory, so the messages name it so too.
    r = run("decide", "--history", f"{name}.history", "--request", req("openai", "serve_api", "2024-03-01"))
    check(f"bad manifest '{name}': exit 2, exactly the documented error, nothing on stdout",
          sane(r) and r.rc == 2 and r.out == "" and r.err == want, f"{r}\n--- want\n{want}")

r = run("decide", "--history", "absent.history", "--request", req("openai", "serve_api", "2024-03-01"))
check("a manifest that cannot be read: exit 2 with its name",
      r.rc == 2 and r.err.startswith("absent.history: error: cannot open 'absent.history'"), r)
r = run("decide", "--history", os.path.relpath(HISTORY, TMP), "--request", req("openai", "serve_api", "2024-03-01"))
check("a manifest named by a relative path finds its files beside it", r.rc == 0, r)

finish()
