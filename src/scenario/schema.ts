// The one zod schema of scenario files (SPEC §2); every duration in a parsed Scenario is an integer number of microseconds.
//
// Parsing a scenario fills in every default, so consumers never see an optional field except `Fault.for` and the
// bounds of an expectation. Durations keep their YAML field names (`leaseDuration`, `at`, …) but hold µs.
// Field-level problems come from the field schemas; rules across sections (lease timings, targets, metrics)
// run once the fields are valid, in the section's superRefine or in `checkScenarioRules` below.
import { z } from 'zod';
import { zPositiveDuration } from './duration.ts';
import { checkScenarioRules } from './rules.ts';
import { ClusterSchema } from './schema-cluster.ts';
import { ExpectationsSchema } from './schema-expect.ts';
import { FaultsSchema } from './schema-faults.ts';
import { LoadSchema } from './schema-load.ts';
import { ParamsSchema, withVersionDefaults, type Params } from './schema-params.ts';
import { checkTourRules, TourSchema } from './schema-tour.ts';
import { versionProfile } from './versions.ts';
import { parseSeeds } from './seeds.ts';

export type { ClusterSpec } from './schema-cluster.ts';
export type { Expectation } from './schema-expect.ts';
export type { Fault, FaultVerb, ProcessVerb } from './schema-faults.ts';
export type { LoadClient, LoadSection } from './schema-load.ts';
export type { ComponentElection, Params } from './schema-params.ts';
export type { StepTime, TourQuestion, TourStep } from './schema-tour.ts';

const zSeed = z.int().min(0);

/** The seeds of `seeds:` (a list or a range text); an issue at `seeds` when the range is bad. */
function seedList(seeds: number[] | string | undefined, seed: number, ctx: z.RefinementCtx): number[] {
  if (seeds === undefined) return [seed];
  if (typeof seeds !== 'string') return [...seeds];
  const list = parseSeeds(seeds);
  if (typeof list !== 'string') return list;
  ctx.addIssue({ code: 'custom', path: ['seeds'], message: list });
  return [seed];
}

const RawScenarioSchema = z
  .object({
    name: z.string().min(1).describe('short name of the failure story, e.g. kill-etcd-leader'),
    description: z.string().default(''),
    duration: zPositiveDuration.describe('simulated time of one run, e.g. "120s"'),
    seed: zSeed.default(1).describe('seed of `hasim run`'),
    seeds: z
      .union([z.array(zSeed).min(1), z.string()])
      .optional()
      .describe('seeds of `hasim check`: a list, or a range like "1..50" (default: [seed])'),
    fastForward: z.boolean().optional()
      .describe('run through steady state in jumps (SPEC §6) in hasim run and check: for long scenarios (hasim run --fast-forward forces it on)'),
    measure: z
      .object({ from: z.enum(['ready', 'start']).default('ready') })
      .strict()
      .prefault({})
      .describe('where metrics and always/never start: ready (default; the cluster first ready, or the first fault if earlier) | start'),
    cluster: ClusterSchema.prefault({}),
    params: ParamsSchema.prefault({}),
    faults: FaultsSchema,
    expect: ExpectationsSchema,
    tour: TourSchema,
    load: LoadSchema.optional(),
  })
  .strict()
  .meta({ title: 'hasim scenario', description: 'A hasim failure scenario (SPEC §2). Durations are strings with units: 250us, 100ms, 15s, 2m, 1h, 30d.' });

type RawScenario = z.output<typeof RawScenarioSchema>;

/** A parsed scenario: every field filled in, durations in µs, faults and expectations normalized. */
export type Scenario = Omit<RawScenario, 'seeds' | 'params'> & { seeds: number[]; params: Params };

function finish(raw: RawScenario, ctx: z.RefinementCtx): Scenario {
  // Built field by field so that key order does not depend on the input (traces may serialize it).
  const scenario: Scenario = {
    name: raw.name,
    description: raw.description,
    duration: raw.duration,
    seed: raw.seed,
    seeds: seedList(raw.seeds, raw.seed, ctx),
    measure: raw.measure,
    cluster: raw.cluster,
    params: withVersionDefaults(raw.params, versionProfile(raw.cluster.versions)),
    faults: raw.faults,
    expect: raw.expect,
    tour: raw.tour,
    ...(raw.fastForward === undefined ? {} : { fastForward: raw.fastForward }),
  };
  // Only when present, so that a scenario without load is the object it always was.
  if (raw.load !== undefined) scenario.load = raw.load;
  checkScenarioRules(scenario, ctx);
  checkTourRules(scenario, ctx);
  return scenario;
}

export const ScenarioSchema = RawScenarioSchema.transform(finish);

/** The YAML/JSON form of a scenario, as written by users. */
export type ScenarioInput = z.input<typeof ScenarioSchema>;
