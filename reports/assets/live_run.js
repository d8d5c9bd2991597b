// The live view of a run (faultline serve, /runs/<run>/live): shows the embedded live.json
// document (reports/live_run.h) at once, then fetches live.json beside the page every 2 s
// and redraws, until the run has finished. Uses report_core.js helpers; every value from the
// run's files goes in as text (el, svg, textContent).

const LIVE_POLL_MS = 2000;

// /runs/<run>/live (or live/) -> /runs/<run>/<file>
function liveSibling(file) {
  return window.location.pathname.replace(/\/live\/?$/, '/') + file;
}

function fmtSeconds(s) {
  if (s === null || s === undefined) return '–';
  return s >= 120 ? (s / 60).toFixed(1) + ' min' : s.toFixed(1) + ' s';
}

function liveVerdict(doc) {
  if (doc.status === 'finished') return doc.verdict || 'unknown';
  const o = doc.online;
  return o && typeof o.verdict_so_far === 'string' ? o.verdict_so_far : 'unknown';
}

function drawBanner(doc) {
  const s = document.getElementById('live-banner');
  const verdict = liveVerdict(doc);
  const what = doc.status === 'finished' ? 'verdict' : 'verdict so far';
  const phase = doc.online && typeof doc.online.state === 'string' ? ' (' + doc.online.state + ')' : '';
  s.replaceChildren(el('div', { class: 'banner ' + verdictClass(verdict), id: 'live-verdict' },
    el('span', { class: 'verdict' }, verdict),
    el('span', { class: 'what' }, what + ' · ', el('span', { id: 'live-status', class: 'status-' + doc.status }, doc.status), phase,
      ' · ' + fmtSeconds(doc.elapsed_s)),
    doc.report ? el('a', { href: liveSibling(doc.report), class: 'report-link' }, 'the report') : null));
}

function drawTest(doc) {
  const s = section('live-test', 'Test');
  const t = doc.test || {};
  const rows = [['test', t.name], ['database', t.database], ['workload', t.workload], ['faults', t.faults],
    ['started', t.start_time], ['status', doc.status],
    ['last written', doc.quiet_s === null ? '–' : fmtSeconds(doc.quiet_s) + ' ago']];
  s.appendChild(el('dl', { class: 'kv' }, rows.map(([k, v]) => [el('dt', null, k), el('dd', null, v || '–')])));
  if (doc.status === 'interrupted') {
    s.appendChild(el('p', { class: 'error-box' }, 'The run stopped writing its directory before it finished ' +
      '(killed or crashed): what is shown is what it wrote.'));
  }
}

function sum(values) { return (values || []).reduce((a, b) => a + b, 0); }

function drawCounts(doc) {
  const s = section('live-counts', 'Decided so far');
  const o = doc.online;
  if (o) {
    const unit = typeof o.unit === 'string' ? o.unit : 'units';
    s.appendChild(table([unit, 'valid', 'invalid', 'unknown', 'pending'],
      [['decided online', fmtInt(o.valid || 0), fmtInt(o.invalid || 0), fmtInt(o.unknown || 0), fmtInt(o.pending || 0)]], [1, 2, 3, 4]));
    if (o.error) s.appendChild(el('p', { class: 'error-box' }, 'online check stopped: ' + jsonText(o.error)));
  } else {
    s.appendChild(el('p', { class: 'muted' }, doc.online_error ? 'online.json: ' + doc.online_error
      : 'No online check for this run (its workload has none, or recording has not started): the verdict comes at the end.'));
  }
  const h = doc.history, ot = doc.over_time || {};
  if (h) {
    s.appendChild(table(['operations', 'ok', 'fail', 'info', 'in flight', 'history records'],
      [[fmtInt(h.operations), fmtInt(sum(ot.ok)), fmtInt(sum(ot.fail)), fmtInt(sum(ot.info)), fmtInt(sum(ot.open)), fmtInt(h.records)]],
      [0, 1, 2, 3, 4, 5]));
  }
  if (doc.history_error) s.appendChild(el('p', { class: 'error-box' }, 'history.jsonl: ' + doc.history_error));
}

function drawAnomalies(doc) {
  const s = section('live-anomalies', 'Anomalies so far');
  const o = doc.online || {};
  const kinds = o.anomalies && typeof o.anomalies === 'object' ? Object.entries(o.anomalies) : [];
  if (!kinds.length) s.appendChild(el('p', { class: 'muted' }, 'none found so far'));
  else s.appendChild(table(['kind', 'count'], kinds.map(([k, n]) => [k, fmtInt(n)]), [1]));
  const v = o.first_violation;
  if (!v || typeof v !== 'object') return;
  const op = doc.first_violation_op;
  s.appendChild(el('div', { class: 'anomaly', id: 'live-first-violation' },
    el('h3', null, 'First violation'),
    el('dl', { class: 'kv' },
      el('dt', null, 'kind'), el('dd', null, jsonText(v.kind)),
      el('dt', null, 'operation'), el('dd', { class: 'culprit' }, '#' + jsonText(v.operation),
        op ? ' · process ' + jsonText(op.process) + ' · ' + jsonText(op.text) : ''),
      el('dt', null, 'reason'), el('dd', null, jsonText(v.reason)),
      el('dt', null, 'at'), el('dd', null, typeof v.time === 'number' ? fmtSeconds(v.time / 1e9) : '–'))));
}

// An SVG plot over the run's time: one path per series of per-bin values (null: a gap),
// fault windows shaded. series: [{label, color, dash, values}].
function timePlot(s, ot, faults, series, yLabel, format) {
  const width = Math.max(480, Math.min(1200, s.clientWidth || 960)), height = 200;
  const m = { left: 64, right: 12, top: 10, bottom: 28 };
  const pw = width - m.left - m.right, ph = height - m.top - m.bottom;
  const bins = Math.max(1, ...series.map((x) => x.values.length));
  const tEnd = bins * ot.bin_ms / 1000;
  let yMax = 0;
  for (const x of series) for (const v of x.values) if (typeof v === 'number') yMax = Math.max(yMax, v);
  if (!(yMax > 0)) yMax = 1;
  const xOf = (t) => m.left + (t / tEnd) * pw;
  const yOf = (v) => m.top + ph - (v / yMax) * ph;
  const root = svg('svg', { width, height, class: 'live-plot', role: 'img' });
  for (const f of faults || []) {
    const a = Math.max(0, f.start_ms / 1000), b = Math.min(tEnd, f.end_ms / 1000);
    if (!(b >= a)) continue;
    root.appendChild(svg('rect', { x: xOf(a).toFixed(1), y: m.top, width: Math.max(1, xOf(b) - xOf(a)).toFixed(1), height: ph, class: 'fault' },
      svg('title', null, jsonText(f.kind) + (f.open ? ' (still in force)' : ''))));
  }
  for (const v of ticks(0, yMax, 4)) {
    root.appendChild(svg('line', { x1: m.left, x2: m.left + pw, y1: yOf(v), y2: yOf(v), class: 'grid' }));
    root.appendChild(svg('text', { x: m.left - 6, y: yOf(v) + 4, 'text-anchor': 'end' }, format(v)));
  }
  for (const t of ticks(0, tEnd, 8)) {
    root.appendChild(svg('text', { x: xOf(t), y: height - 8, 'text-anchor': 'middle' }, fmtSeconds(t)));
  }
  root.appendChild(svg('text', { x: 12, y: m.top + ph / 2, transform: 'rotate(-90 12 ' + (m.top + ph / 2) + ')', 'text-anchor': 'middle' }, yLabel));
  for (const x of series) {
    let d = '', pen = 'M';
    const isolated = (b) => typeof x.values[b - 1] !== 'number' && typeof x.values[b + 1] !== 'number';
    x.values.forEach((v, b) => {
      if (typeof v !== 'number') { pen = 'M'; return; }
      const px = xOf((b + 0.5) * ot.bin_ms / 1000), py = yOf(v);
      d += pen + px.toFixed(1) + ' ' + py.toFixed(1) + ' ';
      pen = 'L';
      // A bin with no neighbour (the first second, or between gaps) is a dot, not an empty path.
      if (isolated(b)) root.appendChild(svg('circle', { cx: px.toFixed(1), cy: py.toFixed(1), r: 2.5, fill: x.color }));
    });
    if (d) root.appendChild(svg('path', { d, fill: 'none', stroke: x.color, 'stroke-width': 1.8, 'stroke-dasharray': x.dash, 'data-series': x.label }));
  }
  s.appendChild(el('div', { class: 'legend' }, series.map((x) => el('span', null, el('i', { style: 'background:' + x.color }), x.label))));
  s.appendChild(root);
}

function drawPlots(doc) {
  const ot = doc.over_time || { bin_ms: 1000, ok: [], fail: [], info: [], open: [], p50_ms: [], p99_ms: [] };
  const perS = (values) => (values || []).map((n) => n / (ot.bin_ms / 1000));
  const t = section('live-throughput', 'Throughput over time');
  t.appendChild(el('p', { class: 'muted' }, 'Operations per second by outcome, each in the bin of its invocation (' +
    fmtSeconds(ot.bin_ms / 1000) + ' bins); in flight: not completed yet. Fault periods shaded.'));
  timePlot(t, ot, doc.faults, [
    { label: 'ok', color: OUTCOME_COLORS[0], values: perS(ot.ok) },
    { label: 'fail', color: OUTCOME_COLORS[1], values: perS(ot.fail) },
    { label: 'info', color: OUTCOME_COLORS[2], values: perS(ot.info) },
    { label: 'in flight', color: '#8c959f', dash: '4 3', values: perS(ot.open) }], 'ops/s', (v) => fmtInt(Math.round(v)));
  const l = section('live-latency', 'Latency over time');
  l.appendChild(el('p', { class: 'muted' }, 'p50 and p99 of the ok operations invoked in each bin.'));
  timePlot(l, ot, doc.faults, [
    { label: 'p50', color: PALETTE[0], values: ot.p50_ms || [] },
    { label: 'p99', color: PALETTE[2], dash: '5 3', values: ot.p99_ms || [] }], 'ms', (v) => (+v.toPrecision(3)) + ' ms');
}

function drawLive(doc) {
  guarded('live-banner', () => drawBanner(doc));
  guarded('live-test', () => drawTest(doc));
  guarded('live-counts', () => drawCounts(doc));
  guarded('live-anomalies', () => drawAnomalies(doc));
  guarded('live-throughput', () => drawPlots(doc));
}

function liveMain() {
  const poll = document.getElementById('live-poll');
  let doc = JSON.parse(document.getElementById('faultline-live').textContent);
  drawLive(doc);
  document.body.setAttribute('data-rendered', '1');
  let polls = 0;
  async function refresh() {
    if (doc.status === 'finished') {
      poll.textContent = 'The run has finished; its report has the full check.';
      return;
    }
    try {
      const res = await fetch(liveSibling('live.json'), { cache: 'no-store' });
      if (!res.ok) throw new Error('HTTP ' + res.status);
      doc = await res.json();
      drawLive(doc);
      polls++;
      document.body.setAttribute('data-polls', String(polls));
      poll.textContent = 'updated ' + new Date().toLocaleTimeString() + ', every ' + LIVE_POLL_MS / 1000 + ' s';
    } catch (e) {
      poll.textContent = 'could not fetch live.json (' + e.message + '); trying again';
    }
    window.setTimeout(refresh, LIVE_POLL_MS);
  }
  window.setTimeout(refresh, LIVE_POLL_MS);
}

liveMain();
