// What it costs an etcd member to persist and install a snapshot received from the leader (rafthttp, raftNode, etcdserver/server.go applySnapshot).

/**
 * etcd 3.4/3.5 `etcdserver/server.go` `applySnapshot` runs on the member's apply loop (the FIFO
 * scheduler behind `applyAll`), so nothing committed after the snapshot is applied until it is
 * done. Its steps, as etcd logs them between "applying snapshot" and "applied snapshot":
 *
 * 1. `openSnapshotBackend` renames the received `<index>.snap.db` into place and opens it with
 *    bbolt ("opened backend db", with a `took`) — grows with the database's size;
 * 2. the lessor, `mvcc` (`kvstore.restore`: every revision in the key bucket into the in-memory
 *    tree index), alarm, auth and v2 stores are restored — the mvcc part grows with the revisions;
 * 3. `cluster.Recover`, then `transport.RemoveAllPeers` and one `transport.AddPeer` per other
 *    member: each rafthttp peer's stream goroutines are stopped and started again.
 *
 * The constants are the durations etcd 3.4.23 logged for those steps (their own log lines, not the
 * catch-up time the validation compares) on the 2-core validation machine, mostly idle, with the
 * member's data on tmpfs, for snapshots of 6000 and 24 000 keys written once each (2026-11-29;
 * `scripts/etcd-snapshot-steps.mts` prints them): opening the database 4 ms and 13 ms,
 * restoring mvcc 8–10 ms and 31–45 ms, removing and re-adding the two peers 8–27 ms (median 12).
 * A fit through both sizes gives 1 ms + 0.5 µs per key to open and 1.6 µs per key to restore.
 *
 * The model's store keeps no history, so it counts keys where etcd reads revisions: the same when
 * each key was written once since the last compaction (kube-apiserver compacts every 5 minutes).
 */
const OPEN_BACKEND_US = 1000;
const OPEN_PER_KEY_US = 0.5;
const RESTORE_PER_KEY_US = 1.6;
/** transport.RemoveAllPeers + AddPeer, per other member (12 ms measured for two). */
const PEER_RESTART_US = 6000;

/** Time (µs) the apply loop is busy installing a snapshot of `keys` keys in a cluster of `members`. */
export function snapshotApplyUs(keys: number, members: number): number {
  return Math.round(OPEN_BACKEND_US + keys * (OPEN_PER_KEY_US + RESTORE_PER_KEY_US) + Math.max(0, members - 1) * PEER_RESTART_US);
}

/**
 * fsyncs before a received snapshot is acknowledged and can be applied, in etcd 3.4.23:
 *
 * 1. rafthttp `snapshotHandler.ServeHTTP` → `snap.SaveDBFrom`: the database is written to a temp
 *    file and fsynced (then renamed) before the message reaches raft ("received and saved database
 *    snapshot");
 * 2. `raftNode.start`, the Ready with the snapshot: `storage.SaveSnap` → `Snapshotter.SaveSnap`
 *    (`WriteAndSyncFile` of the .snap file), then
 * 3. `WAL.SaveSnapshot` (its own `sync`);
 * 4. `storage.Save` does not sync (raft `MustSync`: no entries, same term and vote), but
 *    `storage.Sync` does, before `notifyc` lets `applySnapshot` go on; a follower sends its
 *    messages (the ack) only after all of this.
 *
 * The model persists a Ready with one fsync; a Ready carrying a snapshot takes these four (the
 * first moved from before raft's step to the Ready: nothing the model observes happens between).
 * Writing the database's bytes is not in: the model has no disk bandwidth (on the validation's
 * tmpfs, 430 kB took about 1 ms).
 */
export const SNAPSHOT_RECEIVE_FSYNCS = 4;

/** fsyncs to persist a Ready: one, or SNAPSHOT_RECEIVE_FSYNCS when it carries a received snapshot. */
export function readyFsyncs(hasSnapshot: boolean): number {
  return hasSnapshot ? SNAPSHOT_RECEIVE_FSYNCS : 1;
}
