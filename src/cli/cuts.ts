// `hasim cuts`: failure-domain cut sets per topology (study/cuts.ts), on worker threads like compare.
import { parseDuration } from '../scenario/index.ts';
import { TOPOLOGIES } from '../study/compare.ts';
import { cutVariants, outcomes, type CutsOptions, type CutsResult, type TopologyCuts } from '../study/cuts.ts';
import { renderCuts, renderCutsHtml } from '../study/cuts-render.ts';
import { runJobs } from '../study/pool.ts';
import { scenarioOf } from '../study/record.ts';
import { intOption, parse, UsageError } from './args.ts';
import { progressBar } from './progress.ts';
import { OutputSet } from './output.ts';
import { printOut } from './terminal.ts';
import { oneScenario, rawScenario, workersOption } from './study-common.ts';

function durationOption(name: string, value: string | undefined, fallback: string): number {
  const text = value ?? fallback;
  let us: number;
  try {
    us = parseDuration(text);
  } catch {
    throw new UsageError(`hasim cuts: --${name} expects a duration like "60s", got "${text}".`);
  }
  if (!(us > 0) && name === 'for') throw new UsageError(`hasim cuts: --for must be longer than 0, got "${text}".`);
  return us;
}

/** Options checked before anything runs: usage errors name the option (exit 2). */
function cutsOptions(values: Record<string, string | boolean | string[] | undefined>): CutsOptions {
  const maxFailures = intOption('cuts', 'max-failures', values['max-failures'] as string | undefined) ?? 2;
  if (maxFailures < 1) throw new UsageError(`hasim cuts: --max-failures must be at least 1, got ${maxFailures}.`);
  const domain = (values['domain'] as string | undefined) ?? 'machine';
  if (domain !== 'machine' && domain !== 'zone') throw new UsageError(`hasim cuts: --domain expects machine or zone, got "${domain}".`);
  const cap = intOption('cuts', 'cap', values['cap'] as string | undefined) ?? 500;
  if (cap < 1) throw new UsageError(`hasim cuts: --cap must be at least 1, got ${cap}.`);
  return {
    maxFailures, domain, cap,
    forUs: durationOption('for', values['for'] as string | undefined, '60s'),
    atUs: durationOption('at', values['at'] as string | undefined, '30s'),
  };
}

export async function cutsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('cuts', argv, {
    'max-failures': { type: 'string' }, for: { type: 'string' }, at: { type: 'string' }, domain: { type: 'string' },
    cap: { type: 'string' }, topologies: { type: 'string' }, workers: { type: 'string' }, set: { type: 'string', multiple: true },
    json: { type: 'string' }, html: { type: 'string' }, quiet: { type: 'boolean' },
  });
  const file = oneScenario('cuts', positionals);
  const opts = cutsOptions(values);
  const topologies = (values.topologies ?? TOPOLOGIES.join(',')).split(',').map((t) => t.trim());
  for (const t of topologies) {
    if (!(TOPOLOGIES as readonly string[]).includes(t)) throw new UsageError(`hasim cuts: unknown topology "${t}" in --topologies; expected ${TOPOLOGIES.join(', ')}.`);
  }
  const workers = workersOption('cuts', values.workers);
  const outputs = new OutputSet([values.json, values.html]); // checked before the runs, written whole or not at all
  const raw = rawScenario(file);
  const progress = progressBar('cuts');
  let result: CutsResult;
  try {
    result = await runCuts(raw, file, topologies, values.set ?? [], opts, workers, (d, t) => progress.update(d, t));
  } finally {
    progress.stop();
  }
  outputs.runSync(() => {
    if (values.json !== undefined) outputs.text(values.json, `${JSON.stringify(result)}\n`);
    if (values.html !== undefined) outputs.text(values.html, renderCutsHtml(result));
  });
  if (!values.quiet && values.json !== '-') printOut(`${renderCuts(result)}\n`);
  return 0;
}

/** Every topology's sets, run on `workers` threads; validation problems are input errors naming the option or field. */
export async function runCuts(raw: unknown, file: string, topologies: readonly string[], sets: readonly string[], opts: CutsOptions,
  workers: number, onProgress?: (done: number, total: number) => void): Promise<CutsResult> {
  const { plans, variants } = cutVariants(raw, file, topologies, sets, opts);
  for (const p of plans) {
    if (opts.domain === 'zone' && p.domains.length < 2) {
      throw new UsageError(`hasim cuts: --domain zone needs a cluster with more than one zone; ${file} has cluster.zones = ${p.domains.length}.`);
    }
    if (opts.maxFailures > p.domains.length) {
      throw new UsageError(`hasim cuts: --max-failures ${opts.maxFailures} is more than the ${p.domains.length} ${opts.domain}s of the ${p.topology} cluster in ${file}.`);
    }
  }
  const jobs = variants.map((_, v) => ({ variant: v, seed: plans[0]!.base.seed }));
  const records = await runJobs({ file, variants, scenarios: variants.map((v) => (workers <= 1 ? scenarioOf(v, file) : null)), jobs, workers, onProgress });
  const topologiesOut: Record<string, TopologyCuts> = {};
  let offset = 0;
  for (const p of plans) {
    topologiesOut[p.topology] = outcomes(p, records.slice(offset, offset + p.sets.length + 1), opts);
    offset += p.sets.length + 1;
  }
  return {
    format: 'hasim-cuts', version: 1, scenario: plans[0]!.base.name, file, seed: plans[0]!.base.seed,
    options: { maxFailures: opts.maxFailures, for: `${opts.forUs / 1e6}s`, at: `${opts.atUs / 1e6}s`, domain: opts.domain, cap: opts.cap },
    topologies: topologiesOut,
  };
}
