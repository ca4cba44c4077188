// A received snapshot takes the apply loop time to install (etcd server.go applySnapshot), growing with the store and the peers.
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_RECEIVE_FSYNCS, snapshotApplyUs } from '../../src/etcd/snapshot-apply.ts';
import { snapshotModelTrial } from '../../src/validate/snapshot-case.ts';

describe('installing a received snapshot', () => {
  it('costs more for more keys and more peers to reconnect', () => {
    expect(snapshotApplyUs(24_000, 3)).toBeGreaterThan(snapshotApplyUs(6000, 3));
    expect(snapshotApplyUs(6000, 5)).toBeGreaterThan(snapshotApplyUs(6000, 3));
    expect(snapshotApplyUs(0, 1)).toBeGreaterThan(0);
  });

  it('keeps a restarted follower from having applied everything until the install is done', () => {
    // The follower misses 12 000 writes to 6000 keys and is sent a snapshot when it comes back.
    const applyS = snapshotApplyUs(6000, 3) / 1e6;
    for (const seed of [1, 2]) {
      const t = snapshotModelTrial(4, seed);
      expect(t.snapshot).toBe(true);
      const installS = t.catchUpS! - t.receivedS!;
      // Arrival → fsync (4 µs) → the install; the poll that sees it runs every 1 ms.
      expect(installS).toBeGreaterThanOrEqual(applyS);
      expect(installS).toBeLessThan(applyS + 0.002);
    }
  });

  it('persists a received snapshot with etcd\'s four fsyncs (database file, .snap file, WAL record, WAL sync) before installing it', () => {
    // On a disk with 2 ms fsyncs the install starts 4 × 2 ms after the arrival, not 2 ms.
    const fsyncUs = 2000;
    const applyS = snapshotApplyUs(6000, 3) / 1e6;
    const t = snapshotModelTrial(fsyncUs, 1);
    const installS = t.catchUpS! - t.receivedS!;
    expect(installS).toBeGreaterThanOrEqual(applyS + SNAPSHOT_RECEIVE_FSYNCS * fsyncUs / 1e6);
    expect(installS).toBeLessThan(applyS + SNAPSHOT_RECEIVE_FSYNCS * fsyncUs / 1e6 + 0.002);
  });
});
