// faultline compare page: the plots of every mode side by side, one colour per mode, from the
// embedded compare data (reports/compare_page.h). Uses report_core.js (el, svg, ticks, guarded)
// and report_plots.js (plotFrame, shadeFaults, yAxis, faultLegend, plotWidth). Each plot box gets
// data-marks: how many points, steps or line segments it drew.

const MODE_COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#9c755f', '#76b7b2', '#edc948', '#ff9da7'];
const MS_TO_US = 1000;  // report_plots.js formats time axes in µs

function modeColor(i) { return MODE_COLORS[i % MODE_COLORS.length]; }

function fmtMs(v) {
  const a = Math.abs(v);
  if (a >= 1000) return (v / 1000).toFixed(a >= 10000 ? 1 : 2) + ' s';
  if (a >= 10) return v.toFixed(0) + ' ms';
  if (a >= 1) return v.toFixed(1) + ' ms';
  if (a >= 0.01) return v.toFixed(2) + ' ms';
  return (v * 1000).toPrecision(2) + ' µs';
}

function fmtShare(f) { return (+(f * 100).toPrecision(3)) + '%'; }

function modeLegend(modes) {
  return el('div', { class: 'legend' }, modes.map((m, i) => el('span', null, el('i', { style: 'background:' + modeColor(i) }), m.mode)));
}

function panelTitle(m, i, extra) {
  return el('div', { class: 'panel-title' }, el('i', { style: 'background:' + modeColor(i) }), m.mode, extra ? el('span', { class: 'muted' }, ' · ' + extra) : null);
}

// Decades covering [lo, hi] (lo > 0), at least one.
function decadeRange(lo, hi) {
  const a = Math.pow(10, Math.floor(Math.log10(lo)));
  let b = Math.pow(10, Math.ceil(Math.log10(hi)));
  if (b <= a) b = a * 10;
  return [a, b];
}

function decadesOf(a, b) {
  const out = [];
  for (let v = a; v <= b * 1.0001; v *= 10) out.push(v);
  return out;
}

// An x axis of our own (report_plots.js's xAxis is for time): ticks at `values`.
function valueAxisX(frame, values, xOf, format, label) {
  const g = svg('g', { 'font-size': 11, fill: '#444' });
  const y = frame.m.top + frame.ph;
  g.appendChild(svg('line', { x1: frame.m.left, x2: frame.m.left + frame.pw, y1: y, y2: y, stroke: '#888' }));
  for (const v of values) {
    const x = xOf(v);
    g.appendChild(svg('line', { x1: x, x2: x, y1: frame.m.top, y2: y, stroke: '#000', 'stroke-opacity': 0.07 }));
    g.appendChild(svg('text', { x, y: y + 15, 'text-anchor': 'middle' }, format(v)));
  }
  g.appendChild(svg('text', { x: frame.m.left + frame.pw / 2, y: y + 29, 'text-anchor': 'middle', fill: '#666' }, label));
  frame.front.appendChild(g);
}

// A step CDF of each series ({color, label, points: [[value, fraction]]}) on one plot.
// opts: {width, height, log, xlabel, ylabel, format, yFrom}. Returns the plot box.
function cdfPlot(parent, series, opts) {
  let lo = Infinity, hi = -Infinity;
  for (const s of series) {
    for (const [v] of s.points) {
      if (opts.log && !(v > 0)) continue;
      lo = Math.min(lo, v); hi = Math.max(hi, v);
    }
  }
  const frame = plotFrame(parent, opts.width, opts.height, 0, 1);
  let xOf, xTicks;
  if (!(hi >= lo)) { lo = opts.log ? 1 : 0; hi = opts.log ? 10 : 1; }
  if (opts.log) {
    [lo, hi] = decadeRange(lo, hi);
    const l0 = Math.log10(lo), span = Math.log10(hi) - l0;
    xOf = (v) => frame.m.left + ((Math.log10(Math.max(v, lo)) - l0) / span) * frame.pw;
    xTicks = decadesOf(lo, hi);
  } else {
    if (hi === lo) hi = lo + 1;
    xTicks = ticks(lo, hi, Math.max(2, Math.floor(frame.pw / 90)));
    hi = Math.max(hi, xTicks[xTicks.length - 1]);
    xOf = (v) => frame.m.left + ((v - lo) / (hi - lo)) * frame.pw;
  }
  const yFrom = opts.yFrom || 0;
  const yOf = (f) => frame.m.top + frame.ph - ((Math.max(f, yFrom) - yFrom) / (1 - yFrom)) * frame.ph;
  let marks = 0;
  series.forEach((s) => {
    if (!s.points.length) return;
    let start = 0;
    for (const [v, f] of s.points) if (v < lo) start = f;
    let d = 'M' + frame.m.left.toFixed(1) + ' ' + yOf(start).toFixed(1);
    for (const [v, f] of s.points) {
      if (v < lo) continue;
      d += 'H' + xOf(v).toFixed(1) + 'V' + yOf(f).toFixed(1);
      marks++;
    }
    d += 'H' + (frame.m.left + frame.pw).toFixed(1);
    marks++;
    frame.front.appendChild(svg('path', { d, fill: 'none', stroke: s.color, 'stroke-width': 2, 'stroke-linejoin': 'round' },
      svg('title', null, s.label)));
  });
  yAxis(frame, ticks(yFrom, 1, 4), yOf, fmtShare, opts.ylabel);
  valueAxisX(frame, xTicks, xOf, opts.format, opts.xlabel);
  frame.box.setAttribute('data-marks', marks);
  return frame.box;
}

function faultsOf(m) {
  return { periods: (m.series.faults || []).map((f) => ({ kind: f.kind, start: f.start_ms * MS_TO_US, end: f.end_ms * MS_TO_US, value: f.open ? '(never stopped)' : '' })), events: [] };
}

function allKinds(modes) {
  return [...new Set(modes.flatMap((m) => (m.series.faults || []).map((f) => f.kind)))];
}

// One panel per mode over the same time axis, each with its own run's fault windows shaded.
// draw(m, i, frame) draws into the frame and returns the number of marks.
function timePanels(section, modes, opts, draw) {
  const kinds = allKinds(modes);
  const x1 = Math.max(1, ...modes.map((m) => m.series.duration_ms || 0)) * MS_TO_US;
  section.appendChild(el('div', { class: 'legend' }, faultLegend(kinds)));
  modes.forEach((m, i) => {
    section.appendChild(panelTitle(m, i, opts.note ? opts.note(m) : null));
    const frame = plotFrame(section, plotWidth(section), opts.height || 170, 0, x1);
    frame.box.id = section.id + '-' + i;
    shadeFaults(frame, faultsOf(m), kinds);
    const marks = draw(m, i, frame);
    frame.box.setAttribute('data-marks', marks);
    const x1ms = x1 / MS_TO_US;
    valueAxisX(frame, ticks(0, x1ms, Math.max(2, Math.floor(frame.pw / 110))), (v) => frame.x(v * MS_TO_US),
      (v) => (v === 0 ? '0 s' : fmtMs(v)), 'time since test start');
  });
}

function logScale(frame, lo, hi) {
  const l0 = Math.log10(lo), span = Math.log10(hi) - l0;
  return (v) => frame.m.top + frame.ph - ((Math.log10(Math.min(hi, Math.max(v, lo))) - l0) / span) * frame.ph;
}

function halfWidth(s) { return Math.max(420, Math.floor((plotWidth(s) - 12) / 2)); }

function renderStalenessCdf(D) {
  const s = document.getElementById('staleness-cdf');
  const measured = D.modes.map((m, i) => [m, i]).filter(([m]) => m.series.staleness);
  D.modes.forEach((m, i) => { if (!m.series.staleness) s.appendChild(el('p', { class: 'note' }, m.mode + ': staleness not measured (' + (m.series.staleness_note || 'no data') + ').')); });
  if (!measured.length) return;
  s.appendChild(modeLegend(D.modes));
  const row = el('div', { class: 'plot-row' });
  s.appendChild(row);
  let fresh = 1;
  for (const [m] of measured) {
    const st = m.series.staleness;
    if (st.reads) fresh = Math.min(fresh, 1 - st.stale_reads / st.reads);
  }
  const yFrom = Math.max(0, Math.floor(fresh * 10 - 1e-9) / 10);
  for (const [key, label, format] of [['ms_cdf', 'staleness (log scale)', fmtMs], ['versions_cdf', 'versions behind (log scale)', (v) => String(v)]]) {
    const box = el('div');
    row.appendChild(box);
    const plot = cdfPlot(box, measured.map(([m, i]) => ({ color: modeColor(i), label: m.mode, points: m.series.staleness[key] })),
      { width: halfWidth(s), height: 280, log: true, xlabel: label, ylabel: 'share of ok reads', format, yFrom });
    plot.id = 'staleness-cdf-' + key.split('_')[0];
  }
  for (const [m, i] of measured) {
    const st = m.series.staleness;
    s.appendChild(el('p', { class: 'note' }, el('span', { style: 'color:' + modeColor(i) }, '■ '), m.mode + ': ' +
      fmtInt(st.reads) + ' ok reads, ' + fmtShare(st.reads ? 1 - st.stale_reads / st.reads : 1) + ' fresh; worst ' + fmtMs(st.max_ms) + ', ' + st.max_versions + ' versions.'));
  }
}

function renderStalenessTime(D) {
  const s = document.getElementById('staleness-time');
  if (!D.modes.some((m) => m.series.staleness)) {
    // Nothing to draw in any mode: the reasons (as under the distribution), no empty panels.
    D.modes.forEach((m) => s.appendChild(el('p', { class: 'note' }, m.mode + ': staleness not measured (' + (m.series.staleness_note || 'no data') + ').')));
    return;
  }
  let lo = Infinity, hi = 0;
  for (const m of D.modes) {
    const p = m.series.staleness && m.series.staleness.points;
    if (p) for (const v of p.ms) if (v > 0) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  }
  if (!(hi > 0)) { lo = 0.1; hi = 1; }
  const [ylo, yhi] = decadeRange(lo, hi);
  timePanels(s, D.modes, {
    note: (m) => {
      const st = m.series.staleness;
      if (!st) return 'not measured';
      if (!st.stale_reads) return 'no stale read';
      return fmtInt(st.stale_reads) + ' stale reads' + (st.points.ms.length < st.points_total ? ' (' + fmtInt(st.points.ms.length) + ' drawn, evenly thinned)' : '');
    },
  }, (m, i, frame) => {
    const yOf = logScale(frame, ylo, yhi);
    yAxis(frame, decadesOf(ylo, yhi), yOf, fmtMs, 'ms stale');
    const st = m.series.staleness;
    if (!st) return 0;
    const ctx = frame.canvas.getContext('2d');
    ctx.fillStyle = modeColor(i);
    const p = st.points;
    for (let k = 0; k < p.t_ms.length; k++) {
      const x = frame.x(p.t_ms[k] * MS_TO_US), y = yOf(p.ms[k] > 0 ? p.ms[k] : ylo);
      ctx.fillRect(x - 1, y - 1, 3, 3);
    }
    return p.t_ms.length;
  });
}

function renderLatencyCdf(D) {
  const s = document.getElementById('latency-cdf');
  const fs = [...new Set(D.modes.flatMap((m) => Object.keys((m.series.latency || {}).by_f || {})))].sort();
  if (!fs.length) { s.appendChild(el('p', { class: 'note' }, 'Latency not measured: no ok operation with times.')); return; }
  s.appendChild(modeLegend(D.modes));
  const row = el('div', { class: 'plot-row' });
  s.appendChild(row);
  for (const f of fs) {
    const box = el('div', null, el('h3', null, f));
    row.appendChild(box);
    const series = D.modes.map((m, i) => {
      const l = ((m.series.latency || {}).by_f || {})[f];
      return { color: modeColor(i), label: m.mode + (l ? ': p50 ' + fmtMs(l.p50) + ', p99 ' + fmtMs(l.p99) : ''), points: l ? l.cdf : [] };
    });
    const plot = cdfPlot(box, series, { width: halfWidth(s), height: 240, log: true, xlabel: f + ' latency (log scale)', ylabel: 'share of ok ' + f + 's', format: fmtMs });
    plot.id = 'latency-cdf-' + f;
    for (const [i, m] of D.modes.entries()) {
      const l = ((m.series.latency || {}).by_f || {})[f];
      box.appendChild(el('div', { class: 'note' }, el('span', { style: 'color:' + modeColor(i) }, '■ '),
        m.mode + ': ' + (l ? fmtInt(l.count) + ' ok, p50 ' + fmtMs(l.p50) + ', p99 ' + fmtMs(l.p99) : 'none')));
    }
  }
}

function renderLatencyTime(D) {
  const s = document.getElementById('latency-time');
  let lo = Infinity, hi = 0;
  for (const m of D.modes) {
    const l = m.series.latency;
    if (!l) continue;
    for (const v of l.p50_over_time.concat(l.p99_over_time)) if (v > 0) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  }
  if (!(hi > 0)) { lo = 0.1; hi = 1; }
  const [ylo, yhi] = decadeRange(lo, hi);
  timePanels(s, D.modes, { note: (m) => m.series.latency ? 'p50 ' + fmtMs(m.series.latency.p50) + ', p99 ' + fmtMs(m.series.latency.p99) + ' overall' : 'not measured' }, (m, i, frame) => {
    const yOf = logScale(frame, ylo, yhi);
    yAxis(frame, decadesOf(ylo, yhi), yOf, fmtMs, 'latency');
    const l = m.series.latency;
    if (!l) return 0;
    let marks = 0;
    for (const [key, dash] of [['p50_over_time', null], ['p99_over_time', '5 3']]) {
      let d = '', pen = 'M';
      l[key].forEach((v, b) => {
        if (v === null || v === undefined) { pen = 'M'; return; }
        d += pen + frame.x((l.t0_ms + (b + 0.5) * l.bin_ms) * MS_TO_US).toFixed(1) + ' ' + yOf(Math.max(v, ylo)).toFixed(1) + ' ';
        pen = 'L';
        marks++;
      });
      if (d) frame.front.appendChild(svg('path', { d, fill: 'none', stroke: modeColor(i), 'stroke-width': 1.8, 'stroke-dasharray': dash }, svg('title', null, key.slice(0, 3))));
    }
    return marks;
  });
}

function renderAvailabilityTime(D) {
  const s = document.getElementById('availability-time');
  const pct = (v) => v === null || v === undefined ? 'not measured' : fmtShare(v);
  timePanels(s, D.modes, { height: 150, note: (m) => { const a = m.series.availability; return a ? 'in faults ' + pct(a.in_faults_total) + ', outside ' + pct(a.outside_faults_total) : 'not measured'; } }, (m, i, frame) => {
    const yOf = (v) => frame.m.top + frame.ph - v * frame.ph;
    yAxis(frame, [0, 0.25, 0.5, 0.75, 1], yOf, fmtShare, 'served');
    const a = m.series.availability;
    if (!a) return 0;
    let d = '', pen = 'M', marks = 0;
    a.slots.forEach((n, b) => {
      if (!n) { pen = 'M'; return; }
      const x = frame.x((a.t0_ms + (b + 0.5) * a.bin_ms) * MS_TO_US), y = yOf(a.served[b] / n);
      d += pen + x.toFixed(1) + ' ' + y.toFixed(1) + ' ';
      pen = 'L';
      marks++;
      frame.front.appendChild(svg('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: 2, fill: modeColor(i) },
        svg('title', null, fmtShare(a.served[b] / n) + ' of ' + n + ' client slots served' + (a.in_faults[b] ? ' (in faults)' : ''))));
    });
    if (d) frame.front.appendChild(svg('path', { d, fill: 'none', stroke: modeColor(i), 'stroke-width': 1.6 }));
    return marks;
  });
}

function renderConvergence(D) {
  const s = document.getElementById('convergence');
  const measured = D.modes.map((m, i) => [m, i]).filter(([m]) => m.series.convergence && m.series.convergence.ms.length);
  D.modes.forEach((m, i) => {
    const c = m.series.convergence;
    const text = !c ? 'not measured (' + (m.series.convergence_note || 'no data') + ')'
      : fmtInt(c.converged) + ' of ' + fmtInt(c.keys) + ' keys agreed' + (c.ms.length ? ' within ' + fmtMs(c.ms[c.ms.length - 1]) : '') +
        (c.not_converged ? '; ' + fmtInt(c.not_converged) + ' still disagreed' : '') + (m.series.last_heal_ms !== null ? ' (last heal at ' + fmtMs(m.series.last_heal_ms) + ')' : '');
    s.appendChild(el('p', { class: 'note' }, el('span', { style: 'color:' + modeColor(i) }, '■ '), m.mode + ': ' + text + '.'));
  });
  if (!measured.length) return;
  let lo = Infinity, hi = 0;
  for (const [m] of measured) for (const v of m.series.convergence.ms) { if (v > 0) lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const log = lo < Infinity && hi / lo > 20;
  const plot = cdfPlot(s, measured.map(([m, i]) => {
    const ms = m.series.convergence.ms, n = m.series.convergence.keys;
    return { color: modeColor(i), label: m.mode, points: ms.map((v, k) => [v, (k + 1) / n]) };
  }), { width: halfWidth(s), height: 240, log, xlabel: 'time to agreement after the ' + (D.modes.some((m) => m.series.last_heal_ms !== null) ? 'last heal' : 'first final read') + (log ? ' (log scale)' : ''), ylabel: 'share of keys', format: fmtMs });
  plot.id = 'convergence-cdf';
}

function compareMain() {
  const D = JSON.parse(document.getElementById('compare-data').textContent);
  document.querySelectorAll('th[data-mode]').forEach((th) => {
    th.setAttribute('style', 'border-bottom-color:' + modeColor(Number(th.getAttribute('data-mode'))));
  });
  guarded('staleness-cdf', () => renderStalenessCdf(D));
  guarded('staleness-time', () => renderStalenessTime(D));
  guarded('latency-cdf', () => renderLatencyCdf(D));
  guarded('latency-time', () => renderLatencyTime(D));
  guarded('availability-time', () => renderAvailabilityTime(D));
  guarded('convergence', () => renderConvergence(D));
  document.body.setAttribute('data-rendered', '1');
}

compareMain();
