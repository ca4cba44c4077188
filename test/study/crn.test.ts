// Common random numbers across topologies: the host of etcd member i fails at the same moments stacked and external.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { compareScenarios, compareVariants, summarizeCompare } from '../../src/study/compare.ts';
import { jobsFor, runJobs } from '../../src/study/pool.ts';
import { failureSlot } from '../../src/cluster/slots.ts';
import { Run } from '../../src/cluster/run.ts';
import { validateScenario } from '../../src/scenario/index.ts';

const STUDY = 'scenarios/study-random-failures.yaml';

function slots(topology: string, targets: 'machines' | 'masters' | 'etcd'): Record<string, string> {
  const scenario = validateScenario({ name: 's', duration: '1s', cluster: { topology, masters: 3, workers: 1, loadBalancer: { count: 2, vip: 'keepalived' } } }, 's.yaml');
  const run = new Run(scenario, {});
  const out: Record<string, string> = {};
  for (const m of run.sim.machines.values()) {
    const etcd = m.processes.find((p) => p.component === 'etcd');
    const ref = targets === 'etcd' && etcd && m.spec.role === 'master' ? { kind: 'process' as const, process: etcd } : { kind: 'machine' as const, machine: m };
    out[m.name] = failureSlot(ref, targets);
  }
  return out;
}

describe('failure slots', () => {
  it('pair the host of etcd member i across topologies; external masters get their own slots', () => {
    const stacked = slots('stacked', 'machines');
    const external = slots('external', 'machines');
    expect(stacked['master-2']).toBe('etcd-member-2');
    expect(external['etcd-2']).toBe('etcd-member-2');
    expect(external['master-2']).toBe('control-plane-2');
    expect(stacked['lb-1']).toBe('lb-1');
    expect(external['lb-1']).toBe('lb-1');
    expect(stacked['worker-1']).toBe(external['worker-1']);
    // `targets: masters` pairs the control plane instead
    expect(slots('stacked', 'masters')['master-3']).toBe('control-plane-3');
    expect(slots('stacked', 'etcd')['master-3']).toBe('etcd-member-3');
  });

  it('compare drops --set cluster.etcdMembers from stacked runs (and says so), so a 5-master study is one command', () => {
    const raw = parseYaml(readFileSync(STUDY, 'utf8')) as unknown;
    const { variants, notes } = compareVariants(raw, ['stacked', 'external'], ['cluster.masters=5', 'cluster.etcdMembers=5']);
    expect(variants[0]!.sets).toEqual(['cluster.masters=5', 'cluster.topology=stacked']);
    expect(variants[1]!.sets).toEqual(['cluster.masters=5', 'cluster.etcdMembers=5', 'cluster.topology=external']);
    expect(notes.join('\n')).toContain('--set cluster.etcdMembers is ignored for stacked runs');
    expect(compareScenarios(variants, STUDY).map((s) => s.cluster.etcdMembers)).toEqual([5, 5]);
  });

  it('make the paired etcdQuorum difference vanish on 60 seeds of the study scenario', async () => {
    const raw = parseYaml(readFileSync(STUDY, 'utf8')) as unknown;
    const { variants } = compareVariants(raw, ['stacked', 'external'], []);
    for (const v of variants) v.fastForward = true;
    const scenarios = compareScenarios(variants, STUDY);
    const seeds = Array.from({ length: 60 }, (_, i) => i + 1);
    const records = await runJobs({ file: STUDY, variants, scenarios, jobs: jobsFor(2, seeds), workers: 2 });
    const d = summarizeCompare(['stacked', 'external'], records).differences.find((x) => x.metric === 'availability.etcdQuorum')!;
    expect(d.diff.n).toBe(60);
    // Keyed by machine name this was −2.5 pp; with the same quorum-loss schedules only raft's recovery differs.
    expect(Math.abs(d.diff.mean!)).toBeLessThan(0.001);
    expect(d.meanA!).toBeLessThan(1); // the schedules do lose quorum sometimes: the test is not vacuous
  }, 300_000);
});
