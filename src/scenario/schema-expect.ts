// The `expect:` list: bounds on report metrics, plus temporal assertions (always/never/sometimes/eventually).
import { z } from 'zod';
import { zPositiveDuration } from './duration.ts';

export const EXPECTATION_KINDS = ['metric', 'always', 'never', 'sometimes', 'eventually'] as const;

const condition = z.string().min(1, { error: 'expected a condition, got an empty string' });

const RawExpectationSchema = z
  .object({
    metric: z.string().min(1).optional().describe('a report metric path, e.g. leaders.etcd.maxLeaderlessSeconds'),
    min: z.number().optional(),
    max: z.number().optional(),
    always: condition.optional(),
    never: condition.optional(),
    sometimes: condition.optional(),
    eventually: condition.optional(),
    within: zPositiveDuration.optional().describe('eventually: the time budget'),
    after: z.string().min(1).optional().describe('eventually: when the budget starts (default lastFault)'),
  })
  .strict();

type RawExpectation = z.output<typeof RawExpectationSchema>;

/** One normalized expectation; `index` is its position in the scenario's `expect` list. */
export type Expectation = { index: number } & (
  | { kind: 'bound'; metric: string; min?: number; max?: number }
  | { kind: 'always' | 'never' | 'sometimes'; condition: string }
  | { kind: 'eventually'; condition: string; within: number; after: string }
);

function checkExpectation(e: RawExpectation, ctx: z.RefinementCtx): void {
  const kinds = EXPECTATION_KINDS.filter((k) => e[k] !== undefined);
  if (kinds.length !== 1) {
    const got = kinds.length === 0 ? 'none' : kinds.join(' and ');
    ctx.addIssue({ code: 'custom', message: `expected exactly one of ${EXPECTATION_KINDS.join(', ')}, got ${got}` });
    return;
  }
  const kind = kinds[0]!;
  const misplaced = (field: keyof RawExpectation, owner: string) => {
    if (e[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `only allowed with ${owner}` });
  };
  if (kind === 'metric') {
    if (e.min === undefined && e.max === undefined) ctx.addIssue({ code: 'custom', message: 'a metric expectation needs min, max or both' });
    if (e.min !== undefined && e.max !== undefined && e.min > e.max) {
      ctx.addIssue({ code: 'custom', path: ['min'], message: `must not be greater than max (${e.max}), got ${e.min}` });
    }
  } else {
    misplaced('min', 'metric');
    misplaced('max', 'metric');
  }
  if (kind === 'eventually') {
    if (e.within === undefined) ctx.addIssue({ code: 'custom', path: ['within'], message: 'required field is missing (expected a duration like "30s")' });
  } else {
    misplaced('within', 'eventually');
    misplaced('after', 'eventually');
  }
}

function normalizeExpectation(e: RawExpectation, index: number): Expectation {
  if (e.metric !== undefined) {
    const out: Expectation = { index, kind: 'bound', metric: e.metric };
    if (e.min !== undefined) out.min = e.min;
    if (e.max !== undefined) out.max = e.max;
    return out;
  }
  if (e.eventually !== undefined) {
    return { index, kind: 'eventually', condition: e.eventually, within: e.within!, after: e.after ?? 'lastFault' };
  }
  for (const kind of ['always', 'never', 'sometimes'] as const) {
    const text = e[kind];
    if (text !== undefined) return { index, kind, condition: text };
  }
  throw new Error('unreachable: checkExpectation guarantees exactly one kind');
}

const ONE_KIND = EXPECTATION_KINDS.map((k) => ({ required: k === 'eventually' ? [k, 'within'] : [k] }));

export const ExpectationsSchema = z
  .array(RawExpectationSchema.superRefine(checkExpectation).meta({ oneOf: ONE_KIND }))
  .default([])
  .transform((list) => list.map(normalizeExpectation));
