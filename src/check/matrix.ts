// The matrix of `hasim check`: topology variants and --set overrides of each scenario file, and --seeds.
import { TOPOLOGIES } from '../scenario/schema-cluster.ts';
import { parseSeeds } from '../scenario/seeds.ts';

/** One variant of every scenario file: overrides applied before validation, and how names carry it. */
export interface Variant {
  /** `--set` arguments, the topology's last. */
  sets: string[];
  /** `external params.haproxy.inter=3s`, or '' when nothing is overridden. */
  label: string;
  /** The same, as `hasim run` options (for reproduce lines). */
  runArgs: string[];
}

/** The variants named by `--topology a,b` and `--set` (each set applies to every topology); errors are usage texts. */
export function variants(topology: string | undefined, sets: readonly string[]): Variant[] | string {
  const topologies = topology === undefined ? [undefined] : topology.split(',').map((t) => t.trim());
  for (const t of topologies) {
    if (t !== undefined && !(TOPOLOGIES as readonly string[]).includes(t)) {
      return `--topology expects a comma list of ${TOPOLOGIES.join(', ')}, got "${t}" in "${topology}"`;
    }
  }
  if (new Set(topologies).size !== topologies.length) return `--topology names a topology twice: "${topology}"`;
  return topologies.map((t) => {
    const all = t === undefined ? [...sets] : [...sets, `cluster.topology=${t}`];
    const runArgs = [...(t === undefined ? [] : ['--topology', t]), ...sets.flatMap((s) => ['--set', quote(s)])];
    return { sets: all, label: [t ?? '', ...sets].filter(Boolean).join(' '), runArgs };
  });
}

/** `--seeds 1..50` or `1,2,5..9`: the seeds, or a usage text. */
export function seedsOption(text: string | undefined): number[] | undefined | string {
  if (text === undefined) return undefined;
  const seeds = parseSeeds(text);
  return typeof seeds === 'string' ? `--seeds: ${seeds}` : seeds;
}

/** Quote an argument for a POSIX shell when it needs it. */
export function quote(arg: string): string {
  return /^[\w./:=,@+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
