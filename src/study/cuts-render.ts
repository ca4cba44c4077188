// `hasim cuts` output: the text tables and the self-contained HTML page (scenario text escaped, never parsed as HTML).
import { CUT_SERVICES, type CutService, type CutsResult, type TopologyCuts } from './cuts.ts';
import { escapeHtml } from './html.ts';
import { table } from './study.ts';

export const SERVICE_TEXT: Record<CutService, string> = {
  apiWrite: 'API writes', etcdQuorum: 'etcd quorum', 'kube-scheduler': 'kube-scheduler leader',
  'kube-controller-manager': 'kube-controller-manager leader', workloads: 'workloads',
};

const setText = (d: readonly string[]): string => d.join(' + ');

function cell(t: TopologyCuts, s: CutService, i: number): string {
  const o = t.sets[i]!;
  const v = s === 'workloads' ? `${o.extra[s].toFixed(0)} pod-s` : `${o.extra[s].toFixed(1)}s`;
  return o.down[s] ? `DOWN ${v}` : o.extra[s] > 0 ? v : '–';
}

/** Sets of each size, and how many of them take each service down. */
export function sizeTable(t: TopologyCuts, k: number): string[][] {
  const rows: string[][] = [];
  for (let size = 1; size <= k; size++) {
    const of = t.sets.filter((o) => o.domains.length === size);
    rows.push([String(size), String(of.length), ...CUT_SERVICES.map((s) => String(of.filter((o) => o.down[s]).length))]);
  }
  return rows;
}

export function renderCuts(r: CutsResult): string {
  const o = r.options;
  const out: string[] = [
    `cuts ${r.scenario}: every set of 1..${o.maxFailures} ${o.domain === 'zone' ? 'zones' : 'machines'} killed together at ${o.at}, ` +
      `restored after ${o.for}, run event by event (seed ${r.seed})`,
    `a set takes a service DOWN when it is out at least ${o.for}/2 longer than with no failure (workloads: half the desired pod-seconds over ${o.for});`,
    'cells: extra downtime over the run with no failure (leaderless time for etcd and the leader groups)',
  ];
  for (const [topology, t] of Object.entries(r.topologies)) {
    out.push('', `${topology}: ${t.domains.length} domains (${t.domains.join(', ')}); ${t.run} of ${t.total} sets run` +
      (t.sampled ? ` — SAMPLED (more than --cap ${o.cap}): counts and minimal cut sets cover the sampled sets only` : ''));
    out.push(table(['size', 'sets', ...CUT_SERVICES.map((s) => `${SERVICE_TEXT[s]} down`)], sizeTable(t, o.maxFailures)));
    out.push('', 'minimal cut sets (take the service down; no proper subset does)');
    for (const s of CUT_SERVICES) out.push(`  ${SERVICE_TEXT[s]}: ${t.minimal[s].length === 0 ? 'none' : t.minimal[s].map((d) => `{${d.join(', ')}}`).join(' ')}`);
    const shown = t.sets.map((_, i) => i).filter((i) => CUT_SERVICES.some((s) => t.sets[i]!.down[s]));
    if (shown.length > 0) {
      out.push('', 'sets that take something down');
      out.push(table(['set', ...CUT_SERVICES.map((s) => SERVICE_TEXT[s])], shown.map((i) => [setText(t.sets[i]!.domains), ...CUT_SERVICES.map((s) => cell(t, s, i))])));
    }
  }
  return out.join('\n');
}

/** One page: a table per topology, every set run. Text goes through escapeHtml. */
export function renderCutsHtml(r: CutsResult): string {
  const sections = Object.entries(r.topologies).map(([topology, t]) => {
    const head = `<tr><th>set</th>${CUT_SERVICES.map((s) => `<th>${escapeHtml(SERVICE_TEXT[s])}</th>`).join('')}</tr>`;
    const rows = t.sets.map((o, i) => `<tr><td>${escapeHtml(setText(o.domains))}</td>${CUT_SERVICES.map((s) =>
      `<td class="${o.down[s] ? 'down' : ''}">${escapeHtml(cell(t, s, i))}</td>`).join('')}</tr>`).join('\n');
    const minimal = CUT_SERVICES.map((s) => `<li>${escapeHtml(SERVICE_TEXT[s])}: ${escapeHtml(t.minimal[s].map((d) => `{${d.join(', ')}}`).join(' ') || 'none')}</li>`).join('');
    return `<h2>${escapeHtml(topology)}</h2><p>${t.run} of ${t.total} sets${t.sampled ? ' (sampled)' : ''}</p><ul>${minimal}</ul><table>${head}\n${rows}</table>`;
  }).join('\n');
  const title = `hasim cuts — ${r.scenario}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 6px;text-align:right}td:first-child{text-align:left}.down{background:#f8c4c4;font-weight:bold}</style>
</head><body><h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(`every set of 1..${r.options.maxFailures} ${r.options.domain}s killed at ${r.options.at} for ${r.options.for}; DOWN = out at least half of that longer than without the failure`)}</p>
${sections}
</body></html>
`;
}
