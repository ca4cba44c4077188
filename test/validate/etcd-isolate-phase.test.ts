// The etcd-isolate case cuts model run N's leader at real trial N's phase of the check-quorum cycle.
import { describe, expect, it } from 'vitest';
import { LEADER_PHASE, modelTrials } from '../../src/validate/etcd-cases.ts';
import { etcdModelTrial } from '../../src/validate/etcd-model.ts';
import { modelSamples } from '../../src/validate/recorded.ts';

const CFG = { heartbeatMs: 100, electionMs: 1000, preVote: true, snapshotCount: 100_000 };
const NET = { latencyUs: 50, jitterUs: 25, fsyncUs: 4 };

describe('etcd-isolate: the cut lands at a given phase of the leader\'s check-quorum cycle', () => {
  it('cuts the leader when it has led for the given time modulo the election timeout', () => {
    for (const [seed, phaseS] of [[1, 0.2], [2, 0.55], [3, 0.9]] as const) {
      const m = etcdModelTrial(CFG, NET, 'isolate', seed, 10, 1000, phaseS * 1e6);
      expect(m.leaderPhaseS).toBeCloseTo(phaseS, 6);
    }
  });

  it('steps down at the second check after the cut: two election timeouts minus the phase', () => {
    // etcd raft tickHeartbeat: checks at 1, 2, … election timeouts after becoming leader; the first
    // check after the cut still sees the followers' heartbeat responses from before it.
    for (const phaseS of [0.1, 0.4, 0.7, 0.95]) {
      const down = etcdModelTrial(CFG, NET, 'isolate', 4, 10, 1000, phaseS * 1e6).stepDownS!;
      expect(Math.abs(down - (2 - phaseS))).toBeLessThan(0.01);
    }
  });

  it('pairs run N with phase N and leaves runs beyond the given phases unpaired', () => {
    const m = modelTrials(CFG, NET, 'isolate', 3, [0.3, 0.6]);
    expect(m.leaderPhase.slice(0, 2).map((x) => Math.round(x * 1e6))).toEqual([300_000, 600_000]);
    expect(m.stepDown.slice(0, 2).map((x) => Math.round(x * 100) / 100)).toEqual([1.7, 1.4]);
    expect(m.leaderPhase).toHaveLength(3);
  });

  it('a recorded run\'s phases reach the model side (hasim validate\'s recorded check)', () => {
    const recorded = [{ name: LEADER_PHASE, unit: 's' as const, real: [0.25, 0.75], model: [], gated: false }];
    const samples = modelSamples('etcd-isolate', 2, ['fsync 4 µs'], recorded)!;
    expect(samples.get(LEADER_PHASE)!.map((x) => Math.round(x * 1000))).toEqual([250, 750]);
    expect(samples.get('old leader steps down (s)')!.map((x) => Math.round(x * 100) / 100)).toEqual([1.75, 1.25]);
  });
});
