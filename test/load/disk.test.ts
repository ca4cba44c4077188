// FIFO disk: an fsync's latency is its own service time plus every write queued ahead of it.
import { describe, expect, it } from 'vitest';
import { DEFAULT_DISK, FifoDisk } from '../../src/load/disk.ts';

const cfg = { writeBytesPerUs: 100, fsyncBaseUs: 1_000 };

describe('FifoDisk', () => {
  it('an fsync on an idle disk takes its base time', () => {
    const disk = new FifoDisk(cfg);
    expect(disk.submit('f', { kind: 'fsync' }, 10_000)).toBe(11_000);
    expect(disk.advance(11_000)).toEqual([
      { id: 'f', kind: 'fsync', submittedAtUs: 10_000, startedAtUs: 10_000, completedAtUs: 11_000, latencyUs: 1_000 },
    ]);
  });

  it('an fsync behind three 100 kB writes waits for them: 3 × 1 ms + 1 ms = 4 ms', () => {
    const disk = new FifoDisk(cfg);
    for (const id of ['w1', 'w2', 'w3']) disk.submit(id, { kind: 'write', bytes: 100_000 }, 0);
    expect(disk.submit('wal-sync', { kind: 'fsync' }, 0)).toBe(4_000);
    expect(disk.queueDepth()).toBe(4);
    expect(disk.advance(2_500).map((op) => op.id)).toEqual(['w1', 'w2']);
    expect(disk.nextCompletionUs()).toBe(3_000);
    const rest = disk.advance(5_000);
    expect(rest.map((op) => [op.id, op.latencyUs])).toEqual([['w3', 3_000], ['wal-sync', 4_000]]);
  });

  it('a write arriving while the disk is busy starts when the op ahead completes', () => {
    const disk = new FifoDisk(cfg);
    disk.submit('w', { kind: 'write', bytes: 50_000 }, 0); // 500 µs
    expect(disk.submit('f', { kind: 'fsync' }, 200)).toBe(1_500); // starts at 500, latency 1300
    const done = disk.advance(2_000);
    expect(done[1]).toMatchObject({ startedAtUs: 500, latencyUs: 1_300 });
    expect(disk.busyMicros()).toBe(1_500);
  });

  it('service time is rounded up to whole µs; defaults are the stated assumptions', () => {
    const disk = new FifoDisk(cfg);
    expect(disk.serviceUs({ kind: 'write', bytes: 150 })).toBe(2);
    expect(DEFAULT_DISK).toEqual({ writeBytesPerUs: 200, fsyncBaseUs: 1_000 });
    expect(() => disk.submit('x', { kind: 'write', bytes: -1 }, 0)).toThrow(/negative/);
  });
});
