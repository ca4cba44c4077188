// Shrinking: random failures made explicit, delta debugging, and the shrunk scenario written by `hasim check`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deltaDebug, materializeRandom } from '../../src/check/shrink.ts';
import type { Observation } from '../../src/kernel/trace.ts';
import { hasim, tempDir, write } from './helpers.ts';

const fault = (at: number, subject: string, verb: string, phase: 'begin' | 'end'): Observation =>
  ({ at, kind: 'fault', subject, detail: { verb, index: 0, phase, random: true, text: '' } });

describe('materializeRandom', () => {
  it('turns begin/end pairs into explicit faults with `for`, in time order', () => {
    const observations: Observation[] = [
      { at: 0, kind: 'fault', subject: 'random masters', detail: { verb: 'random', index: 0, phase: 'begin', text: '' } },
      fault(5_000_000, 'master-2', 'kill', 'begin'),
      fault(7_500_000, 'master-1/etcd', 'isolate', 'begin'),
      fault(9_250_000, 'master-2', 'kill', 'end'),
      fault(9_500_000, 'master-1/etcd', 'isolate', 'end'),
      fault(12_000_000, 'master-3', 'pause', 'begin'),
    ];
    expect(materializeRandom(observations)).toEqual([
      { at: '5s', kill: 'master-2', for: '4.25s' },
      { at: '7.5s', isolate: 'master-1', for: '2s' },
      { at: '12s', pause: 'master-3' },
    ]);
  });
});

describe('deltaDebug', () => {
  it('finds a 1-minimal failing subset', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const fails = (s: number[]): boolean => s.includes(3) && s.includes(17);
    const { kept, tests } = deltaDebug(items, fails, 200);
    expect(kept).toEqual([3, 17]);
    expect(tests).toBeLessThan(60);
  });

  it('stops at its budget', () => {
    const items = Array.from({ length: 64 }, (_, i) => i);
    const { tests } = deltaDebug(items, (s) => s.includes(5), 4);
    expect(tests).toBe(4);
  });

  it('returns nothing when the failure does not need any item', () => {
    expect(deltaDebug([1, 2, 3], () => true, 10)).toEqual({ kept: [], tests: 1 });
  });
});

describe('hasim check shrinks a failing random-fault scenario', () => {
  it('writes a scenario with a minimal explicit schedule that still fails', async () => {
    const dir = tempDir();
    const file = write(dir, 'random.yaml', `name: random-etcd
duration: 30s
seeds: [1]
cluster: { topology: stacked, masters: 3, workers: 0 }
faults:
  - { random: { targets: etcd, mtbf: 8s, mttr: 3s } }
expect:
  - { always: "etcd.leadersInTerm <= 1" }
  - { metric: leaders.etcd.changes, max: 0 }
`);
    const shrinkDir = join(dir, 'shrunk');
    const r = await hasim(['check', file, '--golden-dir', join(dir, 'golden'), '--shrink-dir', shrinkDir]);
    expect(r.code).toBe(1);
    const out = join(shrinkDir, 'random-etcd-shrunk-seed1.yaml');
    expect(r.stdout).toMatch(new RegExp(`random-etcd seed 1: shrunk to 1 of \\d+ random failures \\(\\d+ runs\\) → ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(readdirSync(shrinkDir)).toEqual(['random-etcd-shrunk-seed1.yaml']);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^name: random-etcd-shrunk-seed1\ndescription: "Shrunk by hasim check from random-etcd, seed 1: 1 of the \d+ random/);
    expect(text).toMatch(/\nfaults:\n {2}- \{ at: [\d.]+s, kill: master-\d\/etcd(, for: [\d.]+s)? \}\nexpect:/);
    expect(text).toContain('seeds: [ 1 ]');

    // The shrunk scenario is a valid scenario that fails the same way, and has no random fault left to shrink.
    const again = await hasim(['check', out, '--golden-dir', join(dir, 'golden')]);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/leaders\.etcd\.changes\s+<= 0\s+[1-9]\s+FAIL/);
    expect(again.stdout).not.toContain('shrunk to');
  });
});
