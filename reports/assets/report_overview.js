// faultline report, part 2: verdict, configuration, operation summary, files.

// A value of the test configuration under any of `names`, searched one level deep too.
function findConfig(test, names) {
  for (const n of names) if (test && test[n] !== undefined && test[n] !== null) return test[n];
  for (const v of Object.values(test || {})) {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const n of names) if (v[n] !== undefined && v[n] !== null) return v[n];
    }
  }
  return undefined;
}

function shellQuote(arg) {
  const s = String(arg);
  return /^[A-Za-z0-9_\-./=:,+@%]+$/.test(s) ? s : "'" + s.replace(/'/g, "'\\''") + "'";
}

// The command that reproduces this report's verdict.
function reproduceCommand(D) {
  const t = D.test || {};
  const command = findConfig(t, ['command', 'command_line', 'cmdline']);
  if (typeof command === 'string') return command;
  const argv = findConfig(t, ['argv', 'args']);
  if (Array.isArray(argv)) return argv.map(shellQuote).join(' ');
  const c = t.config;
  if (c && c.db && c.workload) {  // test.json of `faultline test`
    const args = ['faultline', 'test', '--db', c.db, '--workload', c.workload];
    if (typeof t.local_cluster === 'string') args.push('--cluster', t.local_cluster);
    const push = (object, pairs) => {
      for (const [key, flag] of pairs) {
        const v = object && object[key];
        if (v !== undefined && v !== null && v !== '') args.push(flag, v);
      }
    };
    if (Array.isArray(c.nemesis) && c.nemesis.length) {
      args.push('--nemesis', c.nemesis.join(','));
      push(c, [['nemesis_interval_s', '--nemesis-interval'], ['grudge', '--grudge']]);
    }
    push(c, [['time_limit_s', '--time-limit'], ['concurrency', '--concurrency'], ['rate', '--rate'],
      ['op_timeout_ms', '--op-timeout']]);
    if (c.db === 'etcd') push(c, [['read_consistency', '--read-consistency']]);
    if (c.db_settings && typeof c.db_settings === 'object') {
      for (const [k, v] of Object.entries(c.db_settings)) args.push('--db-setting', k + '=' + v);
    }
    const w = t.workload && typeof t.workload === 'object' ? t.workload : {};
    push(w, [['read_share', '--read-share']]);
    if (c.workload === 'register') push(w, [['keys', '--keys'], ['ops_per_key', '--ops-per-key'], ['cas_share', '--cas-share']]);
    if (c.workload === 'bank') push(w, [['accounts', '--accounts'], ['total', '--total']]);
    args.push('--seed', t.seed !== undefined ? t.seed : c.seed);
    return args.map(shellQuote).join(' ');
  }
  const r = D.results || {};
  if (r.model) return 'faultline check ' + shellQuote(r.source || D.meta.source) + ' --model ' + shellQuote(r.model);
  return undefined;
}

function renderHeader(D) {
  const s = section('verdict', 'Verdict');
  const v = D.verdicts;
  const name = findConfig(D.test, ['name', 'test_name']) || D.meta.source;
  s.replaceChildren(
    el('div', { class: 'banner ' + verdictClass(v.overall), id: 'verdict-banner', 'data-verdict': v.overall },
      el('span', { class: 'verdict' }, v.overall),
      el('span', { class: 'what' }, String(name), el('br'),
        el('span', { class: 'muted', style: 'color:#fff;opacity:.85' },
          fmtInt(D.ops.count) + ' operations · report of ' + D.meta.generated_at))),
    el('div', { class: 'checkers' }, v.checkers.map((c) =>
      el('div', { class: 'checker' }, badge(c.verdict), ' ', el('strong', null, c.name),
        c.partitions_total ? el('span', { class: 'muted' },
          ' · ' + fmtInt(c.partitions_total) + ' partitions, ' + c.not_valid.length + ' not valid') : null,
        c.message ? el('pre', null, c.message.split('\n')[0] + (c.message.includes('\n') ? '  (more under Anomalies)' : '')) : null))),
  );
  if (!v.checkers.length) s.appendChild(el('p', { class: 'muted' }, 'No results: nothing was checked.'));
  // --stop-on-invalid: when the online check's first proof ended the client phase (docs/online.md).
  const stopped = (D.results || {}).stopped_early;
  if (stopped && typeof stopped === 'object') {
    s.appendChild(el('p', { id: 'stopped-early' }, el('strong', null, 'Stopped early'),
      ' at ' + (Number(stopped.at_ns) / 1e9).toFixed(1) + ' s (--stop-on-invalid), proved by operation #' +
      stopped.operation + ': ' + stopped.reason));
  }
  document.title = 'faultline: ' + v.overall + ' · ' + name;
}

function renderConfig(D) {
  const s = section('config', 'Test');
  const t = D.test || {};
  const items = [];
  const add = (k, v) => {
    if (v === undefined || v === null || v === '') return;
    const text = Array.isArray(v) && v.every((x) => typeof x !== 'object') ? v.join(', ') : typeof v === 'object' ? jsonText(v) : String(v);
    items.push([k, text]);
  };
  add('history', D.meta.source + ' (' + D.meta.history_format + ', ' + fmtInt(D.meta.history_records) + ' records)');
  const named = (v) => (v && typeof v === 'object' && !Array.isArray(v) && v.name !== undefined ? v.name : v);
  const db = findConfig(t, ['db', 'database']);
  add('database', named(db));
  add('workload', named(findConfig(t, ['workload'])));
  add('nemesis', findConfig(t, ['nemesis', 'faults']));
  add('model', (D.results || {}).model);
  add('seed', findConfig(t, ['seed']));
  add('faultline version', findConfig(t, ['faultline_version']) || D.meta.faultline_version);
  add('database version', findConfig(t, ['db_version', 'database_version']) || (db && db.version));
  add('started', findConfig(t, ['started', 'start_time']));
  add('nodes', Array.isArray(t.nodes) ? t.nodes.map((n) => named(n)).join(', ') : undefined);
  const versions = findConfig(t, ['versions']);
  if (versions && typeof versions === 'object') for (const [k, v] of Object.entries(versions)) add(k + ' version', v);
  const dl = el('dl', { class: 'kv' });
  for (const [k, v] of items) dl.append(el('dt', null, k), el('dd', null, v));
  s.appendChild(dl);
  const command = reproduceCommand(D);
  if (command) s.append(el('h3', null, 'Reproduce'), el('pre', { id: 'reproduce' }, command));
  if (Object.keys(t).length) {
    const all = el('details', null, el('summary', null, 'Full configuration'));
    all.appendChild(el('pre', null, JSON.stringify(t, null, 2)));
    s.appendChild(all);
  }
}

function renderSummary(D) {
  const s = section('summary', 'Operations');
  const sum = D.summary, unit = D.ops.unit;
  const facts = el('dl', { class: 'kv' });
  const add = (k, v) => facts.append(el('dt', null, k), el('dd', null, v));
  add('operations', fmtInt(sum.totals.all) + ' (ok ' + fmtInt(sum.totals.ok) + ', fail ' +
      fmtInt(sum.totals.fail) + ', info ' + fmtInt(sum.totals.info) + ')');
  add('duration', fmtDuration(sum.duration, unit));
  if (sum.throughput !== undefined) {
    add('throughput', sum.throughput.toFixed(1) + ' ops/s (ok: ' + sum.throughput_ok.toFixed(1) + ' ops/s)');
  }
  if (sum.overall.count) {
    add('latency (completed)', ['p50', 'p95', 'p99', 'max'].map((q) => q + ' ' + fmtTime(sum.overall[q], unit)).join(' · '));
  }
  add('processes', fmtInt(D.ops.lanes.length));
  add('fault periods', String(D.faults.periods.length));
  s.appendChild(facts);
  s.appendChild(el('h3', null, 'Counts by function and outcome'));
  s.appendChild(table(['f', 'ok', 'fail', 'info', 'total'],
    sum.counts.map((c) => [c.f, fmtInt(c.ok), fmtInt(c.fail), fmtInt(c.info), fmtInt(c.ok + c.fail + c.info)]),
    [1, 2, 3, 4]));
  if (sum.latency.length) {
    s.appendChild(el('h3', null, 'Latency quantiles'));
    s.appendChild(table(['f', 'outcome', 'count', 'p50', 'p90', 'p95', 'p99', 'max'],
      sum.latency.map((q) => [q.f, q.outcome, fmtInt(q.count), ...['p50', 'p90', 'p95', 'p99', 'max'].map((k) => fmtTime(q[k], unit))]),
      [2, 3, 4, 5, 6, 7]));
  }
}

function renderFiles(D) {
  const s = section('files', 'Files');
  if (!D.links.length) {
    s.appendChild(el('p', { class: 'muted' }, 'No files next to this report.'));
    return;
  }
  const list = el('ul');
  for (const link of D.links) {
    // Relative paths only; each segment percent-encoded, so no scheme can sneak in.
    const href = String(link.href).split('/').map(encodeURIComponent).join('/');
    list.appendChild(el('li', null, el('a', { href }, link.label)));
  }
  s.appendChild(list);
}
