// Bounded memory: raft logs are compacted into KV snapshots, and a member that was down catches up from a snapshot.
import { describe, expect, it } from 'vitest';
import type { RaftDurable } from '../../src/raft/index.ts';
import { obs, runWith } from './helpers.ts';
import { loose } from '../observations.ts';

describe('etcd log compaction', () => {
  it('keeps every log bounded under a steady write load and catches a restarted member up', () => {
    const run = runWith(`
name: t
duration: 100s
cluster: { topology: external, masters: 3, etcdMembers: 3 }
faults: [ { at: 5s, kill: etcd-3 }, { at: 80s, start: etcd-3 } ]
`, 1, { targets: ['etcd-1/etcd', 'etcd-2/etcd'], intervalUs: 4_000, timeoutUs: 10_000_000, keys: 500 });
    const ok = obs(run, 'etcd-load', (o) => loose(o)['ok'] === true).length;
    expect(ok).toBeGreaterThan(20_000);
    for (const m of ['etcd-1/etcd', 'etcd-2/etcd', 'etcd-3/etcd']) {
      const d = run.sim.process(m)!.durable['raft'] as RaftDurable;
      expect(d.snapshot.index, m).toBeGreaterThan(10_000);
      expect(d.entries.length, m).toBeLessThanOrEqual(10_001 + 500);
      expect(d.hardState.commit, m).toBeGreaterThan(20_000);
    }
    expect(run.finish().invariants.violations).toEqual([]);
  });
});
