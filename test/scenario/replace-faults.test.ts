// replaceFaults: the one helper that shrinking and cut sets use to swap a raw scenario's faults.
import { describe, expect, it } from 'vitest';
import { replaceFaults } from '../../src/scenario/replace-faults.ts';

describe('replaceFaults', () => {
  it('puts the new faults where the old ones were, drops the tour, and leaves the input alone', () => {
    const raw = { name: 'x', faults: [{ at: '5s', kill: 'etcd:leader' }], tour: [{ after: 'fault:0', say: 'hi' }], expect: [] };
    const out = replaceFaults(raw, [{ at: '1s', kill: 'master-1' }]);
    expect(Object.keys(out)).toEqual(['name', 'faults', 'expect']);
    expect(out['faults']).toEqual([{ at: '1s', kill: 'master-1' }]);
    expect(raw.tour).toHaveLength(1);
    expect(raw.faults[0]!.kill).toBe('etcd:leader');
  });

  it('adds faults to a scenario that had none', () => {
    expect(replaceFaults({ name: 'y', tour: [] }, [])).toEqual({ name: 'y', faults: [] });
  });
});
