// Golden traces: a compact, stable text timeline of a run (from report.events), and a readable diff of two of them.
import type { Report } from '../report/metrics.ts';
import type { Scenario } from '../scenario/index.ts';
import { settingsLines } from './settings.ts';

/** One timeline line: `  16.912s  leader      master-3/kube-scheduler  became kube-scheduler leader (term 1)`. */
export function goldenLine(e: Report['events'][number]): string {
  const detail = e.detail.replace(/\s+/g, ' ');
  return `${`${e.at.toFixed(3)}s`.padStart(10)}  ${e.kind.padEnd(10)}  ${e.subject}  ${detail}`;
}

/**
 * The golden text of a run; lines starting with # are comments and never compared. With the scenario, the head
 * carries a hash of its settings and the settings that differ from the defaults (`# setting …`), so that a
 * mismatch can say which settings changed.
 */
export function goldenText(report: Report, scenario?: Scenario): string {
  const head = [
    `# hasim golden trace: ${report.scenario}, seed ${report.seed}, ${report.topology}, ${report.durationSeconds}s`,
    '# regenerate with: hasim check --update (and read the diff it prints)',
    ...(scenario ? settingsLines(scenario) : []),
  ];
  return `${[...head, ...report.events.map(goldenLine)].join('\n')}\n`;
}

interface Entry {
  /** Seconds, as written. */
  at: string;
  /** Everything but the time: kind, subject and text (what lines are matched by). */
  key: string;
  /** subject and text, for messages. */
  what: string;
}

const seconds = (at: string): number => (Number.isFinite(Number(at)) ? Number(at) : 0);

function entries(text: string): Entry[] {
  const out: Entry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const m = /^\s*(-?[\d.]+)s\s+(.*)$/.exec(line);
    if (!m) {
      out.push({ at: '?', key: line.trim(), what: line.trim() });
      continue;
    }
    const rest = m[2]!.trim().replace(/\s+/g, ' ');
    out.push({ at: m[1]!, key: rest, what: rest.replace(/^\S+ /, '') });
  }
  return out;
}

export interface GoldenChange {
  /** Seconds, for ordering. */
  at: number;
  text: string;
  kind: 'moved' | 'new' | 'gone';
  /** moved: seconds later (negative: earlier). */
  deltaSeconds?: number;
}

/**
 * The changes from `before` to `after`: lines are matched by kind, subject and text (the n-th occurrence with the
 * n-th), so a line whose time moved reads "… at 17.200s (was 16.912s)"; the others are "new: …" or "gone: …".
 */
export function diffGolden(before: string, after: string, toleranceUs = 0): GoldenChange[] {
  const old = new Map<string, Entry[]>();
  for (const e of entries(before)) {
    const list = old.get(e.key);
    if (list) list.push(e);
    else old.set(e.key, [e]);
  }
  const changes: GoldenChange[] = [];
  for (const e of entries(after)) {
    const was = old.get(e.key)?.shift();
    if (!was) {
      changes.push({ at: seconds(e.at), text: `new: ${e.at}s ${e.what}`, kind: 'new' });
      continue;
    }
    const delta = seconds(e.at) - seconds(was.at);
    if (was.at !== e.at && Math.abs(delta) * 1e6 > toleranceUs + 0.5) {
      changes.push({ at: seconds(e.at), text: `${e.what} at ${e.at}s (was ${was.at}s)`, kind: 'moved', deltaSeconds: delta });
    }
  }
  for (const list of old.values()) for (const e of list) changes.push({ at: seconds(e.at), text: `gone: ${e.at}s ${e.what}`, kind: 'gone' });
  return changes.sort((a, b) => (a.at - b.at) || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}

/** The changes as lines, at most `cap` of them (then "… and N more"). */
export function describeChanges(changes: readonly GoldenChange[], cap = 15): string[] {
  const lines = changes.slice(0, cap).map((c) => c.text);
  if (changes.length > cap) lines.push(`… and ${changes.length - cap} more`);
  return lines;
}

const ms = (s: number): string => `${s >= 0 ? '+' : ''}${Math.round(s * 1e6) / 1e3}ms`;

/** `3 moved (+1ms … +1.2s), 1 new, 2 gone`: what moved, in one line. */
export function summariseChanges(changes: readonly GoldenChange[]): string {
  const moved = changes.filter((c) => c.kind === 'moved').map((c) => c.deltaSeconds!).sort((a, b) => a - b);
  const parts: string[] = [];
  if (moved.length > 0) parts.push(`${moved.length} moved (${moved.length === 1 ? ms(moved[0]!) : `${ms(moved[0]!)} … ${ms(moved[moved.length - 1]!)}`})`);
  for (const kind of ['new', 'gone'] as const) {
    const n = changes.filter((c) => c.kind === kind).length;
    if (n > 0) parts.push(`${n} ${kind}`);
  }
  return parts.join(', ') || 'no changes';
}

/** Settings that differ between two golden texts (`params.x: 4s → 3s`); empty when either has no settings hash. */
export function settingsChanged(before: string, after: string): string[] {
  const read = (text: string): { hash: string | null; set: Map<string, string> } => {
    const set = new Map<string, string>();
    let hash: string | null = null;
    for (const line of text.split('\n')) {
      const h = /^# settings hash: (\S+)/.exec(line);
      if (h) hash = h[1]!;
      const m = /^# setting (\S+) = (.*)$/.exec(line);
      if (m) set.set(m[1]!, m[2]!);
    }
    return { hash, set };
  };
  const a = read(before);
  const b = read(after);
  if (a.hash === null || b.hash === null || a.hash === b.hash) return [];
  const out: string[] = [];
  for (const key of new Set([...a.set.keys(), ...b.set.keys()])) {
    const x = a.set.get(key) ?? 'default';
    const y = b.set.get(key) ?? 'default';
    if (x !== y) out.push(`${key}: ${x} → ${y}`);
  }
  return out.length > 0 ? out : ['the model\'s defaults (same scenario settings, different hash)'];
}
