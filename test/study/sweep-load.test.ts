// hasim sweep over load: per point the N+1 verdict's p99 write latency, 429 share and how many runs held; list-valued grids merge.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sweepResult, type SweepData } from '../../src/study/sweep.ts';
import type { RunRecord } from '../../src/study/record.ts';
import { hasim, tempDir, write } from '../check/helpers.ts';

const LOADED = `name: small-n-plus-one
duration: 40s
cluster: { topology: stacked, masters: 3, workers: 0 }
load:
  balance: leastconn
  machines: { cores: 2 }
  limits: { p99WriteLatency: 1s, rejectedFraction: 0.001 }
  clients:
    - { name: users, kind: user, count: 10, requests: [{ class: update, perSecond: 1 }] }
    - { name: reports, kind: service-account, count: 10, requests: [{ class: list, perSecond: 1, objects: 2000 }] }
faults:
  - { at: 20s, stop: master-1/kube-apiserver }
`;

const json = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;

describe('hasim sweep over load', () => {
  it('adds the N+1 columns, and summary.load agrees with the runs it summarises', async () => {
    const dir = tempDir();
    const file = write(dir, 'load.yaml', LOADED);
    const r = await hasim(['sweep', file, '--vary', 'load.clients.1.count=5..15:10', '--runs', '2', '--workers', '1', '--json', join(dir, 'sw.json')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/N\+1 p99 write\s+N\+1 429s\s+N\+1 holds/);
    expect(r.stdout).toContain("N+1 = the scenario's load.limits verdict after its first fault");
    const data = json(join(dir, 'sw.json'));
    for (const key of ['load.clients.1.count=5', 'load.clients.1.count=15']) {
      const runs = data['records'].filter((x: RunRecord) => x.variant === key);
      expect(runs).toHaveLength(2);
      for (const x of runs) expect(x.load).toBeDefined();
      const s = data['summary']['load'][key];
      expect(s.runs).toBe(2);
      expect(s.holds).toBe(runs.filter((x: RunRecord) => x.load!.holds).length);
      expect(s.p99WriteMs.mean).toBeCloseTo((runs[0].load.p99WriteMs + runs[1].load.p99WriteMs) / 2, 6);
    }
  }, 300_000);

  it('a scenario without load limits gets no N+1 columns', () => {
    const rec = (variant: string, seed: number, load?: RunRecord['load']): RunRecord => ({
      variant, seed, values: {}, gaps: {}, invariantViolations: 0, truncated: false, ...(load ? { load } : {}),
    });
    const base = { format: 'hasim-study', version: 1, scenario: 's', file: 'f', seeds: [1, 2], shard: null, fastForward: true, vary: [], kind: 'sweep' } as unknown as SweepData;
    const points = [{ key: 'a', values: ['1'], sets: [], skipped: null }];
    expect(sweepResult({ ...base, points, records: [rec('a', 1), rec('a', 2)] }).summary.load).toBeUndefined();
    const held = sweepResult({ ...base, points, records: [rec('a', 1, { p99WriteMs: 100, rejectedFraction: 0, holds: true }), rec('a', 2, { p99WriteMs: 300, rejectedFraction: 0.01, holds: false })] });
    expect(held.summary.load!['a']).toEqual({ runs: 2, p99WriteMs: { mean: 200, p95: expect.any(Number) }, rejectedFraction: { mean: 0.005, p95: expect.any(Number) }, holds: 1 });
  });

  it('shards of a sweep over listed values merge (the shard schema knows list grids)', async () => {
    const dir = tempDir();
    const file = write(dir, 's.yaml', 'name: s\nduration: 15s\ncluster: { topology: stacked, masters: 3, workers: 0 }\nfaults: [{ at: 5s, kill: "etcd:leader" }]\n');
    for (const i of [1, 2]) {
      const r = await hasim(['sweep', file, '--vary', 'cluster.topology=stacked,external', '--runs', '2', '--shard', `${i}/2`, '--workers', '1', '--quiet', '--json', join(dir, `p${i}.json`)]);
      expect(r.code).toBe(0);
    }
    const m = await hasim(['merge', join(dir, 'p1.json'), join(dir, 'p2.json')]);
    expect(m.stderr).toBe('');
    expect(m.code).toBe(0);
    expect(m.stdout).toMatch(/cluster\.topology=|topology/);
  }, 300_000);
});
