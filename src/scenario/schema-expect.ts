// The `expect:` list: bounds on report metrics, plus temporal assertions (always/never/sometimes/eventually).
import { z } from 'zod';
import { zPositiveDuration } from './duration.ts';

export const EXPECTATION_KINDS = ['metric', 'always', 'never', 'sometimes', 'eventually', 'recovers'] as const;

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
    recovers: condition.optional().describe('the condition must turn false after the anchor, then hold again within the budget'),
    within: zPositiveDuration.optional().describe('eventually / recovers: the time budget from `after`'),
    after: z
      .string()
      .min(1)
      .optional()
      .describe('where the window starts: start | ready | lastFault | fault:<i> | fault:<i>.end | a time like 30s (default: the measurement window; lastFault for eventually / recovers)'),
    until: z.string().min(1).optional().describe('where the window ends: the same anchors as `after`, or end (default: the end of the run)'),
    stays: z.boolean().optional().describe('eventually: once it holds, it must keep holding (until `until`, or to the end)'),
    for: zPositiveDuration.optional().describe('always / never: the condition may be false / true for at most this long at a stretch'),
  })
  .strict();

type RawExpectation = z.output<typeof RawExpectationSchema>;

/** One normalized expectation; `index` is its position in the scenario's `expect` list. */
export type Expectation = { index: number } & (
  | { kind: 'bound'; metric: string; min?: number; max?: number; after?: string; until?: string }
  | { kind: 'always' | 'never'; condition: string; after?: string; until?: string; for?: number }
  | { kind: 'sometimes'; condition: string; after?: string; until?: string }
  | { kind: 'eventually' | 'recovers'; condition: string; within?: number; after: string; until?: string; stays?: boolean }
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
  if (kind === 'eventually' || kind === 'recovers') {
    if (e.within === undefined && e.until === undefined) {
      ctx.addIssue({ code: 'custom', path: ['within'], message: 'required field is missing (expected a duration like "30s", or an until: anchor)' });
    }
  } else {
    misplaced('within', 'eventually or recovers');
  }
  if (kind !== 'always' && kind !== 'never') misplaced('for', 'always or never');
  if (kind !== 'eventually') misplaced('stays', 'eventually');
}

/** The optional window fields, copied when given. */
function windowFields(e: RawExpectation): { after?: string; until?: string } {
  const out: { after?: string; until?: string } = {};
  if (e.after !== undefined) out.after = e.after;
  if (e.until !== undefined) out.until = e.until;
  return out;
}

function normalizeExpectation(e: RawExpectation, index: number): Expectation {
  if (e.metric !== undefined) {
    const out: Expectation = { index, kind: 'bound', metric: e.metric, ...windowFields(e) };
    if (e.min !== undefined) out.min = e.min;
    if (e.max !== undefined) out.max = e.max;
    return out;
  }
  for (const kind of ['eventually', 'recovers'] as const) {
    const text = e[kind];
    if (text === undefined) continue;
    const out: Expectation = { index, kind, condition: text, ...windowFields(e), after: e.after ?? 'lastFault' };
    if (e.within !== undefined) out.within = e.within;
    if (kind === 'eventually' && e.stays !== undefined) out.stays = e.stays;
    return out;
  }
  for (const kind of ['always', 'never'] as const) {
    const text = e[kind];
    if (text === undefined) continue;
    const out: Expectation = { index, kind, condition: text, ...windowFields(e) };
    if (e.for !== undefined) out.for = e.for;
    return out;
  }
  if (e.sometimes !== undefined) return { index, kind: 'sometimes', condition: e.sometimes, ...windowFields(e) };
  throw new Error('unreachable: checkExpectation guarantees exactly one kind');
}

const ONE_KIND = EXPECTATION_KINDS.map((k) => ({ required: [k] }));

export const ExpectationsSchema = z
  .array(RawExpectationSchema.superRefine(checkExpectation).meta({ oneOf: ONE_KIND }))
  .default([])
  .transform((list) => list.map(normalizeExpectation));
