// run.mjs: the speed of pactum beside Cedar and casbin, in one run, over the same corpus.
// Usage (through bench/peers/run):
//   node run.mjs --pactum PATH --harness PATH [--n 100000] [--runs 5] [--batch 1000] [--serve-cpu 1]
// Each round times, one after the other: Cedar (statefulIsAuthorized, policies preparsed), casbin
// (enforceSync), pactum's C API (peers_decide), `pactum decide` on the JSONL stream (one process
// per event history, output to /dev/null), and `pactum serve` (POST /v1/decide in batches, one
// server per history). Round 0 is the warm-up and is not counted; the figures are the medians of
// the other rounds, and the ratios are peer : pactum over those medians.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { spawn, spawnSync } from 'node:child_process';
import * as L from './lib.mjs';

function args() {
  const a = { n: 100000, runs: 5, batch: 1000, pactum: null, harness: null, serveCpu: '1', passes: 5 };
  const v = process.argv.slice(2);
  if (v.includes('--help') || v.includes('-h')) { console.log('usage: run --pactum PATH --harness PATH [--n N] [--runs R>=5] [--batch 1..10000]'); process.exit(0); }
  for (let i = 0; i < v.length; i++) {
    const k = v[i], val = v[++i];
    if (k === '--n') a.n = parseInt(val, 10);
    else if (k === '--runs') a.runs = parseInt(val, 10);
    else if (k === '--batch') a.batch = parseInt(val, 10);
    else if (k === '--pactum') a.pactum = val;
    else if (k === '--harness') a.harness = val;
    else if (k === '--serve-cpu') a.serveCpu = val;
    else if (k === '--passes') a.passes = parseInt(val, 10);
    else { console.error(`run: unknown argument '${k}'`); process.exit(2); }
  }
  if (!a.pactum || !a.harness || !(a.n > 0) || !(a.runs >= 5) || !(a.batch > 0 && a.batch <= 10000)) {
    console.error('usage: run --pactum PATH --harness PATH [--n N] [--runs R>=5] [--batch 1..10000]');
    process.exit(2);
  }
  return a;
}

const median = (xs) => { const s = [...xs].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const nowNs = () => Number(process.hrtime.bigint());
function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 30, ...opts });
  if (r.status !== 0) { console.error(`run: ${cmd} ${argv.join(' ')} failed (${r.status}): ${r.stderr || r.error}`); process.exit(3); }
  return r;
}

// Every server started is stopped when this process ends, however it ends.
const live = [];
process.on('exit', () => { for (const c of live) if (c.exitCode === null) c.kill('SIGTERM'); });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

// ---- pactum serve: one server per history, on its own store ---------------------------------
async function startServers(a, dir) {
  const servers = [];
  for (let h = 0; h < L.HISTORIES.length; h++) {
    const db = path.join(dir, `store-${h}.db`);
    run(a.pactum, ['init', '--db', db, '--agreement', L.AGREEMENT]);
    run(a.pactum, ['event', 'import', '--db', db, '--agreement', L.AGREEMENT, path.join(dir, `events-${h}.jsonl`)]);
    // Kept-alive connections wait between the benchmark's phases: neither the idle timeout nor the
    // request deadline may close them meanwhile.
    const argv = [a.pactum, 'serve', '--db', db, '--agreement', L.AGREEMENT, '--listen', '127.0.0.1:0', '--threads', '1',
      '--timeout', '3600', '--request-deadline', '0'];
    const child = a.serveCpu === 'none' ? spawn(argv[0], argv.slice(1)) : spawn('taskset', ['-c', a.serveCpu, ...argv]);
    const port = await new Promise((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (d) => {
        err += d;
        const m = /serving .* on http:\/\/127\.0\.0\.1:(\d+)\//.exec(err);
        if (m) resolve(+m[1]);
      });
      child.on('exit', (code) => reject(new Error(`pactum serve exited (${code}): ${err}`)));
    });
    servers.push({ child, port });
    live.push(child);
  }
  return servers;
}

// Run `pactum decide --events events-H.jsonl FILE > /dev/null` for every history H from one bash
// process and return the total wall time in ns, measured by bash ($EPOCHREALTIME). FILE is
// requests-H.jsonl ('requests') or an empty file ('empty': the start-up cost alone).
function shellTime(pactum, dir, what) {
  const script = `set -e; : > "$D/empty.jsonl"; t0=$EPOCHREALTIME
for h in $(seq 0 $(($NH - 1))); do
  f="$D/requests-$h.jsonl"; [ "$W" = empty ] && f="$D/empty.jsonl"
  "$P" decide --agreement "$A" --events "$D/events-$h.jsonl" "$f" > /dev/null
done
t1=$EPOCHREALTIME; echo "$t0 $t1"`;
  const r = run('bash', ['-c', script], { env: { ...process.env, D: dir, P: pactum, A: L.AGREEMENT, W: what, NH: String(L.HISTORIES.length) } });
  const [t0, t1] = r.stdout.trim().split(' ').map((x) => x.replace('.', ''));
  return Number(BigInt(t1) - BigInt(t0)) * 1000; // microseconds to ns
}

function post(agent, port, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/v1/decide', method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`HTTP ${res.statusCode}: ${Buffer.concat(chunks)}`)));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function main() {
  const a = args();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-peers-run-'));
  const corpus = L.writeCorpus(dir, a.n);
  const n = corpus.length;

  // Inputs built before any timing: Cedar calls, casbin arguments, HTTP batch bodies.
  const cedar = await L.loadCedar();
  const enforcer = await L.loadCasbin();
  const calls = corpus.map(L.cedarCall);
  const cargs = corpus.map(L.casbinArgs);
  const batches = [];
  L.HISTORIES.forEach((_, h) => {
    const lines = fs.readFileSync(path.join(dir, `requests-${h}.jsonl`), 'utf8').split('\n').filter(Boolean);
    for (let i = 0; i < lines.length; i += a.batch)
      batches.push({ h, count: Math.min(a.batch, lines.length - i), body: '[' + lines.slice(i, i + a.batch).join(',') + ']' });
  });
  const servers = await startServers(a, dir);
  let agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  // The checked pass: pactum decide's outcomes, the harness's, Cedar's and casbin's must match.
  const counts = { allow: 0, deny: 0, not_applicable: 0, conflict: 0 };
  L.HISTORIES.forEach((_, h) => {
    const r = run(a.pactum, ['decide', '--agreement', L.AGREEMENT, '--events', path.join(dir, `events-${h}.jsonl`), path.join(dir, `requests-${h}.jsonl`)]);
    for (const line of r.stdout.split('\n')) if (line) counts[JSON.parse(line).decision]++;
  });
  const harnessOut = run(a.harness, ['--agreement', L.AGREEMENT, '--dir', dir, '--passes', '1']).stdout;
  const hc = /outcomes (\d+) (\d+) (\d+) (\d+)/.exec(harnessOut).slice(1).map(Number);
  let cedarAllow = 0, casbinAllow = 0;
  for (const c of calls) if (cedar.statefulIsAuthorized(c).response.decision === 'allow') cedarAllow++;
  for (const c of cargs) if (enforcer.enforceSync(...c)) casbinAllow++;
  let httpDecisions = 0;
  for (const b of batches) httpDecisions += JSON.parse(await post(agent, servers[b.h].port, b.body)).filter((d) => d.decision).length;
  const ok = hc.join() === [counts.allow, counts.deny, counts.not_applicable, counts.conflict].join() &&
    cedarAllow === counts.allow && casbinAllow === counts.allow && httpDecisions === n;
  console.log(`corpus: ${n} requests (seed ${L.SEED}), ${L.HISTORIES.length} event histories; pactum: ${counts.allow} allow,` +
    ` ${counts.deny} deny, ${counts.not_applicable} not_applicable, ${counts.conflict} conflict;` +
    ` Cedar allows ${cedarAllow}, casbin ${casbinAllow}; HTTP answered ${httpDecisions}: ${ok ? 'consistent' : 'INCONSISTENT'}`);
  if (!ok) process.exit(1);

  const t = { cedar: [], casbin: [], capi: [], capiCold: [], capiJson: [], cli: [], cliStart: [], http: [] };

  for (let round = 0; round <= a.runs; round++) {
    let t0 = nowNs();
    for (const c of calls) cedar.statefulIsAuthorized(c);
    const cedarNs = (nowNs() - t0) / n;

    t0 = nowNs();
    for (const c of cargs) enforcer.enforceSync(...c);
    const casbinNs = (nowNs() - t0) / n;

    const hout = run(a.harness, ['--agreement', L.AGREEMENT, '--dir', dir, '--passes', String(a.passes)]).stdout;
    const fig = (name) => parseFloat(new RegExp(`^${name} ([0-9.]+)`, 'm').exec(hout)[1]);

    // The CLI is timed by a shell, so that starting each pactum costs what it costs from a shell,
    // not what forking this (large) node process would. Eight processes, one per history.
    const cliNs = shellTime(a.pactum, dir, 'requests');
    const startNs = shellTime(a.pactum, dir, 'empty');

    agent.destroy(); // a new connection per server each round: no socket left idle since the last
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    t0 = nowNs();
    for (const b of batches) await post(agent, servers[b.h].port, b.body);
    const httpNs = (nowNs() - t0) / n;

    if (round === 0) continue; // warm-up
    t.cedar.push(cedarNs); t.casbin.push(casbinNs);
    t.capi.push(fig('decide')); t.capiCold.push(fig('decide_cold')); t.capiJson.push(fig('json'));
    t.cli.push(cliNs / n); t.cliStart.push(startNs / n); t.http.push(httpNs);
    console.log(`round ${round}: cedar ${cedarNs.toFixed(0)} casbin ${casbinNs.toFixed(0)} c_api ${fig('decide').toFixed(1)}` +
      ` c_api_cold ${fig('decide_cold').toFixed(1)} c_api_json ${fig('json').toFixed(0)} cli ${(cliNs / n).toFixed(0)} (start ${(startNs / n).toFixed(0)}) http ${httpNs.toFixed(0)} ns/decision`);
  }
  for (const s of servers) s.child.kill('SIGTERM');
  agent.destroy();

  const med = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, median(v)]));
  const rows = [
    ['Cedar-wasm ' + cedar.getCedarVersion() + ', statefulIsAuthorized (preparsed)', 'cedar'],
    ['casbin ' + L.packageVersion('casbin') + ', enforceSync', 'casbin'],
    ['pactum C API: pactum_decide (parsed request)', 'capi'],
    [`pactum C API: pactum_decide, all ${n} requests parsed up front`, 'capiCold'],
    ['pactum C API: JSON in, decide, JSON out', 'capiJson'],
    ['pactum CLI: pactum decide, JSONL in and out', 'cli'],
    ['  of which starting 8 processes (load agreement, fold events)', 'cliStart'],
    [`pactum HTTP: POST /v1/decide, batches of ${a.batch}`, 'http'],
  ];
  console.log(`\nmedian of ${a.runs} rounds after a warm-up round; ${n} decisions per engine per round\n`);
  console.log(`${'engine'.padEnd(62)} ${'ns/decision'.padStart(12)} ${'min'.padStart(9)} ${'max'.padStart(9)} ${'Cedar:this'.padStart(11)} ${'casbin:this'.padStart(12)}`);
  for (const [label, k] of rows) {
    const v = t[k];
    console.log(`${label.padEnd(62)} ${med[k].toFixed(1).padStart(12)} ${Math.min(...v).toFixed(1).padStart(9)} ${Math.max(...v).toFixed(1).padStart(9)}` +
      ` ${(med.cedar / med[k]).toFixed(1).padStart(10)}x ${(med.casbin / med[k]).toFixed(1).padStart(11)}x`);
  }
  console.log('(Cedar:this, casbin:this: the peer\'s ns per decision over this row\'s, i.e. how many times faster this row is)');
  // A target is met when the ratio of the medians reaches it; the worst round is shown beside it
  // (each round's own peer time over its own pactum time).
  const target = (what, peer, ours, want) => {
    const got = med[peer] / med[ours];
    const worst = Math.min(...t[peer].map((x, i) => x / t[ours][i]));
    console.log(`${what}: ${got.toFixed(1)}x, worst round ${worst.toFixed(1)}x (target >= ${want}x): ${got >= want ? 'met' : 'NOT met'}`);
  };
  console.log();
  target('in process, pactum C API vs Cedar-wasm', 'cedar', 'capi', 50);
  target('in process, pactum C API vs casbin', 'casbin', 'capi', 30);
  target('CLI (JSON in and out) vs Cedar-wasm', 'cedar', 'cli', 5);
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
