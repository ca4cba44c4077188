// Smaller items of issue 21: --version names the modelled versions, multi-document YAML, non-scenario files in a folder.
import { describe, expect, it } from 'vitest';
import { MODELLED_VERSIONS } from '../../src/versions.ts';
import { hasim, tempDir, write } from './helpers.ts';

describe('hasim --version', () => {
  it('prints every modelled component and version', async () => {
    const r = await hasim(['--version']);
    expect(r.code).toBe(0);
    for (const v of MODELLED_VERSIONS) expect(r.stdout).toContain(`${v.name} ${v.version}`);
    expect(r.stdout).toMatch(/kubernetes 1\.\d+/);
    expect(r.stdout).toMatch(/etcd 3\.\d+/);
  });
});

describe('scenario files', () => {
  it('a multi-document YAML file is one readable error (exit 2)', async () => {
    const dir = tempDir();
    const file = write(dir, 'two.yaml', 'name: a\nduration: 10s\n---\nname: b\nduration: 10s\n');
    const r = await hasim(['check', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: the file holds 2 YAML documents (the second starts at line 3, column 1, after "---")`);
    expect(r.stderr).not.toMatch(/parseAllDocuments/);
  });

  it('other YAML in a scenario folder is skipped with a note; named on the command line it is an error', async () => {
    const dir = tempDir();
    write(dir, 'a.yaml', 'name: a\nduration: 5s\ncluster: { workers: 0 }\n');
    const ci = write(dir, 'ci.yml', 'jobs:\n  build: { runs-on: ubuntu-latest }\n');
    const r = await hasim(['check', dir, '--golden-dir', tempDir()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${ci}: skipped — not a scenario`);
    expect((await hasim(['check', ci])).code).toBe(2);
  });
});

describe('shrinking notes', () => {
  it('names every failing seed and why it was not shrunk', async () => {
    const dir = tempDir();
    const file = write(dir, 'f.yaml', 'name: f\nduration: 20s\nseeds: "1..2"\ncluster: { workers: 0 }\nfaults:\n  - { at: 10s, kill: "etcd:leader" }\nexpect:\n  - { metric: leaders.etcd.changes, max: 0 }\n');
    const r = await hasim(['check', file, '--golden-dir', tempDir()]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("f seed 1: not shrunk — only random failures are shrunk, and this scenario's faults are all explicit");
    expect(r.stdout).toContain('f seed 2: also failed; not shrunk — only the first failing seed of a scenario is (shrink it with --seeds 2)');
  });
});
