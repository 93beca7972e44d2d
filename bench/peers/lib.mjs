// lib.mjs: what bench/peers/compare and bench/peers/run share: the event histories, the corpus
// generator (fixed seed), the AGI state each history gives on a day (derived here from the
// events, independently of pactum), and the translation of one pactum request into a Cedar call
// and a casbin request. Everything is deterministic for a given seed and size.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');
export const AGREEMENT = path.join(ROOT, 'agreements/microsoft-openai-2025-10-28.pact');
export const SEED = 20251028;

// The npm packages (cedar-wasm, casbin) come from bench/peers/node_modules, or from the
// node_modules directory named by PEERS_NODE_MODULES (the CI test installs them in the build tree).
const NODE_MODULES = process.env.PEERS_NODE_MODULES || path.join(HERE, 'node_modules');
const requirePkg = createRequire(path.join(NODE_MODULES, 'peers.cjs'));
export const packageVersion = (name) => requirePkg(`${name}/package.json`).version;

// ---- Event histories ----------------------------------------------------------------------
// Each history is a valid event sequence for the agreement (dates ascending). Purchases change
// no decision but make the timelines realistic; the AGI events are what the corpus spreads over.
const buy = (date, amount) => ({ type: 'azure_purchase', date, amount_usd: amount });
const declared = (date) => ({ type: 'agi_declared', date, by: 'openai' });
const verdict = (date, v) => ({ type: 'panel_verdict', date, verdict: v });

// A verdict names the declaration it rules on by its seq: in an events file, its 1-based line.
function named(events) {
  let last = 0;
  return events.map((ev, i) => {
    if (ev.type === 'agi_declared') last = i + 1;
    return ev.type === 'panel_verdict' ? { type: ev.type, date: ev.date, declaration: last, verdict: ev.verdict } : ev;
  });
}

export const HISTORIES = [
  { name: 'no_agi_event', events: [buy('2026-01-15', 10e9), buy('2028-06-30', 40e9)] },
  { name: 'declared_then_verified', events: [declared('2027-01-10'), verdict('2029-06-01', 'verified')] },
  { name: 'declared_then_rejected', events: [buy('2026-02-01', 5e9), declared('2026-03-02'), verdict('2026-09-15', 'rejected')] },
  { name: 'declared_only', events: [declared('2030-05-05')] },
  { name: 'rejected_then_verified', events: [buy('2026-01-15', 10e9), declared('2027-01-10'), verdict('2027-04-01', 'rejected'),
      declared('2029-01-15'), buy('2029-03-01', 45e9), verdict('2029-06-01', 'verified')] },
  { name: 'verified_late', events: [declared('2032-11-01'), verdict('2033-02-01', 'verified')] },
  { name: 'verified_early', events: [declared('2025-10-28'), verdict('2025-12-31', 'verified')] },
  { name: 'rejected_twice', events: [declared('2026-06-01'), verdict('2026-12-01', 'rejected'),
      declared('2031-01-01'), verdict('2031-01-02', 'rejected')] },
].map((h) => ({ name: h.name, events: named(h.events) }));

// The AGI state a history gives on `day` ("YYYY-MM-DD"): events dated on or before the day
// count, in order. This follows the agreement's `on` blocks: agi_declared sets `declared`; a
// verdict sets `verified` or puts the state back to `none` (reading R2).
export function agiOn(history, day) {
  let agi = 'none';
  for (const ev of history.events) {
    if (ev.date > day) break;
    if (ev.type === 'agi_declared') agi = 'declared';
    else if (ev.type === 'panel_verdict') agi = ev.verdict === 'verified' ? 'verified' : 'none';
  }
  return agi;
}

// ---- The corpus ---------------------------------------------------------------------------
// mulberry32: a small PRNG with a 32-bit state, so the corpus depends only on the seed.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY0 = Date.UTC(2025, 0, 1) / 86400000;
const DAY1 = Date.UTC(2034, 11, 31) / 86400000;
const fmtDay = (d) => new Date(d * 86400000).toISOString().slice(0, 10);
const parseDay = (s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / 86400000;

// Days on which some answer may change: each is asked about, and the day before and after.
const FIXED_EDGES = ['2025-10-28', '2030-12-31', '2032-12-31'];

export const ACTIONS = ['serve_api', 'serve_product', 'codevelop_product', 'release_open_weights',
  'purchase_compute', 'license_model_ip', 'use_ip', 'pursue_agi', 'receive_revenue_share'];

// Generate n requests. Request i has action i % 9, a history chosen at random, and a date that is
// uniform over 2025-01-01..2034-12-31 nine times out of ten and otherwise a day next to an edge
// (the effective date, the end of a window, an AGI event of its history). Returns
// [{ i, h, agi, req }], req being the pactum request (with "id": i).
export function generate(n, seed = SEED) {
  const rnd = prng(seed);
  const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
  const chance = (p) => rnd() < p;
  const out = [];
  for (let i = 0; i < n; i++) {
    const h = Math.floor(rnd() * HISTORIES.length);
    const hist = HISTORIES[h];
    let date;
    if (chance(0.1)) {
      const edges = FIXED_EDGES.concat(hist.events.filter((e) => e.type !== 'azure_purchase').map((e) => e.date));
      const d = parseDay(pick(edges)) + pick([-1, 0, 0, 1]);
      date = fmtDay(d);
    } else {
      date = fmtDay(DAY0 + Math.floor(rnd() * (DAY1 - DAY0 + 1)));
    }
    const action = ACTIONS[i % ACTIONS.length];
    const req = { id: i, principal: '', action };
    const res = {};
    const ctx = { date };
    switch (action) {
      case 'serve_api':
        req.principal = 'openai';
        if (chance(0.8)) res.built_with_third_party = chance(0.35);
        if (chance(0.85)) ctx.cloud = pick(['azure', 'azure', 'aws', 'gcp', 'oracle', 'coreweave']);
        if (chance(0.8)) ctx.customer_segment = pick(['commercial', 'us_gov_national_security', 'us_gov_national_security', 'enterprise', 'education']);
        break;
      case 'serve_product':
        req.principal = 'openai';
        if (chance(0.7)) res.built_with_third_party = chance(0.4);
        if (chance(0.8)) ctx.cloud = pick(['azure', 'aws', 'gcp', 'oracle']);
        break;
      case 'codevelop_product':
        req.principal = 'openai';
        ctx.partner = pick(['apple', 'softbank', 'oracle', 'io-products', 'broadcom']);
        break;
      case 'release_open_weights':
        req.principal = 'openai';
        if (chance(0.75)) res.meets_capability_criteria = chance(0.6);
        break;
      case 'purchase_compute':
        req.principal = 'openai';
        ctx.provider = pick(['azure', 'oracle', 'aws', 'coreweave', 'google']);
        break;
      case 'license_model_ip':
        req.principal = 'openai';
        ctx.licensee = pick(['microsoft', 'microsoft', 'google', 'amazon', 'meta', 'xai']);
        break;
      case 'use_ip':
        req.principal = 'microsoft';
        res.ip_kind = pick(['model', 'product', 'research', 'consumer_hardware']);
        if (chance(0.8)) res.post_agi = chance(0.4);
        if (chance(0.8)) ctx.safety_guardrails = chance(0.5);
        break;
      case 'pursue_agi':
        req.principal = 'microsoft';
        if (chance(0.85)) ctx.uses_openai_ip = chance(0.5);
        if (chance(0.85)) ctx.within_compute_threshold = chance(0.5);
        break;
      default:
        req.principal = 'microsoft';
    }
    if (Object.keys(res).length) req.resource = res;
    req.context = ctx;
    out.push({ i, h, agi: agiOn(hist, date), req });
  }
  return out;
}

// Write the corpus for pactum: DIR/events-H.jsonl (the history's events) and DIR/requests-H.jsonl
// (the requests that use history H, in corpus order), and DIR/corpus.jsonl (every request with
// its history and AGI state). Returns the corpus.
export function writeCorpus(dir, n, seed = SEED) {
  fs.mkdirSync(dir, { recursive: true });
  const corpus = generate(n, seed);
  HISTORIES.forEach((hist, h) => {
    fs.writeFileSync(path.join(dir, `events-${h}.jsonl`), hist.events.map((e) => JSON.stringify(e) + '\n').join(''));
    fs.writeFileSync(path.join(dir, `requests-${h}.jsonl`),
      corpus.filter((c) => c.h === h).map((c) => JSON.stringify(c.req) + '\n').join(''));
  });
  fs.writeFileSync(path.join(dir, 'corpus.jsonl'), corpus.map((c) => JSON.stringify(c) + '\n').join(''));
  return corpus;
}

// ---- Cedar --------------------------------------------------------------------------------
export const CEDAR_FILE = process.env.PEERS_CEDAR || path.join(HERE, 'cedar/microsoft-openai-2025-10-28.cedar');
export const CEDAR_PSET = 'microsoft-openai';

// Load the Cedar module and preparse the policy set under CEDAR_PSET. Each policy's id is its
// @id annotation; the second policy of one clause gets "#requires" appended. Returns the module.
export async function loadCedar() {
  const cedar = requirePkg('@cedar-policy/cedar-wasm/nodejs');
  const parts = cedar.policySetTextToParts(fs.readFileSync(CEDAR_FILE, 'utf8'));
  if (parts.type !== 'success') throw new Error('cedar: ' + JSON.stringify(parts.errors));
  const staticPolicies = {};
  for (const text of parts.policies) {
    const m = /@id\("([^"]+)"\)/.exec(text);
    if (!m) throw new Error('cedar: a policy without @id: ' + text.slice(0, 80));
    const id = staticPolicies[m[1]] === undefined ? m[1] : m[1] + '#requires';
    if (staticPolicies[id] !== undefined) throw new Error('cedar: @id used three times: ' + m[1]);
    staticPolicies[id] = text;
  }
  const ok = cedar.preparsePolicySet(CEDAR_PSET, { staticPolicies });
  if (ok.type !== 'success') throw new Error('cedar: ' + JSON.stringify(ok.errors));
  return cedar;
}

// The clause a Cedar policy id stands for.
export const cedarClause = (policyId) => policyId.replace(/#requires$/, '');

// The statefulIsAuthorized call for one corpus entry: resource attributes on the resource
// entity, context attributes plus date (a datetime) and agi in the context.
export function cedarCall(c) {
  const r = c.req;
  const context = { ...r.context, date: { __extn: { fn: 'datetime', arg: r.context.date } }, agi: c.agi };
  return {
    principal: { type: 'Party', id: r.principal },
    action: { type: 'Action', id: r.action },
    resource: { type: 'Resource', id: 'r' },
    context,
    preparsedPolicySetId: CEDAR_PSET,
    entities: [{ uid: { type: 'Resource', id: 'r' }, attrs: { ...(r.resource || {}) }, parents: [] }],
  };
}

// ---- casbin -------------------------------------------------------------------------------
export async function loadCasbin() {
  const casbin = requirePkg('casbin');
  return casbin.newEnforcer(path.join(HERE, 'casbin/model.conf'), process.env.PEERS_CASBIN_POLICY || path.join(HERE, 'casbin/policy.csv'));
}

// The enforce arguments for one corpus entry: sub, act, res, ctx (ctx.agi added).
export function casbinArgs(c) {
  const r = c.req;
  return [r.principal, r.action, { ...(r.resource || {}) }, { ...r.context, agi: c.agi }];
}
