// The browser script of a study's HTML page (it lives in cli/ because it touches the DOM): reads the JSON data
// element and draws the charts with d3, using textContent / .text() only. One function per chart kind; every
// mark and its legend take their colour from data.colours by the same series label.
export const CLIENT = String.raw`
const data = JSON.parse(document.getElementById('study-data').textContent);
document.title = data.title;
document.getElementById('title').textContent = data.title;
const root = d3.select('#charts');
const notes = d3.select('#notes');
const colour = (label) => data.colours[label] || '#555';
const W = 640, H = 270, M = { top: 28, right: 170, bottom: 42, left: 62 };
const UNIT_LABEL = { s: 'seconds', fraction: 'fraction of time' };
function frame(title) {
  const svg = root.append('svg').attr('width', W).attr('height', H).attr('data-chart', title);
  svg.append('text').attr('x', M.left).attr('y', 16).attr('font-weight', 'bold').text(title);
  return svg;
}
function axes(svg, x, y, xl, yl, yFormat) {
  svg.append('g').attr('transform', 'translate(0,' + (H - M.bottom) + ')').call(d3.axisBottom(x).ticks(6));
  svg.append('g').attr('transform', 'translate(' + M.left + ',0)').call(d3.axisLeft(y).ticks(5, yFormat));
  svg.append('text').attr('x', W / 2).attr('y', H - 6).attr('text-anchor', 'middle').attr('font-size', 11).text(xl);
  svg.append('text').attr('transform', 'rotate(-90)').attr('x', -H / 2).attr('y', 14).attr('text-anchor', 'middle').attr('font-size', 11).text(yl);
}
/** items: [{ key: series label (the colour), text: what the legend says, dash?: stroke dash }] */
function legend(svg, items) {
  const g = svg.append('g').attr('class', 'legend');
  items.forEach((it, i) => {
    const row = g.append('g').attr('transform', 'translate(' + (W - M.right + 12) + ',' + (34 + i * 16) + ')').attr('data-series', it.key);
    if (it.dash !== undefined) row.append('line').attr('x1', 0).attr('x2', 14).attr('y1', 5).attr('y2', 5).attr('stroke', colour(it.key)).attr('stroke-width', 2).attr('stroke-dasharray', it.dash);
    else row.append('rect').attr('width', 10).attr('height', 10).attr('fill', colour(it.key)).attr('class', 'swatch');
    row.append('text').attr('x', 18).attr('y', 9).attr('font-size', 11).text(it.text);
  });
}
/** A chart with nothing to draw is said in words, not drawn empty. */
function note(text) {
  if (notes.select('h3').empty()) notes.append('h3').text('Not charted');
  notes.append('p').attr('class', 'note').text(text);
}
function distribution(d) {
  const all = d.series.flatMap((s) => s.values);
  const counts = d.series.map((s) => s.label + ' n=' + s.values.length).join(', ');
  if (all.length === 0) { note(d.title + ': no values in any run (' + counts + ') — nothing to chart.'); return; }
  if (all.every((v) => v === 0)) { note(d.title + ': all zero in every run (' + counts + ').'); return; }
  const x = d3.scaleLinear().domain([0, d3.max(all) || 1]).nice().range([M.left, W - M.right]);
  const bins = d.series.map((s) => ({ label: s.label, bins: d3.bin().domain(x.domain()).thresholds(x.ticks(30))(s.values) }));
  const y = d3.scaleLinear().domain([0, d3.max(bins.flatMap((b) => b.bins.map((v) => v.length))) || 1]).nice().range([H - M.bottom, M.top]);
  const svg = frame(d.title + ' — histogram');
  bins.forEach((b, i) => {
    const n = bins.length;
    svg.append('g').attr('class', 'marks').attr('data-series', b.label).selectAll('rect').data(b.bins).join('rect')
      .attr('x', (v) => x(v.x0) + (i * (x(v.x1) - x(v.x0))) / n).attr('width', (v) => Math.max(0, (x(v.x1) - x(v.x0)) / n - 1))
      .attr('y', (v) => y(v.length)).attr('height', (v) => y(0) - y(v.length)).attr('fill', colour(b.label));
  });
  axes(svg, x, y, UNIT_LABEL[d.unit] || '', d.countLabel || 'count');
  legend(svg, d.series.map((s) => ({ key: s.label, text: s.label + ' (n=' + s.values.length + ')' })));
  const c = frame(d.title + ' — CDF');
  const yc = d3.scaleLinear().domain([0, 1]).range([H - M.bottom, M.top]);
  for (const s of d.series) {
    const v = [...s.values].sort((a, b) => a - b);
    if (v.length === 0) continue;
    const pts = [[x.domain()[0], 0]].concat(v.map((val, i) => [val, (i + 1) / v.length]));
    c.append('path').attr('class', 'marks').attr('data-series', s.label).attr('fill', 'none').attr('stroke', colour(s.label)).attr('stroke-width', 2)
      .attr('d', d3.line().curve(d3.curveStepAfter).x((p) => x(p[0])).y((p) => yc(p[1]))(pts));
  }
  axes(c, x, yc, UNIT_LABEL[d.unit] || '', 'fraction of values ≤ x');
  legend(c, d.series.map((s) => ({ key: s.label, text: s.label + ' (n=' + s.values.length + ')', dash: '' })));
}
/** Mean (solid) and p95 (dashed) against the swept value, each with its 95 % interval as a bar. */
function sweepLines(chart) {
  const pts = chart.lines.flatMap((l) => l.points);
  const vals = pts.flatMap((p) => [p.meanLow, p.meanHigh, p.p95Low, p.p95High, p.mean, p.p95]).filter((v) => v !== null);
  if (vals.length === 0) { note(chart.title + ': no values at any point — nothing to chart.'); return; }
  if (vals.every((v) => v === 0)) { note(chart.title + ': all zero at every point.'); return; }
  const x = d3.scaleLinear().domain(d3.extent(pts, (p) => p.x)).nice().range([M.left, W - M.right]);
  const [lo, hi] = d3.extent(vals);
  // A flat line (every point the same) still gets a readable axis around its value.
  const pad = hi > lo ? 0 : chart.unit === 'fraction' ? 0.001 : Math.max(Math.abs(hi) * 0.1, 1);
  const y = d3.scaleLinear().domain([lo - pad, hi + pad]).nice().range([H - M.bottom, M.top]);
  const svg = frame(chart.title);
  const items = [];
  for (const l of chart.lines) {
    for (const [stat, dash] of [['mean', ''], ['p95', '5 3']]) {
      const ok = l.points.filter((p) => p[stat] !== null);
      const g = svg.append('g').attr('class', 'marks').attr('data-series', l.label);
      g.append('path').attr('fill', 'none').attr('stroke', colour(l.label)).attr('stroke-width', 2).attr('stroke-dasharray', dash)
        .attr('d', d3.line().x((p) => x(p.x)).y((p) => y(p[stat]))(ok));
      g.selectAll('line.ci').data(ok.filter((p) => p[stat + 'Low'] !== null)).join('line').attr('class', 'ci')
        .attr('x1', (p) => x(p.x)).attr('x2', (p) => x(p.x)).attr('y1', (p) => y(p[stat + 'Low'])).attr('y2', (p) => y(p[stat + 'High']))
        .attr('stroke', colour(l.label)).attr('stroke-width', 1.2);
      g.selectAll('circle').data(ok).join('circle').attr('cx', (p) => x(p.x)).attr('cy', (p) => y(p[stat])).attr('r', 3).attr('fill', colour(l.label))
        .append('title').text((p) => p.label + ': ' + stat + ' ' + p[stat] + (p[stat + 'Low'] !== null ? ' (95 % CI ' + p[stat + 'Low'] + ' … ' + p[stat + 'High'] + ')' : '') + ', n=' + p.n);
      items.push({ key: l.label, text: (chart.lines.length > 1 ? l.label + ' ' : '') + stat + ' (bars: 95 % CI)', dash });
    }
  }
  axes(svg, x, y, chart.xLabel, UNIT_LABEL[chart.unit] || '', chart.unit === 'fraction' ? '.4~f' : undefined);
  legend(svg, items);
}
function stackedBars(s) {
  const names = [...new Set(s.bars.flatMap((b) => b.parts.map((p) => p.name)))];
  const total = d3.max(s.bars, (b) => d3.sum(b.parts, (p) => p.value)) || 1;
  const h = M.top + M.bottom + s.bars.length * 36 + names.length * 16;
  const svg = root.append('svg').attr('width', W + 160).attr('height', h);
  svg.append('text').attr('x', M.left).attr('y', 16).attr('font-weight', 'bold').text(s.title);
  const x = d3.scaleLinear().domain([0, total]).nice().range([M.left + 40, W - M.right]);
  const mech = d3.scaleOrdinal(d3.schemeTableau10).domain(names);
  s.bars.forEach((b, i) => {
    const y = M.top + i * 36;
    svg.append('text').attr('x', M.left + 34).attr('y', y + 18).attr('text-anchor', 'end').attr('font-size', 11).text(b.label);
    let at = 0;
    for (const p of b.parts) {
      svg.append('rect').attr('x', x(at)).attr('y', y + 4).attr('height', 24).attr('width', Math.max(0, x(at + p.value) - x(at)))
        .attr('fill', mech(p.name)).append('title').text(b.label + ': ' + p.name + ' ' + p.value.toFixed(2) + ' s');
      at += p.value;
    }
  });
  const axisY = M.top + s.bars.length * 36 + 4;
  svg.append('g').attr('transform', 'translate(0,' + axisY + ')').call(d3.axisBottom(x).ticks(6));
  names.forEach((n, i) => {
    svg.append('rect').attr('x', M.left).attr('y', axisY + 28 + i * 16).attr('width', 10).attr('height', 10).attr('fill', mech(n));
    svg.append('text').attr('x', M.left + 14).attr('y', axisY + 37 + i * 16).attr('font-size', 11).text(n);
  });
}
for (const d of data.distributions) distribution(d);
for (const chart of data.lines) sweepLines(chart);
for (const s of data.stacks || []) stackedBars(s);
`;
