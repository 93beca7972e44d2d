// pactum dashboard: plain JavaScript over the same-origin JSON API of `pactum serve`.
// Everything shown comes from the API; no party, action, clause, event or state name is assumed.
'use strict';
(() => {
  const SVGNS = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);
  const S = { ag: null, vocab: null, clauses: [], status: null, ledger: null, events: [], head: null, audit: null, date: '', gen: 0, wi: [] };
  const PALETTE = ['#1d4ed8', '#b91c1c', '#047857', '#7c3aed', '#b45309', '#0e7490', '#be185d', '#4d7c0f'];

  // ---- DOM helpers ------------------------------------------------------------------------
  function build(e, props, kids) {
    for (const [k, v] of Object.entries(props || {})) {
      if (v == null || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const k of kids.flat(Infinity)) if (k != null && k !== false) e.append(k instanceof Node ? k : String(k));
    return e;
  }
  const el = (tag, props, ...kids) => build(document.createElement(tag), props, kids);
  const sv = (tag, props, ...kids) => build(document.createElementNS(SVGNS, tag), props, kids);
  const fill = (node, ...kids) => { node.replaceChildren(); return build(node, null, kids); };

  // ---- formatting -------------------------------------------------------------------------
  const todayUTC = () => new Date().toISOString().slice(0, 10);
  const isDate = (s) => /^\d{4}-\d{2}-\d{2}$/.test(s || '');
  const dayNum = (s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / 864e5;
  const maxStr = (...a) => a.filter(Boolean).reduce((m, x) => (x > m ? x : m));
  const minStr = (...a) => a.filter(Boolean).reduce((m, x) => (x < m ? x : m));
  const num = (n) => (typeof n === 'number' ? n.toLocaleString('en-US') : String(n));
  const amount = (n, unit) => (unit === 'USD' ? '$' + num(n) : num(n) + (unit ? ' ' + unit : ''));
  const compactFmt = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
  const compact = (n, unit) => (unit === 'USD' ? '$' + compactFmt.format(n) : compactFmt.format(n) + (unit ? ' ' + unit : ''));
  const value = (v) => (v === null ? 'null' : typeof v === 'object' ? JSON.stringify(v) : num(v));
  const flat = (s) => String(s).replace(/\s+/g, ' ');
  const canvas = document.createElement('canvas').getContext('2d');
  function textWidth(text, font) {
    if (!canvas) return text.length * 7;
    canvas.font = font;
    return canvas.measureText(text).width;
  }
  function party(id) {
    const p = ((S.ag && S.ag.parties) || []).find((x) => x.id === id);
    return el('span', { class: 'party', title: id }, p && p.title ? p.title : id);
  }
  function source(id) {
    const s = ((S.ag && S.ag.sources) || []).find((x) => x.id === id);
    return el('span', { class: 'src', title: s ? s.title || s.ref : null }, id);
  }
  const badge = (kind) => el('span', { class: `badge kind-${kind}` }, kind);
  const quote = (text, src) => el('blockquote', { class: 'quote' }, el('p', null, `“${text}”`), el('cite', null, '— ', source(src)));
  const quotes = (qs) => (qs || []).map((q) => quote(q.text, q.source));
  const muted = (text) => el('p', { class: 'muted', text });
  const cell = (label, props, ...kids) => el('td', { 'data-label': label, ...props }, el('div', null, ...kids));

  async function api(path, body) {
    const opt = body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body };
    const r = await fetch(path, opt);
    const text = await r.text();
    let data = null;
    try { data = JSON.parse(text); } catch (_) { /* reported below */ }
    if (!r.ok || data === null) {
      const err = new Error(data && data.error ? `${data.error.code}: ${data.error.message}` : `${path}: HTTP ${r.status}`);
      err.status = r.status;
      err.data = data;
      throw err;
    }
    return data;
  }
  function showLoadError(e) {
    const box = $('load-error');
    box.hidden = false;
    box.textContent = 'Could not load the dashboard data: ' + e.message;
  }

  // ---- header -----------------------------------------------------------------------------
  function renderHeader() {
    const a = S.ag;
    $('ag-title').textContent = a.title || a.id;
    document.title = `${a.title || a.id} · pactum`;
    const row = (k, ...v) => [el('dt', { text: k }), el('dd', null, ...v)];
    fill($('ag-meta'), ...[
      row('id', el('code', { text: a.id })),
      row('version', a.version),
      row('effective', a.effective),
      row('hash', el('code', { class: 'hash', title: 'SHA-256 of the agreement source' }, a.hash)),
      a.parties && a.parties.length ? row('parties', a.parties.map((p, i) => [i ? ', ' : '', party(p.id)])) : null,
      a.sources && a.sources.length ? row('sources', a.sources.map((x) =>
        el('span', { class: 'source-item' }, el('code', { text: x.id }), ` (${x.confidence}): ${x.title || x.ref}`))) : null,
      a.bodies && a.bodies.length ? row('bodies', a.bodies.map((b, i) =>
        `${i ? '; ' : ''}${b.title || b.id} (${b.members.length} members, quorum ${b.quorum})`)) : null,
    ].filter(Boolean).flat());
  }

  // ---- state and timeline -----------------------------------------------------------------
  function renderState() {
    const st = S.status.state || {};
    const vars = Object.entries(st).map(([k, v]) =>
      el('div', { class: 'var', 'data-var': k }, el('span', { class: 'var-name', text: k }), el('span', { class: 'var-eq', text: ' = ' }),
        el('strong', { class: 'var-value', text: v === null ? 'none' : value(v) }))); /* a ref that names no event yet */
    fill($('state'), 
      vars.length ? el('div', { class: 'vars' }, vars) : muted('This agreement declares no state variables.'),
      el('p', { class: 'muted' }, `On ${S.status.date}, after ${S.status.events} event${S.status.events === 1 ? '' : 's'} dated on or before it.`));
  }

  function renderTimeline() {
    const box = $('timeline');
    if (!S.ag || !S.status) return;
    // The store's settings records (store_created, key_registered, ...) have no date: only the
    // agreement's dated events are drawn.
    const evs = S.events.filter((e) => e.event.date);
    const W = Math.max(280, box.clientWidth || 800);
    const first = evs.length ? evs[0].event.date : null;
    const last = evs.length ? evs.reduce((m, e) => maxStr(m, e.event.date), first) : null;
    const t0 = dayNum(minStr(S.ag.effective, S.date, first));
    const t1 = Math.max(dayNum(maxStr(S.date, last, S.ag.effective)), t0 + 30);
    const types = [...new Set(evs.map((e) => e.event.type))];
    const labelW = (t) => Math.max(textWidth(t, '600 11.5px system-ui, sans-serif'), 62) + 4;
    // leave room on the right for the labels of the last day's events, which point right
    const lastW = Math.max(0, ...evs.filter((e) => e.event.date === last).map((e) => labelW(e.event.type + ' ×00')));
    const f = last ? (dayNum(last) - t0) / (t1 - t0) : 0, padL = 14, LANE = 30, MAXLANES = 8;
    const padR = Math.min(W * 0.4, Math.max(14, f > 0 ? W - padL - (W - lastW - padL) / f : 0));
    const X = (d) => padL + ((d - t0) / (t1 - t0)) * (W - padL - padR);
    const colour = (t) => PALETTE[types.indexOf(t) % PALETTE.length];
    const groups = new Map();
    for (const { seq, event } of evs) {
      const k = event.date + '\u0000' + event.type;
      if (!groups.has(k)) groups.set(k, { date: event.date, type: event.type, seqs: [] });
      groups.get(k).seqs.push(seq);
    }
    // Each label takes the lowest lane where it overlaps no other label and no stem crosses it
    // (nor its stem another label); right to left, so that start-anchored labels stair-step.
    const placed = [];
    const clash = (n, j) => (n.lane === j.lane && n.a < j.b + 8 && j.a < n.b + 8) ||
      (n.lane > j.lane && n.x > j.a - 3 && n.x < j.b + 3) || (j.lane > n.lane && j.x > n.a - 3 && j.x < n.b + 3);
    const items = [...groups.values()].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0)).map((g) => {
      const x = X(dayNum(g.date));
      const label = g.type + (g.seqs.length > 1 ? ` ×${g.seqs.length}` : '');
      const w = labelW(label) - 4;
      for (const end of [false, true]) {
        for (let lane = 0; lane < MAXLANES; lane++) {
          const n = { g, x, label, end, lane, a: end ? x - 4 - w : x, b: end ? x : x + 4 + w };
          if (n.a < 0 || n.b > W || placed.some((j) => clash(n, j))) continue;
          placed.push(n);
          return n;
        }
      }
      return { g, x, lane: null };
    });
    const lanes = Math.max(1, ...items.map((i) => (i.lane === null ? 0 : i.lane + 1)));
    const axisY = 26 + lanes * LANE, H = axisY + 44;
    const svg = sv('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'timeline-svg',
      'aria-label': `Timeline of ${evs.length} recorded events from ${minStr(S.ag.effective, S.date, first)} to ${maxStr(S.date, last)}` });
    svg.append(sv('line', { x1: padL, x2: W - padR, y1: axisY, y2: axisY, class: 'axis' }));
    // ticks: years, or months for short spans
    const yrs = (t1 - t0) / 365.25;
    const y0 = new Date((t0) * 864e5).getUTCFullYear(), y1 = new Date(t1 * 864e5).getUTCFullYear();
    const ticks = [];
    if (yrs > 1.5) {
      const step = [1, 2, 5, 10, 20, 50, 100].find((s) => ((W - padL - padR) / (yrs / s)) >= 46) || 100;
      for (let y = y0 + 1; y <= y1; y++) if (y % step === 0) ticks.push([Date.UTC(y, 0, 1) / 864e5, String(y)]);
    } else {
      const step = [1, 2, 3, 6].find((s) => ((W - padL - padR) / (yrs * 12 / s)) >= 60) || 6;
      for (let y = y0; y <= y1; y++) for (let m = 0; m < 12; m += step) ticks.push([Date.UTC(y, m, 1) / 864e5, `${y}-${String(m + 1).padStart(2, '0')}`]);
    }
    for (const [d, label] of ticks) {
      if (d < t0 || d > t1) continue;
      const x = X(d);
      svg.append(sv('line', { x1: x, x2: x, y1: axisY, y2: axisY + 5, class: 'tick' }),
        sv('text', { x, y: axisY + 17, class: 'tick-label', 'text-anchor': x < 30 ? 'start' : x > W - 30 ? 'end' : 'middle' }, label));
    }
    const edgeText = (x, y, cls, text) => sv('text', { x, y, class: cls, 'text-anchor': x < W / 3 ? 'start' : x > (2 * W) / 3 ? 'end' : 'middle' }, text);
    const xe = X(dayNum(S.ag.effective));
    svg.append(sv('path', { d: `M${xe} ${axisY - 6}l5 6l-5 6l-5 -6z`, class: 'effective' }, sv('title', null, `effective ${S.ag.effective}`)),
      edgeText(xe, axisY + 34, 'edge-label', `effective ${S.ag.effective}`));
    const xd = X(dayNum(S.date));
    svg.append(sv('line', { x1: xd, x2: xd, y1: 12, y2: axisY + 8, class: 'asof-line' }),
      edgeText(xd, 10, 'asof-label', `as of ${S.date}`));
    for (const it of items) {
      const { g, x } = it;
      const later = g.date > S.date;
      const grp = sv('g', { class: 'ev' + (later ? ' later' : ''), 'data-type': g.type, 'data-date': g.date },
        sv('title', null, `${g.type} on ${g.date} (seq ${g.seqs.join(', ')})${later ? ', after the chosen date' : ''}`));
      if (it.lane !== null) {
        const yb = axisY - 12 - it.lane * LANE;
        const tx = it.end ? x - 4 : x + 4, anchor = it.end ? 'end' : 'start';
        grp.append(sv('line', { x1: x, x2: x, y1: axisY, y2: yb - 20, stroke: colour(g.type), class: 'stem' }),
          sv('text', { x: tx, y: yb - 11, 'text-anchor': anchor, class: 'ev-type', fill: colour(g.type) }, it.label),
          sv('text', { x: tx, y: yb, 'text-anchor': anchor, class: 'ev-date' }, g.date));
      }
      grp.append(sv('circle', { cx: x, cy: axisY, r: 5, fill: colour(g.type), class: 'marker' }));
      svg.append(grp);
    }
    fill(box, svg, evs.length ? null : muted('No events have been recorded yet.'),
      items.some((i) => i.lane === null) ? muted('Some labels are hidden where events crowd; hover a marker or see the event table.') : null);
  }

  // ---- commitments ------------------------------------------------------------------------
  function renderCommitments() {
    const box = $('commitments');
    const L = new Map(((S.ledger && S.ledger.commitments) || []).map((c) => [c.id, c]));
    const list = S.status.commitments || [];
    fill(box, ...(list.length ? list.map((c) => {
      const l = L.get(c.id) || {};
      const pct = Number(c.percent) || 0;
      const dl = c.deadline || l.deadline;
      let pace = 'no deadline';
      if (dl) {
        pace = `deadline ${dl}` + (l.days_left != null ? ` · ${num(l.days_left)} days left` : '');
        if (l.status === 'met') pace += ' · met';
        else if (l.status === 'missed' || l.pace_per_month === null) pace += ' · missed';
        else if (l.pace_per_month != null) pace += ` · pace needed ${amount(l.pace_per_month, c.unit)} per month`;
      }
      return el('article', { class: 'commitment', 'data-commitment-id': c.id },
        el('div', { class: 'commit-head' }, el('h3', { text: c.id }), l.status ? el('span', { class: `badge status-${l.status}`, text: l.status }) : null),
        el('p', { class: 'what', text: c.what }),
        el('p', { class: 'small' }, 'owed by ', party(c.owed_by), ' to ', party(c.owed_to)),
        el('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.min(100, pct),
          'aria-label': `${c.id}: ${c.percent}% fulfilled` }, el('div', { class: 'bar-fill', style: `width:${Math.min(100, pct)}%` })),
        el('p', { class: 'amounts' }, el('strong', { text: `${pct.toFixed(2)}%` }),
          ` — ${amount(c.fulfilled, c.unit)} of ${amount(c.total, c.unit)} fulfilled; ${amount(c.remaining, c.unit)} remaining` +
          (l.excess ? `; ${amount(l.excess, c.unit)} in excess` : '')),
        el('p', { class: 'pace', 'data-testid': 'pace' }, pace),
        el('div', { class: 'chart', 'data-commitment-id': c.id }),
        quotes(c.quotes));
    }) : [muted('This agreement declares no commitments.')]));
    drawCharts();
  }

  function monthIdx(p) { // "2026-02", "2026-Q1" (its last month) or "2028-12-31"
    const q = /^(\d{4})-Q([1-4])$/.exec(p);
    return q ? +q[1] * 12 + (+q[2]) * 3 - 1 : +p.slice(0, 4) * 12 + (+p.slice(5, 7)) - 1;
  }
  const monthName = (i) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;

  function drawCharts() {
    const L = new Map(((S.ledger && S.ledger.commitments) || []).map((c) => [c.id, c]));
    for (const box of document.querySelectorAll('#commitments .chart')) {
      const l = L.get(box.dataset.commitmentId);
      if (!l || !l.periods || !l.periods.length) {
        fill(box, muted(`Nothing counted on or before ${S.date}.`));
        continue;
      }
      const W = Math.max(260, box.clientWidth || 600), H = 190, pl = 60, pr = 16, pt = 16, pb = 30;
      const pts = l.periods.map((p) => [monthIdx(p.period), p.cumulative, p]);
      const start = pts[0][0] - (l.by === 'quarter' || S.ledger.by === 'quarter' ? 3 : 1);
      const dlm = l.deadline ? monthIdx(l.deadline) : null;
      const end = Math.max(pts[pts.length - 1][0], dlm === null ? 0 : dlm, start + 1);
      const ymax = Math.max(l.total, pts[pts.length - 1][1], 1) * 1.1;
      const X = (m) => pl + ((m - start) / (end - start)) * (W - pl - pr);
      const Y = (v) => pt + (1 - v / ymax) * (H - pt - pb);
      const line = [[start, 0], ...pts].map(([m, v]) => `${X(m).toFixed(1)},${Y(v).toFixed(1)}`).join(' ');
      const lastPt = pts[pts.length - 1];
      const svg = sv('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'chart-svg',
        'aria-label': `Cumulative ${l.id} by ${S.ledger.by}: ${amount(lastPt[1], l.unit)} of ${amount(l.total, l.unit)} by ${lastPt[2].period}` },
      sv('line', { x1: pl, x2: W - pr, y1: Y(0), y2: Y(0), class: 'axis' }),
      sv('line', { x1: pl, x2: W - pr, y1: Y(l.total), y2: Y(l.total), class: 'target' }),
      sv('text', { x: pl - 6, y: Y(0) + 4, class: 'tick-label', 'text-anchor': 'end' }, '0'),
      sv('text', { x: pl - 6, y: Y(l.total) + 4, class: 'tick-label', 'text-anchor': 'end' }, compact(l.total, l.unit)),
      sv('text', { x: pl + 4, y: Y(l.total) - 5, class: 'tick-label', 'text-anchor': 'start' }, 'total'),
      sv('text', { x: X(start), y: H - 10, class: 'tick-label', 'text-anchor': 'start' }, monthName(start)),
      sv('polygon', { points: `${X(start)},${Y(0)} ${line} ${X(lastPt[0])},${Y(0)}`, class: 'area' }),
      sv('polyline', { points: line, class: 'cum' }));
      if (lastPt[0] > start + 1 && (dlm === null || Math.abs(X(lastPt[0]) - X(dlm)) > 70))
        svg.append(sv('text', { x: X(lastPt[0]), y: H - 10, class: 'tick-label', 'text-anchor': X(lastPt[0]) > W - 40 ? 'end' : 'middle' }, lastPt[2].period));
      if (dlm !== null) {
        svg.append(sv('line', { x1: X(dlm), x2: X(dlm), y1: pt, y2: Y(0), class: 'deadline' }),
          sv('text', { x: X(dlm), y: H - 10, class: 'tick-label', 'text-anchor': 'end' }, `deadline ${l.deadline}`));
        if (l.status === 'open' && lastPt[0] < dlm)
          svg.append(sv('line', { x1: X(lastPt[0]), y1: Y(lastPt[1]), x2: X(dlm), y2: Y(l.total), class: 'pace-line' },
            sv('title', null, 'the pace that would still meet the deadline')));
      }
      for (const [m, v, p] of pts) if (p.amount) svg.append(sv('circle', { cx: X(m), cy: Y(v), r: 3, class: 'dot' },
        sv('title', null, `${p.period}: +${amount(p.amount, l.unit)}, cumulative ${amount(v, l.unit)}`)));
      fill(box, svg);
    }
  }

  // ---- clauses ----------------------------------------------------------------------------
  function renderClauses() {
    const st = new Map((S.status.clauses || []).map((c) => [c.id, c]));
    let n = 0;
    fill($('clauses'), ...S.clauses.map((c) => {
      const s = st.get(c.id) || {};
      const on = s.in_effect === true;
      if (on) n++;
      const reason = s.reason || (on ? 'in effect' : 'not in effect');
      const dl = (k, v) => (v ? [el('dt', { text: k }), el('dd', null, el('code', { text: flat(v) }))] : null);
      return el('article', { class: 'clause', 'data-clause-id': c.id, 'data-in-effect': String(on), 'data-kind': c.kind },
        el('div', { class: 'clause-head' }, badge(c.kind), el('h3', { text: c.id })),
        el('p', { class: 'who' }, party(c.principal), ' · ', el('code', { text: c.action })),
        el('p', { class: 'effect ' + (on ? 'on' : 'off') }, el('strong', { text: on ? '✓ In effect' : '✗ Not in effect' }), ` — ${reason}`),
        el('dl', { class: 'conds' }, dl('window', c.window), dl('when', c.when), dl('requires', c.requires),
          dl('exception to', (c.exception_to || []).join(', '))),
        quotes(c.quotes));
    }));
    $('clauses-summary').textContent = `${n} of ${S.clauses.length} clauses in effect on ${S.status.date}.`;
  }

  // ---- facts ------------------------------------------------------------------------------
  function renderFacts() {
    const f = Object.entries(S.status.facts || {});
    fill($('facts'), f.length ? el('table', { class: 'facts stack' },
      el('thead', null, el('tr', null, ['Fact', 'Value', 'Quoted source'].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', null, f.map(([name, x]) => el('tr', { 'data-fact': name },
        cell('Fact', null, el('code', { text: name })),
        cell('Value', { class: 'fact-value' }, value(x.value) + (x.unit ? ' ' + x.unit : '')),
        cell('Quoted source', null, quotes(x.quotes)))))) : muted('This agreement declares no facts.'));
  }

  // ---- events and audit -------------------------------------------------------------------
  function renderEvents() {
    const shown = S.events.slice(-50).reverse();
    const details = (e) => Object.entries(e).filter(([k]) => !['type', 'date', 'signatures', 'nonce', 'recorded_by'].includes(k))
      .map(([k, v]) => el('span', { class: 'kv' }, el('span', { class: 'k', text: k + ': ' }), value(v)));
    fill($('events'), 
      el('h3', { text: 'Last events' }),
      S.events.length ? el('p', { class: 'muted' }, `Newest first; ${shown.length} of ${S.events.length} records.`) : null,
      shown.length ? el('table', { class: 'events stack' },
        el('thead', null, el('tr', null, ['Seq', 'Date', 'Type', 'Details', 'Signed by', 'Recorded by'].map((h) => el('th', { scope: 'col', text: h })))),
        el('tbody', null, shown.map(({ seq, event }) => el('tr', { 'data-seq': seq },
          cell('Seq', null, seq),
          cell('Date', { class: 'nowrap' }, event.date || '—'),
          cell('Type', { class: 'nowrap' }, el('code', { text: event.type })),
          cell('Details', { class: 'details' }, details(event)),
          cell('Signed by', null, (event.signatures || []).map((s) => s.signer).join(', ') || '—'),
          cell('Recorded by', null, (event.recorded_by || []).join(', ') || '—'))))) :
        muted('No events have been recorded yet.'));
  }

  function renderAudit() {
    const a = S.audit, box = $('audit');
    if (!a || a.error) { fill(box, el('p', { class: 'audit-bad' }, 'Audit status unavailable: ' + (a ? a.error : 'no answer'))); return; }
    const head = a.head || S.head || {};
    box.setAttribute('data-ok', String(a.ok));
    fill(box, 
      a.ok ? el('p', { class: 'audit-ok' }, el('strong', { text: '✓ Verified' }), ` — the hash chain of ${num(a.records)} records (${num(a.bytes)} bytes) is intact.`)
        : el('p', { class: 'audit-bad' }, el('strong', { text: `✗ Audit FAILED at seq ${a.bad_seq}` }), `: ${a.reason || 'the chain does not verify'}`),
      el('p', { class: 'small' }, `Head: seq ${head.seq} `, el('code', { class: 'hash', text: head.hash || '' })));
  }

  // ---- playground -------------------------------------------------------------------------
  function buildForm() {
    const acts = S.vocab.actions || [];
    fill($('pg-action'), ...acts.map((a) => el('option', { value: a.name, text: a.name })));
    $('pg-action').addEventListener('change', onAction);
    $('playground').addEventListener('submit', onSubmit);
    if (!acts.length) $('pg-submit').disabled = true;
    onAction();
  }
  const currentAction = () => (S.vocab.actions || []).find((a) => a.name === $('pg-action').value);

  function onAction() {
    const a = currentAction();
    if (!a) return;
    fill($('pg-principal'), ...a.principals.map((p) => {
      const t = ((S.ag && S.ag.parties) || []).find((x) => x.id === p);
      return el('option', { value: p, text: t && t.title ? `${t.title} (${p})` : p });
    }));
    const fs = $('pg-attrs');
    const fields = a.attributes.map((at) => {
      const id = `pg-attr-${at.scope}-${at.name}`, d = at.default;
      const common = { id, name: `${at.scope}.${at.name}`, 'data-testid': id, 'data-scope': at.scope, 'data-attr': at.name, 'data-type': at.type };
      const hint = el('span', { class: 'hint' }, `${at.scope} · ${at.type === 'money' ? 'money (USD)' : at.type}${d === null ? ' · required' : ''}`);
      if (at.type === 'bool')
        return el('div', { class: 'field check' }, el('input', { ...common, type: 'checkbox', checked: d === true }),
          el('label', { for: id }, at.name, ' ', hint));
      let input;
      if (at.type === 'enum') {
        input = el('select', common, d === null ? el('option', { value: '', text: '— choose —' }) : null,
          (at.members || []).map((m) => el('option', { value: m, text: m, selected: m === d })));
      } else {
        const type = { integer: 'number', money: 'number', date: 'date' }[at.type] || 'text';
        input = el('input', { ...common, type, step: type === 'number' ? 1 : null, inputmode: type === 'number' ? 'numeric' : null,
          value: d === null ? null : String(d), 'aria-required': d === null ? 'true' : null });
      }
      return el('div', { class: 'field' }, el('label', { for: id }, at.name, ' ', hint), input);
    });
    fill(fs, el('legend', { text: 'Attributes' }), ...(fields.length ? fields : [muted('This action has no attributes.')]));
  }

  function requestJSON() {
    const a = currentAction();
    const req = { principal: $('pg-principal').value, action: a.name, resource: {}, context: {} };
    if (isDate($('pg-date').value)) req.context.date = $('pg-date').value;
    for (const at of a.attributes) {
      const inp = $(`pg-attr-${at.scope}-${at.name}`);
      let v;
      if (at.type === 'bool') v = inp.checked;
      else if (inp.value === '' && (at.type !== 'string' || at.default === null)) continue;
      else if (at.type === 'integer' || at.type === 'money') v = /^-?\d+$/.test(inp.value.trim()) ? '\u0000INT' + inp.value.trim() : Number(inp.value);
      else v = inp.value;
      req[at.scope][at.name] = v;
    }
    if (!Object.keys(req.resource).length) delete req.resource;
    // whole numbers are sent digit for digit, beyond the 2^53 of JavaScript numbers
    return JSON.stringify(req).replace(/"\\u0000INT(-?\d+)"/g, '$1');
  }

  async function onSubmit(ev) {
    ev.preventDefault();
    const btn = $('pg-submit'), out = $('pg-outcome');
    btn.disabled = true;
    $('pg-error').hidden = true;
    try {
      const x = await api('v1/explain', requestJSON());
      renderDecision(x);
    } catch (e) {
      out.textContent = 'error';
      out.className = 'outcome outcome-error';
      $('pg-section').classList.add('has-result');
      $('pg-details').hidden = true;
      $('pg-summary').textContent = e.status ? `The server refused the request (HTTP ${e.status}).` : 'The request failed.';
      const er = e.data && e.data.error;
      fill($('pg-error'), er ? el('p', null, el('strong', { text: er.code }), ': ', er.message) : el('p', { text: e.message }));
      $('pg-error').hidden = false;
    } finally {
      btn.disabled = false;
    }
  }

  function validUntil(v) {
    if (v === null || v === undefined) return 'This answer never changes.';
    if (v.date && v.state) return `Valid until ${v.date}; it may change sooner if ${v.state} changes.`;
    if (v.date) return `Valid until ${v.date}: the answer may change on that day.`;
    return `Valid while ${v.state} does not change.`;
  }
  const clauseList = (list) => (list.length ? el('ul', { class: 'clause-list' }, list.map((c) =>
    el('li', { 'data-clause-id': c.clause }, badge(c.kind), ' ', el('strong', { text: c.clause }), quote(c.text, c.source)))) : muted('none'));

  function renderDecision(x) {
    const d = x.decision || {}, r = x.request || {}, trace = x.clauses || [];
    $('pg-section').classList.add('has-result');
    const out = $('pg-outcome');
    out.textContent = d.decision;
    out.className = `outcome outcome-${d.decision}`;
    const st = Object.entries(x.state || {}).map(([k, v]) => `${k} = ${value(v)}`).join(', ');
    $('pg-summary').textContent = `${r.principal} · ${r.action} on ${r.date}${st ? ` (state: ${st})` : ''}. ${validUntil(d.valid_until)}`;
    fill($('pg-determining'), clauseList(d.determining || []));
    fill($('pg-overridden'), (d.overridden || []).length ? el('p', null, d.overridden.map((id, i) => [i ? ', ' : '', el('code', { text: id })])) : muted('none'));
    fill($('pg-obligations'), clauseList(d.obligations || []));
    fill($('pg-trace'), ...(trace.length ? trace.map((c) => el('li', { class: `trace-clause role-${c.role}`, 'data-clause-id': c.clause },
      el('div', { class: 'trace-head' }, badge(c.kind), ' ', el('strong', { text: c.clause }), ' ',
        el('span', { class: 'role', text: c.role.replace(/_/g, ' ') + (c.outcome !== 'none' ? ` → ${c.outcome}` : '') })),
      el('ul', { class: 'tests' }, c.tests.map((t) => el('li', { class: t.held ? 'held' : 'failed' },
        el('span', { class: 'mark', text: t.held ? '✓ held' : '✗ FAILED' }), ' ',
        el('code', { text: t.condition === null ? t.test : `${t.test} ${flat(t.condition)}` })))),
      c.exception_to.length ? el('p', { class: 'small' }, 'exception to ', c.exception_to.join(', ')) : null,
      (c.notes || []).map((n) => el('p', { class: 'note small', text: n })))) : [el('li', null, muted('No clause concerns this principal and action.'))]));
    $('pg-details').hidden = false;
  }

  // ---- what if ------------------------------------------------------------------------------
  // Hypothetical events are kept in S.wi and sent to POST /v1/whatif; nothing is recorded.
  const eventTypes = () => (S.vocab && S.vocab.events) || [];
  const currentEventType = () => eventTypes().find((t) => t.name === $('wi-type').value);

  function buildWhatif() {
    S.wi = [];
    const types = eventTypes();
    if (!types.length) {
      fill($('whatif'), muted('This agreement declares no events, so there is nothing to add.'));
      return;
    }
    fill($('wi-type'), ...types.map((t) => el('option', { value: t.name, text: t.name })));
    $('wi-type').addEventListener('change', onWiType);
    $('wi-add').addEventListener('click', onWiAdd);
    $('whatif').addEventListener('submit', onWiSubmit);
    $('wi-date').value = S.date;
    onWiType();
  }

  function onWiType() {
    const t = currentEventType();
    if (!t) return;
    const fields = t.fields.map((f) => {
      const id = `wi-field-${f.name}`;
      const common = { id, 'data-testid': id, 'data-field': f.name, 'data-type': f.type };
      // A ref names an earlier event by its seq (the # column of the events table).
      const hint = el('span', { class: 'hint' }, f.type === 'money' ? 'money (USD)' : f.type === 'ref' ? `seq of a ${f.event} event` : f.type);
      if (f.type === 'bool')
        return el('div', { class: 'field check' }, el('input', { ...common, type: 'checkbox' }), el('label', { for: id }, f.name, ' ', hint));
      let input;
      if (f.type === 'enum') input = el('select', common, (f.members || []).map((m) => el('option', { value: m, text: m })));
      else {
        const type = { integer: 'number', money: 'number', date: 'date', ref: 'number' }[f.type] || 'text';
        input = el('input', { ...common, type, step: type === 'number' ? 1 : null, min: type === 'number' ? 0 : null,
          inputmode: type === 'number' ? 'numeric' : null });
      }
      return el('div', { class: 'field' }, el('label', { for: id }, f.name, ' ', hint), input);
    });
    fill($('wi-fields'), el('legend', { text: 'Fields' }), ...(fields.length ? fields : [muted('This event has no fields.')]));
  }

  function wiFormError(msg) {
    const box = $('wi-form-error');
    box.textContent = msg || '';
    box.hidden = !msg;
  }

  function onWiAdd() {
    const t = currentEventType();
    const date = $('wi-date').value;
    if (!t) return;
    if (!isDate(date)) return wiFormError('Give the event a date.');
    const ev = { type: t.name, date };
    for (const f of t.fields) {
      const inp = $(`wi-field-${f.name}`);
      if (f.type === 'bool') { ev[f.name] = inp.checked; continue; }
      const v = inp.value.trim();
      if (v === '') return wiFormError(`Give a value for ${f.name}.`);
      if (f.type === 'integer' || f.type === 'money' || f.type === 'ref') {
        if (!/^\d+$/.test(v)) return wiFormError(`${f.name} is a whole number.`);
        ev[f.name] = Number(v);
      } else {
        ev[f.name] = v;
      }
    }
    wiFormError('');
    S.wi.push(ev);
    renderWiList();
  }

  const eventText = (e) => [e.date, e.type, ...Object.entries(e).filter(([k]) => k !== 'type' && k !== 'date')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : value(v)}`)].join(' ');

  function renderWiList() {
    fill($('wi-list'), ...S.wi.map((e, i) => el('li', { 'data-index': i },
      el('code', { text: eventText(e) }), ' ',
      el('button', { type: 'button', class: 'linkish', 'data-testid': `wi-remove-${i}`, 'aria-label': `Remove ${e.type} on ${e.date}`,
        onclick: () => { S.wi.splice(i, 1); renderWiList(); } }, 'remove'))));
    if (!S.wi.length) $('wi-list').append(el('li', { class: 'muted' }, 'none yet'));
    $('wi-submit').disabled = !S.wi.length;
  }

  async function onWiSubmit(ev) {
    ev.preventDefault();
    const btn = $('wi-submit');
    btn.disabled = true;
    $('wi-error').hidden = true;
    $('wi-summary').textContent = 'Comparing…';
    const body = { add: S.wi };
    if ($('wi-onday').checked) body.date = S.date;
    try {
      renderWhatif(await api('v1/whatif', JSON.stringify(body)));
    } catch (e) {
      fill($('wi-changes'));
      $('wi-summary').textContent = e.status ? `The server refused these events (HTTP ${e.status}).` : 'The comparison failed.';
      const er = e.data && e.data.error;
      fill($('wi-error'), er ? el('p', null, el('strong', { text: er.code }), ': ', er.message) : el('p', { text: e.message }));
      $('wi-error').hidden = false;
    } finally {
      btn.disabled = !S.wi.length;
    }
  }

  function wiDecision(d) {
    return el('span', null, el('span', { class: `outcome-chip outcome-${d.decision}`, text: d.decision }),
      d.determining.length ? ` by ${d.determining.join(', ')}` : '',
      d.obligations.length ? `, obligation ${d.obligations.join(', ')}` : '');
  }

  function wiRequest(r) {
    const attrs = Object.entries({ ...(r.resource || {}), ...(r.context || {}) }).filter(([k]) => k !== 'date')
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : value(v)}`);
    const date = r.context && r.context.date ? ` on ${r.context.date}` : '';
    return [el('code', { text: `${r.principal} ${r.action}` }), attrs.length ? ' ' + attrs.join(' ') : '', date];
  }

  function renderWhatif(x) {
    $('wi-section').classList.add('has-result');
    const changes = x.changes || [];
    const scope = x.date ? `on ${x.date}` : 'on every day';
    $('wi-summary').textContent = `${x.added.length} added event${x.added.length === 1 ? '' : 's'} against ${x.baseline_events} ` +
      `recorded; compared ${scope} over ${x.requests} request${x.requests === 1 ? '' : 's'}${x.generated_requests ? ' (one per principal, action and distinguished value)' : ''}: ` +
      (changes.length ? `${changes.length} stretch${changes.length === 1 ? ' of days differs' : 'es of days differ'}.` : 'no differences.');
    const commitUnit = (id) => ((S.status && S.status.commitments) || []).find((c) => c.id === id);
    fill($('wi-changes'), ...changes.map((c) => {
      const when = x.date ? `On ${c.from}` : c.through === null ? `From ${c.from} on` : c.through === c.from ? `On ${c.from}` : `From ${c.from} through ${c.through}`;
      const items = [
        ...c.state.map((v) => el('li', { 'data-state': v.name }, 'state ', el('code', { text: v.name }), `: ${value(v.baseline)} → `, el('strong', { text: value(v.whatif) }))),
        ...c.commitments.map((v) => {
          const u = commitUnit(v.id), unit = u ? u.unit : '';
          return el('li', { 'data-commitment': v.id }, 'commitment ', el('code', { text: v.id }),
            `: ${amount(v.baseline, unit)} → `, el('strong', { text: amount(v.whatif, unit) }), ` of ${amount(v.total, unit)}`);
        }),
        ...c.clauses.map((v) => el('li', { 'data-clause-id': v.clause, 'data-whatif': String(v.whatif) }, 'clause ', el('code', { text: v.clause }),
          v.whatif ? ' comes into effect' : ' stops being in effect')),
      ];
      return el('article', { class: 'wi-change', 'data-from': c.from, 'data-through': c.through || '' },
        el('h3', { text: when }),
        items.length ? el('ul', { class: 'wi-items' }, items) : null,
        c.decisions.length ? el('table', { class: 'stack wi-decisions' },
          el('thead', null, el('tr', null, ['Request', 'Recorded', 'What if'].map((h) => el('th', { scope: 'col', text: h })))),
          el('tbody', null, c.decisions.map((d) => el('tr', null,
            cell('Request', null, wiRequest(d.request)), cell('Recorded', null, wiDecision(d.baseline)), cell('What if', null, wiDecision(d.whatif)))))) : null);
    }));
  }

  // ---- obligations ------------------------------------------------------------------------
  // The instances of the first-class obligations in the status: breaches first, then the
  // deadlines to come (active, then pending) by due day, then a count of those settled.
  function renderObligations() {
    const box = $('obligations');
    const list = S.status.obligations;
    if (!Array.isArray(list)) {
      const e = S.status.obligations_error;
      return fill(box, muted(`The obligations could not be computed${e ? ': ' + e.message : ''}.`));
    }
    if (!list.length) return fill(box, muted('No obligation instance on this day.'));
    const money = (n, o) => (n === null || n === undefined ? '—' : amount(n, o.unit));
    const byDue = (a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0);
    const table = (caption, rows, testid) => el('table', { class: 'obligations-table', 'data-testid': testid },
      el('caption', { class: 'small', text: caption }),
      el('thead', null, el('tr', null, ['obligation', 'due', 'owed', 'paid', 'state'].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', null, rows.map((o) => el('tr', { 'data-obligation-id': o.id, 'data-instance': o.instance },
        cell('obligation', null, `${o.id} #${o.instance}`),
        cell('due', null, o.due + (o.state === 'active' || o.state === 'pending' ? ` · ${num(dayNum(o.due) - dayNum(S.date))} days left` : '')),
        cell('owed', null, money(o.owed, o)), cell('paid', null, money(o.paid, o)),
        cell('state', null, el('span', { class: `badge status-${o.state}`, text: o.state }))))));
    const breached = list.filter((o) => o.state === 'violated').sort(byDue);
    const upcoming = list.filter((o) => o.state === 'active' || o.state === 'pending')
      .sort((a, b) => (a.state === b.state ? byDue(a, b) : a.state === 'active' ? -1 : 1));
    const fulfilled = list.filter((o) => o.state === 'fulfilled');
    const late = fulfilled.filter((o) => o.on_time === false).length;
    const discharged = list.filter((o) => o.state === 'discharged').length;
    const omitted = S.status.obligations_omitted || 0;
    fill(box,
      breached.length ? table(`Breaches: ${breached.length} past due and not fulfilled`, breached, 'obligations-breaches') : muted('No breach on this day.'),
      upcoming.length ? table('Upcoming deadlines', upcoming, 'obligations-upcoming') : muted('No deadline to come.'),
      el('p', { class: 'small' }, `${fulfilled.length} fulfilled (${late} late), ${discharged} discharged` +
        (omitted ? `; ${num(omitted)} more instances not listed` : '')));
  }

  // ---- loading ----------------------------------------------------------------------------
  function renderAll() {
    $('date-print').textContent = `As of ${S.date}`;
    renderState(); renderTimeline(); renderCommitments(); renderObligations(); renderClauses(); renderFacts(); renderEvents(); renderAudit();
  }

  // The whole record, page by page: GET /v1/events gives at most `limit` events and the `next`
  // since to ask for while `more` follow.
  async function allEvents() {
    const events = [];
    let since = 0, page;
    do {
      page = await api(`v1/events?since=${since}&limit=10000`);
      events.push(...(page.events || []));
      since = page.next;
    } while (page.more);
    return { events, head: page.head };
  }

  async function refresh() {
    const gen = ++S.gen, d = encodeURIComponent(S.date);
    $('main').setAttribute('aria-busy', 'true');
    try {
      const [status, ledger, events, audit] = await Promise.all([
        api(`v1/status?date=${d}`), api(`v1/ledger?date=${d}&by=month`), allEvents(),
        api('v1/audit/verify').catch((e) => ({ error: e.message }))]);
      if (gen !== S.gen) return; // a later date was chosen meanwhile
      Object.assign(S, { status, ledger, events: events.events || [], head: events.head, audit });
      $('load-error').hidden = true;
      renderAll();
    } catch (e) {
      if (gen === S.gen) showLoadError(e);
    } finally {
      if (gen === S.gen) $('main').setAttribute('aria-busy', 'false');
    }
  }

  function setDate(date) {
    if (!isDate(date)) return;
    S.date = date;
    $('date-picker').value = date;
    $('pg-date').value = date;
    const u = new URL(location.href);
    u.searchParams.set('date', date);
    history.replaceState(null, '', u);
    refresh();
  }

  async function init() {
    const q = new URLSearchParams(location.search).get('date');
    S.date = isDate(q) ? q : todayUTC();
    $('date-picker').value = S.date;
    $('pg-date').value = S.date;
    $('date-picker').addEventListener('change', (e) => setDate(e.target.value));
    $('date-today').addEventListener('click', () => setDate(todayUTC()));
    $('clause-filter').addEventListener('change', (e) => { $('clauses').dataset.filter = e.target.value; });
    try {
      [S.ag, S.vocab, S.clauses] = await Promise.all([api('v1/agreement'), api('v1/vocabulary'), api('v1/clauses')]);
    } catch (e) {
      $('main').setAttribute('aria-busy', 'false');
      return showLoadError(e);
    }
    renderHeader();
    buildForm();
    buildWhatif();
    await refresh();
    let t = 0, lastW = window.innerWidth;
    window.addEventListener('resize', () => {
      if (window.innerWidth === lastW) return;
      lastW = window.innerWidth;
      clearTimeout(t);
      t = setTimeout(() => { if (S.status) { renderTimeline(); drawCharts(); } }, 150);
    });
  }

  document.addEventListener('DOMContentLoaded', init);
})();
