// Hostile names and folders for hasim check: no file outside the folder named, colliding names refused, no crash.
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goldenPath } from '../../src/check/files.ts';
import { slug } from '../../src/check/slug.ts';
import { hasim, tempDir, write } from '../check/helpers.ts';

const tiny = (name: string, extra = '', masters = 1): string =>
  `name: ${JSON.stringify(name)}\nduration: 5s\nseeds: [1]\ncluster: { topology: stacked, masters: ${masters}, workers: 0 }\n${extra}`;

/** Every file under `dir`, as paths relative to it. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const n of readdirSync(d, { withFileTypes: true })) {
      if (n.isDirectory()) walk(join(d, n.name), `${rel}${n.name}/`);
      else out.push(`${rel}${n.name}`);
    }
  };
  walk(dir, '');
  return out.sort();
}

describe('output names from scenario names', () => {
  it('slugs never leave their folder', () => {
    for (const name of ['..', '.', '../../../../elsewhere/evil', 'a/b', '/etc/passwd', '', '.git', 'x\u0000y', 'C:\\win', 'a'.repeat(500)]) {
      const s = slug(name);
      expect(s).not.toMatch(/[/\\]/);
      expect(s.startsWith('.')).toBe(false);
      expect(s.length).toBeGreaterThan(0);
      expect(s.length).toBeLessThanOrEqual(120);
    }
    expect(goldenPath('g', '..', 1)).toBe(join('g', '_.', 'seed-1.txt'));
  });

  it('a golden trace of a scenario named ".." stays inside --golden-dir', async () => {
    const dir = tempDir();
    const golden = join(dir, 'deep', 'golden');
    mkdirSync(golden, { recursive: true });
    const file = write(dir, 'dots.yaml', tiny('..'));
    const r = await hasim(['check', file, '--golden-dir', golden, '--update']);
    expect(r.code).toBe(0);
    expect(tree(join(dir, 'deep'))).toEqual(['golden/_./seed-1.txt']);
  });

  it('a shrunk scenario named ../../elsewhere/evil stays inside --shrink-dir', async () => {
    const dir = tempDir();
    const file = write(dir, 'evil.yaml', `${tiny('../../elsewhere/evil', '', 3).replace('5s', '30s')}faults:\n  - { random: { targets: etcd, mtbf: 5s, mttr: 2s } }\nexpect:\n  - { metric: leaders.etcd.changes, max: 0 }\n`);
    const shrinkDir = join(dir, 'out', 'shrunk');
    const r = await hasim(['check', file, '--golden-dir', join(dir, 'golden'), '--shrink-dir', shrinkDir]);
    expect(r.code).toBe(1);
    expect(existsSync(join(dir, 'elsewhere'))).toBe(false);
    expect(existsSync(join(dir, 'out', 'elsewhere'))).toBe(false);
    const files = tree(shrinkDir);
    expect(files.length).toBe(1);
    expect(files[0]).toMatch(/^_._.._elsewhere_evil-shrunk-seed1\.yaml$/);
  });

  it('names that give one file name (a/b and a_b) are refused before anything runs', async () => {
    const dir = tempDir();
    write(dir, 'one.yaml', tiny('a/b'));
    write(dir, 'two.yaml', tiny('a_b'));
    const r = await hasim(['check', dir, '--golden-dir', join(dir, 'golden'), '--update']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('two.yaml: name: "a_b" gives the same file name (a_b) as "a/b" in');
    expect(existsSync(join(dir, 'golden', 'a_b'))).toBe(false);
  });
});

describe('folders given to check', () => {
  it('a broken symbolic link and a link loop are bad input, not a crash', async () => {
    const dir = tempDir();
    write(dir, 'ok.yaml', tiny('ok'));
    symlinkSync(join(dir, 'missing.yaml'), join(dir, 'broken.yaml'));
    symlinkSync(join(dir, 'loop-b'), join(dir, 'loop-a'));
    symlinkSync(join(dir, 'loop-a'), join(dir, 'loop-b'));
    symlinkSync(dir, join(dir, 'self'));
    const r = await hasim(['check', dir, '--golden-dir', join(dir, 'golden')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('broken.yaml: a broken symbolic link');
    expect(r.stderr).toContain('loop-a: a symbolic link loop');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('check --update with a file as the golden folder is exit 2', async () => {
    const dir = tempDir();
    const file = write(dir, 'ok.yaml', tiny('ok'));
    const notDir = write(dir, 'golden', 'x');
    const r = await hasim(['check', file, '--golden-dir', notDir, '--update']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`hasim check: --golden-dir ${notDir} is a file, expected a folder.\n`);
  });

  it('--junit to a folder that cannot be created is the I/O exit code before any run', async () => {
    const dir = tempDir();
    const file = write(dir, 'ok.yaml', tiny('ok'));
    writeFileSync(join(dir, 'plain'), 'x');
    const r = await hasim(['check', file, '--golden-dir', join(dir, 'golden'), '--junit', join(dir, 'plain', 'j.xml')]);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
