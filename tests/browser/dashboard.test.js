// The dashboard at `/` of a real `pactum serve`, driven in Debian's chromium by playwright-core.
//
// Run by run.sh (node --test) with PACTUM_BIN (the binary) and PACTUM_ARTIFACTS (where the
// screenshots go) in the environment and playwright-core on NODE_PATH.
//
// The server gets its own scratch directory, store and tokens file; the events are appended over
// POST /v1/events with bearer tokens, as a party would. Expected values come from the shipped
// agreement (agreements/microsoft-openai-2025-10-28.pact) and the events appended here, never from
// the server's own answers. The server and the browser are stopped whatever happens.
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..', '..');
const PACT = path.join(ROOT, 'agreements', 'microsoft-openai-2025-10-28.pact');
const PACTUM = process.env.PACTUM_BIN;
const ARTIFACTS = path.resolve(process.env.PACTUM_ARTIFACTS || path.join(process.cwd(), 'artifacts', 'browser'));
const CHROMIUM = '/usr/bin/chromium';
const WAIT = 15000; // the longest wait for one thing on the page

// ---- what the agreement says ------------------------------------------------------------------
const SOURCE = fs.readFileSync(PACT, 'utf8');
const TITLE = /^agreement\s+"[^"]*"\s*\{[^}]*?\btitle\s+"([^"]*)"/m.exec(SOURCE)[1];
const CLAUSE_RE = /^(permission|prohibition|obligation)\s+([a-z_0-9]+)\s*\{([\s\S]*?)^\}/gm;
const CLAUSES = new Map([...SOURCE.matchAll(CLAUSE_RE)].map((m) =>
  [m[2], { kind: m[1], quotes: [...m[3].matchAll(/^\s*quote\s+\w+\s+"([^"]*)"/gm)].map((q) => q[1]) }]));
const COMMITMENT = /^commitment\s+([a-z_0-9]+)\s*\{[^}]*?\btotal\s+\$([0-9_]+)/m.exec(SOURCE);
const COMMITMENT_ID = COMMITMENT[1];
const COMMITMENT_TOTAL = Number(COMMITMENT[2].replace(/_/g, ''));
const EVENT_TYPES = [...SOURCE.matchAll(/^event\s+([a-z_0-9]+)/gm)].map((m) => m[1]);

// ---- the record ---------------------------------------------------------------------------------
const TOKENS = {
  openai: 'tok-openai-' + crypto.randomBytes(8).toString('hex'),
  microsoft: 'tok-microsoft-' + crypto.randomBytes(8).toString('hex'),
  'panel.expert_1': 'tok-panel-1-' + crypto.randomBytes(8).toString('hex'),
  'panel.expert_2': 'tok-panel-2-' + crypto.randomBytes(8).toString('hex'),
  'panel.expert_3': 'tok-panel-3-' + crypto.randomBytes(8).toString('hex'),
};
const PURCHASE = 40_000_000_000;
const EVENTS = [
  { who: 'openai', event: { type: 'azure_purchase', date: '2026-01-15', amount_usd: PURCHASE } },
  { who: 'openai', event: { type: 'agi_declared', date: '2027-01-10', by: 'openai' } },
  // The verdict names the declaration it rules on by its seq: filled in from that append's answer.
  // The panel acts by three of its five members: the first two votes are kept (202), the third
  // records the verdict (200).
  { who: ['panel.expert_1', 'panel.expert_2', 'panel.expert_3'], event: { type: 'panel_verdict', date: '2029-06-01', declaration: null, verdict: 'verified' } },
];

const BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic'];

// ---- shared state -------------------------------------------------------------------------------
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-browser-'));
let server = null; // the child process
let serverLog = '';
let base = ''; // http://127.0.0.1:PORT/
let head = null; // the head the last append answered
let browser = null;
let desktop = null; // a page at 1280 px
const pageErrors = []; // uncaught exceptions and console errors, from every page
const foreign = []; // requests to anything but the server
const shots = [];

function stopServer(signal) {
  if (server && server.exitCode === null && server.signalCode === null) {
    try { server.kill(signal); } catch (_) { /* already gone */ }
  }
}
// Whatever ends this process, the server goes with it (the browser is playwright's child and
// is closed by playwright's own exit handlers).
process.on('exit', () => stopServer('SIGKILL'));
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { stopServer('SIGKILL'); process.exit(1); });

function startServer() {
  fs.writeFileSync(path.join(TMP, 'tokens'), '# signer sha256-of-token\n\n' + Object.entries(TOKENS)
    .map(([who, tok]) => `${who} ${crypto.createHash('sha256').update(tok).digest('hex')}\n`).join(''));
  server = spawn(PACTUM, ['serve', '--listen', '127.0.0.1:0', '--db', path.join(TMP, 'x.db'), '--tokens', path.join(TMP, 'tokens')],
    { cwd: TMP, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (d) => { serverLog += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('pactum serve did not say where it listens within 10 s:\n' + serverLog)), 10000);
    server.stderr.on('data', (d) => {
      serverLog += d;
      const m = /serving .* on (http:\/\/([0-9.]+):([0-9]+)\/)/.exec(serverLog);
      if (m && !base) { base = m[1]; clearTimeout(timer); resolve(); }
    });
    server.on('exit', (code, sig) => { clearTimeout(timer); reject(new Error(`pactum serve exited (${code ?? sig}) before serving:\n${serverLog}`)); });
    server.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

async function post(pathname, body, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const r = await fetch(new URL(pathname, base), { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

async function shot(page, name, opts) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name);
  await page.screenshot({ path: file, fullPage: true, ...opts });
  shots.push(file);
  console.log(`screenshot: ${file}`);
}

async function newPage(viewport) {
  const ctx = await browser.newContext({ viewport, deviceScaleFactor: 1, timezoneId: 'UTC', locale: 'en-US' });
  const page = await ctx.newPage();
  page.setDefaultTimeout(WAIT);
  page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // the browser logs the 400 that the playground's missing-attribute request gets on purpose
    if (/status of 400/.test(m.text()) && m.location().url.endsWith('/v1/explain')) return;
    // ... and the 400 of the what-if whose added event makes a recorded one refused, also on purpose
    if (/status of 400/.test(m.text()) && m.location().url.endsWith('/v1/whatif')) return;
    pageErrors.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(base) && !u.startsWith('data:')) foreign.push(u);
  });
  return page;
}

// Opens the dashboard on `date` and waits until everything for that date is drawn.
async function open(page, date) {
  await page.goto(new URL(`/?date=${date}`, base).href);
  await rendered(page, date);
}

async function rendered(page, date) {
  await page.waitForFunction((d) => {
    const main = document.getElementById('main');
    return document.getElementById('date-print').textContent === `As of ${d}` && main.getAttribute('aria-busy') === 'false' &&
      document.querySelectorAll('#clauses [data-clause-id]').length > 0;
  }, date);
  assert.equal(await page.locator('#load-error').isVisible(), false, 'no load error is shown');
}

async function setDate(page, date) {
  await page.locator('#date-picker').fill(date);
  await rendered(page, date);
  assert.equal(new URL(page.url()).searchParams.get('date'), date, 'the address keeps the chosen date');
}

const inEffect = (page, id) => page.locator(`#clauses [data-clause-id="${id}"]`).getAttribute('data-in-effect');
const agiShown = (page) => page.locator('#state [data-var="agi"] .var-value').textContent();

// Chooses an action and principal in the playground, sets attributes and the date, presses
// Decide, and waits for the outcome to be redrawn.
async function decide(page, { action, principal, date, attrs = {} }) {
  await page.selectOption('#pg-action', action);
  await page.selectOption('#pg-principal', principal);
  await page.locator('#pg-date').fill(date);
  for (const [key, v] of Object.entries(attrs)) {
    const inp = page.locator(`#pg-attr-${key}`);
    const tag = await inp.evaluate((e) => e.tagName);
    if (tag === 'SELECT') await inp.selectOption(v);
    else if ((await inp.getAttribute('type')) === 'checkbox') await inp.setChecked(Boolean(v));
    else await inp.fill(String(v));
  }
  // mark the old outcome, so that a stale one is never mistaken for the answer
  await page.evaluate(() => { document.getElementById('pg-outcome').textContent = '…'; });
  await page.click('#pg-submit');
  await page.waitForFunction(() => {
    const t = document.getElementById('pg-outcome').textContent;
    return t !== '…' && t !== '—' && !document.getElementById('pg-submit').disabled;
  });
  return (await page.locator('#pg-outcome').textContent()).trim();
}

// ---- setup and teardown ---------------------------------------------------------------------
before(async () => {
  assert.ok(PACTUM, 'PACTUM_BIN names the pactum binary');
  await startServer();
  // Authentication first: no token, then a party that may not record a verdict; nothing is written.
  const none = await post('/v1/events', EVENTS[0].event, null);
  assert.equal(none.status, 401, `an append without a token is refused: ${JSON.stringify(none.body)}`);
  const wrong = await post('/v1/events', EVENTS[2].event, TOKENS.openai);
  assert.equal(wrong.status, 403, `openai may not record a panel verdict: ${JSON.stringify(wrong.body)}`);
  for (const { who, event } of EVENTS) {
    if (event.type === 'panel_verdict') event.declaration = head.seq;
    const voters = Array.isArray(who) ? who : [who];
    for (const [i, voter] of voters.entries()) {
      const r = await post('/v1/events', event, TOKENS[voter]);
      if (i < voters.length - 1) {
        assert.equal(r.status, 202, `${voter}'s vote for ${event.type} is kept: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.proposal.votes, i + 1);
        continue;
      }
      assert.equal(r.status, 200, `${voter} records ${event.type}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.recorded, 1);
      head = r.body.head;
    }
  }
  // Record 1 is the store's own store_created record; the events follow it.
  assert.equal(head.seq, EVENTS.length + 1, 'the refused appends wrote nothing');
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: BROWSER_ARGS, timeout: 30000 });
  desktop = await newPage({ width: 1280, height: 900 });
});

after(async () => {
  if (browser) await browser.close().catch(() => {});
  stopServer('SIGKILL');
  if (process.env.PACTUM_KEEP_TMP !== '1') fs.rmSync(TMP, { recursive: true, force: true });
  if (shots.length) console.log(`screenshots:\n${shots.map((s) => '  ' + s).join('\n')}`);
});

// ---- the tests --------------------------------------------------------------------------------
test('the agreement declares what these tests expect', () => {
  assert.equal(CLAUSES.size, 22); // 18, and the 4 added by the review of issue 14 (revenue_share_to_openai, build_additional_capacity, joint_supercomputing_microsoft, joint_supercomputing_openai)
  for (const id of ['azure_api_exclusivity', 'national_security_any_cloud', 'model_product_ip'])
    assert.ok(CLAUSES.get(id) && CLAUSES.get(id).quotes.length, `${id} is a clause with quotes`);
  assert.equal(COMMITMENT_TOTAL, 250_000_000_000);
});

test('on 2027-05-01: title, state, clauses, commitment, events and audit', async () => {
  const page = desktop;
  await open(page, '2027-05-01');
  assert.equal((await page.locator('#ag-title').textContent()).trim(), TITLE);
  assert.ok((await page.title()).includes(TITLE), `the document title names the agreement: ${await page.title()}`);
  assert.equal(await page.locator('#date-picker').inputValue(), '2027-05-01');
  assert.equal(await page.locator('#pg-date').inputValue(), '2027-05-01');

  assert.equal(await agiShown(page), 'declared', 'agi is declared, not yet verified');
  assert.match(await page.locator('#state').textContent(), /after 2 events dated on or before it/);

  const clauses = page.locator('#clauses > [data-clause-id]');
  assert.equal(await clauses.count(), 22);
  const ids = await clauses.evaluateAll((es) => es.map((e) => e.dataset.clauseId));
  assert.deepEqual([...ids].sort(), [...CLAUSES.keys()].sort(), 'every clause of the agreement, once');
  for (const [id, c] of CLAUSES) {
    const kind = await page.locator(`#clauses [data-clause-id="${id}"]`).getAttribute('data-kind');
    assert.equal(kind, c.kind, `${id}'s kind`);
  }
  assert.equal(await inEffect(page, 'azure_api_exclusivity'), 'true');
  const excl = page.locator('#clauses [data-clause-id="azure_api_exclusivity"]');
  assert.match(await excl.locator('.effect').textContent(), /In effect/);
  assert.ok((await excl.textContent()).includes(CLAUSES.get('azure_api_exclusivity').quotes[0]), 'the clause quotes its source');
  assert.equal(await inEffect(page, 'model_product_ip'), 'true');

  const commit = page.locator(`#commitments [data-commitment-id="${COMMITMENT_ID}"]`).first();
  const pct = ((PURCHASE / COMMITMENT_TOTAL) * 100).toFixed(2) + '%';
  assert.equal(pct, '16.00%');
  assert.equal(await commit.locator('.amounts strong').textContent(), pct);
  assert.match(await commit.locator('.amounts').textContent(), /\$40,000,000,000 of \$250,000,000,000 fulfilled/);
  assert.equal(await commit.locator('[role="progressbar"]').getAttribute('aria-valuenow'), '16');
  assert.equal(await commit.locator('.chart svg').count(), 1, 'the cumulative chart is drawn');

  // the timeline shows every event; the verdict, after the chosen date, is marked as later
  for (const { event } of EVENTS) {
    const g = page.locator(`#timeline g.ev[data-type="${event.type}"][data-date="${event.date}"]`);
    assert.equal(await g.count(), 1, `the timeline shows ${event.type} on ${event.date}`);
    assert.equal(await g.evaluate((e) => e.classList.contains('later')), event.date > '2027-05-01', `${event.type} later or not`);
  }

  const rows = page.locator('#events tbody tr');
  assert.equal(await rows.count(), 4, 'the events table lists the store_created record and the 3 events');
  const listed = await rows.evaluateAll((rs) => rs.map((r) => [r.dataset.seq, r.querySelector('code').textContent]));
  assert.deepEqual(listed, [['4', 'panel_verdict'], ['3', 'agi_declared'], ['2', 'azure_purchase'], ['1', 'store_created']],
    'newest first');
  // The verdict was recorded by the three members whose votes made the quorum; the settings record
  // has no date and no recorder.
  const verdictRow = rows.first();
  assert.match(await verdictRow.textContent(), /panel\.expert_1, panel\.expert_2, panel\.expert_3/);
  assert.match(await rows.last().textContent(), /store_created/);

  const audit = page.locator('#audit');
  assert.equal(await audit.getAttribute('data-ok'), 'true');
  assert.match(await audit.textContent(), /Verified/);
  assert.match(await audit.textContent(), /4 records/);
  assert.equal(await audit.locator('.hash').textContent(), head.hash, 'the head is the one the last append answered');
  await shot(page, 'dashboard-desktop.png');
});

test('changing the date redraws the clauses and the state', async () => {
  const page = desktop;
  await setDate(page, '2029-07-01');
  assert.equal(await agiShown(page), 'verified');
  assert.equal(await inEffect(page, 'azure_api_exclusivity'), 'false');
  assert.match(await page.locator('#clauses [data-clause-id="azure_api_exclusivity"] .effect').textContent(), /Not in effect/);
  assert.equal(await inEffect(page, 'model_product_ip'), 'true', 'model and product IP runs through 2032');
  assert.equal(await page.locator('#timeline g.ev.later').count(), 0, 'no event is after 2029-07-01');

  await setDate(page, '2033-01-01');
  assert.equal(await inEffect(page, 'model_product_ip'), 'false');
  assert.equal(await agiShown(page), 'verified');
  assert.match(await page.locator('#clauses-summary').textContent(), /of 22 clauses in effect on 2033-01-01/);
});

test('the playground: deny on AWS, allow for national security, an error for a missing attribute', async () => {
  const page = desktop;
  const excl = CLAUSES.get('azure_api_exclusivity'), ns = CLAUSES.get('national_security_any_cloud');

  let out = await decide(page, { action: 'serve_api', principal: 'openai', date: '2027-05-01', attrs: { 'context-cloud': 'aws' } });
  assert.equal(out, 'deny');
  let det = page.locator('#pg-determining');
  assert.equal(await det.locator('[data-clause-id="azure_api_exclusivity"]').count(), 1, 'azure_api_exclusivity determines it');
  let text = await det.textContent();
  assert.ok(excl.quotes.some((q) => text.includes(q)), `the determining clause is quoted: ${text}`);
  assert.ok((await page.locator('#pg-trace > li').count()) > 0, 'the trace is shown');
  assert.equal(await page.locator('#pg-trace [data-clause-id="azure_api_exclusivity"]').count(), 1);
  assert.match(await page.locator('#pg-summary').textContent(), /openai · serve_api on 2027-05-01/);
  assert.equal(await page.locator('#pg-error').isVisible(), false);

  out = await decide(page, { action: 'serve_api', principal: 'openai', date: '2027-05-01',
    attrs: { 'context-cloud': 'aws', 'context-customer_segment': 'us_gov_national_security' } });
  assert.equal(out, 'allow');
  det = page.locator('#pg-determining');
  assert.equal(await det.locator('[data-clause-id="national_security_any_cloud"]').count(), 1);
  text = await det.textContent();
  assert.ok(ns.quotes.some((q) => text.includes(q)), `the determining clause is quoted: ${text}`);
  assert.match(await page.locator('#pg-overridden').textContent(), /azure_api_exclusivity/, 'the exclusivity is overridden');
  await shot(page, 'dashboard-playground.png');

  // use_ip's ip_kind has no default: the form offers "— choose —", and the server refuses without it
  await page.selectOption('#pg-action', 'use_ip');
  assert.equal(await page.locator('#pg-attr-resource-ip_kind').inputValue(), '', 'ip_kind starts unchosen');
  out = await decide(page, { action: 'use_ip', principal: 'microsoft', date: '2027-05-01' });
  assert.equal(out, 'error');
  const err = page.locator('#pg-error');
  assert.equal(await err.isVisible(), true);
  assert.match(await err.textContent(), /ip_kind/);
  assert.match(await page.locator('#pg-summary').textContent(), /HTTP 400/);
  assert.equal(await page.locator('#pg-details').isVisible(), false, 'no stale decision is left shown');

  // and with it, the answer comes back and the error goes away
  out = await decide(page, { action: 'use_ip', principal: 'microsoft', date: '2027-05-01', attrs: { 'resource-ip_kind': 'model' } });
  assert.equal(out, 'allow');
  assert.equal(await err.isVisible(), false);
  assert.equal(await page.locator('#pg-determining [data-clause-id="model_product_ip"]').count(), 1);
});

// Adds a hypothetical event through the what-if form.
async function wiAdd(page, type, date, fields = {}) {
  await page.selectOption('#wi-type', type);
  await page.locator('#wi-date').fill(date);
  for (const [k, v] of Object.entries(fields)) {
    const inp = page.locator(`#wi-field-${k}`);
    if ((await inp.evaluate((e) => e.tagName)) === 'SELECT') await inp.selectOption(v);
    else await inp.fill(String(v));
  }
  await page.click('#wi-add');
}

// Presses Compare and waits for the answer (or the error) to be drawn.
async function wiCompare(page) {
  await page.evaluate(() => { document.getElementById('wi-summary').textContent = '…'; });
  await page.click('#wi-submit');
  await page.waitForFunction(() => {
    const t = document.getElementById('wi-summary').textContent;
    return t !== '…' && t !== 'Comparing…';
  });
}

test('what if: hypothetical events, the stretches they change, and a refusal', async () => {
  const page = desktop;
  await open(page, '2027-05-01');
  const types = await page.locator('#wi-type option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(types, EVENT_TYPES, 'the form offers the event types the agreement declares');
  assert.equal(await page.locator('#wi-submit').isDisabled(), true, 'nothing to compare yet');

  // A further purchase of $10,000,000,000 on 2028-01-01: the commitment's count goes from the
  // recorded $40,000,000,000 to $50,000,000,000, from that day on.
  await wiAdd(page, 'azure_purchase', '2028-01-01', { amount_usd: 10_000_000_000 });
  assert.equal(await page.locator('#wi-list li').count(), 1);
  await wiCompare(page);
  assert.equal(await page.locator('#wi-error').isVisible(), false);
  const ch = page.locator('#wi-changes .wi-change');
  assert.equal(await ch.count(), 1, 'one stretch differs');
  assert.equal(await ch.getAttribute('data-from'), '2028-01-01');
  assert.equal(await ch.getAttribute('data-through'), '', 'for ever after');
  assert.match(await ch.locator(`[data-commitment="${COMMITMENT_ID}"]`).textContent(),
    /\$40,000,000,000 → \$50,000,000,000 of \$250,000,000,000/);
  assert.match(await ch.locator('h3').textContent(), /From 2028-01-01 on/);

  // A rejection on 2027-06-01 of the recorded declaration (the verdict names it by its seq) ends
  // it, so the recorded verdict of 2029-06-01 would have nothing to verify: its guard refuses it,
  // and the page says so.
  await page.click('[data-testid="wi-remove-0"]');
  const declared = EVENTS[2].event.declaration;
  await wiAdd(page, 'panel_verdict', '2027-06-01', { declaration: declared, verdict: 'rejected' });
  await wiCompare(page);
  const err = page.locator('#wi-error');
  assert.equal(await err.isVisible(), true);
  let msg = await err.textContent();
  assert.match(msg, /guard_failed/);
  assert.match(msg, /panel_verdict, 2029-06-01/);
  assert.match(msg, /no AGI declaration is pending/);
  assert.match(await page.locator('#wi-summary').textContent(), /HTTP 400/);

  // Declared again on 2028-01-01: the recorded verdict names the first declaration, not the new
  // pending one, so it is refused as well (a verdict rules on the declaration it names).
  await wiAdd(page, 'agi_declared', '2028-01-01', { by: 'openai' });
  await wiCompare(page);
  assert.equal(await err.isVisible(), true);
  msg = await err.textContent();
  assert.match(msg, /panel_verdict, 2029-06-01/);
  assert.match(msg, /the verdict must rule on the pending declaration/);

  // Back to the purchase alone, for the picture.
  await page.click('[data-testid="wi-remove-1"]');
  await page.click('[data-testid="wi-remove-0"]');
  await wiAdd(page, 'azure_purchase', '2028-01-01', { amount_usd: 10_000_000_000 });
  await wiCompare(page);
  assert.equal(await err.isVisible(), false, 'the error is gone');
  assert.equal(await page.locator('#wi-changes .wi-change').count(), 1);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  shots.push(path.join(ARTIFACTS, 'dashboard-whatif.png'));
  await page.locator('#wi-section').screenshot({ path: shots[shots.length - 1] });

  // On the as-of date alone (2027-05-01, before every added event) nothing differs.
  await page.check('#wi-onday');
  await wiCompare(page);
  assert.equal(await page.locator('#wi-changes .wi-change').count(), 0);
  assert.match(await page.locator('#wi-summary').textContent(), /on 2027-05-01 .*no differences/);
  await page.uncheck('#wi-onday');
});

test('at a 375 px phone width nothing scrolls sideways', async () => {
  const page = await newPage({ width: 375, height: 812 });
  await open(page, '2027-05-01');
  const sw = () => page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok((await sw()) <= 375, `scrollWidth ${await sw()} <= 375`);
  assert.ok((await page.locator('#timeline svg').evaluate((e) => e.getBoundingClientRect().right)) <= 375, 'the timeline fits');
  const out = await decide(page, { action: 'serve_api', principal: 'openai', date: '2027-05-01', attrs: { 'context-cloud': 'aws' } });
  assert.equal(out, 'deny');
  assert.ok((await sw()) <= 375, `with a decision shown: scrollWidth ${await sw()} <= 375`);
  await shot(page, 'dashboard-phone.png');
  await page.context().close();
});

test('in print the form is hidden and the date is shown', async () => {
  const page = desktop;
  await page.emulateMedia({ media: 'print' });
  try {
    assert.equal(await page.locator('#playground').isVisible(), false, 'the playground form is not printed');
    assert.equal(await page.locator('#whatif').isVisible(), false, 'the what-if form is not printed');
    assert.equal(await page.locator('#date-print').isVisible(), true, 'the chosen date is printed');
    assert.equal(await page.locator('#clauses [data-clause-id]').first().isVisible(), true, 'the clauses are printed');
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
});

test('the obligations panel: a breach, and a deadline to come with its days left', async () => {
  // A second server, on an agreement of its own: invoice 1 ($900, 2026-05-04) is due 2026-05-18
  // (14 days) and unpaid, so on 2026-05-19 it is a breach; invoice 2 ($250, 2026-05-15) is due
  // 2026-05-29, 10 days after 2026-05-19.
  const dir = fs.mkdtempSync(path.join(TMP, 'obl-'));
  fs.writeFileSync(path.join(dir, 'contract.txt'), 'The buyer pays each invoice within 14 days. The buyer may order.\n');
  fs.writeFileSync(path.join(dir, 'obl.pact'), `agreement "obl-browser" { version "1" effective 2026-01-01 }
source contract official "contract.txt"
party buyer
party seller
action order by buyer
event invoice { number: integer  amount: money }
event paid { number: integer  amount: money }
permission ordering { principal buyer action order quote contract "The buyer may order." }
obligation pay {
  owed_by buyer
  owed_to seller
  on invoice
  due 14 days after trigger
  amount event.amount
  fulfilled by paid where event.number == trigger.number counting amount
  quote contract "The buyer pays each invoice within 14 days."
}
`);
  const tok = 'tok-seller-' + crypto.randomBytes(8).toString('hex');
  fs.writeFileSync(path.join(dir, 'tokens'), `seller ${crypto.createHash('sha256').update(tok).digest('hex')}\n`);
  const srv = spawn(PACTUM, ['serve', '--listen', '127.0.0.1:0', '--db', path.join(dir, 'o.db'), '--agreement', path.join(dir, 'obl.pact'),
    '--tokens', path.join(dir, 'tokens')], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the second server did not start:\n' + log)), 10000);
      srv.stderr.on('data', (d) => {
        log += d;
        const m = /serving .* on (http:\/\/[0-9.]+:[0-9]+\/)/.exec(log);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
      srv.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the second server exited (${code}):\n${log}`)); });
    });
    for (const ev of [{ type: 'invoice', date: '2026-05-04', number: 1, amount: 900 }, { type: 'invoice', date: '2026-05-15', number: 2, amount: 250 }]) {
      const r = await fetch(new URL('/v1/events', url), { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tok}` },
        body: JSON.stringify(ev) });
      assert.equal(r.status, 200, `the invoice is recorded: ${await r.text()}`);
    }
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'UTC', locale: 'en-US' });
    const page = await ctx.newPage();
    page.setDefaultTimeout(WAIT);
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(new URL('/?date=2026-05-19', url).href);
    await page.waitForFunction(() => document.getElementById('date-print').textContent === 'As of 2026-05-19'
      && document.getElementById('main').getAttribute('aria-busy') === 'false');
    const breach = page.locator('#obligations [data-testid="obligations-breaches"] tr[data-obligation-id="pay"]');
    assert.equal(await breach.count(), 1, 'one breach');
    assert.equal(await breach.getAttribute('data-instance'), '1');
    assert.match(await breach.textContent(), /2026-05-18/);
    assert.match(await breach.textContent(), /violated/);
    const next = page.locator('#obligations [data-testid="obligations-upcoming"] tr[data-obligation-id="pay"]');
    assert.equal(await next.count(), 1, 'one deadline to come');
    assert.match(await next.textContent(), /2026-05-29 · 10 days left/);
    assert.match(await next.textContent(), /\$250/);
    await shot(page, 'obligations.png');
    await ctx.close();
    assert.deepEqual(errors, []);
  } finally {
    srv.kill('SIGKILL');
  }
});

test('no script errors and no request leaves the server', () => {
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(foreign, []);
});

test('the server stops cleanly on SIGTERM', async () => {
  const done = new Promise((resolve) => server.once('exit', (code, sig) => resolve([code, sig])));
  stopServer('SIGTERM');
  let t;
  const timer = new Promise((resolve) => { t = setTimeout(() => resolve(['timeout']), 10000); });
  const [code, sig] = await Promise.race([done, timer]);
  clearTimeout(t);
  assert.equal(code, 0, `exit status 0 (got ${code}, ${sig ?? ''})\n${serverLog}`);
});
