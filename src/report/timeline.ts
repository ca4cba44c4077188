// The notable timeline: which observations a reader of the report (or a learner in the UI) should see.
import type { Observation } from '../kernel/trace.ts';
import { toSeconds } from '../kernel/time.ts';

export interface TimelineEvent {
  /** Seconds since the start of the run. */
  at: number;
  kind: string;
  subject: string;
  detail: string;
}

/** A one-line explanation of an observation, or null when it is routine (heartbeats, probes). */
export function notable(o: Observation): TimelineEvent | null {
  const d = o.detail;
  let text: string | null = null;
  switch (o.kind) {
    case 'fault':
      text = String(d['text'] ?? d['verb']);
      break;
    case 'leader':
      text = d['leading'] === true
        ? `became ${d['group']} leader${d['term'] !== undefined ? ` (term ${d['term']})` : ''}`
        : `stopped leading ${d['group']}: ${d['cause']}`;
      break;
    case 'process':
      text = processText(d);
      break;
    case 'machine':
      text = d['state'] === 'down' ? `powered off (${d['cause']})` : `booted (${d['cause']})`;
      break;
    case 'invariant':
      text = `INVARIANT VIOLATED: ${d['message']}`;
      break;
    default:
      if (typeof d['note'] === 'string') text = d['note'];
  }
  return text === null ? null : { at: toSeconds(o.at), kind: o.kind, subject: o.subject, detail: text };
}

function processText(d: Record<string, unknown>): string | null {
  switch (d['state']) {
    case 'up':
      // Every process starts at boot: that is not news.
      if (d['cause'] === 'boot') return null;
      return d['resumed'] ? `resumed (${d['cause']})` : `started (${d['cause']})`;
    case 'down':
      return `${d['crash'] ? 'crashed' : 'exited'} (${d['cause']})`;
    case 'stopping':
      return `stopping gracefully (${d['cause']})`;
    case 'paused':
      return `paused (${d['cause']})`;
    case 'backoff':
      return `kubelet restarts it in ${d['restartInSeconds']}s (back-off)`;
    default:
      return null;
  }
}
