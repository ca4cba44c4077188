// The study file (compare/sweep --json) as hasim merge accepts it: a zod schema plus the checks that span fields
// (seeds unique and within runs, one record per seed and variant). Anything else is refused, naming the field.
import { z } from 'zod';
import { formatPath } from '../scenario/errors.ts';
import { LEADER_GROUPS } from '../scenario/index.ts';
import { RUN_METRICS } from './record.ts';
import { STUDY_FORMAT, STUDY_VERSION } from './study.ts';

/** Most runs per variant a study may have (--runs, and the runs a shard file declares). */
export const MAX_STUDY_RUNS = 100_000;

const count = z.number().int().nonnegative();
const metric = z.number().finite().nullable();
const text = z.string().max(10_000);

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const RecordSchema = z.strictObject({
  variant: text,
  seed: z.number().int().min(1).max(MAX_STUDY_RUNS),
  values: z.strictObject(Object.fromEntries(RUN_METRICS.map((m) => [m, metric])) as Record<string, typeof metric>),
  gaps: z.strictObject(Object.fromEntries(LEADER_GROUPS.map((g) => [g, z.array(z.number().finite().nonnegative()).max(1_000_000)]))),
  invariantViolations: count,
  truncated: z.boolean(),
  /** Seconds of API write downtime per mechanism (study/record.ts). Keys are mechanism names, never prototype names. */
  attribution: z.record(text.refine((k) => !UNSAFE_KEYS.has(k), { error: 'not a mechanism name' }), z.number().finite().nonnegative()).optional(),
  lostPodSeconds: z.number().finite().nonnegative().optional(),
  desiredPods: count.optional(),
  events: count.optional(),
  faults: count.optional(),
  skippedSeconds: z.number().finite().nonnegative().optional(),
  load: z.strictObject({ p99WriteMs: z.number().finite().nonnegative(), rejectedFraction: z.number().finite().min(0).max(1), holds: z.boolean() }).optional(),
});

const base = {
  format: z.literal(STUDY_FORMAT),
  version: z.literal(STUDY_VERSION),
  scenario: text,
  file: text,
  sets: z.array(text).max(1000),
  fastForward: z.boolean().optional(),
  runs: z.number().int().min(1).max(MAX_STUDY_RUNS),
  seeds: z.array(z.number().int().min(1).max(MAX_STUDY_RUNS)).max(MAX_STUDY_RUNS),
  shard: z.strictObject({ index: z.number().int().min(1), count: z.number().int().min(1).max(MAX_STUDY_RUNS) }).nullable(),
  records: z.array(RecordSchema),
  /** Written by --json, recomputed by merge: not read. */
  summary: z.unknown().optional(),
};

const VarySchema = z.strictObject({ path: text, kind: z.enum(['duration', 'number', 'list']), values: z.array(text).max(1000) });
const PointSchema = z.strictObject({ key: text, values: z.array(text).max(2), sets: z.array(text).max(1000), skipped: text.nullable() });

export const StudyFileSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('compare'), ...base, topologies: z.array(text).min(1).max(10), notes: z.array(text).max(100) }),
  z.strictObject({ kind: z.literal('sweep'), ...base, vary: z.array(VarySchema).min(1).max(2), points: z.array(PointSchema).min(1).max(1000) }),
]);

export type StudyFile = z.infer<typeof StudyFileSchema>;

/** The first problem with a parsed study file, as "field: what", or null when it is a consistent shard. */
export function studyFileProblem(data: unknown): string | null {
  const parsed = StudyFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = formatPath(issue.path.filter((p): p is string | number => typeof p !== 'symbol'));
    return `${where || 'the file'}: ${issue.message}`;
  }
  const d = parsed.data;
  const seeds = new Set<number>();
  for (const [i, s] of d.seeds.entries()) {
    if (s > d.runs) return `seeds[${i}]: seed ${s} is beyond the declared runs (${d.runs})`;
    if (seeds.has(s)) return `seeds[${i}]: seed ${s} is listed twice`;
    seeds.add(s);
  }
  const variants = d.kind === 'compare' ? d.topologies : d.points.filter((p) => p.skipped === null).map((p) => p.key);
  const known = new Set(variants);
  const seen = new Set<string>();
  for (const [i, r] of d.records.entries()) {
    if (!known.has(r.variant)) return `records[${i}].variant: ${JSON.stringify(r.variant)} is not a ${d.kind === 'compare' ? 'topology' : 'run point'} of this study`;
    if (!seeds.has(r.seed)) return `records[${i}].seed: seed ${r.seed} is not in this file's seeds`;
    const key = `${r.variant}\u0000${r.seed}`;
    if (seen.has(key)) return `records[${i}]: a second record for ${r.variant}, seed ${r.seed}`;
    seen.add(key);
  }
  if (d.records.length !== seeds.size * known.size) {
    return `records: ${d.records.length} records, expected one per seed and ${d.kind === 'compare' ? 'topology' : 'run point'} (${seeds.size} × ${known.size})`;
  }
  return null;
}
