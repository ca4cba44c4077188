// `hasim check` as a matrix: topologies, --set, --seeds; goldens that say which settings changed; tolerance.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasim, scenario, tempDir, write } from './helpers.ts';

const PASSING = scenario('m', '  - { metric: leaders.etcd.changes, min: 1 }\n  - { never: "leaders.kube-scheduler.count >= 2" }');

describe('hasim check matrix', () => {
  it('runs every file in every topology; names, goldens and JUnit suites carry the variant', async () => {
    const dir = tempDir();
    const file = write(dir, 'm.yaml', PASSING);
    const golden = join(dir, 'golden');
    const junit = join(dir, 'junit.xml');
    const r = await hasim(['check', file, '--golden-dir', golden, '--topology', 'stacked,external', '--seeds', '3..4', '--update', '--junit', junit]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 scenarios, 4 runs');
    expect(r.stdout).toMatch(/^m \[external\]\s+4\s+leaders\.etcd\.changes/m);
    expect(existsSync(join(golden, 'm_stacked', 'seed-3.txt'))).toBe(true);
    expect(readFileSync(join(golden, 'm_external', 'seed-4.txt'), 'utf8')).toMatch(/# setting cluster\.topology = "external"/);
    expect(readFileSync(junit, 'utf8')).toContain('<testsuite name="m [external]"');
  });

  it('--set applies to every variant and shows in names and reproduce lines', async () => {
    const dir = tempDir();
    const file = write(dir, 'm.yaml', scenario('m', '  - { metric: leaders.etcd.changes, max: 0 }'));
    const r = await hasim(['check', file, '--golden-dir', join(dir, 'g'), '--set', 'params.haproxy.fall=2', '--topology', 'external', '--seeds', '1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('m [external params.haproxy.fall=2]');
    expect(r.stdout).toContain(`reproduce: hasim run ${file} --seed 1 --topology external --set params.haproxy.fall=2`);
  });

  it('takes seed ranges in files', async () => {
    const dir = tempDir();
    const file = write(dir, 'm.yaml', PASSING.replace('seeds: [1, 2]', 'seeds: "1..3"'));
    const r = await hasim(['check', file, '--golden-dir', join(dir, 'g')]);
    expect(r.stdout).toContain('1 scenario, 3 runs');
  });

  it.each([
    [['--topology', 'stacked,bogus'], '--topology expects a comma list of stacked, external, got "bogus"'],
    [['--seeds', '5..1'], '--seeds: 5..1 is an empty range'],
    [['--seeds', 'x'], '--seeds: expected seeds like 1..50'],
    [['--golden-tolerance', 'soon'], '--golden-tolerance'],
  ])('exits 2 on %s', async (args, message) => {
    const dir = tempDir();
    const file = write(dir, 'm.yaml', PASSING);
    const r = await hasim(['check', file, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('an empty seed range in a file exits 2 naming the field', async () => {
    const dir = tempDir();
    const file = write(dir, 'm.yaml', PASSING.replace('seeds: [1, 2]', 'seeds: "9..2"'));
    const r = await hasim(['check', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: seeds: 9..2 is an empty range`);
  });
});

describe('goldens that survive a flag change', () => {
  it('says which settings changed, and a tolerance absorbs small moves', async () => {
    const dir = tempDir();
    const golden = join(dir, 'golden');
    const file = write(dir, 'm.yaml', PASSING.replace('seeds: [1, 2]', 'seeds: [1]'));
    await hasim(['check', file, '--golden-dir', golden, '--update']);
    writeFileSync(file, PASSING.replace('seeds: [1, 2]', 'seeds: [1]\nparams: { haproxy: { inter: 3s } }'));
    const r = await hasim(['check', file, '--golden-dir', golden]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('  settings changed: params.haproxy.inter: default → 3000000');

    const path = join(golden, 'm', 'seed-1.txt');
    writeFileSync(file, PASSING.replace('seeds: [1, 2]', 'seeds: [1]'));
    await hasim(['check', file, '--golden-dir', golden, '--update']);
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    const i = lines.findIndex((l) => /became etcd leader \(term [2-9]\)/.test(l));
    const at = Number(/^\s*([\d.]+)s/.exec(lines[i]!)![1]);
    lines[i] = lines[i]!.replace(/^\s*[\d.]+s/, `${(at + 0.004).toFixed(3)}s`.padStart(10));
    writeFileSync(path, lines.join('\n'));
    expect((await hasim(['check', file, '--golden-dir', golden])).code).toBe(1);
    const tolerant = await hasim(['check', file, '--golden-dir', golden, '--golden-tolerance', '5ms']);
    expect(tolerant.code).toBe(0);
  });
});
