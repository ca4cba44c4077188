// Temporal expectations (always / never / sometimes / eventually … within … after …) over a run's observations.
//
// State changes only at observations, so each condition is checked once after every batch of observations that
// share a time (never in the middle of one instant), and eventually-windows start from the state at their anchor.
import type { Observation } from '../kernel/trace.ts';
import type { Expectation } from '../scenario/index.ts';
import { ConditionError, describeValues, holds, isStateVariable, parseCondition, variablesOf, type Condition, type Lookup } from './condition.ts';
import { CheckState } from './state.ts';

export type TemporalExpectation = Extract<Expectation, { kind: 'always' | 'never' | 'sometimes' | 'eventually' }>;

export interface TemporalOutcome {
  pass: boolean;
  /** A short human value: `held throughout`, `false at 31.204s: leaders.etcd.count = 2`. */
  shown: string;
  /** eventually: seconds from the anchor until the condition held. */
  value: number | null;
}

const sec = (us: number): string => `${(us / 1e6).toFixed(3)}s`;

/** The time of an `after` anchor, or a reason it has none. */
export function anchorTime(after: string, observations: readonly Observation[]): { at: number } | { missing: string } {
  if (after === 'start') return { at: 0 };
  if (after === 'lastFault') {
    let last: number | null = null;
    for (const o of observations) if (o.kind === 'fault') last = o.at;
    return last === null ? { missing: 'no fault fired' } : { at: last };
  }
  const m = /^fault:(\d+)$/.exec(after);
  if (m) {
    const index = Number(m[1]);
    const o = observations.find((x) => x.kind === 'fault' && x.detail['index'] === index && x.detail['phase'] === 'begin');
    return o ? { at: o.at } : { missing: `faults[${index}] never fired` };
  }
  return { missing: `unknown anchor "${after}"` };
}

/** Check an `after` anchor against the scenario's fault count; a message, or null when fine. */
export function checkAnchor(after: string, faultCount: number): string | null {
  if (after === 'start' || after === 'lastFault') return null;
  const m = /^fault:(\d+)$/.exec(after);
  if (!m) return `unknown anchor "${after}" (expected lastFault, start or fault:<index>)`;
  if (Number(m[1]) >= faultCount) return `fault:${m[1]} names no fault (the scenario has ${faultCount} fault${faultCount === 1 ? '' : 's'})`;
  return null;
}

/** One expectation being evaluated as time goes by. */
class Tracker {
  outcome: TemporalOutcome | null = null;
  private checks = 0;
  /** eventually: whether the state at the anchor satisfied the condition. */
  private atAnchor = false;
  /** eventually: the values of the last unsatisfying state inside the window (for the failure message). */
  private lastWhy = '';

  /** State variables the condition reads: while one is unknown (no probe yet), the condition is not judged. */
  private readonly stateVars: string[];

  constructor(readonly e: TemporalExpectation, readonly cond: Condition, readonly anchor: number | null) {
    this.stateVars = variablesOf(cond).filter(isStateVariable);
  }

  /** The state after every observation at time `at` (µs) has been applied. */
  check(at: number, lookup: Lookup): void {
    if (this.outcome) return;
    const known = this.stateVars.every((v) => lookup(v) !== null);
    if (!known) {
      if (this.e.kind === 'eventually' && at <= this.anchor!) this.atAnchor = false;
      return;
    }
    this.checks++;
    const ok = holds(this.cond, lookup);
    const why = (): string => describeValues(this.cond, lookup);
    switch (this.e.kind) {
      case 'always':
        if (!ok) this.outcome = { pass: false, shown: `false at ${sec(at)}: ${why()}`, value: null };
        return;
      case 'never':
        if (ok) this.outcome = { pass: false, shown: `true at ${sec(at)}: ${why()}`, value: null };
        return;
      case 'sometimes':
        if (ok) this.outcome = { pass: true, shown: `true at ${sec(at)}: ${why()}`, value: null };
        return;
      case 'eventually':
        this.eventually(at, ok, why);
    }
  }

  private eventually(at: number, ok: boolean, why: () => string): void {
    const anchor = this.anchor!;
    const e = this.e as Extract<TemporalExpectation, { kind: 'eventually' }>;
    if (at <= anchor) {
      this.atAnchor = ok;
      if (!ok) this.lastWhy = why();
      return;
    }
    if (this.atAnchor) {
      this.outcome = { pass: true, shown: `held at ${e.after} (${sec(anchor)})`, value: 0 };
    } else if (at > anchor + e.within) {
      this.outcome = { pass: false, shown: `not within ${sec(e.within)} after ${e.after} (${sec(anchor)}): ${this.lastWhy}`, value: null };
    } else if (ok) {
      this.outcome = { pass: true, shown: `held at ${sec(at)}, ${sec(at - anchor)} after ${e.after}`, value: (at - anchor) / 1e6 };
    } else {
      this.lastWhy = why();
    }
  }

  /** The run ended at `endUs` without a decision. */
  finish(endUs: number, lookup: Lookup): TemporalOutcome {
    if (this.outcome) return this.outcome;
    const why = describeValues(this.cond, lookup);
    switch (this.e.kind) {
      case 'always':
        return { pass: true, shown: `held throughout (${this.checks} checks)`, value: null };
      case 'never':
        return { pass: true, shown: `never held (${this.checks} checks)`, value: null };
      case 'sometimes':
        return { pass: false, shown: `never held; at the end: ${why}`, value: null };
      case 'eventually': {
        const anchor = this.anchor!;
        if (this.atAnchor) return { pass: true, shown: `held at ${this.e.after} (${sec(anchor)})`, value: 0 };
        const cut = anchor + this.e.within > endUs ? ` (the run ended ${sec(endUs - anchor)} after it)` : '';
        return { pass: false, shown: `not within ${sec(this.e.within)} after ${this.e.after} (${sec(anchor)})${cut}; at the end: ${why}`, value: null };
      }
    }
  }
}

/**
 * Evaluate temporal expectations over a run's observations (in time order). `metric` reads a report metric
 * (the final value, constant over the run). `endUs` is when the run ended.
 */
export function evaluateTemporal(
  expectations: readonly TemporalExpectation[],
  observations: readonly Observation[],
  endUs: number,
  metric: Lookup,
): TemporalOutcome[] {
  const results: (TemporalOutcome | Tracker)[] = expectations.map((e) => {
    let cond: Condition;
    try {
      cond = parseCondition(e.condition);
    } catch (err) {
      if (!(err instanceof ConditionError)) throw err;
      return { pass: false, shown: `invalid condition: ${err.message}`, value: null };
    }
    if (e.kind !== 'eventually') return new Tracker(e, cond, null);
    const anchor = anchorTime(e.after, observations);
    if ('missing' in anchor) return { pass: false, shown: `cannot evaluate: ${anchor.missing}`, value: null };
    return new Tracker(e, cond, anchor.at);
  });
  const trackers = results.filter((r): r is Tracker => r instanceof Tracker);
  const state = new CheckState();
  const lookup: Lookup = (v) => (isStateVariable(v) ? state.value(v) ?? null : metric(v));
  let i = 0;
  if (observations.length === 0 || observations[0]!.at > 0) for (const t of trackers) t.check(0, lookup);
  while (i < observations.length) {
    const at = observations[i]!.at;
    while (i < observations.length && observations[i]!.at === at) state.observe(observations[i++]!);
    for (const t of trackers) t.check(at, lookup);
  }
  return results.map((r) => (r instanceof Tracker ? r.finish(endUs, lookup) : r));
}
