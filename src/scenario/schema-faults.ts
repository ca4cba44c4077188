// The `faults:` list: the YAML form (`at`, optional `for`, exactly one verb key) and its normalized `Fault` union.
import { z } from 'zod';
import { formatDuration, zDuration, zPositiveDuration, zSignedDuration, zTimer } from './duration.ts';
import { describeValue } from './errors.ts';
import { MixEntrySchema, PROFILE_NAMES, PROFILES, type MixEntry } from './schema-mix.ts';
import { zFraction } from './schema-params.ts';

export const PROCESS_VERBS = ['kill', 'stop', 'start', 'pause', 'resume'] as const;
export const FAULT_VERBS = [...PROCESS_VERBS, 'partition', 'isolate', 'cut', 'heal', 'latency', 'loss', 'clock', 'disk', 'random'] as const;
export const RANDOM_TARGETS = ['masters', 'etcd', 'workers', 'lbs', 'machines'] as const;
export const RANDOM_VERBS = ['kill', 'stop', 'pause', 'isolate'] as const;

export type ProcessVerb = (typeof PROCESS_VERBS)[number];
export type FaultVerb = (typeof FAULT_VERBS)[number];

/** A target name: machine, process, zone or role selector (checked against the cluster later). */
const zName = z
  .string({ error: (iss) => (iss.input === undefined ? undefined : `expected a target name like "master-1", got ${describeValue(iss.input)}`) })
  .min(1, { error: 'expected a target name like "master-1", got an empty string' });

const zBetween = z.union([z.literal('all'), z.tuple([zName, zName])], {
  error: (iss) => `expected "all" or a pair of machines like ["master-1", "master-2"], got ${describeValue(iss.input)}`,
});

const VERB_SCHEMAS = {
  kill: zName,
  stop: zName,
  start: zName,
  pause: zName,
  resume: zName,
  partition: z
    .array(z.array(zName).min(1, { error: 'a partition group needs at least one machine' }), {
      error: (iss) => (iss.input === undefined ? undefined : `expected a list of groups like [[master-1], [master-2, master-3]], got ${describeValue(iss.input)}`),
    })
    .min(1, { error: 'expected at least one group' }),
  isolate: zName,
  cut: z
    .object({ from: zName, to: z.union([zName, z.array(zName).min(1)]), oneWay: z.boolean().default(false) })
    .strict(),
  heal: z.literal('all', {
    error: (iss) => `expected "all" (heal removes every partition and cut), got ${describeValue(iss.input)}`,
  }),
  latency: z.object({ between: zBetween, add: zDuration, jitter: zDuration.prefault('0s') }).strict(),
  loss: z.object({ between: zBetween, rate: zFraction }).strict(),
  clock: z
    .object({
      target: zName,
      offset: zSignedDuration.prefault('0s'),
      rate: z.number().positive({ error: (iss) => `expected a clock rate > 0 (1 is real time), got ${String(iss.input)}` }).default(1),
    })
    .strict(),
  disk: z.object({ target: zName, fsync: zDuration }).strict(),
  random: z
    .object({
      targets: z.enum(RANDOM_TARGETS).optional(),
      mtbf: zPositiveDuration.refine((us) => us >= 1e6, {
        error: (iss) => `expected at least 1s (a shorter mean time between failures fails each target more often than it can recover), got ${formatDuration(iss.input as number)}`,
      }).optional().describe('mean time between failures of each target (at least 1s)'),
      mttr: zTimer.optional().describe('mean time to repair (at least 1ms)'),
      verb: z.enum(RANDOM_VERBS).default('kill'),
      profile: z.enum(PROFILE_NAMES as [string, ...string[]]).optional().describe('a named failure mix with default rates (schema-mix.ts)'),
      mix: z.array(MixEntrySchema).min(1).optional().describe('kinds of failure, each with its rate per target per year'),
    })
    .strict()
    .superRefine(checkRandomForm),
} as const;

/** `random` takes one form: targets + mtbf + mttr (one kind), a named profile, or a mix. */
function checkRandomForm(r: { targets?: string; mtbf?: number; mttr?: number; profile?: string; mix?: unknown[] }, ctx: z.RefinementCtx): void {
  const forms = [r.targets !== undefined || r.mtbf !== undefined || r.mttr !== undefined, r.profile !== undefined, r.mix !== undefined].filter(Boolean).length;
  if (forms !== 1) {
    ctx.addIssue({ code: 'custom', message: 'expected one of: targets + mtbf + mttr, a profile, or a mix' });
    return;
  }
  if (r.profile !== undefined || r.mix !== undefined) return;
  for (const field of ['targets', 'mtbf', 'mttr'] as const) {
    if (r[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'required field is missing (random with targets needs targets, mtbf and mttr)' });
  }
}

const verbOptionals = Object.fromEntries(FAULT_VERBS.map((v) => [v, VERB_SCHEMAS[v].optional()])) as {
  [V in FaultVerb]: z.ZodOptional<(typeof VERB_SCHEMAS)[V]>;
};

const RawFaultSchema = z
  .object({
    at: zDuration.optional().describe('when the fault fires, from the start of the run (required except for random, default 0)'),
    for: zPositiveDuration.optional().describe('schedules the inverse this long after `at`'),
    scope: z.enum(['process', 'machine']).optional().describe('kill/stop/start/pause/resume: machine widens a process target to its machine'),
    ...verbOptionals,
  })
  .strict();

type RawFault = z.output<typeof RawFaultSchema>;

function checkFault(f: RawFault, ctx: z.RefinementCtx): void {
  const verbs = FAULT_VERBS.filter((v) => f[v] !== undefined);
  if (verbs.length !== 1) {
    const got = verbs.length === 0 ? 'none' : verbs.join(' and ');
    ctx.addIssue({ code: 'custom', message: `expected exactly one verb (${FAULT_VERBS.join(', ')}), got ${got}` });
    return;
  }
  const verb = verbs[0]!;
  if (f.at === undefined && verb !== 'random') {
    ctx.addIssue({ code: 'custom', path: ['at'], message: 'required field is missing (expected a duration like "30s": when the fault fires)' });
  }
  if (f.scope !== undefined && !(PROCESS_VERBS as readonly string[]).includes(verb)) {
    ctx.addIssue({ code: 'custom', path: ['scope'], message: `only ${PROCESS_VERBS.join(', ')} take a scope, not ${verb}` });
  }
  if (f.for !== undefined && verb === 'heal') {
    ctx.addIssue({ code: 'custom', path: ['for'], message: 'heal has no inverse, so it cannot take `for`' });
  }
}

/** JSON Schema hint: exactly one verb, and `at` unless the verb is random. */
const ONE_VERB = FAULT_VERBS.map((v) => ({ required: v === 'random' ? [v] : [v, 'at'] }));

export const FaultInputSchema = RawFaultSchema.superRefine(checkFault).meta({ oneOf: ONE_VERB });

type Timing = { index: number; at: number; for?: number };
type Between = [string, string] | 'all';

/** One normalized fault; `index` is its position in the scenario's `faults` list, times are µs. */
export type Fault = Timing &
  (
    | { verb: ProcessVerb; target: string; scope: 'process' | 'machine' }
    | { verb: 'partition'; groups: string[][] }
    | { verb: 'isolate'; target: string }
    | { verb: 'cut'; from: string; to: string[]; oneWay: boolean }
    | { verb: 'heal' }
    | { verb: 'latency'; between: Between; add: number; jitter: number }
    | { verb: 'loss'; between: Between; rate: number }
    | { verb: 'clock'; target: string; offset: number; rate: number }
    | { verb: 'disk'; target: string; fsync: number }
    | {
        verb: 'random';
        targets: (typeof RANDOM_TARGETS)[number];
        mtbf: number;
        mttr: number;
        randomVerb: (typeof RANDOM_VERBS)[number];
        mix?: undefined;
      }
    | { verb: 'random'; mix: MixEntry[]; profile: string | null }
  );

type FaultBody = Fault extends infer F ? (F extends Timing ? Omit<F, keyof Timing> : never) : never;

function body(f: RawFault): FaultBody {
  for (const verb of PROCESS_VERBS) {
    const target = f[verb];
    if (target !== undefined) return { verb, target, scope: f.scope ?? 'process' };
  }
  if (f.partition) return { verb: 'partition', groups: f.partition.map((g) => [...g]) };
  if (f.isolate !== undefined) return { verb: 'isolate', target: f.isolate };
  if (f.cut) return { verb: 'cut', from: f.cut.from, to: typeof f.cut.to === 'string' ? [f.cut.to] : [...f.cut.to], oneWay: f.cut.oneWay };
  if (f.heal) return { verb: 'heal' };
  if (f.latency) return { verb: 'latency', ...f.latency, between: copyBetween(f.latency.between) };
  if (f.loss) return { verb: 'loss', between: copyBetween(f.loss.between), rate: f.loss.rate };
  if (f.clock) return { verb: 'clock', ...f.clock };
  if (f.disk) return { verb: 'disk', ...f.disk };
  if (f.random) {
    const { verb: randomVerb, targets, mtbf, mttr, profile, mix } = f.random;
    if (profile !== undefined) return { verb: 'random', mix: PROFILES[profile]!.map((e) => ({ ...e })), profile };
    if (mix !== undefined) return { verb: 'random', mix, profile: null };
    return { verb: 'random', targets: targets!, mtbf: mtbf!, mttr: mttr!, randomVerb };
  }
  throw new Error('unreachable: checkFault guarantees exactly one verb');
}

function copyBetween(b: Between): Between {
  return b === 'all' ? 'all' : [b[0], b[1]];
}

/** The normalized form of a validated YAML fault. */
export function normalizeFault(f: RawFault, index: number): Fault {
  const timing: Timing = { index, at: f.at ?? 0 };
  if (f.for !== undefined) timing.for = f.for;
  return { ...timing, ...body(f) } as Fault;
}

export const FaultsSchema = z
  .array(FaultInputSchema)
  .default([])
  .transform((list) => list.map(normalizeFault));
