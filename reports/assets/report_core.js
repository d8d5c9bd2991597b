// faultline report, part 1: helpers shared by every section.
// Safety rule of every part: data is put into the page with textContent,
// setAttribute or SVG/canvas drawing calls only, never through innerHTML.

const SVGNS = 'http://www.w3.org/2000/svg';
const OUTCOMES = ['ok', 'fail', 'info'];
const OUTCOME_COLORS = ['#4e79a7', '#e15759', '#f28e2b'];
const PALETTE = ['#4e79a7', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#ff9da7',
  '#bab0ac', '#1b9e77', '#7570b3', '#e7298a', '#66a61e'];
const FAULT_PALETTE = ['#e15759', '#f28e2b', '#b07aa1', '#59a14f', '#9c755f', '#76b7b2', '#edc948'];

// el('div', {class: 'x'}, 'text', child, ...): children are nodes or plain text.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  appendAll(node, children);
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVGNS, tag);
  setAttrs(node, attrs);
  appendAll(node, children);
  return node;
}

function setAttrs(node, attrs) {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, String(v));
  }
}

function appendAll(node, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) appendAll(node, c);
    else node.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

function section(id, title) {
  const s = document.getElementById(id);
  s.replaceChildren(el('h2', null, title));
  return s;
}

// Decodes a column (reports/columns.h) into its typed array.
// The base64 text is inline (column.base64) or in its own script element (script_id).
function decodeColumn(column) {
  const text = column.script_id ? document.getElementById(column.script_id).textContent : column.base64;
  let bytes;
  if (typeof Uint8Array.fromBase64 === 'function') {
    bytes = Uint8Array.fromBase64(text);
  } else {
    const binary = atob(text);
    bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  }
  const types = { u8: Uint8Array, u16: Uint16Array, u32: Uint32Array, f32: Float32Array, f64: Float64Array };
  const Type = types[column.type];
  if (!Type) throw new Error('unknown column type ' + column.type);
  return new Type(bytes.buffer, 0, column.length);
}

// The operations as typed arrays, plus `end` (history end for never-completed ones).
function decodeOps(o) {
  const ops = {
    n: o.count, unit: o.unit, begin: o.begin, end: o.end,
    start: decodeColumn(o.start), latency: decodeColumn(o.latency), lane: decodeColumn(o.lane),
    f: decodeColumn(o.f), outcome: decodeColumn(o.outcome), text: decodeColumn(o.text),
    lanes: o.lanes, fs: o.fs, texts: o.texts, rowsByIndex: o.rows_by_index || {},
  };
  ops.stop = new Float64Array(ops.n);
  for (let i = 0; i < ops.n; i++) {
    const l = ops.latency[i];
    ops.stop[i] = l >= 0 ? ops.start[i] + l : Math.max(o.end, ops.start[i]);
  }
  return ops;
}

// Row of the operation whose invocation or completion has history index `index`.
function rowOf(ops, index) {
  if (index === undefined || index === null) return -1;
  const r = ops.rowsByIndex[String(index)];
  return r === undefined ? -1 : r;
}

function opText(ops, row) { return ops.texts[ops.text[row]]; }

// Formats a time or duration given in the ops' unit.
function fmtTime(t, unit) {
  if (unit === 'position') return '#' + Math.round(t);
  const a = Math.abs(t);
  if (a >= 60e6) return (t / 60e6).toFixed(a >= 600e6 ? 0 : 1) + ' min';
  if (a >= 1e6) return (t / 1e6).toFixed(a >= 10e6 ? 1 : 2) + ' s';
  if (a >= 1e3) return (t / 1e3).toFixed(a >= 10e3 ? 0 : 1) + ' ms';
  return (a >= 10 ? t.toFixed(0) : t.toFixed(1)) + ' µs';
}

function fmtDuration(t, unit) {
  if (unit === 'position') return Math.round(t) + ' positions';
  return fmtTime(t, unit);
}

function fmtInt(n) { return Number(n).toLocaleString('en-US'); }

function jsonText(v) {
  if (typeof v === 'string') return v;
  try { return JSON.stringify(v); } catch (e) { return String(v); }
}

function badge(verdict) { return el('span', { class: 'badge ' + verdictClass(verdict) }, verdict); }
function verdictClass(v) { return v === 'valid' || v === 'invalid' ? v : 'unknown'; }

// Round "nice" tick values covering [lo, hi].
function ticks(lo, hi, count) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(t);
  return out;
}

// First index in sorted `arr` whose value is >= x (arr.length if none).
function lowerBound(arr, x, lo = 0, hi = arr.length) {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}

// A collapsible tree of any JSON value; children are built when first opened so
// that a large results document costs nothing until someone looks.
function jsonTree(value, label) {
  if (value === null || typeof value !== 'object') {
    return el('div', null, label !== undefined ? el('span', { class: 'key' }, label + ': ') : null,
      el('span', { class: typeof value === 'string' ? 'str' : 'num' }, JSON.stringify(value)));
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  const size = Array.isArray(value) ? '[' + entries.length + ']' : '{' + entries.length + '}';
  const details = el('details', null,
    el('summary', null, label !== undefined ? el('span', { class: 'key' }, label + ' ') : null, size));
  let built = false;
  details.addEventListener('toggle', () => {
    if (built || !details.open) return;
    built = true;
    const list = el('ul');
    const shown = entries.slice(0, 1000);
    for (const [k, v] of shown) list.appendChild(el('li', null, jsonTree(v, k)));
    if (entries.length > shown.length) {
      list.appendChild(el('li', { class: 'muted' }, '… ' + (entries.length - shown.length) + ' more'));
    }
    details.appendChild(list);
  });
  return details;
}

// A table from header names and rows of cells (nodes or text); numeric cells align right.
function table(headers, rows, numeric) {
  const num = new Set(numeric || []);
  return el('table', null,
    el('thead', null, el('tr', null, headers.map((h, i) => el('th', { class: num.has(i) ? 'num' : null }, h)))),
    el('tbody', null, rows.map((r) => el('tr', null, r.map((c, i) => el('td', { class: num.has(i) ? 'num' : null }, c))))));
}

// Guarded rendering: a section that throws shows the error instead of breaking the page.
function guarded(id, fn) {
  try {
    fn();
  } catch (e) {
    const s = document.getElementById(id);
    if (s) s.appendChild(el('p', { class: 'error-box' }, 'This section could not be drawn: ' + e.message));
    console.error(e);
  }
}

function faultColor(kinds, kind) {
  const i = kinds.indexOf(kind);
  return FAULT_PALETTE[(i < 0 ? 0 : i) % FAULT_PALETTE.length];
}
