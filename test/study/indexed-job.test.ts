// The shipped Indexed Job example and its image: the manifest's commands run as written against this CLI.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { hasim, tempDir } from '../check/helpers.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MANIFEST = readFileSync(join(ROOT, 'examples/compare-indexed-job.yaml'), 'utf8');
const CONTAINERFILE = readFileSync(join(ROOT, 'Containerfile'), 'utf8');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Job {
  spec: {
    completions: number;
    parallelism: number;
    template: { spec: { containers: { image: string; command: string[]; args: string[] }[] } };
  };
}

const job = parseYaml(MANIFEST) as Job;
const container = job.spec.template.spec.containers[0]!;

/** The words after `npx hasim` in a shell line, with the Job's index variables and /out replaced. */
function hasimWords(line: string, index: number, out: string): string[] {
  const expanded = line
    .replace(/\$\(\(JOB_COMPLETION_INDEX\s*\+\s*1\)\)/g, String(index + 1))
    .replace(/\$JOB_COMPLETION_INDEX\b/g, String(index))
    .replace(/\/out\//g, `${out}/`);
  const words = expanded.trim().split(/\s+/);
  expect(words.slice(0, 2)).toEqual(['npx', 'hasim']);
  return words.slice(2);
}

/** Replace an option's value (the option must be present in the manifest's command). */
function withOption(words: string[], name: string, value: string): string[] {
  const at = words.indexOf(name);
  expect(at, `the manifest's command has ${name}`).toBeGreaterThanOrEqual(0);
  return [...words.slice(0, at + 1), value, ...words.slice(at + 2)];
}

describe('examples/compare-indexed-job.yaml', () => {
  it('uses the image the Containerfile builds, as a non-root Node 20 image with npm ci', () => {
    expect(CONTAINERFILE).toMatch(/^FROM node:20[\w.-]*$/m);
    expect(CONTAINERFILE).toMatch(/^RUN npm ci\b/m);
    expect(CONTAINERFILE).toMatch(/^USER (?!root\b)\w+$/m);
    expect(CONTAINERFILE).toContain(`-t hasim:${VERSION} -f Containerfile .`);
    expect(container.image).toBe(`hasim:${VERSION}`);
    expect(MANIFEST).toContain(`podman build -t hasim:${VERSION} -f Containerfile .`);
  });

  it('shards with --shard i/N where N is the completion count, and its merge line joins them into the unsharded result', async () => {
    const n = job.spec.completions;
    expect(job.spec.parallelism).toBeLessThanOrEqual(n);
    expect(container.command).toEqual(['/bin/sh', '-c']);
    const line = container.args.join(' ');
    expect(line).toMatch(new RegExp(`--shard \\$\\(\\(JOB_COMPLETION_INDEX\\+1\\)\\)/${n}\\b`));

    const out = tempDir();
    // The manifest's own command per index, with fewer runs (one seed per shard) and one worker thread.
    for (let i = 0; i < n; i++) {
      const words = withOption(hasimWords(line, i, out), '--runs', String(n));
      const r = await hasim([...words, '--workers', '1']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const shards = readdirSync(out).filter((f) => /^shard-\d+\.json$/.test(f)).sort();
    expect(shards).toHaveLength(n);

    const mergeLine = /^#\s+(npx hasim merge .*)$/m.exec(MANIFEST)?.[1];
    expect(mergeLine).toBeDefined();
    const mergeWords = hasimWords(mergeLine!, 0, out).flatMap((w) =>
      w === `${out}/shard-*.json` ? shards.map((f) => join(out, f)) : w.endsWith('.json') || w.endsWith('.html') ? [join(out, w)] : [w],
    );
    const merged = await hasim(mergeWords);
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(0);

    const first = hasimWords(line, 0, out);
    const scenario = first[1]!;
    const topologies = first[first.indexOf('--topologies') + 1]!;
    const whole = await hasim(['compare', scenario, '--topologies', topologies, '--runs', String(n), '--workers', '1', '--json', join(out, 'whole.json'), '--quiet']);
    expect(whole.code).toBe(0);
    expect(readFileSync(join(out, 'compare.json'), 'utf8')).toBe(readFileSync(join(out, 'whole.json'), 'utf8'));
    expect(readFileSync(join(out, 'compare.html'), 'utf8')).toContain('<html');
  }, 120_000);
});
