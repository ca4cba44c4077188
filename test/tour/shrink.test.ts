// Shrinking a failing scenario that has a tour: the shrunk scenario drops the tour (its fault anchors would not survive).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasim, tempDir, write } from '../check/helpers.ts';

describe('hasim check shrinks a scenario with a tour', () => {
  it('writes a valid shrunk scenario without the tour', async () => {
    const dir = tempDir();
    const file = write(dir, 'random.yaml', `name: random-tour
duration: 30s
seeds: [1]
cluster: { topology: stacked, masters: 3, workers: 0 }
faults:
  - { random: { targets: etcd, mtbf: 8s, mttr: 3s } }
expect:
  - { metric: leaders.etcd.changes, max: 0 }
tour:
  - { after: fault:0, text: "the random failures start" }
`);
    const shrinkDir = join(dir, 'shrunk');
    const r = await hasim(['check', file, '--golden-dir', join(dir, 'golden'), '--shrink-dir', shrinkDir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/random-tour seed 1: shrunk to 1 of \d+ random failures/);
    const text = readFileSync(join(shrinkDir, 'random-tour-shrunk-seed1.yaml'), 'utf8');
    expect(text).not.toContain('tour:');
    expect((await hasim(['check', join(shrinkDir, 'random-tour-shrunk-seed1.yaml'), '--golden-dir', join(dir, 'golden')])).code).toBe(1);
  });
});
