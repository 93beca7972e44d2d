// compare.mjs: run pactum, Cedar and casbin on the same generated corpus and check that they
// agree, request by request. Usage (through bench/peers/compare):
//   node compare.mjs --pactum PATH [--n 100000] [--seed S] [--dir DIR] [--show K]
// pactum runs as `pactum decide --events events-H.jsonl requests-H.jsonl`, once per history.
// The mapping, checked exactly:
//   pactum allow          = Cedar allow, reasons = determining clauses; casbin true, its rule a determining clause
//   pactum deny           = Cedar deny,  reasons = determining clauses; casbin false, its rule a determining clause
//   pactum not_applicable = Cedar deny with no reason;                  casbin false with no rule
//   pactum conflict       has no counterpart in either: counted as a disagreement
// Exit status: 0 all agree, 1 some disagreement, 2 bad arguments, 3 a tool failed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import * as L from './lib.mjs';

function args() {
  const a = { n: 100000, seed: L.SEED, dir: null, pactum: null, show: 10 };
  const v = process.argv.slice(2);
  if (v.includes('--help') || v.includes('-h')) { console.log('usage: compare --pactum PATH [--n N] [--seed S] [--dir DIR] [--show K]'); process.exit(0); }
  for (let i = 0; i < v.length; i++) {
    const k = v[i], val = v[i + 1];
    if (k === '--n') a.n = parseInt(val, 10), i++;
    else if (k === '--seed') a.seed = parseInt(val, 10), i++;
    else if (k === '--dir') a.dir = val, i++;
    else if (k === '--pactum') a.pactum = val, i++;
    else if (k === '--show') a.show = parseInt(val, 10), i++;
    else { console.error(`compare: unknown argument '${k}'`); process.exit(2); }
  }
  if (!a.pactum || !(a.n > 0) || !Number.isInteger(a.seed)) {
    console.error('usage: compare --pactum PATH [--n N] [--seed S] [--dir DIR] [--show K]');
    process.exit(2);
  }
  return a;
}

// pactum's decisions for the whole corpus, by request id: { decision, determining: [ids] }.
export function pactumDecisions(pactum, dir) {
  const out = new Map();
  L.HISTORIES.forEach((_, h) => {
    const r = spawnSync(pactum, ['decide', '--agreement', L.AGREEMENT, '--events', path.join(dir, `events-${h}.jsonl`),
      path.join(dir, `requests-${h}.jsonl`)], { maxBuffer: 1 << 30, encoding: 'utf8' });
    if (r.status !== 0) {
      console.error(`compare: pactum decide failed for history ${h} (status ${r.status}): ${r.stderr || r.error}`);
      process.exit(3);
    }
    for (const line of r.stdout.split('\n')) {
      if (!line) continue;
      const d = JSON.parse(line);
      if (d.error) { console.error(`compare: pactum refused a request: ${line}`); process.exit(3); }
      out.set(d.id, { decision: d.decision, determining: d.determining.map((c) => c.clause), overridden: d.overridden });
    }
  });
  return out;
}

// The AGI state passed to Cedar and casbin is derived by L.agiOn from the history. Check it
// against `pactum status` on every AGI event's day, the day before and the day after, and on
// the first and last day of the corpus. Returns the number of days checked; exits 1 on a mismatch.
function checkStates(pactum, dir) {
  let n = 0;
  L.HISTORIES.forEach((hist, h) => {
    const days = new Set(['2025-01-01', '2034-12-31']);
    for (const ev of hist.events) {
      if (ev.type === 'azure_purchase') continue;
      const d = Date.parse(ev.date + 'T00:00:00Z');
      for (const k of [-1, 0, 1]) days.add(new Date(d + k * 86400000).toISOString().slice(0, 10));
    }
    for (const day of days) {
      const r = spawnSync(pactum, ['status', '--format', 'json', '--agreement', L.AGREEMENT, '--date', day,
        '--events', path.join(dir, `events-${h}.jsonl`)], { encoding: 'utf8' });
      if (r.status !== 0) { console.error(`compare: pactum status failed: ${r.stderr}`); process.exit(3); }
      const got = JSON.parse(r.stdout).state.agi, want = L.agiOn(hist, day);
      if (got !== want) {
        console.log(`state mismatch: history ${hist.name} on ${day}: pactum status says ${got}, the corpus uses ${want}`);
        process.exit(1);
      }
      n++;
    }
  });
  return n;
}

const sameSet = (a, b) => a.length === b.length && a.every((x) => b.includes(x));

async function main() {
  const a = args();
  const dir = a.dir || fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-peers-'));
  const corpus = L.writeCorpus(dir, a.n, a.seed);
  const statesChecked = checkStates(a.pactum, dir);
  const ours = pactumDecisions(a.pactum, dir);
  const cedar = await L.loadCedar();
  const enforcer = await L.loadCasbin();

  const count = (m, k) => m.set(k, (m.get(k) || 0) + 1);
  const outcomes = new Map(), states = new Map(), perAction = new Map(), determining = new Map(), overridden = new Map();
  const st = { cedarDecision: 0, cedarReason: 0, cedarReasonOf: 0, casbinDecision: 0, casbinRule: 0, casbinRuleOf: 0 };
  const bad = [];
  for (const c of corpus) {
    const p = ours.get(c.i);
    if (!p) { console.error(`compare: no pactum decision for request ${c.i}`); process.exit(3); }
    count(outcomes, p.decision);
    count(states, c.agi);
    for (const id of p.determining) count(determining, `${id} ${p.decision}`);
    for (const id of p.overridden) count(overridden, id);
    const pa = perAction.get(c.req.action) || { n: 0, agree: 0 };
    pa.n++;
    const problems = [];

    const ca = cedar.statefulIsAuthorized(L.cedarCall(c));
    if (ca.type !== 'success') problems.push('cedar failed: ' + JSON.stringify(ca.errors));
    else {
      const resp = ca.response;
      if (resp.diagnostics.errors.length) problems.push('cedar policy errors: ' + JSON.stringify(resp.diagnostics.errors));
      const reasons = [...new Set(resp.diagnostics.reason.map(L.cedarClause))];
      const want = p.decision === 'allow' ? 'allow' : 'deny';
      if (p.decision === 'conflict') problems.push('pactum says conflict, which Cedar cannot say');
      else if (resp.decision === want) st.cedarDecision++;
      else problems.push(`cedar decides ${resp.decision}`);
      if (p.decision === 'allow' || p.decision === 'deny') {
        st.cedarReasonOf++;
        if (sameSet(reasons, p.determining)) st.cedarReason++;
        else problems.push(`cedar reasons [${reasons}] != determining [${p.determining}]`);
      } else if (p.decision === 'not_applicable') {
        st.cedarReasonOf++;
        if (reasons.length === 0) st.cedarReason++;
        else problems.push(`not_applicable, but cedar gives reasons [${reasons}]`);
      }
    }

    const [ok, rule] = enforcer.enforceExSync(...L.casbinArgs(c));
    const ruleId = rule && rule.length ? rule[4] : null;
    if (p.decision !== 'conflict' && ok === (p.decision === 'allow')) st.casbinDecision++;
    else problems.push(`casbin decides ${ok ? 'allow' : 'deny'}`);
    st.casbinRuleOf++;
    if (p.decision === 'not_applicable' ? ruleId === null : ruleId !== null && p.determining.includes(ruleId)) st.casbinRule++;
    else problems.push(`casbin's rule ${ruleId} is not a determining clause`);

    if (problems.length) bad.push({ c, p, problems });
    else pa.agree++;
    perAction.set(c.req.action, pa);
  }

  const n = corpus.length;
  const fmt = (m) => [...m].sort().map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`corpus: ${n} requests, seed ${a.seed}, ${L.HISTORIES.length} event histories, dates 2025-01-01..2034-12-31 (in ${dir})`);
  console.log(`  agi state on the request's day: ${fmt(states)}` +
    ` (equal to \`pactum status\` on ${statesChecked} days around the AGI events)`);
  console.log(`  pactum outcomes: ${fmt(outcomes)}`);
  console.log(`cedar ${cedar.getCedarVersion()} (cedar-wasm, statefulIsAuthorized, preparsed):`);
  console.log(`  decisions compared ${n}, agreeing ${st.cedarDecision}`);
  console.log(`  reasons compared ${st.cedarReasonOf} (allow/deny: determining clauses = diagnostics.reason;` +
    ` not_applicable: no reason), agreeing ${st.cedarReason}`);
  console.log('casbin (enforceExSync; the benchmark times enforceSync):');
  console.log(`  decisions compared ${n}, agreeing ${st.casbinDecision}`);
  console.log(`  rules compared ${st.casbinRuleOf} (the matched rule is a determining clause; none for not_applicable), agreeing ${st.casbinRule}`);
  console.log('by action (requests where all three agree on everything):');
  for (const act of L.ACTIONS) {
    const pa = perAction.get(act) || { n: 0, agree: 0 };
    console.log(`  ${act.padEnd(24)} ${String(pa.agree).padStart(7)} of ${String(pa.n).padStart(7)}`);
  }
  console.log('clauses as pactum used them (determining, by outcome; overridden):');
  console.log(`  determining: ${fmt(determining)}`);
  console.log(`  overridden: ${fmt(overridden)}`);
  console.log(`disagreements: ${bad.length}`);
  for (const b of bad.slice(0, a.show))
    console.log(`  request ${b.c.i} (history ${L.HISTORIES[b.c.h].name}, agi ${b.c.agi}): ${JSON.stringify(b.c.req)}\n` +
      `    pactum ${b.p.decision} [${b.p.determining}]; ${b.problems.join('; ')}`);
  if (!a.dir) fs.rmSync(dir, { recursive: true, force: true });
  process.exit(bad.length ? 1 : 0);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
