// faultline report, part 4: the timeline. One lane per process, operations as bars
// coloured by outcome, fault periods on top. Zoom (wheel, buttons) and pan (drag,
// arrows) redraw only what is visible: per lane, the first visible operation is found
// by binary search, and where operations are thinner than a pixel they are merged
// into pixel columns, so a frame costs O(visible operations) with few draw calls.

const TL = { gutter: 78, axis: 22, bandRow: 13, maxLanesHeight: 560 };

// A lane's name: "p3" for a client's process, "final n1" for the reads after the faults
// (the report's own label; older reports have none).
function laneName(lane) { return lane.label || 'p' + lane.process; }

// Lanes of the compact layout: processes whose lifetimes (first invocation to last
// completion) never overlap share a lane, as a crashed process and the one replacing
// it do. Greedy by start time with a min-heap of lane end times: optimal lane count.
function compactLanes(ops) {
  const P = ops.lanes.length;
  const first = new Float64Array(P).fill(Infinity), last = new Float64Array(P).fill(-Infinity);
  for (let i = 0; i < ops.n; i++) {
    const p = ops.lane[i];
    if (ops.start[i] < first[p]) first[p] = ops.start[i];
    if (ops.stop[i] > last[p]) last[p] = ops.stop[i];
  }
  const order = [...Array(P).keys()].sort((a, b) => first[a] - first[b]);
  const slot = new Uint32Array(P), heap = [];  // heap of [end, slot]
  const push = (x) => { heap.push(x); let i = heap.length - 1; while (i > 0) { const p = (i - 1) >> 1; if (heap[p][0] <= heap[i][0]) break; [heap[p], heap[i]] = [heap[i], heap[p]]; i = p; } };
  const pop = () => { const top = heap[0], end = heap.pop(); if (heap.length) { heap[0] = end; let i = 0; for (;;) { const l = 2 * i + 1, r = l + 1; let m = i; if (l < heap.length && heap[l][0] < heap[m][0]) m = l; if (r < heap.length && heap[r][0] < heap[m][0]) m = r; if (m === i) break; [heap[m], heap[i]] = [heap[i], heap[m]]; i = m; } } return top; };
  let count = 0;
  for (const p of order) {
    let s;
    if (heap.length && heap[0][0] < first[p]) s = pop()[1]; else s = count++;
    slot[p] = s;
    push([last[p], s]);
  }
  const members = Array.from({ length: count }, () => []);
  for (const p of order) members[slot[p]].push(laneName(ops.lanes[p]));
  return { slot, count, labels: members.map((m) => m[0] + (m.length > 1 ? ' +' + (m.length - 1) : '')) };
}

function Timeline(D, ops, kinds) {
  const s = section('timeline', 'Timeline');
  const n = ops.n;
  const P = Math.max(1, ops.lanes.length);
  let compact = null;  // built on first use
  // The layout: rows grouped by lane (CSR), each group in invocation order; maxEnd is
  // the running maximum of completion times within a lane, so it is sorted and searchable.
  let L, off, rows, cStart, cStop, cOutcome, maxEnd, laneOfRow, laneLabel, laneH, visibleLanes, cssH, mode;
  const bandH = kinds.length ? kinds.length * TL.bandRow + 4 : 0;
  const lanesTop = TL.axis + bandH;
  function layout(newMode) {
    mode = newMode;
    if (mode === 'compact' && !compact) compact = compactLanes(ops);
    L = mode === 'compact' ? Math.max(1, compact.count) : P;
    const laneOfProcess = mode === 'compact' ? compact.slot : null;
    laneOfRow = laneOfProcess ? (r) => laneOfProcess[ops.lane[r]] : (r) => ops.lane[r];
    laneLabel = mode === 'compact' ? (k) => compact.labels[k] : (k) => {
      const lane = ops.lanes[k];
      if (!lane) return '';
      return laneName(lane) + (lane.node && !lane.final ? ' ' + lane.node : '');
    };
    off = new Uint32Array(L + 1);
    for (let i = 0; i < n; i++) off[laneOfRow(i) + 1]++;
    for (let k = 0; k < L; k++) off[k + 1] += off[k];
    rows = new Uint32Array(n);
    const fill = off.slice(0, L);
    for (let i = 0; i < n; i++) rows[fill[laneOfRow(i)]++] = i;
    // Copies in lane order: drawing a lane then reads memory sequentially.
    cStart = new Float64Array(n); cStop = new Float64Array(n); cOutcome = new Uint8Array(n);
    for (let j = 0; j < n; j++) { const r = rows[j]; cStart[j] = ops.start[r]; cStop[j] = ops.stop[r]; cOutcome[j] = ops.outcome[r]; }
    maxEnd = new Float64Array(n);
    for (let k = 0; k < L; k++) {
      let m = -Infinity;
      for (let j = off[k]; j < off[k + 1]; j++) { m = Math.max(m, cStop[j]); maxEnd[j] = m; }
    }
    laneH = Math.max(3, Math.min(20, Math.floor(TL.maxLanesHeight / L)));
    visibleLanes = Math.min(L, Math.floor(TL.maxLanesHeight / laneH));
    cssH = lanesTop + visibleLanes * laneH + 2;
  }
  layout(P > 200 ? 'compact' : 'process');

  const full0 = D.ops.begin, full1 = Math.max(D.ops.end, D.ops.begin + 1);
  const view = { t0: full0, t1: full1, lane0: 0 };
  const highlighted = new Set();

  const toolbar = el('div', { class: 'toolbar' });
  const rangeText = el('span', { class: 'muted', id: 'timeline-range' });
  const box = el('div', { id: 'timeline-box' });
  const canvas = el('canvas', { id: 'timeline-canvas', 'data-ops': n });
  const tip = el('div', { class: 'tooltip' });
  box.append(canvas, tip);
  s.append(el('p', { class: 'muted no-print' }, 'Wheel to zoom, drag to pan (vertically too when lanes overflow), hover for details.'), toolbar, box);
  const legend = el('div', { class: 'legend' }, OUTCOMES.map((o, k) => el('span', null, el('i', { style: 'background:' + OUTCOME_COLORS[k] }), o)), faultLegend(kinds));
  s.appendChild(legend);

  const cssW = Math.max(640, Math.min(1232, s.clientWidth || 1232));
  const dpr = window.devicePixelRatio || 1;
  function sizeCanvas() {
    canvas.width = Math.round(cssW * dpr);
    canvas.height = Math.round(cssH * dpr);
    canvas.style.width = cssW + 'px';
    canvas.style.height = cssH + 'px';
    canvas.setAttribute('data-lanes', L);
    canvas.setAttribute('data-lane-mode', mode);
  }
  sizeCanvas();
  const ctx = canvas.getContext('2d');
  const plotW = cssW - TL.gutter;
  const mask = new Uint8Array(plotW + 2);
  const xOf = (t) => TL.gutter + ((t - view.t0) / (view.t1 - view.t0)) * plotW;
  const tOf = (x) => view.t0 + ((x - TL.gutter) / plotW) * (view.t1 - view.t0);
  let stats = { drawn: 0, ms: 0 };

  function drawLane(k, y) {
    const lo = off[k], hi = off[k + 1];
    let j = lowerBound(maxEnd, view.t0, lo, hi);
    let mlo = plotW, mhi = -1, drawn = 0;
    const v0 = view.t0, v1 = view.t1, scale = plotW / (v1 - v0);
    for (; j < hi; j++) {
      const a = cStart[j];
      if (a > v1) break;
      const b = cStop[j];
      if (b < v0) continue;
      drawn++;
      let x0 = (a - v0) * scale, x1 = (b - v0) * scale;
      if (x0 < 0) x0 = 0;
      if (x1 > plotW) x1 = plotW;
      if (x1 - x0 >= 5) {
        const w = x1 - x0;
        ctx.fillStyle = OUTCOME_COLORS[cOutcome[j]];
        ctx.fillRect(TL.gutter + x0, y + 1, w >= 4 ? w - 1 : w, laneH - 2);
        if (w > 46 && laneH >= 12) {
          const text = opText(ops, rows[j]), max = Math.floor((w - 6) / 6.3);
          ctx.fillStyle = '#fff';
          ctx.fillText(text.length > max ? text.slice(0, Math.max(0, max - 1)) + '…' : text, TL.gutter + x0 + 3, y + laneH - 4);
        }
      } else {
        // Thinner than 5 px: merged into pixel columns (few, long fillRects).
        const p0 = x0 | 0, p1 = Math.max(p0, Math.ceil(x1) - 1), bit = 1 << cOutcome[j];
        for (let px = p0; px <= p1; px++) mask[px] |= bit;
        if (p0 < mlo) mlo = p0;
        if (p1 > mhi) mhi = p1;
      }
    }
    // Merged pixel columns: a fail or info anywhere in a column shows.
    for (let x = mlo; x <= mhi;) {
      const m = mask[x];
      if (!m) { x++; continue; }
      let e = x + 1;
      while (e <= mhi && mask[e] === m) e++;
      ctx.fillStyle = OUTCOME_COLORS[m & 2 ? 1 : m & 4 ? 2 : 0];
      ctx.fillRect(TL.gutter + x, y + 1, e - x, laneH - 2);
      mask.fill(0, x, e);
      x = e;
    }
    return drawn;
  }

  function draw() {
    const began = performance.now();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssW, cssH);
    ctx.font = '11px system-ui, sans-serif';
    // Axis.
    ctx.fillStyle = '#444';
    ctx.strokeStyle = '#bbb';
    for (const t of ticks(view.t0, view.t1, Math.max(2, Math.floor(plotW / 120)))) {
      const x = xOf(t);
      ctx.fillRect(x, TL.axis - 5, 1, 5);
      ctx.fillText(fmtTime(t, ops.unit), x + 3, TL.axis - 8);
    }
    // Fault bands, and their shade over the lanes.
    D.faults.periods.forEach((p) => {
      const a = Math.max(TL.gutter, xOf(p.start)), b = Math.min(cssW, xOf(p.end));
      if (b < a) return;
      const row = kinds.indexOf(p.kind);
      ctx.fillStyle = faultColor(kinds, p.kind);
      ctx.fillRect(a, TL.axis + row * TL.bandRow + 1, Math.max(1, b - a), TL.bandRow - 2);
      ctx.globalAlpha = 0.09;
      ctx.fillRect(a, lanesTop, Math.max(1, b - a), cssH - lanesTop);
      ctx.globalAlpha = 1;
    });
    ctx.fillStyle = '#444';
    kinds.forEach((k, row) => ctx.fillText(k.length > 12 ? k.slice(0, 11) + '…' : k, 4, TL.axis + row * TL.bandRow + 10));
    // Lanes.
    let drawn = 0;
    const last = Math.min(L, view.lane0 + visibleLanes);
    for (let k = view.lane0; k < last; k++) {
      const y = lanesTop + (k - view.lane0) * laneH;
      if (laneH >= 11) {
        ctx.fillStyle = '#555';
        ctx.fillText(laneLabel(k).slice(0, 12), 4, y + laneH - 4);
      }
      if ((k & 1) === 0) { ctx.fillStyle = 'rgba(0,0,0,0.025)'; ctx.fillRect(TL.gutter, y, plotW, laneH); }
      drawn += drawLane(k, y);
    }
    // Highlighted operations (anomalies) on top.
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 2;
    for (const r of highlighted) {
      const k = laneOfRow(r);
      if (k < view.lane0 || k >= last) continue;
      const a = Math.max(TL.gutter, xOf(ops.start[r])), b = Math.min(cssW, xOf(ops.stop[r]));
      if (b < TL.gutter || a > cssW) continue;
      ctx.strokeRect(a - 1, lanesTop + (k - view.lane0) * laneH, Math.max(3, b - a + 2), laneH);
    }
    rangeText.textContent = fmtTime(view.t0, ops.unit) + ' – ' + fmtTime(view.t1, ops.unit) + ' · lanes ' +
      (view.lane0 + 1) + '–' + last + ' of ' + L + (mode === 'compact' ? ' (shared by ' + fmtInt(P) + ' processes)' : '') +
      ' · ' + fmtInt(drawn) + ' operations in view';
    stats = { drawn, ms: performance.now() - began };
    return stats;
  }

  let pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; draw(); });
  }
  function clampView() {
    const fullSpan = full1 - full0, minSpan = ops.unit === 'position' ? 4 : 10;
    let span = Math.min(Math.max(view.t1 - view.t0, minSpan), fullSpan * 1.2);
    let t0 = Math.min(Math.max(view.t0, full0 - fullSpan * 0.1), full1 + fullSpan * 0.1 - span);
    view.t0 = t0; view.t1 = t0 + span;
    view.lane0 = Math.max(0, Math.min(L - visibleLanes, Math.round(view.lane0)));
  }
  function zoom(factor, atX) {
    const t = tOf(atX === undefined ? TL.gutter + plotW / 2 : atX);
    view.t0 = t - (t - view.t0) * factor;
    view.t1 = t + (view.t1 - t) * factor;
    clampView();
    schedule();
  }
  function pan(fraction) {
    const d = (view.t1 - view.t0) * fraction;
    view.t0 += d; view.t1 += d;
    clampView();
    schedule();
  }
  function show(t0, t1, lane) {
    const pad = Math.max((t1 - t0) * 0.15, ops.unit === 'position' ? 2 : 50);
    view.t0 = t0 - pad; view.t1 = t1 + pad;
    if (lane !== undefined && (lane < view.lane0 || lane >= view.lane0 + visibleLanes)) view.lane0 = lane - Math.floor(visibleLanes / 2);
    clampView();
    schedule();
  }
  function reset() { view.t0 = full0; view.t1 = full1; view.lane0 = 0; schedule(); }

  const button = (label, title, fn) => el('button', { type: 'button', title, onclick: fn }, label);
  toolbar.append(button('−', 'zoom out', () => zoom(2)), button('+', 'zoom in', () => zoom(0.5)),
    button('◀', 'pan left', () => pan(-0.3)), button('▶', 'pan right', () => pan(0.3)),
    button('Reset', 'show everything', reset),
    button('Lanes', 'one lane per process, or compact: processes that never overlap share a lane', () => {
      layout(mode === 'compact' ? 'process' : 'compact');
      view.lane0 = 0;
      sizeCanvas();
      draw();
    }), rangeText);

  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    const rect = canvas.getBoundingClientRect();
    if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) pan((e.deltaX || e.deltaY) / 800);
    else zoom(Math.exp(e.deltaY * 0.0015), e.clientX - rect.left);
  }, { passive: false });
  let drag = null;
  canvas.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, y: e.clientY, t0: view.t0, t1: view.t1, lane0: view.lane0 };
    canvas.setPointerCapture(e.pointerId);
    box.classList.add('dragging');
    tip.style.display = 'none';
  });
  canvas.addEventListener('pointermove', (e) => {
    const rect = canvas.getBoundingClientRect();
    if (drag) {
      const dt = ((e.clientX - drag.x) / plotW) * (drag.t1 - drag.t0);
      view.t0 = drag.t0 - dt; view.t1 = drag.t1 - dt;
      view.lane0 = drag.lane0 - (e.clientY - drag.y) / laneH;
      clampView();
      schedule();
      return;
    }
    hover(e.clientX - rect.left, e.clientY - rect.top);
  });
  const endDrag = () => { drag = null; box.classList.remove('dragging'); };
  canvas.addEventListener('pointerup', endDrag);
  canvas.addEventListener('pointercancel', endDrag);
  canvas.addEventListener('pointerleave', () => { tip.style.display = 'none'; });
  canvas.tabIndex = 0;
  canvas.addEventListener('keydown', (e) => {
    const keys = { ArrowLeft: () => pan(-0.2), ArrowRight: () => pan(0.2), '+': () => zoom(0.5), '=': () => zoom(0.5), '-': () => zoom(2), '0': reset };
    if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
  });

  function hover(x, y) {
    const k = view.lane0 + Math.floor((y - lanesTop) / laneH);
    if (y < lanesTop || x < TL.gutter || k >= L) { tip.style.display = 'none'; return; }
    const t = tOf(x), tol = (3 / plotW) * (view.t1 - view.t0);
    let found = -1;
    for (let j = lowerBound(maxEnd, t - tol, off[k], off[k + 1]); j < off[k + 1]; j++) {
      const r = rows[j];
      if (ops.start[r] > t + tol) break;
      if (ops.stop[r] >= t - tol) { found = r; break; }
    }
    if (found < 0) { tip.style.display = 'none'; return; }
    const r = found, lat = ops.latency[r], lane = ops.lanes[ops.lane[r]];
    tip.textContent = (lane.final ? lane.label + ', process ' + lane.process : 'process ' + lane.process + (lane.node ? ' (' + lane.node + ')' : '')) +
      ' · ' + OUTCOMES[ops.outcome[r]] + '\n' + opText(ops, r) + '\ninvoked ' + fmtTime(ops.start[r], ops.unit) +
      (lat >= 0 ? ' · latency ' + fmtDuration(lat, ops.unit) : ' · never completed');
    tip.style.display = 'block';
    tip.style.left = Math.min(x + 12, cssW - 300) + 'px';
    tip.style.top = (y + 14) + 'px';
  }

  draw();
  return {
    draw, show, zoom, pan, reset, view, stats: () => stats,
    laneOf: (r) => laneOfRow(r),
    highlight(rowsToMark) { highlighted.clear(); for (const r of rowsToMark) if (r >= 0) highlighted.add(r); schedule(); },
    element: s,
  };
}
