// The rise/fall health counter (haproxy check.c, keepalived vrrp_script): table tests.
import { describe, expect, it } from 'vitest';
import { fullHealth, healthSettled, isGood, startHealth, stepHealth } from '../../src/lb/health.ts';

const RF = { rise: 2, fall: 3 };

/** Apply a string of results ('P' pass, 'F' fail) and return the good/bad trace. */
function run(start: number, results: string, rf = RF): string {
  let h = start;
  let out = '';
  for (const r of results) {
    h = stepHealth(h, r === 'P', rf);
    out += isGood(h, rf) ? 'U' : 'D';
  }
  return out;
}

describe('health counter', () => {
  it.each([
    // [start, results, good/bad after each]
    ['a fully healthy server goes DOWN after fall (3) consecutive failures', fullHealth(RF), 'FFF', 'UUD'],
    ['a success between failures restarts the fall count', fullHealth(RF), 'FFPFFF', 'UUUUUD'],
    ['a DOWN server comes UP after rise (2) consecutive successes', 0, 'PP', 'DU'],
    ['a failure while rising starts the rise count again', 0, 'PFPP', 'DDDU'],
    ['haproxy start-up value (health = rise): UP, but DOWN at the first failure', startHealth(RF), 'F', 'D'],
    ['haproxy start-up value: one success makes it fully healthy', startHealth(RF), 'PFF', 'UUU'],
  ])('%s', (_name, start, results, expected) => {
    expect(run(start as number, results as string)).toBe(expected);
  });

  it('stays within [0, rise + fall - 1]', () => {
    expect(stepHealth(fullHealth(RF), true, RF)).toBe(4);
    expect(stepHealth(0, false, RF)).toBe(0);
  });

  it.each([
    [1, 1, 'F', 'D'],
    [1, 1, 'FP', 'DU'],
    [2, 5, 'FFFFF', 'UUUUD'],
    [10, 2, 'PPPPPPPPPP', 'DDDDDDDDDU'],
  ])('rise %i fall %i from the state that just changed: %s → %s', (rise, fall, results, expected) => {
    const rf = { rise, fall };
    const start = results[0] === 'F' ? fullHealth(rf) : 0;
    expect(run(start, results, rf)).toBe(expected);
  });
});

describe('healthSettled (fast-forward: no verdict change under way)', () => {
  it.each([
    // [health, verdict good?, settled?]
    [fullHealth(RF), true, true],
    [fullHealth(RF) - 1, true, false], // UP after one failure: falling
    [startHealth(RF), true, false], // haproxy start-up value: not yet confirmed
    [0, false, true],
    [1, false, false], // DOWN after one success: rising
  ])('health %i, good %s → %s', (health, good, settled) => {
    expect(healthSettled(health, good, RF)).toBe(settled);
  });
});
