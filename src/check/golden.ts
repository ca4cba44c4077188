// Golden traces: a compact, stable text timeline of a run (from report.events), and a readable diff of two of them.
import type { Report } from '../report/metrics.ts';

/** One timeline line: `  16.912s  leader      master-3/kube-scheduler  became kube-scheduler leader (term 1)`. */
export function goldenLine(e: Report['events'][number]): string {
  const detail = e.detail.replace(/\s+/g, ' ');
  return `${`${e.at.toFixed(3)}s`.padStart(10)}  ${e.kind.padEnd(10)}  ${e.subject}  ${detail}`;
}

/** The golden text of a run; lines starting with # are comments and never compared. */
export function goldenText(report: Report): string {
  const head = [
    `# hasim golden trace: ${report.scenario}, seed ${report.seed}, ${report.topology}, ${report.durationSeconds}s`,
    '# regenerate with: hasim check --update (and read the diff it prints)',
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
}

/**
 * The changes from `before` to `after`: lines are matched by kind, subject and text (the n-th occurrence with the
 * n-th), so a line whose time moved reads "… at 17.200s (was 16.912s)"; the others are "new: …" or "gone: …".
 */
export function diffGolden(before: string, after: string): GoldenChange[] {
  const old = new Map<string, Entry[]>();
  for (const e of entries(before)) {
    const list = old.get(e.key);
    if (list) list.push(e);
    else old.set(e.key, [e]);
  }
  const changes: GoldenChange[] = [];
  for (const e of entries(after)) {
    const was = old.get(e.key)?.shift();
    if (!was) changes.push({ at: seconds(e.at), text: `new: ${e.at}s ${e.what}` });
    else if (was.at !== e.at) changes.push({ at: seconds(e.at), text: `${e.what} at ${e.at}s (was ${was.at}s)` });
  }
  for (const list of old.values()) for (const e of list) changes.push({ at: seconds(e.at), text: `gone: ${e.at}s ${e.what}` });
  return changes.sort((a, b) => (a.at - b.at) || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}

/** The changes as lines, at most `cap` of them (then "… and N more"). */
export function describeChanges(changes: readonly GoldenChange[], cap = 15): string[] {
  const lines = changes.slice(0, cap).map((c) => c.text);
  if (changes.length > cap) lines.push(`… and ${changes.length - cap} more`);
  return lines;
}
