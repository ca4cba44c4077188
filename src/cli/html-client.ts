// The browser script of a study's HTML page (it lives in cli/ because it touches the DOM): reads the JSON data
// element and draws the charts with d3, using textContent / .text() only.
export const CLIENT = String.raw`
const data = JSON.parse(document.getElementById('study-data').textContent);
document.title = data.title;
document.getElementById('title').textContent = data.title;
const root = d3.select('#charts');
const color = d3.scaleOrdinal(d3.schemeTableau10);
const W = 560, H = 260, M = { top: 28, right: 20, bottom: 40, left: 56 };
function frame(title) {
  const svg = root.append('svg').attr('width', W).attr('height', H);
  svg.append('text').attr('x', M.left).attr('y', 16).attr('font-weight', 'bold').text(title);
  return svg;
}
function axes(svg, x, y, xl, yl) {
  svg.append('g').attr('transform', 'translate(0,' + (H - M.bottom) + ')').call(d3.axisBottom(x).ticks(6));
  svg.append('g').attr('transform', 'translate(' + M.left + ',0)').call(d3.axisLeft(y).ticks(5));
  svg.append('text').attr('x', W / 2).attr('y', H - 6).attr('text-anchor', 'middle').attr('font-size', 11).text(xl);
  svg.append('text').attr('transform', 'rotate(-90)').attr('x', -H / 2).attr('y', 14).attr('text-anchor', 'middle').attr('font-size', 11).text(yl);
}
function legend(svg, labels) {
  labels.forEach((l, i) => {
    svg.append('rect').attr('x', W - 150).attr('y', 30 + i * 16).attr('width', 10).attr('height', 10).attr('fill', color(l));
    svg.append('text').attr('x', W - 136).attr('y', 39 + i * 16).attr('font-size', 11).text(l);
  });
}
for (const d of data.distributions) {
  const all = d.series.flatMap((s) => s.values);
  if (all.length === 0) { root.append('p').text(d.title + ': no values'); continue; }
  const x = d3.scaleLinear().domain([0, d3.max(all) || 1]).nice().range([M.left, W - M.right]);
  const bins = d.series.map((s) => ({ label: s.label, bins: d3.bin().domain(x.domain()).thresholds(x.ticks(30))(s.values) }));
  const y = d3.scaleLinear().domain([0, d3.max(bins.flatMap((b) => b.bins.map((v) => v.length))) || 1]).nice().range([H - M.bottom, M.top]);
  const svg = frame(d.title + ' — histogram');
  bins.forEach((b, i) => {
    const n = bins.length;
    svg.append('g').selectAll('rect').data(b.bins).join('rect')
      .attr('x', (v) => x(v.x0) + (i * (x(v.x1) - x(v.x0))) / n).attr('width', (v) => Math.max(0, (x(v.x1) - x(v.x0)) / n - 1))
      .attr('y', (v) => y(v.length)).attr('height', (v) => y(0) - y(v.length)).attr('fill', color(b.label)).attr('opacity', 0.8);
  });
  axes(svg, x, y, d.unit ? 'seconds' : '', 'count');
  legend(svg, d.series.map((s) => s.label + ' (n=' + s.values.length + ')'));
  const c = frame(d.title + ' — CDF');
  const yc = d3.scaleLinear().domain([0, 1]).range([H - M.bottom, M.top]);
  for (const s of d.series) {
    const v = [...s.values].sort((a, b) => a - b);
    if (v.length === 0) continue;
    const pts = [[x.domain()[0], 0]].concat(v.map((val, i) => [val, (i + 1) / v.length]));
    c.append('path').attr('fill', 'none').attr('stroke', color(s.label + ' (n=' + s.values.length + ')')).attr('stroke-width', 2)
      .attr('d', d3.line().curve(d3.curveStepAfter).x((p) => x(p[0])).y((p) => yc(p[1]))(pts));
  }
  axes(c, x, yc, d.unit ? 'seconds' : '', 'fraction of values ≤ x');
}
for (const chart of data.lines) {
  const pts = chart.lines.flatMap((l) => l.points).filter((p) => p.y !== null);
  if (pts.length === 0) { root.append('p').text(chart.title + ': no values'); continue; }
  const x = d3.scaleLinear().domain(d3.extent(pts, (p) => p.x)).nice().range([M.left, W - M.right]);
  const y = d3.scaleLinear().domain(d3.extent(pts, (p) => p.y)).nice().range([H - M.bottom, M.top]);
  const svg = frame(chart.title);
  for (const l of chart.lines) {
    const ok = l.points.filter((p) => p.y !== null);
    svg.append('path').attr('fill', 'none').attr('stroke', color(l.label)).attr('stroke-width', 2)
      .attr('d', d3.line().x((p) => x(p.x)).y((p) => y(p.y))(ok));
    svg.append('g').selectAll('circle').data(ok).join('circle').attr('cx', (p) => x(p.x)).attr('cy', (p) => y(p.y)).attr('r', 3)
      .attr('fill', color(l.label)).append('title').text((p) => p.label + ': ' + p.y);
  }
  axes(svg, x, y, chart.xLabel, chart.unit === 's' ? 'seconds' : '');
  if (chart.lines.length > 1) legend(svg, chart.lines.map((l) => l.label));
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
for (const s of data.stacks || []) stackedBars(s);
`;
