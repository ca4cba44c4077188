// Failure mixes: kinds with their own rates, named profiles, bad input, and the same failure times across topologies.
import { describe, expect, it } from 'vitest';
import { Run } from '../../src/cluster/run.ts';
import type { Observation } from '../../src/kernel/trace.ts';
import { InputError } from '../../src/scenario/errors.ts';
import { parseScenarioText } from '../../src/scenario/parse.ts';
import { PROFILES, RANDOM_KINDS } from '../../src/scenario/schema-mix.ts';
import { materializeRandom } from '../../src/check/shrink.ts';
import { hasim, tempDir, write } from '../check/helpers.ts';
import { loose } from '../observations.ts';

const FILE = 'scenarios/x.yaml';
const HEAD = 'name: t\nduration: 10d\ncluster: { masters: 3, workers: 2, zones: 3, loadBalancer: { count: 2, vip: keepalived } }\n';

function errorOf(text: string): string {
  try {
    parseScenarioText(text, FILE);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('expected an InputError');
}

const MIX = `${HEAD}faults:
  - random:
      mix:
        - { kind: crash, component: kube-apiserver, rate: 150 }
        - { kind: power-loss, targets: machines, rate: 20, mttr: 10m }
        - { kind: reboot, targets: masters, rate: 30, mttr: 3m }
        - { kind: disk-stall, rate: 40, mttr: 1m, fsync: 2s }
        - { kind: isolation, targets: workers, rate: 30, mttr: 5m }
        - { kind: zone-outage, rate: 15, mttr: 30m }
`;

function faultsOf(topology: string, text = MIX): Observation[] {
  const scenario = parseScenarioText(text.replace('masters: 3,', `masters: 3, topology: ${topology},`), FILE);
  const run = new Run(scenario, { fastForward: true });
  run.finish();
  return run.sim.trace.observations.filter((o) => o.kind === 'fault' && o.detail['random'] === true);
}

describe('failure mixes', () => {
  it('bad input names the field: unknown kind, negative rate, missing component or mttr, two forms', () => {
    const at = (mix: string) => errorOf(`${HEAD}faults:\n  - random: { mix: [${mix}] }\n`);
    expect(at('{ kind: meteor, rate: 1 }')).toContain(`${FILE}: faults[0].random.mix[0].kind: unknown random kind "meteor"; expected one of ${RANDOM_KINDS.join(', ')}`);
    expect(at('{ kind: power-loss, rate: -1, mttr: 1h }')).toContain(`${FILE}: faults[0].random.mix[0].rate: expected a rate ≥ 0 (failures per target per year), got -1`);
    expect(at('{ kind: crash, rate: 1 }')).toContain('faults[0].random.mix[0].component: required for kind crash');
    expect(at('{ kind: reboot, rate: 1 }')).toContain('faults[0].random.mix[0].mttr: required for kind reboot');
    expect(errorOf(`${HEAD}faults:\n  - random: { profile: datacenter, targets: masters }\n`)).toContain('faults[0].random: expected one of: targets + mtbf + mttr, a profile, or a mix');
    expect(errorOf(`${HEAD}faults:\n  - random: { profile: moon }\n`)).toContain('faults[0].random.profile: expected one of');
    expect(errorOf(`name: t\nduration: 1h\ncluster: { masters: 3, workers: 0 }\nfaults:\n  - random: { mix: [{ kind: power-loss, targets: workers, rate: 1, mttr: 1h }] }\n`))
      .toContain('faults[0].random.mix[0].targets: the cluster has no workers');
  });

  it('the CLI exits 2 on an unknown kind and a negative rate', async () => {
    const dir = tempDir();
    for (const [mix, field] of [['{ kind: meteor, rate: 1 }', 'kind'], ['{ kind: isolation, rate: -2, mttr: 1m }', 'rate']] as const) {
      const file = write(dir, `${field}.yaml`, `${HEAD}faults:\n  - random: { mix: [${mix}] }\n`);
      const r = await hasim(['run', file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`faults[0].random.mix[0].${field}:`);
    }
  });

  it('every kind strikes, and the host of etcd member i fails at the same moments in both topologies', () => {
    const stacked = faultsOf('stacked');
    const external = faultsOf('external');
    const kinds = new Set(stacked.filter((o) => loose(o)['phase'] === 'begin').map((o) => loose(o)['kind']));
    expect([...kinds].sort()).toEqual([...RANDOM_KINDS].sort());
    // power loss of the etcd hosts: master-i stacked, etcd-i external, same slot, same times
    const times = (obs: Observation[], host: (i: number) => string) => [1, 2, 3].map((i) =>
      obs.filter((o) => loose(o)['kind'] === 'power-loss' && loose(o)['phase'] === 'begin' && o.subject === host(i)).map((o) => o.at));
    const s = times(stacked, (i) => `master-${i}`);
    expect(s.flat().length).toBeGreaterThan(0);
    expect(times(external, (i) => `etcd-${i}`)).toEqual(s);
  });

  it('every kind has an explicit equivalent, so that hasim check can shrink a failing mix', () => {
    const observations = faultsOf('stacked');
    const explicit = materializeRandom(observations);
    expect(explicit.length).toBeGreaterThan(10);
    expect(explicit.some((f) => 'disk' in f) && explicit.some((f) => String(f['kill']).endsWith('/kube-apiserver'))).toBe(true);
    const text = `name: t\nduration: 10d\ncluster: { masters: 3, workers: 2, zones: 3, loadBalancer: { count: 2, vip: keepalived } }\nfaults: ${JSON.stringify(explicit)}\n`;
    expect(parseScenarioText(text, FILE).faults).toHaveLength(explicit.length);
  });

  it('ships a datacenter profile with a rate for every kind', () => {
    const kinds = new Set(PROFILES['datacenter']!.map((e) => e.kind));
    expect([...kinds].sort()).toEqual([...RANDOM_KINDS].sort());
    const s = parseScenarioText(`${HEAD}faults:\n  - random: { profile: datacenter }\n`, FILE);
    expect(s.faults[0]).toMatchObject({ verb: 'random', profile: 'datacenter' });
  });
});
