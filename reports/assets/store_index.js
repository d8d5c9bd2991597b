// The store index (faultline serve): a table of runs, sortable by any column and
// filtered by text and verdict, all on the client. Uses report_core.js helpers.

function storeIndex() {
  const data = JSON.parse(document.getElementById('faultline-runs').textContent);
  const root = document.getElementById('runs');
  const columns = [
    ['name', 'name'], ['start_time', 'started'], ['database', 'database'], ['workload', 'workload'],
    ['faults', 'faults'], ['duration_s', 'duration'], ['status', 'status'], ['verdict', 'verdict']];
  const state = { key: 'start_time', desc: true, text: '', verdict: '' };
  const search = el('input', { type: 'search', placeholder: 'filter: name, database, workload, faults…', id: 'filter' });
  const verdicts = el('select', { id: 'verdict-filter' }, ['', 'valid', 'invalid', 'unknown', 'incomplete'].map((v) => el('option', { value: v }, v || 'any verdict')));
  const count = el('span', { class: 'muted' });
  root.append(el('div', { class: 'filters' }, search, verdicts, count));
  const head = el('tr', null, columns.map(([key, label]) => el('th', { 'data-key': key }, label)), el('th', null, 'files'));
  const body = el('tbody');
  root.append(el('table', { id: 'runs-table' }, el('thead', null, head), body));
  const runHref = (run, file) => '/runs/' + run.path.split('/').map(encodeURIComponent).join('/') + '/' + file;
  // A run still going links to its live view (the server redirects its report there anyway).
  const mainHref = (run) => runHref(run, run.status === 'running' ? 'live' : 'report.html');

  function draw() {
    const text = state.text.toLowerCase();
    const rows = data.runs.filter((r) => (!state.verdict || r.verdict === state.verdict) &&
      (!text || [r.name, r.path, r.database, r.workload, r.faults].join(' ').toLowerCase().includes(text)));
    rows.sort((a, b) => {
      const x = a[state.key], y = b[state.key];
      const c = (x === null ? -Infinity : x) < (y === null ? -Infinity : y) ? -1 : (x === y ? 0 : 1);
      return state.desc ? -c : c;
    });
    body.replaceChildren(...rows.map((r) => el('tr', { class: r.verdict === 'incomplete' ? 'incomplete' : verdictClass(r.verdict) },
      el('td', null, el('a', { href: mainHref(r), class: 'run-link' }, r.name), el('div', { class: 'muted mono' }, r.path)),
      el('td', null, r.start_time), el('td', null, r.database), el('td', null, r.workload), el('td', null, r.faults),
      el('td', { class: 'num' }, r.duration_s === null ? '' : r.duration_s.toFixed(1) + ' s'),
      el('td', { class: 'status status-' + r.status }, r.status === 'running' ? el('a', { href: runHref(r, 'live') }, 'running') : r.status),
      el('td', { class: 'verdict' }, r.verdict),
      el('td', null, ['history.jsonl', 'results.json', 'test.json'].map((f) => [el('a', { href: runHref(r, f) }, f), ' ']),
        el('a', { href: runHref(r, 'live') }, 'live'), ' ',
        el('a', { href: runHref(r, '') }, 'all')))));
    count.textContent = rows.length + ' of ' + data.runs.length + ' runs';
    for (const th of head.children) {
      th.classList.toggle('sorted-asc', th.dataset.key === state.key && !state.desc);
      th.classList.toggle('sorted-desc', th.dataset.key === state.key && state.desc);
    }
  }
  head.addEventListener('click', (e) => {
    const key = e.target.dataset && e.target.dataset.key;
    if (!key) return;
    state.desc = state.key === key ? !state.desc : false;
    state.key = key;
    draw();
  });
  search.addEventListener('input', () => { state.text = search.value; draw(); });
  verdicts.addEventListener('change', () => { state.verdict = verdicts.value; draw(); });
  if (!data.runs.length) root.append(el('p', { class: 'muted' }, 'No runs in this store yet.'));
  draw();
  document.body.setAttribute('data-rendered', '1');
}

storeIndex();
