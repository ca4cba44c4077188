// What an etcd member's process does before it ticks or answers anyone when it restarts (etcdmain → embed.StartEtcd → etcdserver.NewServer), and how long that takes.

/**
 * (Order and names checked against etcd v3.4.23 etcdserver/server.go NewServer and raft.go restartNode.)
 * etcd 3.4 `embed.StartEtcd` opens the peer and client listeners first, then `etcdserver.NewServer`
 * runs, and only when it returns does `e.Server.Start` start the raft loop's ticker and
 * `e.servePeers` start answering the peer port. For a member with a WAL (the `haveWAL` branch):
 *
 * 1. before raft: `openBackend` (bbolt), `Snapshotter.LoadNewestAvailable` of the last `.snap` the WAL knows, then
 *    `restartNode` → `readWAL` (`wal.Open`, `WAL.ReadAll` decodes every record after the
 *    snapshot's) — ends at the log line "restarting local member";
 * 2. after raft: `raft.RestartNode`, `mvcc.New` (`kvstore.restore`: every key revision in the
 *    backend into the in-memory index), the lessor and auth store, the rafthttp `Transport.Start`
 *    and one `AddPeer` per member, `EtcdServer.Start`, then `servePeers` — "serving peer traffic".
 *
 * Until then the member's raft does not tick and nothing on the peer port reaches it: the leader's
 * heartbeats of that time are lost (the restarted member logs "failed to find remote peer in
 * cluster" for streams arriving before its peers are added). The member's first contact with the
 * leader is the first heartbeat after it serves, which is why a late start shifts a snapshot
 * catch-up. Client requests wait in the listener's accept queue and are served once it is up.
 *
 * Measured with etcd 3.4.23 on the 2-core validation machine (load average 4–5, data on tmpfs),
 * 2026-11-29 14:29–14:33 UTC, from its own log timestamps
 * (`node --import tsx scripts/etcd-startup-steps.mts 6000 6000 6 x` and `… 6000 6000 4 x before`,
 * `… 24000 24000 3 x before`; a restarted follower of a 3-member cluster):
 *
 * - a WAL of ~8 records and an empty database: start → "restarting local member" 13–58 ms
 *   (median 25 over 8), then → "serving peer traffic" 4–12 ms (median 7);
 * - ~6000 records and 6000 keys: 38–46 ms (median 42.5), then 19–28 ms (median 21);
 * - ~24 000 records and 24 000 keys: 196 ms, then 55 ms (one trial).
 *
 * The first part is given to WAL records and the second to database keys (each run grows both, so
 * the split between them is an assumption): 25 ms + 2.9 µs per WAL record (from the 6000 runs; the
 * 24 000 run took more, 7 µs per record: `ReadAll` of a larger file is not linear here), and
 * 7 ms + 2.0 µs per key (2.3 from the 6000 runs, 2.0 from the 24 000 one).
 */
const BEFORE_RAFT_US = 25_000;
const PER_WAL_RECORD_US = 2.9;
const AFTER_RAFT_US = 7_000;
const PER_DB_KEY_US = 2.0;

export interface StartupUs {
  /** Process start → raft restarted (etcd's "restarting local member"). */
  beforeRaftUs: number;
  /** Raft restarted → ticking and serving peers ("serving peer traffic"). */
  afterRaftUs: number;
}

/** Start-up work of a member restarting with `walRecords` WAL records after its snapshot and `dbKeys` keys in its database. */
export function restartStartupUs(walRecords: number, dbKeys: number): StartupUs {
  return {
    beforeRaftUs: Math.round(BEFORE_RAFT_US + walRecords * PER_WAL_RECORD_US),
    afterRaftUs: Math.round(AFTER_RAFT_US + dbKeys * PER_DB_KEY_US),
  };
}
