// API probes placed at the time they were sent: a strip per operation, and what it says at any instant.
import { fmtTime, type Observation } from '../../src/index.ts';
import { Track } from './track.ts';

/** One kubectl request: sent at `sent`, answered (or timed out) at `answered`. */
export interface ProbeRecord {
  sent: number;
  answered: number;
  ok: boolean;
  latencyMs: number;
  error: string;
}

/**
 * Answers faster than this are drawn as instant: a 5 ms round trip is not "hanging" and would
 * otherwise draw a one-pixel red line every second.
 */
export const HANG_MIN_US = 50_000;

/** The probe observation carries its answer time and latency: the request left latencyMs earlier. */
export function readProbe(o: Observation): { op: 'read' | 'write'; rec: ProbeRecord } | null {
  if (o.kind !== 'probe') return null;
  const op = o.detail['op'];
  if (op !== 'read' && op !== 'write') return null;
  const latency = typeof o.detail['latencyMs'] === 'number' && Number.isFinite(o.detail['latencyMs']) ? o.detail['latencyMs'] : 0;
  const sent = Math.max(0, Math.round(o.at - latency * 1000));
  const error = typeof o.detail['error'] === 'string' ? o.detail['error'] : '';
  return { op, rec: { sent, answered: o.at, ok: o.detail['ok'] === true, latencyMs: latency, error } };
}

/**
 * The probes of one operation in send order, and the strip they make: each probe owns the time from
 * its sending to the next one's; while it waits for an answer it is "hang", then its outcome.
 * Answers arrive out of send order (a timeout 5 s later, a quick success in between), so the strip
 * is rebuilt from the sorted list when asked for after a change.
 */
export class ProbeStrip {
  readonly probes: ProbeRecord[] = [];
  private built: Track | null = null;
  private until = 0;

  add(rec: ProbeRecord): void {
    const list = this.probes;
    let i = list.length;
    while (i > 0 && list[i - 1]!.sent > rec.sent) i--;
    list.splice(i, 0, rec);
    this.built = null;
  }

  extend(to: number): void {
    if (to !== this.until) this.built = null;
    this.until = to;
  }

  /** The probe sent before `rec` in send order (null for the first). */
  previous(rec: ProbeRecord): ProbeRecord | null {
    const i = this.probes.indexOf(rec);
    return i > 0 ? this.probes[i - 1]! : null;
  }

  get track(): Track {
    if (this.built) return this.built;
    const t = new Track();
    const list = this.probes;
    for (let i = 0; i < list.length; i++) {
      const p = list[i]!;
      const next = i + 1 < list.length ? list[i + 1]!.sent : Math.max(this.until, p.sent);
      const outcome = p.ok ? 'ok' : 'fail';
      const said = outcomeText(p);
      if (p.answered - p.sent >= HANG_MIN_US && p.sent < next) {
        t.set(p.sent, 'hang', `sent at ${fmtTime(p.sent)}, no answer yet (${said} at ${fmtTime(p.answered)})`);
        if (p.answered < next) t.set(p.answered, outcome, said);
      } else t.set(p.sent, outcome, said);
      // The last probe owns the time up to the end of the data, as a track's last segment does.
      if (i + 1 === list.length) t.extend(next);
    }
    this.built = t;
    return t;
  }
}

function outcomeText(p: ProbeRecord): string {
  return p.ok ? `answered in ${p.latencyMs} ms` : `failed after ${Math.round(p.latencyMs) / 1000} s${p.error ? `: ${p.error}` : ''}`;
}

/** What the API strip says at time t: the one reading the status line, the client box and the timeline share. */
export interface ProbeNow {
  key: 'ok' | 'fail' | 'hang';
  /** Short value for the status line ("ok", "FAILING", "no answer"). */
  value: string;
  /** One sentence for hovers. */
  text: string;
}

export function probeNow(strip: ProbeStrip, t: number): ProbeNow | null {
  const seg = strip.track.at(t);
  if (!seg) return null;
  const key = seg.key as ProbeNow['key'];
  const value = key === 'ok' ? 'ok' : key === 'hang' ? 'NO ANSWER (waiting)' : 'FAILING';
  return { key, value, text: seg.text };
}
