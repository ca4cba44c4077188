// The scenario library as a regression suite: every expectation holds and every golden timeline matches.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasim } from './helpers.ts';

/**
 * The library's files, not scenarios/large/: a benchmark-size scenario takes minutes, so it is checked
 * by name (`hasim check scenarios/large`) and timed by `hasim bench`.
 */
const LIBRARY = readdirSync('scenarios').filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => `scenarios/${f}`);

describe('scenarios/ against test/golden/', () => {
  it('hasim check scenarios passes (update goldens with --update, after reading the diff)', async () => {
    const r = await hasim(['check', ...LIBRARY, '--golden-dir', 'test/golden']);
    const failed = r.stdout.split('\n').filter((l) => /\bFAIL\b/.test(l));
    expect(failed, r.stdout.slice(-4000)).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/no golden trace/);
  });
});
