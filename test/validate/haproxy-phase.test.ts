// The haproxy case brings the black-holed server back at the same phase of its check cycle on both sides.
import { describe, expect, it } from 'vitest';
import { haproxyModelTrial, healPhase } from '../../src/validate/haproxy-model.ts';

const TIMINGS = { interMs: 1000, fall: 3, rise: 2 };
const NET = { latencyUs: 50, jitterUs: 25 };

describe('haproxy case: the link comes back at a set phase of the check cycle', () => {
  it('UP follows the phase: a check in flight fails at its deadline, then two good checks (3 s − 2 s × phase)', () => {
    // Phase p of a 2 s cycle (1 s waiting for the deadline of a check into the void, 1 s until the next):
    // in flight (p < 1/2) the check fails 1 − 2p s later, then two checks 1 s apart; else the next check is 2 − 2p s away.
    for (let trial = 1; trial <= 6; trial++) {
      const up = haproxyModelTrial(TIMINGS, NET, trial).healUpS!;
      expect(Math.abs(up - (3 - 2 * healPhase(trial)))).toBeLessThan(0.01);
    }
  });

  it('spreads the phases evenly for any number of trials, so a few trials already see both outcomes', () => {
    for (let n = 2; n <= 40; n++) {
      const inFlight = Array.from({ length: n }, (_, i) => healPhase(i + 1)).filter((p) => p < 0.5).length;
      expect(Math.abs(inFlight - n / 2)).toBeLessThanOrEqual(1);
    }
  });
});
