// A scenario's settings for golden traces: a hash of everything that shapes a run, and the settings that differ from the defaults.
import { createHash } from 'node:crypto';
import { validateScenario, type Scenario } from '../scenario/index.ts';

/** `params.haproxy.inter` → its value (durations in µs as numbers), for every leaf of the run-shaping sections. */
function flatten(value: unknown, prefix: string, out: Map<string, string>): Map<string, string> {
  if (Array.isArray(value)) {
    value.forEach((v, i) => flatten(v, `${prefix}.${i}`, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix === '' ? k : `${prefix}.${k}`, out);
  } else {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
}

function runShaping(s: Scenario): Record<string, unknown> {
  // fastForward only when set, so that the hash of every scenario without it stays as it was.
  const ff = s.fastForward === undefined ? {} : { fastForward: s.fastForward };
  return { duration: s.duration, ...ff, measure: s.measure, cluster: s.cluster, params: s.params, faults: s.faults };
}

let defaults: Map<string, string> | null = null;

/** The settings of a scenario with only a name and a duration (computed once). */
function defaultSettings(): Map<string, string> {
  defaults ??= flatten(runShaping(validateScenario({ name: 'defaults', duration: '1s' }, 'defaults')), '', new Map());
  return defaults;
}

/** `# settings hash: 1a2b3c4d5e6f`, then `# setting params.haproxy.inter = 3000000` for each non-default one. */
export function settingsLines(s: Scenario): string[] {
  const all = flatten(runShaping(s), '', new Map());
  const hash = createHash('sha256').update([...all].map(([k, v]) => `${k}=${v}`).join('\n')).digest('hex').slice(0, 12);
  const base = defaultSettings();
  const lines = [`# settings hash: ${hash}`];
  for (const [k, v] of all) if (k !== 'duration' && base.get(k) !== v) lines.push(`# setting ${k} = ${v}`);
  return lines;
}
