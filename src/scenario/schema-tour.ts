// The optional `tour:` list of a scenario: guided steps anchored in the run, with highlights and predict-then-play questions.
//
// A step happens at the first instant, at or after its anchor (`after`, default the start) plus `at` (default 0),
// at which its `when` condition holds (or right then, without `when`). The conditions are the ones temporal
// expectations use (src/scenario/condition.ts); where a step lands in a run is resolved by src/check/tour.ts.
import { z } from 'zod';
import { anchorProblem, parseAnchor, staticTime, type AnchorFault } from './anchors.ts';
import { ConditionError, parseCondition } from './condition.ts';
import { formatDuration, zDuration } from './duration.ts';
import { machineByName, parseTarget, type NamesCluster } from './names.ts';

/** Named lanes of the timeline a step may point at (`lane:<name>`). */
export const TOUR_LANES = ['etcd', 'kube-scheduler', 'kube-controller-manager', 'quorum', 'api-read', 'api-write', 'network', 'faults', 'nodes'] as const;

const text = z.string().trim().min(1, { error: 'expected some text, got an empty string' });

const QuestionSchema = z
  .object({
    prompt: text.describe('the question asked before the run plays on'),
    choices: z.array(text).min(2, { error: 'a question needs at least two choices' }),
    answer: z.union([z.int().min(0), z.string()]).describe('the correct choice: its text, or its index (0-based)'),
    explain: text.describe('shown once the learner has answered'),
  })
  .strict()
  .superRefine((q, ctx) => {
    const dup = q.choices.find((c, i) => q.choices.indexOf(c) !== i);
    if (dup !== undefined) ctx.addIssue({ code: 'custom', path: ['choices'], message: `"${dup}" appears twice` });
    const ok = typeof q.answer === 'number' ? q.answer < q.choices.length : q.choices.includes(q.answer);
    if (!ok) {
      const got = typeof q.answer === 'number' ? `index ${q.answer}` : JSON.stringify(q.answer);
      ctx.addIssue({ code: 'custom', path: ['answer'], message: `expected one of the choices (${q.choices.map((c) => JSON.stringify(c)).join(', ')}) or an index below ${q.choices.length}, got ${got}` });
    }
  });

const RawStepSchema = z
  .object({
    at: zDuration.optional().describe('time after the anchor (default 0s)'),
    when: z.string().optional().describe('a condition, as in expect: the step comes the first instant it holds'),
    after: z.string().min(1).optional().describe('anchor: start (default), lastFault (start of the last fault), fault:<index>, fault:<index>.end or step:<index>'),
    text: text.describe('what to look at and why; *emphasis* and `code` are the only markup'),
    highlight: z.array(z.string().min(1)).default([]).describe('machines, processes, lane:<name>, backend:<lb>/<server>, vip'),
    question: QuestionSchema.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.at === undefined && s.when === undefined && s.after === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a step needs an anchor: at, when, after or a combination' });
    }
    if (s.when === undefined) return;
    try {
      parseCondition(s.when);
    } catch (err) {
      if (!(err instanceof ConditionError)) throw err;
      ctx.addIssue({ code: 'custom', path: ['when'], message: err.message });
    }
  });

export interface TourQuestion {
  prompt: string;
  choices: string[];
  /** Index of the correct choice. */
  answer: number;
  explain: string;
}

/** One normalized step; `at` is µs after the anchor. */
/** Where a tour step lands in a run (run µs), or why it does not (resolved by src/check/tour.ts). */
export type StepTime = { index: number; at: number } | { index: number; at: null; missing: string };

export interface TourStep {
  index: number;
  after: string;
  at: number;
  when: string | null;
  text: string;
  highlight: string[];
  question: TourQuestion | null;
}

type RawStep = z.output<typeof RawStepSchema>;

function normalizeStep(s: RawStep, index: number): TourStep {
  const q = s.question;
  return {
    index,
    after: s.after ?? 'start',
    at: s.at ?? 0,
    when: s.when ?? null,
    text: s.text,
    highlight: s.highlight,
    question: q ? { prompt: q.prompt, choices: q.choices, answer: typeof q.answer === 'number' ? q.answer : q.choices.indexOf(q.answer), explain: q.explain } : null,
  };
}

export const TourSchema = z
  .array(RawStepSchema)
  .default([])
  .describe('a guided tour of the run: steps anchored at times or conditions, shown by the web UI and `hasim run --narrate`')
  .transform((list) => list.map(normalizeStep));

type Path = (string | number)[];
type Report = (path: Path, message: string) => void;

/** Null when a highlight names something of this cluster, else a message. */
export function checkHighlight(target: string, c: NamesCluster): string | null {
  if (target === 'vip') return c.loadBalancer.vip === 'keepalived' ? null : 'this cluster has no VIP (cluster.loadBalancer.vip: keepalived)';
  if (target.startsWith('lane:')) {
    const lane = target.slice(5);
    return (TOUR_LANES as readonly string[]).includes(lane) ? null : `unknown lane "${lane}" (lanes: ${TOUR_LANES.join(', ')})`;
  }
  const backend = /^backend:([^/]+)\/(.+)$/.exec(target);
  if (backend) return checkBackend(backend[1]!, backend[2]!, c);
  const ref = parseTarget(target, c);
  if (ref === null || ref.kind === 'zone') return `unknown highlight "${target}" (a machine like master-1, a process like master-1/etcd, lane:<name>, backend:lb-1/master-2 or vip)`;
  if (ref.kind === 'role') return `"${target}" is resolved only when a fault fires; highlight a machine or process by name`;
  return null;
}

function checkBackend(lb: string, server: string, c: NamesCluster): string | null {
  const m = machineByName(lb, c);
  if (!m || (m.role !== 'lb' && m.role !== 'etcd-lb')) return `unknown load balancer "${lb}" in backend:${lb}/${server}`;
  const s = machineByName(server, c);
  const serves = m.role === 'lb' ? s?.role === 'master' : s?.components.includes('etcd') === true;
  return serves ? null : `${lb} has no backend "${server}" (its backends are the ${m.role === 'lb' ? 'masters' : 'etcd members'})`;
}

/** The earliest time a step can come, when it is known before the run (null: depends on the run). */
function earliest(step: TourStep, faults: readonly AnchorFault[], durationUs: number, known: (number | null)[]): number | null {
  const a = parseAnchor(step.after);
  if (a?.kind === 'step') {
    const t = known[a.index];
    return t === undefined || t === null ? null : t + step.at;
  }
  const t = staticTime(step.after, faults, durationUs);
  return t === null ? null : t + step.at;
}

/** Rules across sections: anchors against faults and earlier steps, highlights against the cluster, times within the run. */
export function checkTourRules(s: { duration: number; cluster: NamesCluster; faults: readonly AnchorFault[]; tour: readonly TourStep[] }, ctx: z.RefinementCtx): void {
  const known: (number | null)[] = [];
  const otherTopology: NamesCluster = { ...s.cluster, topology: s.cluster.topology === 'stacked' ? 'external' : 'stacked' };
  for (const step of s.tour) {
    const report: Report = (path, message) => ctx.addIssue({ code: 'custom', path: ['tour', step.index, ...path], message });
    const bad = anchorProblem(step.after, s.faults, step.index);
    if (bad) report(['after'], bad);
    step.highlight.forEach((h, i) => {
      // A name of either topology is fine: `--topology`, the page's switch and `hasim compare` flip it, and a
      // highlight that names nothing in the run is only not drawn.
      const problem = checkHighlight(h, s.cluster) && checkHighlight(h, otherTopology);
      if (problem) report(['highlight', i], checkHighlight(h, s.cluster)!);
    });
    const t = bad ? null : earliest(step, s.faults, s.duration, known);
    known.push(t);
    if (t !== null && t > s.duration) {
      report([step.at > 0 || step.after === 'start' ? 'at' : 'after'], `${formatDuration(t)} is after the end of the run (duration: ${formatDuration(s.duration)})`);
    }
  }
}
