// Temporal expectations (always / never / sometimes / eventually / recovers, each over a window) on a run's observations.
//
// State changes only at observations, so each condition is checked once after every batch of observations that
// share a time (never in the middle of one instant), plus once at each window edge; a window's edges see the state
// after every observation at that time.
import type { Observation } from '../kernel/trace.ts';
import type { Expectation } from '../scenario/index.ts';
import { sec, spanOf, type Span } from './span.ts';
import { ConditionError, describeValues, holds, isStateVariable, parseCondition, variablesOf, type Condition, type Lookup } from '../scenario/condition.ts';
import { CheckState } from './state.ts';

export type TemporalExpectation = Extract<Expectation, { kind: 'always' | 'never' | 'sometimes' | 'eventually' | 'recovers' }>;

export interface TemporalOutcome {
  pass: boolean;
  /** A short human value: `held throughout`, `false at 31.204s: leaders.etcd.count = 2`. */
  shown: string;
  /** eventually / recovers: seconds from the anchor until the condition held; `for:` forms: the longest stretch. */
  value: number | null;
}

/** One expectation being evaluated as time goes by. */
class Tracker {
  outcome: TemporalOutcome | null = null;
  private checks = 0;
  /** eventually: when the condition first held inside the window (for `stays`). */
  heldAtUs: number | null = null;
  /** eventually: whether the state at the anchor satisfied the condition. */
  private atAnchor = false;
  /** The values of the last unsatisfying state inside the window (for the failure message). */
  private lastWhy = '';
  /** always/never with `for:`: when the current bad stretch began, and the longest one so far. */
  private badSince: number | null = null;
  private longestBadUs = 0;
  /** recovers: when the condition first failed inside the window. */
  private failedAt: number | null = null;
  /** State variables the condition reads: while one is unknown (no probe yet), the condition is not judged. */
  private readonly stateVars: string[];

  constructor(readonly e: TemporalExpectation, readonly cond: Condition, readonly span: Span) {
    this.stateVars = variablesOf(cond).filter(isStateVariable);
  }

  private get windowText(): string {
    return this.span.label === '' ? '' : ` from ${this.span.label}${this.span.toUs < Infinity ? ` to ${sec(this.span.toUs)}` : ''}`;
  }

  /** The state after every observation at time `at` (µs) has been applied. */
  check(at: number, lookup: Lookup): void {
    if (this.outcome) return;
    const { fromUs, toUs } = this.span;
    // until is exclusive for always/never/sometimes (`until: fault:0` is the state before the fault) and a
    // deadline, inclusive, for eventually/recovers.
    const deadline = this.e.kind === 'eventually' || this.e.kind === 'recovers';
    if (deadline ? at > toUs : at >= toUs) return this.close(toUs);
    const known = this.stateVars.every((v) => lookup(v) !== null);
    if (!known) {
      if (at <= fromUs) this.atAnchor = false;
      return;
    }
    const ok = holds(this.cond, lookup);
    const why = (): string => describeValues(this.cond, lookup);
    if (this.e.kind === 'eventually') return this.eventually(at, ok, why);
    if (at < fromUs) return;
    this.checks++;
    switch (this.e.kind) {
      case 'always':
      case 'never':
        return this.invariant(at, this.e.kind === 'always' ? !ok : ok, why);
      case 'sometimes':
        if (ok) this.outcome = { pass: true, shown: `true at ${sec(at)}: ${why()}`, value: null };
        return;
      case 'recovers':
        return this.recovers(at, ok, why);
    }
  }

  /** always / never: `bad` is the state they forbid (for at most `for`, when given). */
  private invariant(at: number, bad: boolean, why: () => string): void {
    const e = this.e as Extract<TemporalExpectation, { kind: 'always' | 'never' }>;
    const word = e.kind === 'always' ? 'false' : 'true';
    if (e.for === undefined) {
      if (bad) this.outcome = { pass: false, shown: `${word} at ${sec(at)}: ${why()}`, value: null };
      return;
    }
    if (bad && this.badSince === null) {
      this.badSince = at;
      this.lastWhy = why();
    } else if (!bad && this.badSince !== null) {
      this.endStretch(at);
    }
  }

  private endStretch(at: number): void {
    const e = this.e as Extract<TemporalExpectation, { kind: 'always' | 'never' }>;
    const since = this.badSince!;
    this.badSince = null;
    this.longestBadUs = Math.max(this.longestBadUs, at - since);
    if (at - since > e.for!) {
      const word = e.kind === 'always' ? 'false' : 'true';
      this.outcome = {
        pass: false, value: (at - since) / 1e6,
        shown: `${word} for ${sec(at - since)} from ${sec(since)} to ${sec(at)} (at most ${sec(e.for!)}): ${this.lastWhy}`,
      };
    }
  }

  private eventually(at: number, ok: boolean, why: () => string): void {
    const anchor = this.span.fromUs;
    if (at <= anchor) {
      this.atAnchor = ok;
      if (!ok) this.lastWhy = why();
      return;
    }
    if (this.atAnchor) {
      this.heldAtUs = anchor;
      this.outcome = { pass: true, shown: `held at ${this.span.label}`, value: 0 };
    } else if (ok) {
      this.heldAtUs = at;
      this.outcome = { pass: true, shown: `held at ${sec(at)}, ${sec(at - anchor)} after ${this.span.label.replace(/ \(.*\)$/, '')}`, value: (at - anchor) / 1e6 };
    } else {
      this.lastWhy = why();
    }
  }

  /** recovers: the condition must fail inside the window, then hold again before its end. */
  private recovers(at: number, ok: boolean, why: () => string): void {
    if (this.failedAt === null) {
      if (!ok) {
        this.failedAt = at;
        this.lastWhy = why();
      }
      return;
    }
    if (!ok) {
      this.lastWhy = why();
      return;
    }
    const anchor = this.span.fromUs;
    this.outcome = {
      pass: true, value: (at - anchor) / 1e6,
      shown: `false at ${sec(this.failedAt)}, true again at ${sec(at)}, ${sec(at - anchor)} after ${this.span.label.replace(/ \(.*\)$/, '')}`,
    };
  }

  /** The window closed at `toUs` without a decision so far. */
  private close(toUs: number): void {
    if (this.outcome) return;
    if (this.badSince !== null) this.endStretch(toUs);
    if (this.outcome) return;
    const { label } = this.span;
    switch (this.e.kind) {
      case 'eventually':
        if (this.atAnchor) this.outcome = { pass: true, shown: `held at ${label}`, value: 0 };
        else this.outcome = { pass: false, shown: `not ${this.budget()} after ${label}: ${this.lastWhy}`, value: null };
        return;
      case 'recovers':
        this.outcome = this.failedAt === null
          ? { pass: false, value: null, shown: `never false ${this.budget()} after ${label}: there was nothing to recover from` }
          : { pass: false, value: null, shown: `false at ${sec(this.failedAt)}, not true again ${this.budget()} after ${label}: ${this.lastWhy}` };
        return;
      default:
        this.outcome = this.quietEnd('');
    }
  }

  private budget(): string {
    return `within ${sec(this.span.toUs - this.span.fromUs)}`;
  }

  /** always / never / sometimes reached the end of their window undecided. */
  private quietEnd(atEnd: string): TemporalOutcome {
    const value = 'for' in this.e && this.e.for !== undefined ? this.longestBadUs / 1e6 : null;
    switch (this.e.kind) {
      case 'always':
        return { pass: true, shown: value === null ? `held throughout${this.windowText} (${this.checks} checks)` : `false for at most ${sec(this.longestBadUs)} at a stretch${this.windowText}`, value };
      case 'never':
        return { pass: true, shown: value === null ? `never held${this.windowText} (${this.checks} checks)` : `true for at most ${sec(this.longestBadUs)} at a stretch${this.windowText}`, value };
      default:
        return { pass: false, shown: `never held${this.windowText}${atEnd}`, value: null };
    }
  }

  /** The run ended at `endUs`. */
  finish(endUs: number, lookup: Lookup): TemporalOutcome {
    if (this.outcome) return this.outcome;
    const why = describeValues(this.cond, lookup);
    const cut = this.span.toUs > endUs ? ` (the run ended ${sec(endUs - this.span.fromUs)} after it)` : '';
    if (this.badSince !== null) this.endStretch(Math.min(endUs, this.span.toUs));
    if (this.outcome) return this.outcome;
    switch (this.e.kind) {
      case 'eventually':
        if (this.atAnchor) return { pass: true, shown: `held at ${this.span.label}`, value: 0 };
        return { pass: false, shown: `not ${this.budget()} after ${this.span.label}${cut}; at the end: ${why}`, value: null };
      case 'recovers':
        this.close(this.span.toUs);
        return { ...this.outcome!, shown: `${this.outcome!.shown}${cut}` };
      default:
        return this.quietEnd(this.e.kind === 'sometimes' ? `; at the end: ${why}` : '');
    }
  }
}

/**
 * Evaluate temporal expectations over a run's observations (in time order). `metric` reads a report metric
 * (the final value, constant over the run). `endUs` is when the run ended; `times` says when the cluster was
 * ready and where the report's measurement window starts (the default start of always/never/sometimes).
 */
export function evaluateTemporal(
  expectations: readonly TemporalExpectation[],
  observations: readonly Observation[],
  endUs: number,
  metric: Lookup,
  times: { readyUs: number | null; windowFromUs: number } = { readyUs: null, windowFromUs: 0 },
): TemporalOutcome[] {
  const results: (TemporalOutcome | Tracker)[] = expectations.map((e) => {
    let cond: Condition;
    try {
      cond = parseCondition(e.condition);
    } catch (err) {
      if (!(err instanceof ConditionError)) throw err;
      return { pass: false, shown: `invalid condition: ${err.message}`, value: null };
    }
    const span = spanOf(e, observations, { ...times, endUs });
    if (typeof span === 'string') return { pass: false, shown: `cannot evaluate: ${span}`, value: null };
    return new Tracker(e, cond, span);
  });
  const trackers = results.filter((r): r is Tracker => r instanceof Tracker);
  const edges = [...new Set(trackers.flatMap((t) => [t.span.fromUs, t.span.toUs]).filter((x) => x <= endUs))].sort((a, b) => a - b);
  const state = new CheckState();
  const lookup: Lookup = (v) => (isStateVariable(v) ? state.value(v) ?? null : metric(v));
  const checkAll = (at: number): void => {
    for (const t of trackers) t.check(at, lookup);
  };
  let i = 0;
  let edge = 0;
  if (observations.length === 0 || observations[0]!.at > 0) checkAll(0);
  while (i < observations.length) {
    const at = observations[i]!.at;
    while (edge < edges.length && edges[edge]! < at) checkAll(edges[edge++]!);
    while (i < observations.length && observations[i]!.at === at) state.observe(observations[i++]!);
    checkAll(at);
    while (edge < edges.length && edges[edge]! <= at) edge++;
  }
  while (edge < edges.length) checkAll(edges[edge++]!);
  const outcomes = results.map((r) => (r instanceof Tracker ? r.finish(endUs, lookup) : r));
  return outcomes.map((o, k) => staysCheck(expectations[k]!, results[k]!, o, observations, endUs, metric, times));
}

/**
 * eventually … stays: once the condition held (within the budget), it must hold from then on — until `until`
 * when `within` sets the budget, else to the end of the run. Judged as an `always` from the time it held.
 */
function staysCheck(
  e: TemporalExpectation, r: TemporalOutcome | Tracker, outcome: TemporalOutcome, observations: readonly Observation[],
  endUs: number, metric: Lookup, times: { readyUs: number | null; windowFromUs: number },
): TemporalOutcome {
  if (e.kind !== 'eventually' || e.stays !== true || !outcome.pass || !(r instanceof Tracker) || r.heldAtUs === null) return outcome;
  const until = e.within !== undefined ? e.until : undefined;
  const follow: TemporalExpectation = { index: e.index, kind: 'always', condition: e.condition, after: `${r.heldAtUs}us`, ...(until === undefined ? {} : { until }) };
  const [after] = evaluateTemporal([follow], observations, endUs, metric, times);
  const to = until === undefined ? 'to the end' : `until ${until}`;
  if (after!.pass) return { ...outcome, shown: `${outcome.shown}, and stayed ${to}` };
  return { pass: false, value: outcome.value, shown: `${outcome.shown}, but did not stay: ${after!.shown.replace(/^false/, 'false again')}` };
}
