// Runs validation cases one after another, judges each metric by the median rule, and checks the binaries first.
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SkipCase } from './netns.ts';
import { ksCritical, ksStatistic, median, summarize } from './stats.ts';
import { TOLERANCE, type CaseContext, type CaseResult, type MetricResult, type MetricSamples, type ValidationCase } from './types.ts';

/**
 * Judge one metric: gated metrics pass when the model median is within ±TOLERANCE of the real one
 * (or within the real measurement's resolution, when that is wider).
 */
export function judge(m: MetricSamples): MetricResult {
  const realMed = median(m.real);
  const modelMed = median(m.model);
  const ratio = realMed === 0 ? (modelMed === 0 ? 1 : NaN) : modelMed / realMed;
  let pass = true;
  if (m.real.length === 0 || m.model.length === 0) pass = false;
  else if (m.gated) pass = Math.abs(modelMed - realMed) <= Math.max(TOLERANCE * Math.abs(realMed), m.resolutionS ?? 0);
  if (m.expectRealZero && m.real.some((x) => x !== 0)) pass = false;
  return {
    ...m, realSummary: summarize(m.real), modelSummary: summarize(m.model), ratio,
    ks: ksStatistic(m.real, m.model), ksCritical: ksCritical(Math.max(1, m.real.length), Math.max(1, m.model.length)), pass,
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
export async function runCase(c: ValidationCase, ctx: CaseContext): Promise<CaseResult> {
  const t0 = performance.now();
  const base = { id: c.id, title: c.title, notes: [] as string[] };
  const wall = () => Math.round((performance.now() - t0) / 100) / 10;
  ctx.log(`${c.id}: ${c.title} (${ctx.trials} trials)`);
  try {
    const out = await c.run(ctx);
    const metrics = out.metrics.map(judge);
    const ok = metrics.every((m) => m.pass);
    const status = ok ? 'pass' : out.knownDisagreement ? 'known-disagreement' : 'fail';
    return { ...base, status, metrics, notes: out.notes, message: out.knownDisagreement, wallSeconds: wall() };
  } catch (err) {
    if (err instanceof SkipCase) return { ...base, status: 'skip', message: err.message, metrics: [], wallSeconds: wall() };
    return { ...base, status: 'fail', message: `error: ${(err as Error).message}`, metrics: [], wallSeconds: wall() };
  }
}
