// Leader-election timings over many seeds against client-go's derived ranges (k8s-ha-facts §1.2, §1.3).
import { describe, expect, it } from 'vitest';
import { Run, runScenario } from '../../src/cluster/run.ts';
import type { Fault } from '../../src/scenario/index.ts';
import { quantile, scenario } from '../etcd/helpers.ts';
import { loose } from '../observations.ts';

const SEEDS = 200;

function yaml(faults: string, extra = ''): string {
  return `name: t\nduration: 90s\ncluster: { topology: stacked, masters: 3 }\n${extra}\nfaults: [ ${faults} ]\n`;
}

function gaps(text: string, group: 'kube-scheduler' | 'kube-controller-manager'): number[] {
  const sc = scenario(text);
  const out: number[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    const { report } = runScenario(sc, { seed, keepObservations: false });
    expect(report.invariants.violations, `seed ${seed}`).toEqual([]);
    const f = report.failovers.find((x) => x.group === group);
    expect(f?.gapSeconds, `seed ${seed}: no ${group} failover`).not.toBeNull();
    out.push(f!.gapSeconds!);
    expect(report.leaders[group].dualLeaderSeconds, `seed ${seed}`).toBe(0);
    expect(report.leaders[group].staleLeaderActions, `seed ${seed}`).toBe(0);
  }
  return out;
}

describe('client-go failover timings with default flags (LD 15 s, RD 10 s, RP 2 s, two standbys)', () => {
  it('scheduler leader killed: new leader 13–23.8 s after the crash, median near 16.6 s', () => {
    const g = gaps(yaml('{ at: 40s, kill: "kube-scheduler:leader" }'), 'kube-scheduler');
    expect(Math.min(...g)).toBeGreaterThanOrEqual(13);
    expect(Math.max(...g)).toBeLessThan(23.8);
    expect(quantile(g, 0.5)).toBeGreaterThan(15.8);
    expect(quantile(g, 0.5)).toBeLessThan(17.4);
  });

  it('scheduler leader stopped: it releases the lease, a standby leads 0–4.4 s later (median ≈ 1 s)', () => {
    const g = gaps(yaml('{ at: 40s, stop: "kube-scheduler:leader" }'), 'kube-scheduler');
    expect(Math.min(...g)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...g)).toBeLessThan(4.4);
    expect(quantile(g, 0.5)).toBeGreaterThan(0.6);
    expect(quantile(g, 0.5)).toBeLessThan(1.5);
  });

  it('controller-manager leader stopped: no release, so 13–23.8 s as after a crash', () => {
    const g = gaps(yaml('{ at: 40s, stop: "kube-controller-manager:leader" }'), 'kube-controller-manager');
    expect(Math.min(...g)).toBeGreaterThanOrEqual(13);
    expect(Math.max(...g)).toBeLessThan(23.8);
    expect(quantile(g, 0.5)).toBeGreaterThan(15.8);
    expect(quantile(g, 0.5)).toBeLessThan(17.4);
  });
});

/** Run to 30 s, then kill the apiserver the current scheduler leader talks to (its own node's, kubeadm). */
function cutOffHolder(seed: number, extra = '', clockFault?: (machine: string) => Fault) {
  const run = new Run(scenario(yaml('', extra)), { seed });
  run.advance(30_000_000);
  const holder = run.targets.resolve('kube-scheduler:leader')[0];
  expect(holder?.kind, `seed ${seed}: no scheduler leader`).toBe('process');
  const machine = holder!.kind === 'process' ? holder!.process.host.name : '';
  if (clockFault) run.inject(clockFault(machine));
  run.inject({ index: 90, at: 30_000_000, verb: 'kill', target: `${machine}/kube-apiserver`, scope: 'process' });
  const report = run.finish();
  return { run, report, member: `${machine}/kube-scheduler` };
}

describe('lease holder cut off from its apiserver', () => {
  it('stops within RD + RP of its last renew; the leaderless gap is 3–10.4 s; never two leaders', () => {
    const gapsSeen: number[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const { run, report, member } = cutOffHolder(seed);
      const obs = run.sim.trace.observations;
      const stop = obs.find((o) => o.kind === 'leader' && o.subject === member && o.detail['leading'] === false)!;
      const identity = loose(obs.find((o) => o.kind === 'leader' && o.subject === member && o.detail['leading'] === true)!)['identity'];
      const lastRenew = obs.filter((o) => o.kind === 'lease' && o.detail['holder'] === identity && o.at < 30_000_000).at(-1)!;
      expect((stop.at - lastRenew.at) / 1e6, `seed ${seed}`).toBeLessThanOrEqual(12.05);
      const f = report.failovers.find((x) => x.group === 'kube-scheduler')!;
      gapsSeen.push(f.gapSeconds!);
      expect(report.leaders['kube-scheduler'].dualLeaderSeconds, `seed ${seed}`).toBe(0);
      expect(report.leaders['kube-scheduler'].staleLeaderActions, `seed ${seed}`).toBe(0);
    }
    expect(Math.min(...gapsSeen)).toBeGreaterThanOrEqual(2.9);
    expect(Math.max(...gapsSeen)).toBeLessThanOrEqual(10.5);
    expect(quantile(gapsSeen, 0.5)).toBeGreaterThan(4.6);
    expect(quantile(gapsSeen, 0.5)).toBeLessThan(6.6);
  });
});

describe('clocks: rates matter, offsets do not', () => {
  const clock = (rate: number, offset: number) => (machine: string): Fault =>
    ({ index: 91, at: 30_000_000, verb: 'clock', target: machine, offset, rate });

  it('a 1-hour offset on the holder changes nothing (same failover, no overlap)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const plain = cutOffHolder(seed).report;
      const skewed = cutOffHolder(seed, '', clock(1, 3_600_000_000)).report;
      expect(skewed.leaders['kube-scheduler'].dualLeaderSeconds).toBe(0);
      const a = plain.failovers.find((x) => x.group === 'kube-scheduler')!.gapSeconds!;
      const b = skewed.failovers.find((x) => x.group === 'kube-scheduler')!.gapSeconds!;
      expect(Math.abs(a - b), `seed ${seed}`).toBeLessThan(0.01);
    }
  });

  it('a holder clock running at 0.6× keeps acting after a standby acquired: dual leaders', () => {
    let dual = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const { report } = cutOffHolder(seed, '', clock(0.6, 0));
      if (report.leaders['kube-scheduler'].dualLeaderSeconds > 0) dual++;
    }
    expect(dual).toBeGreaterThanOrEqual(36);
  });
});

describe('no fencing', () => {
  it('a holder paused past its lease acts on resume before its renew loop notices', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const { report } = runScenario(scenario(yaml('{ at: 40s, pause: "kube-scheduler:leader", for: 25s }')), { seed });
      expect(report.leaders['kube-scheduler'].staleLeaderActions, `seed ${seed}`).toBeGreaterThan(0);
      expect(report.leaders['kube-scheduler'].dualLeaderSeconds, `seed ${seed}`).toBeGreaterThan(0);
    }
  });
});
