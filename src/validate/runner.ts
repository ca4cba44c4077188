// Runs validation cases one after another, judges each metric by the median rule, and checks the binaries first.
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SkipCase } from './netns.ts';
import { ksCritical, ksStatistic, median, quantile, summarize } from './stats.ts';
import { TOLERANCE, type CaseContext, type PassRule, type CaseResult, type MetricResult, type MetricSamples, type ValidationCase } from './types.ts';

/** The medians of `draws` samples of `n` values drawn (with replacement) from `xs`; a fixed-seed generator, so a rerun agrees. */
export function resampledMedians(xs: readonly number[], n: number, draws = 4000): number[] {
  let state = 0x9e3779b9;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out: number[] = [];
  for (let d = 0; d < draws; d++) {
    const sample = Array.from({ length: n }, () => xs[Math.floor(next() * xs.length)]!);
    out.push(median(sample));
  }
  return out;
}

/** The range the real median must fall in for a gated metric to pass (see PassRule). */
export function acceptRange(m: MetricSamples, rule: PassRule): [number, number] {
  const slack = (x: number) => Math.max(TOLERANCE * Math.abs(x), m.resolutionS ?? 0);
  if (rule === 'median') {
    // |model − real| ≤ max(TOL·real, resolution), solved for real.
    const modelMed = median(m.model);
    const lo = Math.min(modelMed / (1 + TOLERANCE), modelMed - (m.resolutionS ?? 0));
    const hi = Math.max(modelMed / (1 - TOLERANCE), modelMed + (m.resolutionS ?? 0));
    return [lo, hi];
  }
  const meds = resampledMedians(m.model, Math.max(1, m.real.length));
  const lo = quantile(meds, 0.001);
  const hi = quantile(meds, 0.999);
  return [lo - slack(lo), hi + slack(hi)];
}

/**
 * Judge one metric. `median` rule: the model median within ±TOLERANCE of the real one (or within
 * the real measurement's resolution, when that is wider); `sampled-median`: see PassRule.
 */
export function judge(m: MetricSamples, rule: PassRule = 'median'): MetricResult {
  const realMed = median(m.real);
  const modelMed = median(m.model);
  const ratio = realMed === 0 ? (modelMed === 0 ? 1 : NaN) : modelMed / realMed;
  let pass = true;
  let accept: [number, number] = [NaN, NaN];
  if (m.real.length === 0 || m.model.length === 0) pass = false;
  else if (m.gated) {
    accept = acceptRange(m, rule);
    pass = rule === 'median'
      ? Math.abs(modelMed - realMed) <= Math.max(TOLERANCE * Math.abs(realMed), m.resolutionS ?? 0)
      : realMed >= accept[0] && realMed <= accept[1];
  }
  if (m.expectRealZero && m.real.some((x) => x !== 0)) pass = false;
  return {
    ...m, realSummary: summarize(m.real), modelSummary: summarize(m.model), ratio,
    ks: ksStatistic(m.real, m.model), ksCritical: ksCritical(Math.max(1, m.real.length), Math.max(1, m.model.length)), rule, accept, pass,
  };
}

/** Debian puts haproxy, keepalived and ip in /usr/sbin: look there too (for this process and its children). */
export function addSbinToPath(): void {
  const parts = (process.env['PATH'] ?? '').split(':').filter((p) => p !== '');
  for (const dir of ['/usr/sbin', '/sbin']) if (!parts.includes(dir)) parts.push(dir);
  process.env['PATH'] = parts.join(':');
}

export function onPath(binary: string): boolean {
  return (process.env['PATH'] ?? '').split(':').some((dir) => {
    try {
      accessSync(join(dir || '.', binary), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The binaries (and their Debian packages) that are not on PATH. */
export function missingBinaries(cases: ValidationCase[]): { binary: string; pkg: string }[] {
  const seen = new Map<string, string>();
  for (const c of cases) for (const n of c.needs) seen.set(n.binary, n.pkg);
  const missing: { binary: string; pkg: string }[] = [];
  for (const [binary, pkg] of seen) {
    if (!onPath(binary)) missing.push({ binary, pkg });
  }
  return missing;
}

export function missingMessage(missing: { binary: string; pkg: string }[]): string {
  const pkgs = [...new Set(missing.map((m) => m.pkg))];
  return `hasim validate: ${missing.map((m) => `\`${m.binary}\``).join(', ')} not found on PATH. ` +
    `Install the Debian package${pkgs.length > 1 ? 's' : ''} ${pkgs.join(', ')} (apt-get install ${pkgs.join(' ')}) and run again.`;
}

/** Run one case; any error inside it fails the case (its processes and namespaces are already cleaned up). */
export async function runCase(c: ValidationCase, ctx: CaseContext, rule: PassRule = 'median'): Promise<CaseResult> {
  const t0 = performance.now(); // wall-clock ok
  const base = { id: c.id, title: c.title, notes: [] as string[] };
  const wall = () => Math.round((performance.now() - t0) / 100) / 10; // wall-clock ok
  ctx.log(`${c.id}: ${c.title} (${ctx.trials} real trials, ${ctx.modelTrials} model runs)`);
  try {
    const out = await c.run(ctx);
    const metrics = out.metrics.map((m) => judge(m, rule));
    const failing = metrics.filter((m) => !m.pass);
    const status = failing.length === 0 ? 'pass' : failing.every((m) => m.known) ? 'known-disagreement' : 'fail';
    const message = failing.filter((m) => m.known).map((m) => `${m.name}: ${m.known}`).join('; ') || undefined;
    return { ...base, status, metrics, notes: out.notes, message, wallSeconds: wall() };
  } catch (err) {
    if (err instanceof SkipCase) return { ...base, status: 'skip', message: err.message, metrics: [], wallSeconds: wall() };
    return { ...base, status: 'fail', message: `error: ${(err as Error).message}`, metrics: [], wallSeconds: wall() };
  }
}
