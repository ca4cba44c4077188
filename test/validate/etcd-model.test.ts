// The model side of the etcd cases measures as the real side does: writes at a random phase of their interval.
import { describe, expect, it } from 'vitest';
import { etcdModelTrial } from '../../src/validate/etcd-model.ts';

const CFG = { heartbeatMs: 100, electionMs: 1000, preVote: true, snapshotCount: 100_000 };
const NET = { latencyUs: 50, jitterUs: 25, fsyncUs: 4 };

describe('etcd cases, model side', () => {
  it('SIGTERM: no write fails, as in every real trial (the writes are not phase-locked to the signal)', () => {
    // Writes on a 10 ms grid through the fault instant sent one exactly as the transfer began, to be
    // dropped by the leader in transfer: a failed write in most runs, never seen in 30 real trials.
    const failed = Array.from({ length: 10 }, (_, i) => etcdModelTrial(CFG, NET, 'stop', i + 1, 10, 1000).failedWrites);
    expect(failed.filter((n) => n > 0).length).toBeLessThanOrEqual(1);
  });
});
