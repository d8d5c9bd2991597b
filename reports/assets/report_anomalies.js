// faultline report, part 5: anomalies. Known result shapes get their own rendering
// (linearizability explanations, set and bank checkers, transactions, docs/results-format.md);
// anything else is shown as a browsable tree, so no finding is ever hidden.

function checkerDocs(results) {
  const c = results && results.checkers;
  if (c && typeof c === 'object') {
    const entries = Array.isArray(c) ? c.map((d, i) => [d && (d.checker || d.name) || 'checker ' + (i + 1), d]) : Object.entries(c);
    const docs = entries.filter(([, d]) => d && typeof d === 'object');
    if (docs.length) return docs;
  }
  return results && Object.keys(results).length ? [[results.checker || 'linearizable', results]] : [];
}

function describeOp(ops, op) {
  if (!op || typeof op !== 'object') return jsonText(op);
  const row = rowOf(ops, op.index);
  const text = op.op || op.text || (row >= 0 ? opText(ops, row) : '');
  const parts = ['process ' + op.process, text];
  if (op.outcome) parts.push('(' + op.outcome + ')');
  if (op.index !== undefined) parts.push('· index ' + op.index);
  if (op.line) parts.push('· line ' + op.line);
  return parts.join(' ');
}

// The operations of `list` on a small timeline of their own, one lane per process.
function miniTimeline(ops, list, culprit) {
  const items = [];
  for (const op of list) {
    const row = rowOf(ops, op.index);
    if (row >= 0) items.push({ op, row, culprit: culprit && op.index === culprit.index });
  }
  if (!items.length) return null;
  const processes = [...new Set(items.map((i) => ops.lanes[ops.lane[i.row]].process))].sort((a, b) => a - b);
  let t0 = Infinity, t1 = -Infinity;
  for (const i of items) { t0 = Math.min(t0, ops.start[i.row]); t1 = Math.max(t1, ops.stop[i.row]); }
  if (!(t1 > t0)) t1 = t0 + 1;
  const W = 940, gutter = 60, laneH = 24, top = 20, H = top + processes.length * laneH + 6;
  const x = (t) => gutter + ((t - t0) / (t1 - t0)) * (W - gutter - 10);
  const root = svg('svg', { class: 'mini-timeline', width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, 'font-size': 11 });
  root.appendChild(svg('text', { x: gutter, y: 12, fill: '#666' }, fmtTime(t0, ops.unit)));
  root.appendChild(svg('text', { x: W - 10, y: 12, fill: '#666', 'text-anchor': 'end' }, fmtTime(t1, ops.unit)));
  const nameOf = new Map(ops.lanes.map((l) => [l.process, laneName(l)]));
  processes.forEach((p, k) => root.appendChild(svg('text', { x: 4, y: top + k * laneH + 16, fill: '#444' }, nameOf.get(p) || 'p' + p)));
  for (const i of items) {
    const k = processes.indexOf(ops.lanes[ops.lane[i.row]].process);
    const a = x(ops.start[i.row]), b = Math.max(a + 3, x(ops.stop[i.row]));
    const y = top + k * laneH + 2;
    const g = svg('g', null, svg('title', null, describeOp(ops, i.op)));
    g.appendChild(svg('rect', { x: a, y, width: b - a, height: laneH - 4, rx: 3,
      fill: OUTCOME_COLORS[ops.outcome[i.row]], stroke: i.culprit ? '#000' : 'none', 'stroke-width': 2 }));
    const label = i.op.op || i.op.text || opText(ops, i.row);
    const room = Math.floor((b - a - 6) / 6.2);
    if (room >= 3) g.appendChild(svg('text', { x: a + 3, y: y + 14, fill: '#fff' }, label.length > room ? label.slice(0, room - 1) + '…' : label));
    root.appendChild(g);
  }
  return root;
}

function renderLinearizability(out, name, doc, ops, timeline) {
  const parts = (doc.partitions || []).filter((p) => p && p.verdict && p.verdict !== 'valid');
  let shown = 0;
  for (const p of parts) {
    if (shown++ >= 25) { out.appendChild(el('p', { class: 'muted' }, (parts.length - 25) + ' more partitions not shown; see results.json.')); break; }
    const key = p.key === undefined || p.key === null ? '' : ' — key ' + jsonText(p.key);
    const box = el('div', { class: 'anomaly ' + verdictClass(p.verdict) });
    box.appendChild(el('h3', null, badge(p.verdict), ' ', name + key));
    out.appendChild(box);
    const e = p.explanation;
    if (!e) { box.appendChild(el('p', null, p.reason ? 'Undecided: ' + p.reason + '.' : 'No explanation recorded.')); continue; }
    if (e.culprit) box.appendChild(el('p', { class: 'culprit' }, 'Offending operation: ', describeOp(ops, e.culprit)));
    if (e.states && e.states.length) {
      box.appendChild(el('p', null, 'It had to take effect in one of these model states, and each rejects it:'));
      box.appendChild(table(['model state', 'why it cannot take effect'], e.states.map((st) => [el('code', null, jsonText(st.state)), st.why])));
    }
    const core = e.core || [];
    if (core.length) {
      box.appendChild(el('p', null, 'A set of ' + core.length + ' operations that is not linearizable on its own' +
        (e.core_minimal ? ' (minimal: making any one of them unknown makes it linearizable)' : '') + ':'));
      const mini = miniTimeline(ops, core, e.culprit);
      if (mini) box.appendChild(mini);
      box.appendChild(el('ol', null, core.map((op) => el('li', { class: 'mono' }, describeOp(ops, op)))));
      const rows = core.map((op) => rowOf(ops, op.index)).filter((r) => r >= 0);
      if (rows.length && timeline) {
        box.appendChild(el('div', { class: 'toolbar' }, el('button', { type: 'button', onclick: () => {
          let t0 = Infinity, t1 = -Infinity;
          for (const r of rows) { t0 = Math.min(t0, ops.start[r]); t1 = Math.max(t1, ops.stop[r]); }
          const culpritRow = e.culprit ? rowOf(ops, e.culprit.index) : rows[0];
          timeline.highlight(rows);
          timeline.show(t0, t1, timeline.laneOf(culpritRow >= 0 ? culpritRow : rows[0]));
          timeline.element.scrollIntoView({ behavior: 'smooth' });
        } }, 'Show in the timeline')));
      }
    }
    if (e.longest_prefix && e.longest_prefix.length) {
      const d = el('details', null, el('summary', null, 'Longest linearizable prefix found (' + e.longest_prefix.length + ' operations)'));
      d.appendChild(el('ol', null, e.longest_prefix.slice(0, 2000).map((op) => el('li', { class: 'mono' }, describeOp(ops, op)))));
      box.appendChild(d);
    }
    if (e.text) box.appendChild(el('details', null, el('summary', null, 'Explanation in words'), el('pre', null, e.text)));
  }
  return parts.length;
}

function opCell(ops, index) {
  const row = rowOf(ops, index);
  return row >= 0 ? opText(ops, row) + ' @ ' + fmtTime(ops.start[row], ops.unit) : 'index ' + index;
}

function elementList(label, values, count) {
  if (!values || !values.length) return null;
  const more = count !== undefined && count > values.length ? ' … (' + fmtInt(count) + ' in all)' : '';
  return el('p', null, el('strong', null, label + ': '), el('span', { class: 'mono' }, values.map(jsonText).join(', ') + more));
}

// {count, elements} (checker/set) or a plain array of elements.
function elementsOf(v) {
  if (Array.isArray(v)) return { count: v.length, elements: v };
  if (v && typeof v === 'object') return { count: v.count || 0, elements: Array.isArray(v.elements) ? v.elements : [] };
  return { count: 0, elements: [] };
}

function countRows(pairs) {
  return pairs.filter(([, v]) => typeof v === 'number').map(([k, v]) => [k, fmtInt(v)]);
}

function renderSet(out, name, doc, ops) {
  const box = el('div', { class: 'anomaly ' + verdictClass(doc.verdict) });
  box.appendChild(el('h3', null, badge(doc.verdict || 'unknown'), ' ', name));
  const kinds = ['lost', 'unexpected', 'stale', 'recovered'].map((k) => [k, elementsOf(doc[k])]);
  const counts = countRows([['adds attempted', doc.attempted], ['adds acknowledged', doc.acknowledged],
    ['adds failed', doc.failed], ['adds unknown', doc.unknown], ['reads', doc.reads], ['final reads', doc.final_reads],
    ...kinds.map(([k, e]) => [k + ' elements', e.count]),
    ['reads missing a known element', doc.stale && doc.stale.reads !== undefined ? doc.stale.reads : doc.stale_reads]]);
  if (counts.length) box.appendChild(table(['', 'count'], counts, [1]));
  for (const [k, e] of kinds) appendAll(box, [elementList(k, e.elements, e.count)]);
  const ex = (doc.stale && doc.stale.examples) || doc.stale_examples || [];
  if (ex.length) {
    box.appendChild(el('p', null, 'Reads that missed an element already known:'));
    box.appendChild(table(['element', 'read', 'process', 'node', 'known since'],
      ex.map((x) => [jsonText(x.element), opCell(ops, x.read_index), jsonText(x.process), x.node || '', opCell(ops, x.known_index)])));
  }
  if (doc.reason) box.appendChild(el('p', null, 'Reason: ' + doc.reason));
  out.appendChild(box);
}

function renderBank(out, name, doc, ops) {
  const box = el('div', { class: 'anomaly ' + verdictClass(doc.verdict) });
  box.appendChild(el('h3', null, badge(doc.verdict || 'unknown'), ' ', name));
  const t = doc.transfers || {};
  const kinds = [['wrong_total', 'wrong_totals', 'Reads with a wrong total'], ['negative', 'negatives', 'Reads with a negative balance'],
    ['malformed', 'malformed', 'Malformed reads']].map(([k, old, label]) => {
    const v = doc[k] !== undefined ? doc[k] : doc[old];
    return { label, count: v && !Array.isArray(v) ? v.count : (v || []).length, reads: (v && (Array.isArray(v) ? v : v.reads)) || [] };
  });
  box.appendChild(table(['', 'count'], countRows([['reads checked', doc.reads], ['transfers ok', t.ok], ['transfers failed', t.failed],
    ['transfers unknown', t.unknown], ...kinds.map((k) => [k.label.toLowerCase(), k.count])]), [1]));
  for (const k of kinds) {
    if (!k.reads.length) continue;
    box.appendChild(el('p', null, k.label + (k.count > k.reads.length ? ' (first ' + k.reads.length + ' of ' + fmtInt(k.count) + ')' : '') + ':'));
    box.appendChild(table(['read', 'process', 'node', 'total', 'problem', 'balances'],
      k.reads.map((a) => [opCell(ops, a.index), jsonText(a.process), a.node || '', jsonText(a.total !== undefined ? a.total : a.observed_total),
        a.problem || '', el('code', null, jsonText(a.balances))])));
  }
  if (doc.reason) box.appendChild(el('p', null, 'Reason: ' + doc.reason));
  out.appendChild(box);
}

// A dependency cycle (checker/txn) as a small graph: transactions on a circle, one arrow per
// step labelled with its edge (ww, wr, rw, process, realtime).
function cycleGraph(steps) {
  const n = steps.length;
  if (!n || n > 12) return null;
  const W = 420, H = 260, cx = W / 2, cy = H / 2, r = n === 1 ? 0 : Math.min(95, 40 + 18 * n);
  const pos = steps.map((st, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
    return { x: cx + r * Math.cos(a), y: cy + r * Math.sin(a), name: (st.from && st.from.txn) || 'T?' };
  });
  const root = svg('svg', { class: 'cycle-graph', width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, 'font-size': 12 });
  const defs = svg('defs', null, svg('marker', { id: 'cyc-arrow', viewBox: '0 0 10 10', refX: 10, refY: 5,
    markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#555' })));
  root.appendChild(defs);
  const colors = { rw: '#c0392b', wr: '#2471a3', ww: '#7d3c98', process: '#777', realtime: '#999' };
  steps.forEach((st, i) => {
    const a = pos[i], b = pos[(i + 1) % n];
    const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1, k = 24 / len;
    const x1 = a.x + dx * k, y1 = a.y + dy * k, x2 = b.x - dx * k, y2 = b.y - dy * k;
    // Bend each arrow outwards so that two-transaction cycles show both arrows.
    const mx = (x1 + x2) / 2 + (-dy / len) * 22, my = (y1 + y2) / 2 + (dx / len) * 22;
    const g = svg('g', null, svg('title', null, st.why || ''));
    g.appendChild(svg('path', { d: 'M' + x1 + ',' + y1 + ' Q' + mx + ',' + my + ' ' + x2 + ',' + y2, fill: 'none',
      stroke: colors[st.edge] || '#555', 'stroke-width': 2, 'marker-end': 'url(#cyc-arrow)' }));
    g.appendChild(svg('text', { x: mx, y: my, 'text-anchor': 'middle', fill: colors[st.edge] || '#555' }, st.edge || ''));
    root.appendChild(g);
  });
  for (const p of pos) {
    root.appendChild(svg('circle', { cx: p.x, cy: p.y, r: 20, fill: '#fff', stroke: '#333' }));
    root.appendChild(svg('text', { x: p.x, y: p.y + 4, 'text-anchor': 'middle' }, p.name));
  }
  return root;
}

// checker/txn's document: anomaly counts, the models violated and still satisfied, and each
// explained anomaly (cycles drawn). Shown whether or not the judged model allows them.
function renderTransactions(out, name, doc, ops) {
  const box = el('div', { class: 'anomaly ' + verdictClass(doc.verdict) });
  box.appendChild(el('h3', null, badge(doc.verdict || 'unknown'), ' ', name + ' (' + (doc.model || '') + ', judged as ' +
    (doc.consistency_model || '?') + ')'));
  const counts = Object.entries(doc.anomaly_counts || {});
  if (doc.reason) box.appendChild(el('p', null, 'Reason: ' + doc.reason));
  const list = (v) => (Array.isArray(v) && v.length ? v.join(', ') : 'none');
  box.appendChild(el('p', null, el('strong', null, 'Violates: '), list(doc.violated_models)));
  box.appendChild(el('p', null, el('strong', null, 'Strongest models still satisfied: '), list(doc.strongest_satisfied_models)));
  if (counts.length) box.appendChild(table(['anomaly', 'count'], counts.map(([k, v]) => [k, fmtInt(v)]), [1]));
  else box.appendChild(el('p', { class: 'muted' }, 'No anomalies found.'));
  (doc.anomalies || []).slice(0, 40).forEach((a, i) => {
    const d = el('details', i === 0 ? { open: '' } : null, el('summary', null, a.type + (a.key !== undefined ? ' — key ' + jsonText(a.key) : '')));
    if (Array.isArray(a.cycle)) { const g = cycleGraph(a.cycle); if (g) d.appendChild(g); }
    if (a.explanation) d.appendChild(el('pre', null, a.explanation));
    const txns = Array.isArray(a.cycle) ? a.cycle.map((st) => st.from) : (a.txns || []);
    if (txns.length) d.appendChild(el('ol', null, txns.map((t) => el('li', { class: 'mono' }, (t.txn || '') + ': ' + opCell(ops, t.index)))));
    box.appendChild(d);
  });
  out.appendChild(box);
  return counts.length ? 1 : 0;
}

// checker/counter: the increments and the reads outside their bounds.
function renderCounter(out, name, doc, ops) {
  const box = el('div', { class: 'anomaly ' + verdictClass(doc.verdict) });
  box.appendChild(el('h3', null, badge(doc.verdict || 'unknown'), ' ', name));
  box.appendChild(table(['', 'count'], countRows([['increments acknowledged', doc.adds_ok],
    ['increments unknown', doc.adds_unknown], ['increments failed', doc.adds_failed],
    ['acknowledged total', doc.acknowledged_total], ['possible total', doc.possible_total],
    ['reads', doc.reads], ['final reads', doc.final_reads], ['reads below their bounds', doc.reads_below_bounds],
    ['reads above their bounds', doc.reads_above_bounds], ['lost increments', doc.lost_increments]]), [1]));
  if (Array.isArray(doc.final_values) && doc.final_values.length) {
    box.appendChild(el('p', null, el('strong', null, 'final values: '), el('span', { class: 'mono' }, doc.final_values.map(jsonText).join(', '))));
  }
  const v = doc.violations || [];
  if (v.length) {
    box.appendChild(el('p', null, 'Reads outside [acknowledged before the read, possibly applied by its end]:'));
    box.appendChild(table(['read', 'process', 'node', 'value', 'bounds', 'problem'],
      v.map((x) => [opCell(ops, x.read_index) + (x.final ? ' (final)' : ''), jsonText(x.process), x.node || '',
        jsonText(x.value), x.lower + '..' + x.upper, x.problem || ''])));
  }
  if (doc.reason) box.appendChild(el('p', null, 'Reason: ' + doc.reason));
  out.appendChild(box);
}

function renderAnomalies(D, ops, timeline) {
  const s = section('anomalies', 'Anomalies');
  let found = 0;
  for (const [name, doc] of checkerDocs(D.results)) {
    const kind = doc.checker || name;
    if (Array.isArray(doc.partitions)) {
      found += renderLinearizability(s, (doc.checker || 'linearizability') + (doc.model ? ' (' + doc.model + ')' : ''), doc, ops, timeline);
    } else if (kind === 'transactions') {
      found += renderTransactions(s, String(name), doc, ops);
    } else if (kind === 'set' || doc.lost !== undefined) {
      renderSet(s, String(name), doc, ops); found++;
    } else if (kind === 'counter') {
      renderCounter(s, String(name), doc, ops); found++;
    } else if (kind === 'bank' || doc.wrong_total !== undefined || doc.wrong_totals !== undefined) {
      renderBank(s, String(name), doc, ops); found++;
    } else if (doc.verdict && doc.verdict !== 'valid') {
      const box = el('div', { class: 'anomaly ' + verdictClass(doc.verdict) }, el('h3', null, badge(doc.verdict), ' ', String(name)));
      box.appendChild(jsonTree(doc, 'result'));
      s.appendChild(box); found++;
    }
  }
  if (!found) s.appendChild(el('p', { class: 'muted' }, 'None found.'));
  const raw = el('details', null, el('summary', null, 'Raw results (results.json)'));
  raw.appendChild(jsonTree(D.results, 'results'));
  s.appendChild(raw);
}
