// Shrinking a failing random-fault run: the random failures it drew become explicit faults, then delta debugging
// drops them while the same expectation still fails, and the minimal schedule is written as a scenario file.
import { Document, isMap, isSeq } from 'yaml';
import { runScenario } from '../cluster/run.ts';
import type { Observation } from '../kernel/trace.ts';
import { evaluate } from './expect.ts';
import { formatDuration, validateScenario, type Scenario } from '../scenario/index.ts';
import { replaceFaults } from '../scenario/replace-faults.ts';

type RawFault = Record<string, unknown>;
type Raw = Record<string, unknown>;

/** What must still fail: an expectation (by its index in `expect`) or the safety invariants. */
export type Failure = { expect: number } | 'invariants';

/**
 * The random failures of a run as explicit faults (`{ at, kill: master-2, for: 41.3s }`), from the fault
 * observations the random injector records (`random: true`, begin and end per unit), in time order.
 */
export function materializeRandom(observations: readonly Observation[]): RawFault[] {
  const open = new Map<string, { at: number; verb: string; explicit?: Raw }>();
  const out: { fault: RawFault; at: number }[] = [];
  const close = (subject: string, endAt: number | null): void => {
    const begin = open.get(subject)!;
    open.delete(subject);
    const target = begin.verb === 'isolate' ? subject.split('/')[0]! : subject;
    // a failure-mix kind with no verb of its own names its explicit equivalent (random-mix.ts)
    const fault: RawFault = begin.explicit ? { at: formatDuration(begin.at), ...begin.explicit } : { at: formatDuration(begin.at), [begin.verb]: target };
    if (endAt !== null && endAt > begin.at) fault['for'] = formatDuration(endAt - begin.at);
    out.push({ fault, at: begin.at });
  };
  for (const o of observations) {
    if (o.kind !== 'fault' || o.detail['random'] !== true) continue;
    if (o.detail['phase'] === 'begin') {
      if (open.has(o.subject)) close(o.subject, null);
      open.set(o.subject, { at: o.at, verb: String(o.detail['verb']), explicit: o.detail.explicit as Raw | undefined });
    } else if (open.has(o.subject)) {
      close(o.subject, o.at);
    }
  }
  for (const subject of [...open.keys()]) close(subject, null);
  return out.sort((a, b) => a.at - b.at).map((x) => x.fault);
}

export interface ShrinkInput {
  /** The scenario file's data as written (YAML/JSON), and its parsed form. */
  raw: Raw;
  scenario: Scenario;
  seed: number;
  /** The failing run's observations. */
  observations: readonly Observation[];
  failure: Failure;
  /** At most this many re-runs (default 200). */
  maxRuns?: number;
}

export interface ShrinkResult {
  /** Whether the run with every random failure made explicit still failed (if not, nothing was shrunk). */
  reproduced: boolean;
  /** Random failures drawn, and how many the minimal schedule keeps. */
  drawn: number;
  kept: number;
  runs: number;
  /** The shrunk scenario as YAML (null when not reproduced). */
  yaml: string | null;
  name: string;
}

/** The scenario data with the random faults replaced by `explicit` ones (appended), anchors renumbered. */
export function withExplicitFaults(raw: Raw, scenario: Scenario, explicit: RawFault[], seed: number): Raw {
  const rawFaults = Array.isArray(raw['faults']) ? (raw['faults'] as RawFault[]) : [];
  const renumber = new Map<number, number>();
  const fixed: RawFault[] = [];
  scenario.faults.forEach((f, i) => {
    if (f.verb === 'random') return;
    renumber.set(i, fixed.length);
    fixed.push(rawFaults[i]!);
  });
  const expect = Array.isArray(raw['expect'])
    ? (raw['expect'] as Raw[]).map((e) => {
      const m = typeof e['after'] === 'string' ? /^fault:(\d+)$/.exec(e['after']) : null;
      const to = m ? renumber.get(Number(m[1])) : undefined;
      return to === undefined ? e : { ...e, after: `fault:${to}` };
    })
    : raw['expect'];
  const changed: Raw = { name: `${scenario.name}-shrunk-seed${seed}`, seed, seeds: [seed] };
  if (expect !== undefined) changed['expect'] = expect;
  // Key order: name, description, duration, seed, seeds, then the rest as written.
  const out: Raw = {};
  for (const key of ['name', 'description', 'duration', 'seed', 'seeds', ...Object.keys(raw)]) {
    const value = key in changed ? changed[key] : raw[key];
    if (value !== undefined && !(key in out)) out[key] = value;
  }
  // The tour goes too (a shrunk scenario is for debugging, not teaching).
  return replaceFaults(out, [...fixed, ...explicit]);
}

function stillFails(raw: Raw, seed: number, failure: Failure): boolean {
  const scenario = validateScenario(raw, `${String(raw['name'])} (shrinking)`);
  const { report, run } = runScenario(scenario, { seed });
  if (failure === 'invariants') return report.invariants.violations.length > 0;
  const result = evaluate(report, scenario.expect, run.sim.trace.observations, scenario.params.probe.interval).find((r) => r.index === failure.expect);
  return result !== undefined && !result.pass;
}

/** ddmin: a 1-minimal subset of `items` for which `fails` holds (given that it holds for all of them), within `budget` tests. */
export function deltaDebug<T>(items: readonly T[], fails: (subset: T[]) => boolean, budget: number): { kept: T[]; tests: number } {
  let current = [...items];
  let tests = 0;
  const test = (subset: T[]): boolean => {
    tests++;
    return fails(subset);
  };
  if (current.length > 0 && tests < budget && test([])) return { kept: [], tests };
  let n = 2;
  while (current.length >= 2 && tests < budget) {
    const size = Math.ceil(current.length / n);
    let reduced = false;
    for (let start = 0; start < current.length && tests < budget; start += size) {
      const complement = [...current.slice(0, start), ...current.slice(start + size)];
      if (test(complement)) {
        current = complement;
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (n >= current.length) break;
      n = Math.min(n * 2, current.length);
    }
  }
  return { kept: current, tests };
}

function toYaml(raw: Raw): string {
  const doc = new Document(raw);
  const faults = doc.get('faults');
  if (isSeq(faults)) for (const item of faults.items) if (isMap(item)) item.flow = true;
  const seeds = doc.get('seeds');
  if (isSeq(seeds)) seeds.flow = true;
  const expect = doc.get('expect');
  if (isSeq(expect)) for (const item of expect.items) if (isMap(item)) item.flow = true;
  return doc.toString({ lineWidth: 120 });
}

/** Shrink the random fault history of a failing run. Runs the simulation up to `maxRuns` times. */
export function shrink(input: ShrinkInput): ShrinkResult {
  const { raw, scenario, seed, failure } = input;
  const budget = input.maxRuns ?? 200;
  const drawn = materializeRandom(input.observations);
  const build = (subset: RawFault[]): Raw => withExplicitFaults(raw, scenario, subset, seed);
  const name = `${scenario.name}-shrunk-seed${seed}`;
  if (budget < 1 || !stillFails(build(drawn), seed, failure)) {
    return { reproduced: false, drawn: drawn.length, kept: drawn.length, runs: budget < 1 ? 0 : 1, yaml: null, name };
  }
  const { kept, tests } = deltaDebug(drawn, (subset) => stillFails(build(subset), seed, failure), budget - 1);
  const what = failure === 'invariants' ? 'the safety invariants' : `expect[${failure.expect}]`;
  const built = build(kept);
  const description =
    `Shrunk by hasim check from ${scenario.name}, seed ${seed}: ${kept.length} of the ${drawn.length} random failures ` +
    `that seed drew, as explicit faults, still make ${what} fail.` + (scenario.description ? `\n\n${scenario.description}` : '');
  const out: Raw = { name: built['name'], description, ...built };
  out['description'] = description;
  return { reproduced: true, drawn: drawn.length, kept: kept.length, runs: tests + 1, yaml: toYaml(out), name };
}
