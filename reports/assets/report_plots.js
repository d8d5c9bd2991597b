// faultline report, part 3: latency and throughput over time, clock offsets.
// Each plot is a stack: an SVG for fault shading, a canvas for the points (so a
// million of them draw in milliseconds), and an SVG for lines, axes and labels.

const PLOT_MARGIN = { left: 64, right: 16, top: 10, bottom: 34 };

function plotFrame(parent, width, height, x0, x1) {
  const box = el('div', { class: 'plot', style: 'width:' + width + 'px;height:' + height + 'px' });
  const back = svg('svg', { class: 'layer', width, height });
  const canvas = el('canvas', { width: width, height: height });
  const front = svg('svg', { class: 'layer', width, height });
  box.append(back, canvas, front);
  parent.appendChild(box);
  const m = PLOT_MARGIN;
  const pw = width - m.left - m.right, ph = height - m.top - m.bottom;
  const span = x1 > x0 ? x1 - x0 : 1;
  return { box, back, canvas, front, m, pw, ph, width, height, x: (t) => m.left + ((t - x0) / span) * pw };
}

function shadeFaults(frame, faults, kinds) {
  for (const p of faults.periods) {
    const xa = Math.max(frame.m.left, frame.x(p.start));
    const xb = Math.min(frame.m.left + frame.pw, frame.x(p.end));
    if (xb < xa) continue;
    frame.back.appendChild(svg('rect', { x: xa, y: frame.m.top, width: Math.max(1, xb - xa), height: frame.ph,
      fill: faultColor(kinds, p.kind), 'fill-opacity': 0.16 },
    svg('title', null, p.kind + (p.value ? ' ' + p.value : ''))));
  }
  for (const e of faults.events) {
    // Fault edges are the shading; measurements (clock-offsets) are plotted on their own.
    if (/^(start|stop)(-|$)/.test(e.f) || e.f === 'clock-offsets' || e.type === 'invoke') continue;
    const x = frame.x(e.time);
    frame.back.appendChild(svg('line', { x1: x, x2: x, y1: frame.m.top, y2: frame.m.top + frame.ph, stroke: '#999', 'stroke-dasharray': '2 2' },
      svg('title', null, e.f + ' ' + e.value)));
  }
}

function xAxis(frame, x0, x1, unit, label) {
  const g = svg('g', { 'font-size': 11, fill: '#444' });
  const y = frame.m.top + frame.ph;
  g.appendChild(svg('line', { x1: frame.m.left, x2: frame.m.left + frame.pw, y1: y, y2: y, stroke: '#888' }));
  for (const t of ticks(x0, x1, Math.max(2, Math.floor(frame.pw / 110)))) {
    const x = frame.x(t);
    g.appendChild(svg('line', { x1: x, x2: x, y1: y, y2: y + 4, stroke: '#888' }));
    g.appendChild(svg('text', { x, y: y + 15, 'text-anchor': 'middle' }, fmtTime(t, unit)));
  }
  g.appendChild(svg('text', { x: frame.m.left + frame.pw / 2, y: y + 29, 'text-anchor': 'middle', fill: '#666' }, label));
  frame.front.appendChild(g);
}

function yAxis(frame, values, yOf, format, label) {
  const g = svg('g', { 'font-size': 11, fill: '#444' });
  g.appendChild(svg('line', { x1: frame.m.left, x2: frame.m.left, y1: frame.m.top, y2: frame.m.top + frame.ph, stroke: '#888' }));
  for (const v of values) {
    const y = yOf(v);
    g.appendChild(svg('line', { x1: frame.m.left, x2: frame.m.left + frame.pw, y1: y, y2: y, stroke: '#000', 'stroke-opacity': 0.07 }));
    g.appendChild(svg('text', { x: frame.m.left - 6, y: y + 4, 'text-anchor': 'end' }, format(v)));
  }
  const cy = frame.m.top + frame.ph / 2;
  g.appendChild(svg('text', { x: 12, y: cy, transform: 'rotate(-90 12 ' + cy + ')', 'text-anchor': 'middle', fill: '#666' }, label));
  frame.front.appendChild(g);
}

function faultLegend(kinds) {
  return kinds.map((k) => el('span', null, el('i', { style: 'background:' + faultColor(kinds, k) + ';opacity:.45' }), k));
}

function plotWidth(s) { return Math.max(640, Math.min(1232, s.clientWidth || 1232)); }

function renderLatencyPlot(D, ops, kinds) {
  const s = section('latency', 'Latency over time');
  const unit = ops.unit;
  let lo = Infinity, hi = 0;
  for (let i = 0; i < ops.n; i++) {
    const l = ops.latency[i];
    if (l > 0) { if (l < lo) lo = l; if (l > hi) hi = l; }
  }
  if (!(hi > 0)) { s.appendChild(el('p', { class: 'muted' }, 'No completed operation with a latency.')); return; }
  const ylo = Math.pow(10, Math.floor(Math.log10(lo)));
  const yhi = Math.max(ylo * 10, Math.pow(10, Math.ceil(Math.log10(hi))));  // at least one decade
  const x0 = D.ops.begin, x1 = Math.max(D.ops.end, x0 + 1);
  // One colour per (f, outcome) present; the legend toggles them.
  const cats = [], catOf = new Int16Array(ops.fs.length * 3).fill(-1);
  for (let i = 0; i < ops.n; i++) {
    const c = ops.f[i] * 3 + ops.outcome[i];
    if (catOf[c] < 0 && ops.latency[i] >= 0) { catOf[c] = cats.length; cats.push({ f: ops.f[i], o: ops.outcome[i], on: true, count: 0 }); }
  }
  for (let i = 0; i < ops.n; i++) if (ops.latency[i] >= 0) cats[catOf[ops.f[i] * 3 + ops.outcome[i]]].count++;
  cats.forEach((c, k) => { c.color = c.o === 0 ? PALETTE[k % PALETTE.length] : c.o === 1 ? '#e15759' : '#f28e2b'; c.shape = c.o; });
  const legend = el('div', { class: 'legend' });
  s.appendChild(legend);
  const frame = plotFrame(s, plotWidth(s), 360, x0, x1);
  frame.box.id = 'latency-plot';
  const lyo = Math.log10(ylo), lyspan = Math.log10(yhi) - lyo;
  const yOf = (v) => frame.m.top + frame.ph - ((Math.log10(Math.max(v, ylo)) - lyo) / lyspan) * frame.ph;
  shadeFaults(frame, D.faults, kinds);
  const ctx = frame.canvas.getContext('2d');
  function drawPoints() {
    const w = frame.width, h = frame.height;
    const image = ctx.createImageData(w, h);
    const px = new Uint32Array(image.data.buffer);
    const colors = cats.map((c) => {
      const v = parseInt(c.color.slice(1), 16);
      return (0xff << 24) | ((v & 0xff) << 16) | (v & 0xff00) | ((v >> 16) & 0xff);  // RGBA little-endian
    });
    const xs = frame.pw / (x1 - x0), left = frame.m.left, top = frame.m.top, bottom = frame.m.top + frame.ph;
    for (let i = 0; i < ops.n; i++) {
      const l = ops.latency[i];
      if (l < 0) continue;
      const k = catOf[ops.f[i] * 3 + ops.outcome[i]];
      if (!cats[k].on) continue;
      const x = (left + (ops.start[i] - x0) * xs) | 0;
      const y = Math.min(bottom - 2, Math.max(top, yOf(l) | 0));
      const c = colors[k], p = y * w + x;
      px[p] = c; px[p + 1] = c; px[p + w] = c; px[p + w + 1] = c;
    }
    ctx.putImageData(image, 0, 0);
  }
  cats.forEach((c) => {
    const item = el('span', { title: 'show or hide' }, el('i', { style: 'background:' + c.color }),
      ops.fs[c.f] + ' ' + OUTCOMES[c.o] + ' (' + fmtInt(c.count) + ')');
    item.addEventListener('click', () => { c.on = !c.on; item.classList.toggle('off', !c.on); drawPoints(); });
    legend.appendChild(item);
  });
  const qs = [['p50', '#333', ''], ['p95', '#111', '6 3'], ['p99', '#000', '2 2']];
  for (const [q, color, dash] of qs) legend.appendChild(el('span', null, el('i', { style: 'background:' + color + ';height:3px' }), q));
  appendAll(legend, faultLegend(kinds));
  drawPoints();
  const series = D.summary.series;
  for (const [q, color, dash] of qs) {
    let d = '', pen = 'M';
    series[q].forEach((v, b) => {
      if (v === null) { pen = 'M'; return; }
      d += pen + frame.x(series.t0 + (b + 0.5) * series.width).toFixed(1) + ' ' + yOf(v).toFixed(1) + ' ';
      pen = 'L';
    });
    if (d) frame.front.appendChild(svg('path', { d, fill: 'none', stroke: color, 'stroke-width': 1.6, 'stroke-dasharray': dash || null }, svg('title', null, q)));
  }
  const decades = [];
  for (let v = ylo; v <= yhi * 1.0001; v *= 10) decades.push(v);
  yAxis(frame, decades, yOf, (v) => fmtTime(v, unit), unit === 'position' ? 'latency (positions)' : 'latency');
  xAxis(frame, x0, x1, unit, unit === 'position' ? 'position in history' : 'time since test start');
}

function renderThroughputPlot(D, kinds) {
  const s = section('throughput', 'Throughput over time');
  const series = D.summary.series, unit = D.ops.unit;
  const perSecond = unit === 'us' ? 1e6 / series.width : 1;
  const x0 = D.ops.begin, x1 = Math.max(D.ops.end, x0 + 1);
  const legend = el('div', { class: 'legend' });
  s.appendChild(legend);
  const frame = plotFrame(s, plotWidth(s), 240, x0, x1);
  frame.box.id = 'throughput-plot';
  let max = 0;
  for (const o of OUTCOMES) for (const c of series[o]) max = Math.max(max, c * perSecond);
  if (max === 0) max = 1;
  const yTicks = ticks(0, max, 4);
  const ymax = Math.max(max, yTicks[yTicks.length - 1]);
  const yOf = (v) => frame.m.top + frame.ph - (v / ymax) * frame.ph;
  shadeFaults(frame, D.faults, kinds);
  OUTCOMES.forEach((o, k) => {
    let d = '';
    series[o].forEach((c, b) => {
      d += (b ? 'L' : 'M') + frame.x(series.t0 + (b + 0.5) * series.width).toFixed(1) + ' ' + yOf(c * perSecond).toFixed(1) + ' ';
    });
    frame.front.appendChild(svg('path', { d, fill: 'none', stroke: OUTCOME_COLORS[k], 'stroke-width': 1.8 }, svg('title', null, o)));
    legend.appendChild(el('span', null, el('i', { style: 'background:' + OUTCOME_COLORS[k] }), o));
  });
  appendAll(legend, faultLegend(kinds));
  yAxis(frame, yTicks, yOf, (v) => String(+v.toPrecision(3)), unit === 'us' ? 'operations/s' : 'operations per bin');
  xAxis(frame, x0, x1, unit, unit === 'position' ? 'position in history' : 'time since test start');
}

// The clock offsets the nemesis measured (fault_periods.h), as a subsection of the
// anomalies: one step line per node over the run, and each node's range in a table.
function renderClockPlot(D) {
  const points = D.faults.clock;
  if (!points.length) return;
  const s = document.getElementById('anomalies');
  const box = el('div', { id: 'clock', 'data-points': points.length });
  s.appendChild(box);
  box.appendChild(el('h3', null, 'Clock faults: measured offsets'));
  box.appendChild(el('p', { class: 'muted' }, 'What each node\'s (faked) clock showed minus the controller\'s clock, ' +
    'measured by the nemesis when it changed a clock and while a clock fault was in force.'));
  const nodes = [...new Set(points.map((p) => p.node))].sort();
  const x0 = D.ops.begin, x1 = Math.max(D.ops.end, x0 + 1);
  const legend = el('div', { class: 'legend' }, nodes.map((n, k) => el('span', null, el('i', { style: 'background:' + PALETTE[k % PALETTE.length] }), n)));
  box.appendChild(legend);
  const frame = plotFrame(box, plotWidth(s), 220, x0, x1);
  frame.box.id = 'clock-plot';
  let lo = 0, hi = 0;
  for (const p of points) { lo = Math.min(lo, p.offset); hi = Math.max(hi, p.offset); }
  if (hi === lo) hi = lo + 1;
  const yTicks = ticks(lo, hi, 4);
  lo = Math.min(lo, yTicks[0]); hi = Math.max(hi, yTicks[yTicks.length - 1]);
  const yOf = (v) => frame.m.top + frame.ph - ((v - lo) / (hi - lo)) * frame.ph;
  shadeFaults(frame, D.faults, [...new Set(D.faults.periods.map((p) => p.kind))]);
  const rows = [];
  nodes.forEach((n, k) => {
    const color = PALETTE[k % PALETTE.length];
    const mine = points.filter((q) => q.node === n);
    let d = 'M' + frame.x(x0).toFixed(1) + ' ' + yOf(0).toFixed(1), min = Infinity, max = -Infinity;
    for (const p of mine) {
      const x = frame.x(p.time).toFixed(1);
      d += 'H' + x + 'V' + yOf(p.offset).toFixed(1);
      frame.front.appendChild(svg('circle', { cx: x, cy: yOf(p.offset).toFixed(1), r: 2.5, fill: color },
        svg('title', null, n + ': ' + (+p.offset.toPrecision(4)) + ' ms at ' + fmtTime(p.time, D.ops.unit))));
      min = Math.min(min, p.offset); max = Math.max(max, p.offset);
    }
    d += 'H' + frame.x(x1).toFixed(1);
    frame.front.appendChild(svg('path', { d, fill: 'none', stroke: color, 'stroke-width': 1.6 }));
    rows.push([n, fmtInt(mine.length), (+min.toPrecision(4)) + ' ms', (+max.toPrecision(4)) + ' ms']);
  });
  yAxis(frame, yTicks, yOf, (v) => String(+v.toPrecision(3)), 'offset (ms)');
  xAxis(frame, x0, x1, D.ops.unit, D.ops.unit === 'position' ? 'position in history' : 'time since test start');
  box.appendChild(table(['node', 'measurements', 'min offset', 'max offset'], rows, [1, 2, 3]));
}
