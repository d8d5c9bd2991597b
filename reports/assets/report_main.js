// faultline report, part 6: start-up. Reads the embedded data, draws every section,
// and marks the document (body[data-rendered]) once done. With the fragment #bench
// the timeline is also zoomed and panned through a fixed sequence and the timings
// are written to <pre id="bench-result"> (scripts/bench-report reads it).

function main() {
  const t0 = performance.now();
  const D = JSON.parse(document.getElementById('faultline-data').textContent);
  const tParsed = performance.now();
  const ops = decodeOps(D.ops);
  const tDecoded = performance.now();
  const kinds = [...new Set(D.faults.periods.map((p) => p.kind))];
  let timeline = null;
  guarded('verdict', () => renderHeader(D));
  guarded('config', () => renderConfig(D));
  guarded('summary', () => renderSummary(D));
  guarded('latency', () => renderLatencyPlot(D, ops, kinds));
  guarded('throughput', () => renderThroughputPlot(D, kinds));
  guarded('timeline', () => { timeline = Timeline(D, ops, kinds); });
  guarded('anomalies', () => { renderAnomalies(D, ops, timeline); renderClockPlot(D); });
  guarded('files', () => renderFiles(D));
  const tDone = performance.now();
  document.body.setAttribute('data-rendered', '1');
  if (location.hash === '#bench' && timeline) bench(timeline, ops, { parseMs: tParsed - t0, decodeMs: tDecoded - tParsed, renderMs: tDone - t0, loadedMs: tDone });
}

function bench(timeline, ops, times) {
  const frames = [];
  timeline.reset();
  frames.push(timeline.draw().ms);
  for (let i = 0; i < 12; i++) { timeline.zoom(0.5); frames.push(timeline.draw().ms); }
  for (let i = 0; i < 20; i++) { timeline.pan(0.25); frames.push(timeline.draw().ms); }
  for (let i = 0; i < 12; i++) { timeline.zoom(2); frames.push(timeline.draw().ms); }
  const result = Object.assign({ ops: ops.n, frames: frames.length, fullViewFrameMs: frames[0],
    maxFrameMs: Math.max(...frames), meanFrameMs: frames.reduce((a, b) => a + b, 0) / frames.length }, times);
  document.body.appendChild(el('pre', { id: 'bench-result' }, JSON.stringify(result)));
}

main();
