// The validation suite: every case, and a run of the chosen ones with the binaries checked first.
import { etcdIsolate, etcdKill, etcdKillPrevote, etcdSigterm } from './etcd-cases.ts';
import { haproxyChecks } from './haproxy-case.ts';
import { keepalivedVip } from './keepalived-case.ts';
import { addSbinToPath, missingBinaries, missingMessage, runCase } from './runner.ts';
import { etcdSnapshot } from './snapshot-case.ts';
import type { CaseResult, PassRule, ValidationCase } from './types.ts';

export { formatMarkdown, formatText, toHtml, toJson } from './report.ts';
export type { CaseResult, ValidationCase } from './types.ts';

export const CASES: ValidationCase[] = [etcdKillPrevote, etcdKill, etcdSigterm, etcdIsolate, etcdSnapshot, haproxyChecks, keepalivedVip];

/** Thrown before any case runs when a binary is missing; the message names the Debian packages. */
export class MissingBinaries extends Error {}

export function selectCases(ids: string[]): ValidationCase[] | string {
  if (ids.length === 0) return CASES;
  const unknown = ids.filter((id) => !CASES.some((c) => c.id === id));
  if (unknown.length > 0) return `unknown case${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}. Cases: ${CASES.map((c) => c.id).join(', ')}.`;
  return CASES.filter((c) => ids.includes(c.id));
}

export interface ValidationOptions {
  trials: number;
  /** Model runs per case (default: as many as real trials). */
  modelTrials?: number;
  rule?: PassRule;
  log: (line: string) => void;
}

export async function runValidation(cases: ValidationCase[], o: ValidationOptions): Promise<CaseResult[]> {
  const { trials, log } = o;
  addSbinToPath();
  const missing = missingBinaries(cases);
  if (missing.length > 0) throw new MissingBinaries(missingMessage(missing));
  const results: CaseResult[] = [];
  for (const c of cases) {
    const r = await runCase(c, { trials, modelTrials: o.modelTrials ?? trials, log }, o.rule ?? 'median');
    log(`${c.id}: ${r.status}${r.message ? ` — ${r.message}` : ''}`);
    results.push(r);
  }
  return results;
}

/** 1 if any case failed (a known disagreement or a skip does not fail the run). */
export function exitCode(results: CaseResult[]): number {
  return results.some((r) => r.status === 'fail') ? 1 : 0;
}
