// hasim cuts: the pair table of the study cluster in both topologies, set enumeration and sampling, bad input.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runCuts } from '../../src/cli/cuts.ts';
import { cutSets } from '../../src/study/cuts.ts';
import { hasim, tempDir, write } from '../check/helpers.ts';

const STUDY = 'scenarios/study-random-failures.yaml';
const pairs = (names: string[]) => names.flatMap((a, i) => names.slice(i + 1).map((b) => [a, b]));

describe('cut sets', () => {
  it('enumerates every set of 1..k, or samples `cap` distinct sets deterministically', () => {
    const all = cutSets(8, 2, 500, 1);
    expect(all.total).toBe(8 + 28);
    expect(new Set(all.sets.map((s) => s.join(','))).size).toBe(36);
    expect(all.sets.filter((s) => s.length === 2)).toContainEqual([6, 7]);
    const some = cutSets(20, 3, 50, 7);
    expect(some.total).toBe(20 + 190 + 1140);
    expect(some.sets).toHaveLength(50);
    expect(new Set(some.sets.map((s) => s.join(','))).size).toBe(50);
    for (const s of some.sets) expect(new Set(s).size).toBe(s.length);
    expect(cutSets(20, 3, 50, 7)).toEqual(some);
  });

  it('pair table, 3 masters and 2 LBs + VIP: every master pair loses quorum stacked; external only the 3 etcd-host pairs', async () => {
    const raw = parseYaml(readFileSync(STUDY, 'utf8')) as unknown;
    const r = await runCuts(raw, STUDY, ['stacked', 'external'], ['cluster.workers=0'],
      { maxFailures: 2, forUs: 60e6, atUs: 30e6, domain: 'machine', cap: 500 }, 2);
    const stacked = r.topologies['stacked']!;
    const external = r.topologies['external']!;
    expect(stacked.domains).toEqual(['master-1', 'master-2', 'master-3', 'lb-1', 'lb-2']);
    expect(external.domains).toHaveLength(8);
    const quorumPairs = (t: typeof stacked) => t.sets.filter((o) => o.domains.length === 2 && o.down.etcdQuorum).map((o) => o.domains);
    expect(quorumPairs(stacked)).toEqual(pairs(['master-1', 'master-2', 'master-3']));
    expect(external.sets.filter((o) => o.domains.length === 2)).toHaveLength(28);
    expect(quorumPairs(external)).toEqual(pairs(['etcd-1', 'etcd-2', 'etcd-3']));
    // no single machine is a cut of anything; both LBs together cut API writes in both topologies
    for (const t of [stacked, external]) {
      expect(t.sets.filter((o) => o.domains.length === 1 && Object.values(o.down).some(Boolean))).toEqual([]);
      expect(t.minimal.apiWrite).toContainEqual(['lb-1', 'lb-2']);
      expect(t.sampled).toBe(false);
    }
    expect(stacked.minimal.etcdQuorum).toHaveLength(3);
  }, 300_000);
});

describe('hasim cuts bad input (exit 2, naming the option)', () => {
  const dir = tempDir();
  const file = write(dir, 'c.yaml', 'name: c\nduration: 60s\ncluster: { masters: 3, workers: 0 }\n');
  it.each([
    [['--max-failures', '0'], /--max-failures must be at least 1, got 0/],
    [['--max-failures', '9'], /--max-failures 9 is more than the \d+ machines of the stacked cluster/],
    [['--domain', 'zone'], /--domain zone needs a cluster with more than one zone; .*cluster\.zones = 1/],
    [['--domain', 'rack'], /--domain expects machine or zone, got "rack"/],
    [['--for', 'soon'], /--for expects a duration like "60s", got "soon"/],
  ])('%j', async (args, message) => {
    const r = await hasim(['cuts', file, ...args, '--workers', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('cut sets of a scenario with a tour', () => {
  it('run: the tour, whose anchors name the replaced faults, is dropped from every set scenario', async () => {
    const dir = tempDir();
    const file = write(dir, 'toured.yaml', `name: toured
duration: 60s
cluster: { topology: stacked, masters: 3, workers: 0 }
faults:
  - { at: 30s, kill: "etcd:leader" }
tour:
  - { after: fault:0, text: "the leader dies" }
`);
    const r = await hasim(['cuts', file, '--max-failures', '1', '--topologies', 'stacked', '--workers', '1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('stacked: 4 domains');
  });
});
