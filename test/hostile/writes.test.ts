// Output writes: checked before the work, complete or absent, failures one line with exit code 4 (EXIT_IO).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasim, tempDir, write } from '../check/helpers.ts';

const SCENARIO = 'name: w\nduration: 5s\ncluster: { topology: stacked, masters: 1, workers: 0 }\n';
const hasFull = existsSync('/dev/full');

function oneLine(stderr: string, path: string): void {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).toContain(path);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('writes', () => {
  it.runIf(hasFull)('run --json /dev/full: exit 4, one line, and the finished trace is not left behind', async () => {
    const dir = tempDir();
    const file = write(dir, 'w.yaml', SCENARIO);
    const trace = join(dir, 'trace.jsonl');
    const r = await hasim(['run', file, '--trace', trace, '--json', '/dev/full']);
    expect(r.code).toBe(4);
    oneLine(r.stderr, '/dev/full');
    expect(r.stderr).toContain('no space left');
    expect(readdirSync(dir)).toEqual(['w.yaml']);
  });

  it.runIf(hasFull)('run --trace /dev/full: exit 4 instead of a trace cut mid-line and exit 0', async () => {
    const dir = tempDir();
    const file = write(dir, 'w.yaml', SCENARIO);
    const r = await hasim(['run', file, '--trace', '/dev/full', '--quiet']);
    expect(r.code).toBe(4);
    oneLine(r.stderr, '/dev/full');
  });

  it('run --json into a missing folder fails before the run, naming the path', async () => {
    const dir = tempDir();
    const file = write(dir, 'w.yaml', SCENARIO);
    const target = join(dir, 'nope', 'r.json');
    const r = await hasim(['run', file, '--json', target, '--trace', join(dir, 't.jsonl')]);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    oneLine(r.stderr, target);
    expect(readdirSync(dir)).toEqual(['w.yaml']);
  });

  it('compare --html /nonexistent/x.html fails before the study runs', async () => {
    const dir = tempDir();
    const file = write(dir, 'w.yaml', SCENARIO);
    // 100,000 runs would outlast the test's time-out; one line on stderr means no progress bar either.
    const r = await hasim(['compare', file, '--runs', '100000', '--workers', '1', '--html', '/nonexistent/x.html']);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    oneLine(r.stderr, '/nonexistent/x.html');
  });

  it('sweep and merge check their outputs first too', async () => {
    const dir = tempDir();
    const file = write(dir, 'w.yaml', SCENARIO);
    const s = await hasim(['sweep', file, '--vary', 'cluster.masters=1..3:2', '--runs', '100000', '--json', join(dir, 'x', 'y.json')]);
    expect(s.code).toBe(4);
    const m = await hasim(['merge', join(dir, 'missing.json'), '--json', join(dir, 'x', 'y.json')]);
    expect(m.code).toBe(4);
    expect(readdirSync(dir)).toEqual(['w.yaml']);
  });

  it('a folder given as output file is exit 4, and no temporary file is left', async () => {
    const dir = tempDir();
    const file = write(dir, 'w.yaml', SCENARIO);
    const r = await hasim(['run', file, '--json', dir, '--quiet']);
    expect(r.code).toBe(4);
    oneLine(r.stderr, dir);
    expect(readdirSync(dir)).toEqual(['w.yaml']);
  });

  it('a complete write replaces the target whole', async () => {
    const dir = tempDir();
    const file = write(dir, 'w.yaml', SCENARIO);
    const json = join(dir, 'r.json');
    const r = await hasim(['run', file, '--json', json, '--trace', join(dir, 't.jsonl'), '--quiet']);
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['r.json', 't.jsonl', 'w.yaml']);
  });
});
