#!/usr/bin/env python3
"""gen_requests.py: write N JSONL requests for the shipped agreement, with a fixed seed.

Usage: gen_requests.py [N] [--seed S] [--out FILE] [--events FILE]

Every action of agreements/microsoft-openai-2025-10-28.pact gets the same share (request i has
action i % 9); attributes are mixed (some left to their defaults, some strings the agreement
never mentions) and dates fall uniformly in 2025-01-01 .. 2034-12-31. The same N and seed always
give the same bytes. --events also writes the event timeline the benchmark decides against:
Azure purchases, a rejected AGI declaration, a second declaration and its verification.
Standard library only.
"""
import argparse
import datetime
import json
import random
import sys

ACTIONS = ["serve_api", "serve_product", "codevelop_product", "release_open_weights",
           "purchase_compute", "license_model_ip", "use_ip", "pursue_agi", "receive_revenue_share"]
CLOUDS = ["azure", "azure", "aws", "gcp", "oracle", "coreweave"]
SEGMENTS = ["commercial", "commercial", "us_gov_national_security", "enterprise"]
PARTNERS = ["apple", "softbank", "oracle", "io-products", "broadcom"]
PROVIDERS = ["azure", "oracle", "aws", "coreweave", "google"]
LICENSEES = ["microsoft", "google", "amazon", "meta", "xai"]
IP_KINDS = ["model", "product", "research", "consumer_hardware"]

EVENTS = [
    {"type": "azure_purchase", "date": "2026-01-15", "amount_usd": 10_000_000_000},
    {"type": "azure_purchase", "date": "2026-06-30", "amount_usd": 25_000_000_000},
    {"type": "agi_declared", "date": "2027-01-10", "by": "openai"},
    {"type": "azure_purchase", "date": "2027-03-01", "amount_usd": 30_000_000_000},
    {"type": "panel_verdict", "date": "2027-04-01", "declaration": 3, "verdict": "rejected"},
    {"type": "azure_purchase", "date": "2028-01-01", "amount_usd": 40_000_000_000},
    {"type": "agi_declared", "date": "2029-01-15", "by": "openai"},
    {"type": "azure_purchase", "date": "2029-03-01", "amount_usd": 45_000_000_000},
    {"type": "panel_verdict", "date": "2029-06-01", "declaration": 7, "verdict": "verified"},
    {"type": "azure_purchase", "date": "2030-01-01", "amount_usd": 50_000_000_000},
    {"type": "azure_purchase", "date": "2031-01-01", "amount_usd": 50_000_000_000},
]

FIRST = datetime.date(2025, 1, 1)
NDAYS = (datetime.date(2034, 12, 31) - FIRST).days + 1


def request(i, rnd):
    a = i % len(ACTIONS)
    action = ACTIONS[a]
    date = (FIRST + datetime.timedelta(days=rnd.randrange(NDAYS))).isoformat()
    ctx = {"date": date}
    res = {}
    if action == "serve_api":
        principal = "openai"
        if rnd.random() >= 0.2:  # 20% rely on every default
            res["built_with_third_party"] = rnd.random() < 0.3
            ctx["cloud"] = rnd.choice(CLOUDS)
            ctx["customer_segment"] = rnd.choice(SEGMENTS)
    elif action == "serve_product":
        principal = "openai"
        res["built_with_third_party"] = rnd.random() < 0.3
        ctx["cloud"] = rnd.choice(CLOUDS)
    elif action == "codevelop_product":
        principal = "openai"
        ctx["partner"] = rnd.choice(PARTNERS)
    elif action == "release_open_weights":
        principal = "openai"
        if rnd.random() >= 0.25:
            res["meets_capability_criteria"] = rnd.random() < 0.6
    elif action == "purchase_compute":
        principal = "openai"
        ctx["provider"] = rnd.choice(PROVIDERS)
    elif action == "license_model_ip":
        principal = "openai"
        ctx["licensee"] = rnd.choice(LICENSEES)
    elif action == "use_ip":
        principal = "microsoft"
        res["ip_kind"] = rnd.choice(IP_KINDS)
        res["post_agi"] = rnd.random() < 0.3
        ctx["safety_guardrails"] = rnd.random() < 0.5
    elif action == "pursue_agi":
        principal = "microsoft"
        ctx["uses_openai_ip"] = rnd.random() < 0.5
        ctx["within_compute_threshold"] = rnd.random() < 0.5
    else:
        principal = "microsoft"
    req = {"principal": principal, "action": action}
    if res:
        req["resource"] = res
    req["context"] = ctx
    return req


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=20251028)
    ap.add_argument("--out", default="-")
    ap.add_argument("--events", help="also write the event timeline (JSONL) here")
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")
    enc = json.JSONEncoder(separators=(",", ":")).encode
    lines = []
    for i in range(args.n):
        lines.append(enc(request(i, rnd)))
        if len(lines) == 65536:
            out.write("\n".join(lines) + "\n")
            lines.clear()
    if lines:
        out.write("\n".join(lines) + "\n")
    if out is not sys.stdout:
        out.close()
    if args.events:
        with open(args.events, "w", encoding="utf-8") as f:
            for ev in EVENTS:
                f.write(enc(ev) + "\n")


if __name__ == "__main__":
    main()
