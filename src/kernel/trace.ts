// The trace: every delivered event and emitted observation, hashed as it happens and optionally streamed.

import type { Observation } from './observations.ts';

export type { Observation } from './observations.ts';

export type ObservationListener = (obs: Observation) => void;

const stringCodes = new Map<string, number>();

/** A stable 32-bit code for a string (FNV-1a), memoised: message types and names repeat. */
export function stringCode(s: string): number {
  let code = stringCodes.get(s);
  if (code !== undefined) return code;
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  code = h >>> 0;
  if (stringCodes.size < 100_000) stringCodes.set(s, code);
  return code;
}

export class Trace {
  private h1 = 0x9e3779b9;
  private h2 = 0x85ebca6b;
  private readonly listeners: ObservationListener[] = [];
  /**
   * Observations kept for the report and the UI (`keep: false` drops them after listeners ran; a predicate keeps
   * those it accepts, so a long run keeps what its checks read and folds the rest into the metrics only).
   */
  readonly observations: Observation[] = [];

  /**
   * `hashed: false` skips the digest (a study keeps metrics, not traces, and hashing every event
   * and observation costs it a few per cent); `hash()` then has nothing to give.
   */
  constructor(
    private readonly sink?: (line: string) => void,
    private readonly keep: boolean | ((obs: Observation) => boolean) = true,
    readonly hashed = true,
  ) {}

  listen(fn: ObservationListener): void {
    this.listeners.push(fn);
  }

  private mix(x: number): void {
    this.h1 = Math.imul(this.h1 ^ x, 0x85ebca6b) >>> 0;
    this.h1 = (this.h1 ^ (this.h1 >>> 13)) >>> 0;
    this.h2 = Math.imul(this.h2 ^ x, 0xc2b2ae35) >>> 0;
    this.h2 = (this.h2 ^ (this.h2 >>> 16)) >>> 0;
    this.h2 = (this.h2 + this.h1) >>> 0;
  }

  private mixTime(at: number): void {
    if (at < 0x100000000) {
      this.mix(at);
    } else {
      this.mix(at % 0x100000000);
      this.mix(Math.floor(at / 0x100000000));
    }
  }

  /** A kernel event was handled: a timer fired, a message or refusal arrived, a call ran. */
  event(at: number, kind: number, target: number, name: string, type: string): void {
    if (this.hashed) {
      this.mixTime(at);
      this.mix((kind << 24) ^ target);
      this.mix(stringCode(name) ^ (type === '' ? 0 : stringCode(type)));
    }
    if (this.sink) {
      this.sink(JSON.stringify({ t: at, ev: KIND_NAMES[kind], to: target, name, type }));
    }
  }

  observe(obs: Observation): void {
    const text = this.hashed || this.sink ? JSON.stringify(obs.detail) : '';
    if (this.hashed) {
      this.mixTime(obs.at);
      this.mix(stringCode(obs.kind));
      this.mix(stringCode(obs.subject));
      for (let i = 0; i < text.length; i++) this.mix(text.charCodeAt(i));
    }
    if (this.sink) {
      this.sink(`{"t":${obs.at},"ev":"obs","kind":${JSON.stringify(obs.kind)},"subject":${JSON.stringify(obs.subject)},"detail":${text}}`);
    }
    if (this.keep === true || (this.keep !== false && this.keep(obs))) this.observations.push(obs);
    for (const fn of this.listeners) fn(obs);
  }

  /** 64-bit hex digest of everything recorded so far. */
  hash(): string {
    if (!this.hashed) throw new Error('this trace is not hashed');
    return this.h1.toString(16).padStart(8, '0') + this.h2.toString(16).padStart(8, '0');
  }
}

const KIND_NAMES = ['timer', 'deliver', 'refused', 'call'];
