// Table tests for quorum arithmetic (sizes, committed index from match indexes, vote tallies).
import { describe, expect, it } from 'vitest';
import { committedIndex, faultTolerance, majority, voteResult } from '../../src/raft/quorum.ts';

describe('quorum arithmetic', () => {
  // etcd FAQ failure-tolerance table.
  it.each([
    [1, 1, 0],
    [2, 2, 0],
    [3, 2, 1],
    [4, 3, 1],
    [5, 3, 2],
    [6, 4, 2],
    [7, 4, 3],
  ])('majority of %i voters is %i, tolerating %i failures', (n, maj, tol) => {
    expect(majority(n)).toBe(maj);
    expect(faultTolerance(n)).toBe(tol);
  });

  it('rejects an empty or fractional voter set', () => {
    expect(() => majority(0)).toThrow();
    expect(() => majority(2.5)).toThrow();
  });

  it.each([
    [[5], 5],
    [[5, 0], 0],
    [[5, 3], 3],
    [[3, 5, 4], 4],
    [[0, 0, 9], 0],
    [[7, 7, 1], 7],
    [[1, 2, 3, 4], 2],
    [[10, 2, 8, 4, 6], 6],
    [[10, 2, 8, 4, 6, 9], 6],
    [[1, 1, 1, 9, 9, 9, 9], 9],
    [[1, 1, 1, 1, 9, 9, 9], 1],
  ])('committed index of matches %j is %i', (matches, want) => {
    expect(committedIndex(matches)).toBe(want);
  });

  it('committedIndex does not reorder its input', () => {
    const m = [3, 1, 2];
    committedIndex(m);
    expect(m).toEqual([3, 1, 2]);
  });

  const v = (entries: [number, boolean][]) => new Map(entries);
  it.each([
    ['single voter grants itself', [1], v([[1, true]]), 'won'],
    ['3: one grant pending', [1, 2, 3], v([[1, true]]), 'pending'],
    ['3: two grants win', [1, 2, 3], v([[1, true], [3, true]]), 'won'],
    ['3: two rejections lose', [1, 2, 3], v([[1, true], [2, false], [3, false]]), 'lost'],
    ['4: two grants still pending', [1, 2, 3, 4], v([[1, true], [2, true]]), 'pending'],
    ['4: two rejections lose', [1, 2, 3, 4], v([[1, true], [2, false], [3, false]]), 'lost'],
    ['5: three grants win', [1, 2, 3, 4, 5], v([[1, true], [2, true], [5, true], [3, false]]), 'won'],
    ['votes from non-voters are ignored', [1, 2, 3], v([[1, true], [9, true]]), 'pending'],
  ] as const)('vote result: %s', (_name, voters, votes, want) => {
    expect(voteResult(voters, votes)).toBe(want);
  });
});
