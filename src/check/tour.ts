// Where a scenario's tour steps land in one run: each step's time resolved from the run's observations.
//
// A step comes at the first instant t ≥ anchor + at at which its `when` condition holds over the state after every
// observation at t (the state of temporal expectations, src/check/state.ts); without `when`, at anchor + at.
// A step whose anchor never happens, or that would come after an earlier-listed step, is a tour that does not
// tell the truth about its run: `hasim check` fails it.
import type { Observation } from '../kernel/trace.ts';
import { metricValue } from '../report/values.ts';
import type { Report } from '../report/metrics.ts';
import type { StepTime, TourStep } from '../scenario/index.ts';
import { holds, isStateVariable, parseCondition, variablesOf, type Condition, type Lookup } from '../scenario/condition.ts';
import { CheckState } from './state.ts';
import { resolveAnchor } from './anchors.ts';

export type { StepTime } from '../scenario/index.ts';

export interface TourOutcome {
  steps: StepTime[];
  pass: boolean;
  /** `7 steps, 0.000s … 93.204s` or the first problem (`tour[2]: when "…" never held after 30.000s`). */
  shown: string;
}

const sec = (us: number): string => `${(us / 1e6).toFixed(3)}s`;

/** The first instant ≥ fromUs at which `cond` holds, or null before the run ends. */
function firstHolding(cond: Condition, fromUs: number, observations: readonly Observation[], metric: Lookup): number | null {
  const state = new CheckState();
  const stateVars = variablesOf(cond).filter(isStateVariable);
  const lookup: Lookup = (v) => (isStateVariable(v) ? state.value(v) ?? null : metric(v));
  const ok = (): boolean => stateVars.every((v) => lookup(v) !== null) && holds(cond, lookup);
  let i = 0;
  while (i < observations.length && observations[i]!.at <= fromUs) state.observe(observations[i++]!);
  if (ok()) return fromUs;
  while (i < observations.length) {
    const at = observations[i]!.at;
    while (i < observations.length && observations[i]!.at === at) state.observe(observations[i++]!);
    if (ok()) return at;
  }
  return null;
}

function anchorOf(step: TourStep, done: readonly StepTime[], observations: readonly Observation[], endUs: number): { at: number } | { missing: string } {
  const prev = /^step:(\d+)$/.exec(step.after);
  if (!prev) return resolveAnchor(step.after, observations, { endUs, readyUs: null });
  const earlier = done[Number(prev[1])];
  if (!earlier) return { missing: `step:${prev[1]} names no earlier step` };
  return earlier.at === null ? { missing: `tour[${prev[1]}] never came` } : { at: earlier.at };
}

/** Resolve every step's time in one run that ended at `endUs`; `metric` reads report metrics (final values). */
export function resolveTour(tour: readonly TourStep[], observations: readonly Observation[], endUs: number, metric: Lookup = () => null): StepTime[] {
  const done: StepTime[] = [];
  for (const step of tour) {
    const anchor = anchorOf(step, done, observations, endUs);
    if ('missing' in anchor) {
      done.push({ index: step.index, at: null, missing: `anchor ${step.after}: ${anchor.missing}` });
      continue;
    }
    const from = anchor.at + step.at;
    if (from > endUs) {
      done.push({ index: step.index, at: null, missing: `${sec(from)} is after the end of the run (${sec(endUs)})` });
      continue;
    }
    if (step.when === null) {
      done.push({ index: step.index, at: from });
      continue;
    }
    const at = firstHolding(parseCondition(step.when), from, observations, metric);
    done.push(at === null ? { index: step.index, at: null, missing: `when "${step.when}" never held at or after ${sec(from)}` } : { index: step.index, at });
  }
  return done;
}

/** Resolve and judge a tour: every step must come, in the order listed. */
export function evaluateTour(tour: readonly TourStep[], observations: readonly Observation[], endUs: number, metric?: Lookup): TourOutcome {
  const steps = resolveTour(tour, observations, endUs, metric);
  const problems: string[] = [];
  let last: StepTime | null = null;
  for (const s of steps) {
    if (s.at === null) {
      problems.push(`tour[${s.index}]: ${s.missing}`);
      continue;
    }
    if (last !== null && last.at !== null && s.at < last.at) {
      problems.push(`tour[${s.index}] comes at ${sec(s.at)}, before tour[${last.index}] at ${sec(last.at)}; list the steps in the order they happen`);
    }
    last = s;
  }
  if (problems.length > 0) return { steps, pass: false, shown: problems.length === 1 ? problems[0]! : `${problems[0]} (and ${problems.length - 1} more)` };
  const times = steps.map((s) => s.at as number);
  const span = times.length === 0 ? 'no steps' : `${steps.length} step${steps.length === 1 ? '' : 's'}, ${sec(times[0]!)} … ${sec(times[times.length - 1]!)}`;
  return { steps, pass: true, shown: span };
}

/** The tour judged against a finished run and its report (the run's end and final metrics come from the report). */
export function evaluateTourOfRun(tour: readonly TourStep[], report: Report, observations: readonly Observation[]): TourOutcome {
  return evaluateTour(tour, observations, Math.round(report.durationSeconds * 1e6), (path) => metricValue(report, path));
}
