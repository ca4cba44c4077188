// The notable timeline: which observations a reader of the report (or a learner in the UI) should see.
import type { Observation, ProcessDetail } from '../kernel/observations.ts';
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
  let text: string | null = null;
  switch (o.kind) {
    case 'fault':
      text = String(o.detail['text'] ?? o.detail['verb']);
      break;
    case 'leader':
      text = o.detail['leading'] === true
        ? `became ${o.detail['group']} leader${o.detail['term'] !== undefined ? ` (term ${o.detail['term']})` : ''}`
        : `stopped leading ${o.detail['group']}: ${o.detail['cause']}`;
      break;
    case 'process':
      text = processText(o.detail);
      break;
    case 'machine':
      text = o.detail['state'] === 'down' ? `powered off (${o.detail['cause']})` : `booted (${o.detail['cause']})`;
      break;
    case 'invariant':
      text = `INVARIANT VIOLATED: ${o.detail['message']}`;
      break;
    default: {
      const note = (o.detail as { note?: unknown }).note;
      if (typeof note === 'string') text = note;
    }
  }
  return text === null ? null : { at: toSeconds(o.at), kind: o.kind, subject: o.subject, detail: text };
}

function processText(d: ProcessDetail): string | null {
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
