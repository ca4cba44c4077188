// `hasim merge`: join the shards of one compare or sweep into the result one unsharded run would give.
import type { CompareData, CompareResult } from './compare.ts';
import { compareResult } from './compare.ts';
import type { RunRecord } from './record.ts';
import { canonicalOrder, STUDY_FORMAT, STUDY_VERSION } from './study.ts';
import { studyFileProblem } from './shard-schema.ts';
import { sweepResult, type SweepData, type SweepResult } from './sweep.ts';

export type StudyData = CompareData | SweepData;

/** Problems with the inputs are thrown as Error with a user-facing message naming the file and field. */
export function checkStudy(data: unknown, label: string): StudyData {
  const d = data as Partial<StudyData> | null;
  if (d === null || typeof d !== 'object' || d.format !== STUDY_FORMAT) {
    throw new Error(`${label}: not a hasim compare/sweep JSON file (write one with hasim compare --json or hasim sweep --json)`);
  }
  if (d.version !== STUDY_VERSION) throw new Error(`${label}: study format version ${String(d.version)}, this hasim reads version ${STUDY_VERSION}`);
  const problem = studyFileProblem(data);
  if (problem !== null) throw new Error(`${label}: ${problem}`);
  return data as StudyData;
}

/** What must agree between shards of one study. */
function identity(d: StudyData): string {
  const common = { kind: d.kind, scenario: d.scenario, sets: d.sets, runs: d.runs, fastForward: d.fastForward === true };
  return JSON.stringify(d.kind === 'compare' ? { ...common, topologies: d.topologies } : { ...common, vary: d.vary, points: d.points });
}

export interface MergeOutcome {
  result: CompareResult | SweepResult;
  /** Seeds of 1..runs that no input held (the merge is then partial). */
  missing: number[];
}

export function mergeStudies(inputs: { label: string; data: StudyData }[]): MergeOutcome {
  if (inputs.length === 0) throw new Error('nothing to merge');
  const first = inputs[0]!;
  const id = identity(first.data);
  const owner = new Map<number, string>();
  const records: RunRecord[] = [];
  for (const { label, data } of inputs) {
    if (identity(data) !== id) {
      throw new Error(`${label} is not a shard of the same study as ${first.label} (scenario, --set, runs, fast-forward, ${first.data.kind === 'compare' ? 'topologies' : 'grid'} must match)`);
    }
    for (const s of data.seeds) {
      const other = owner.get(s);
      if (other !== undefined) throw new Error(`seed ${s} is in both ${other} and ${label} (the same shard twice?)`);
      owner.set(s, label);
    }
    records.push(...data.records);
  }
  const seeds = [...owner.keys()].sort((a, b) => a - b);
  const missing: number[] = [];
  for (let s = 1; s <= first.data.runs; s++) if (!owner.has(s)) missing.push(s);
  const base = { ...first.data, seeds, shard: null };
  if (base.kind === 'compare') {
    return { result: compareResult({ ...base, records: canonicalOrder(records, base.topologies) }), missing };
  }
  return { result: sweepResult({ ...base, records: canonicalOrder(records, base.points.map((p) => p.key)) }), missing };
}
