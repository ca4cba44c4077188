// hasim compare / sweep / merge in-process: exit codes, determinism across worker counts, shard + merge, sweep grids.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasim, tempDir, write } from '../check/helpers.ts';

const SCENARIO = `name: "study <b>&"
duration: 25s
cluster: { topology: stacked, masters: 3, workers: 1, etcdMembers: 3 }
faults:
  - { at: 8s, kill: "etcd:leader" }
  - { at: 12s, kill: "kube-scheduler:leader" }
`;

function setup(): { dir: string; file: string } {
  const dir = tempDir();
  return { dir, file: write(dir, 'study.yaml', SCENARIO) };
}

const json = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

describe('hasim compare', () => {
  it('prints distributions per topology and paired differences; identical for --workers 1 and 2', async () => {
    const { dir, file } = setup();
    const one = await hasim(['compare', file, '--runs', '4', '--workers', '1', '--json', join(dir, 'w1.json')]);
    expect(one.stderr).toBe('');
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('compare study <b>&: stacked vs external, 4 runs per topology (seeds 1..4)');
    expect(one.stdout).toContain('note: cluster.etcdMembers (3) is ignored for stacked runs');
    expect(one.stdout).toMatch(/^stacked \(4 runs\)$/m);
    expect(one.stdout).toMatch(/^external \(4 runs\)$/m);
    expect(one.stdout).toMatch(/^availability\.apiWrite\s+\d/m);
    expect(one.stdout).toMatch(/^failover gap etcd \(4 failovers\)/m);
    expect(one.stdout).toContain('differences external − stacked');
    expect(one.stdout).toMatch(/^stacked: API write downtime by mechanism/m);
    expect(one.stdout).toMatch(/^etcd leader election\s+\d/m);
    expect(one.stdout).toContain('API write downtime by mechanism, external − stacked');
    const two = await hasim(['compare', file, '--runs', '4', '--workers', '2', '--json', join(dir, 'w2.json')]);
    expect(two.code).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(readFileSync(join(dir, 'w2.json'), 'utf8')).toBe(readFileSync(join(dir, 'w1.json'), 'utf8'));
    const data = json(join(dir, 'w1.json'));
    expect(data['kind']).toBe('compare');
    expect((data['records'] as unknown[]).length).toBe(8);
  });

  it('shards merge into exactly the unsharded result', async () => {
    const { dir, file } = setup();
    const all = await hasim(['compare', file, '--runs', '5', '--workers', '1', '--json', join(dir, 'all.json')]);
    expect(all.code).toBe(0);
    for (const i of [1, 2, 3]) {
      const r = await hasim(['compare', file, '--runs', '5', '--workers', '1', '--shard', `${i}/3`, '--json', join(dir, `s${i}.json`), '--quiet']);
      expect(r.code).toBe(0);
    }
    expect((json(join(dir, 's2.json'))['seeds'])).toEqual([2, 5]);
    const merged = await hasim(['merge', join(dir, 's3.json'), join(dir, 's1.json'), join(dir, 's2.json'), '--json', join(dir, 'merged.json')]);
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(0);
    expect(merged.stdout).toBe(all.stdout);
    expect(readFileSync(join(dir, 'merged.json'), 'utf8')).toBe(readFileSync(join(dir, 'all.json'), 'utf8'));

    const partial = await hasim(['merge', join(dir, 's1.json'), '--quiet']);
    expect(partial.code).toBe(0);
    expect(partial.stderr).toContain('warning: 3 of 5 seeds are in no shard');
    const twice = await hasim(['merge', join(dir, 's1.json'), join(dir, 's1.json')]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/seed 1 is in both/);
    const bogus = write(dir, 'bogus.json', '{"hello": 1}');
    expect((await hasim(['merge', bogus])).stderr).toMatch(/not a hasim compare\/sweep JSON file/);
  });

  it('exits 2 on usage errors', async () => {
    const { file } = setup();
    const bad = await hasim(['compare', file, '--topologies', 'stacked,hybrid']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('hasim compare: unknown topology "hybrid" in --topologies; expected a comma-separated list of stacked, external.\n');
    expect((await hasim(['compare', file, '--shard', '3/2'])).code).toBe(2);
    expect((await hasim(['compare', file, '--runs', '0'])).code).toBe(2);
    expect((await hasim(['compare'])).code).toBe(2);
    expect((await hasim(['compare', '/nonexistent.yaml'])).stderr).toContain('no such file');
    expect((await hasim(['merge'])).code).toBe(2);
    expect((await hasim(['compare', '--help'])).stdout).toContain('--shard i/n');
  });

  it('writes a self-contained HTML page that escapes scenario strings', async () => {
    const { dir, file } = setup();
    const r = await hasim(['compare', file, '--runs', '2', '--workers', '1', '--html', join(dir, 'c.html'), '--quiet']);
    expect(r.code).toBe(0);
    const html = readFileSync(join(dir, 'c.html'), 'utf8');
    expect(html).toContain('<title>hasim compare — study &lt;b&gt;&amp;</title>');
    expect(html).not.toContain('study <b>');
    expect(html).toContain('<script type="application/json" id="study-data">');
    expect(html).toContain('"stacks":[{"title":"API write downtime by mechanism (mean seconds per run)"');
    expect(html).toMatch(/d3js\.org|d3\.js/);
  });
});

describe('hasim sweep', () => {
  it('runs the grid and reports invalid points as skipped', async () => {
    const { dir, file } = setup();
    const r = await hasim(['sweep', file, '--vary', 'params.leaderElection.leaseDuration=10s..14s:2s', '--vary', 'cluster.masters=3..5:2', '--set', 'cluster.topology=external', '--runs', '2', '--workers', '2', '--json', join(dir, 'sw.json')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('6 points (4 run, 2 skipped), 2 runs per point');
    expect(r.stdout).toMatch(/^leaseDuration\s+masters\s+runs\s+apiWrite\s+gap etcd/m);
    expect(r.stdout).toMatch(/^\s+12s\s+5\s+2\s+/m);
    expect(r.stdout).toContain('params.leaderElection.leaseDuration=10s cluster.masters=3: params.leaderElection.leaseDuration: must be greater than renewDeadline (10s), got 10s');
    const data = json(join(dir, 'sw.json')) as { points: { skipped: string | null }[]; records: unknown[] };
    expect(data.points.map((p) => p.skipped === null)).toEqual([false, false, true, true, true, true]);
    expect(data.records.length).toBe(8);
    const one = await hasim(['sweep', file, '--vary', 'params.leaderElection.leaseDuration=10s..14s:2s', '--vary', 'cluster.masters=3..5:2', '--set', 'cluster.topology=external', '--runs', '2', '--workers', '1', '--json', join(dir, 'sw1.json')]);
    expect(one.stdout).toBe(r.stdout);
  });

  it('exits 2 on a bad --vary', async () => {
    const { file } = setup();
    const r = await hasim(['sweep', file, '--vary', 'params.leaderElection.leaseDuration=5s']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hasim sweep: --vary "params.leaderElection.leaseDuration=5s": expected path=a\.\.b\[:step\]/);
    expect((await hasim(['sweep', file])).code).toBe(2);
    expect((await hasim(['sweep', file, '--vary', 'a=1..2', '--vary', 'b=1..2', '--vary', 'c=1..2'])).code).toBe(2);
  });
});

describe('hasim bench', () => {
  it('runs a small compare-1k and says how the runs went', async () => {
    const r = await hasim(['bench', 'compare-1k', '--runs', '2', '--simulated', '5m', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out['runs']).toBe(2);
    expect(out['topologies']).toBe(2);
    expect(out['simulatedSecondsPerRun']).toBe(300);
    expect(out['fastForward']).toBe(true);
    expect(out['invariantViolations']).toBe(0);
    expect(Number(out['events'])).toBeGreaterThan(0);
  });

  it('exits 2 on bad options, naming the option', async () => {
    const bad = await hasim(['bench', 'compare-1k', '--simulated', '3x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('hasim bench: --simulated: expected a duration like "30s", got "3x".\n');
    expect((await hasim(['bench', 'compare-1k', '--simulated', '0s'])).stderr).toMatch(/--simulated must be longer than 0/);
    expect((await hasim(['bench', 'compare-1k', '--runs', '0'])).code).toBe(2);
    expect((await hasim(['bench', 'no-such-bench'])).stderr).toMatch(/unknown benchmark "no-such-bench"/);
  });
});
