// The scenario library as a regression suite: every expectation holds and every golden timeline matches.
import { describe, expect, it } from 'vitest';
import { hasim } from './helpers.ts';

describe('scenarios/ against test/golden/', () => {
  it('hasim check scenarios passes (update goldens with --update, after reading the diff)', async () => {
    const r = await hasim(['check', 'scenarios', '--golden-dir', 'test/golden']);
    const failed = r.stdout.split('\n').filter((l) => /\bFAIL\b/.test(l));
    expect(failed, r.stdout.slice(-4000)).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/no golden trace/);
  });
});
