// etcd's watch on one member: watchers by key prefix, the event history since the last compaction, leader-loss cancel.
import type { Ctx, Msg } from '../kernel/actor.ts';
import type { KvOp, KvResult } from './kv.ts';

/** One change as a watcher sees it (mvccpb.Event: PUT or DELETE of a key at a revision). */
export interface WatchEvent {
  key: string;
  value: unknown;
  revision: number;
  deleted: boolean;
}

/** A watch request, carried as an `etcd.req` (what clientv3 Watch sends on the member's watch stream). */
export type WatchOp = { kind: 'watch'; prefix: string; startRevision: number } | { kind: 'watch-cancel' };

/**
 * What a member sends on a watch stream. `more: true` keeps the stream open (a load balancer in
 * TCP mode forwards every message of it); a message without it ends the stream.
 */
export type WatchResponse = {
  type: 'etcd.resp';
  id: number;
  ok: boolean;
  more?: true;
  events?: WatchEvent[];
  /** The stream ended because the requested revision is compacted (mvcc ErrCompacted): the client must re-list. */
  compactRevision?: number;
  error?: string;
};

/**
 * The apiserver's compactor (k8s.io/apiserver storage/etcd3/compact.go compactor): every 5 minutes it
 * compacts to the revision it saw at the previous tick. Each member here drops its own history on
 * that schedule (upstream the compaction is one raft entry all members apply).
 */
const COMPACT_INTERVAL_US = 300_000_000;
/** etcd interceptor.go monitorLeader: streams that require a leader are cancelled after 3 election timeouts without one. */
const NO_LEADER_TIMEOUTS = 3;

interface Watcher {
  from: string;
  id: number;
  prefix: string;
}

export class WatchHub {
  private readonly watchers = new Map<string, Watcher>();
  private history: WatchEvent[] = [];
  /** Revisions up to this one are compacted (a watch must start after it). */
  private compacted: number;
  private previousTickRevision: number;
  private batch: WatchEvent[] = [];
  private ticksWithoutLeader = 0;
  /** Local time of the next compaction (checked when a write is applied: no timer of its own). */
  private nextCompactAt: number;

  constructor(private readonly ctx: Ctx, revision: number, private readonly electionTicks: number) {
    // The history is not kept across a restart here (etcd's is on disk): a restarted member starts compacted.
    this.compacted = revision;
    this.previousTickRevision = revision;
    this.nextCompactAt = ctx.now() + COMPACT_INTERVAL_US;
  }

  get size(): number {
    return this.watchers.size;
  }

  /** A watch request or a cancel from a client (v3rpc watch.go serverWatchStream.recvLoop). */
  receive(from: string, id: number, op: WatchOp): void {
    const key = `${from}#${id}`;
    if (op.kind === 'watch-cancel') {
      this.watchers.delete(key);
      return;
    }
    // mvcc watchable_store: a start revision at or below the compacted one fails with ErrCompacted.
    if (op.startRevision <= this.compacted) {
      this.send(from, { type: 'etcd.resp', id, ok: false, compactRevision: this.compacted, error: 'mvcc: required revision has been compacted' });
      return;
    }
    this.watchers.set(key, { from, id, prefix: op.prefix });
    // An unsynced watcher catches up from the history first (watchable_store.go syncWatchers).
    const backlog = this.history.filter((e) => e.revision >= op.startRevision && e.key.startsWith(op.prefix));
    this.send(from, { type: 'etcd.resp', id, ok: true, more: true, events: backlog });
  }

  /** A write was applied: it becomes an event (sent with the rest of this Ready's events in `flush`). */
  record(op: KvOp, result: KvResult): void {
    if (!result.succeeded || op.kind === 'get' || op.kind === 'list') return;
    if (this.ctx.now() >= this.nextCompactAt) {
      this.nextCompactAt += COMPACT_INTERVAL_US * Math.ceil((this.ctx.now() - this.nextCompactAt + 1) / COMPACT_INTERVAL_US);
      this.compact(result.revision - 1);
    }
    const ev: WatchEvent = { key: op.key, value: op.kind === 'delete' ? null : op.value, revision: result.revision, deleted: op.kind === 'delete' };
    this.history.push(ev);
    if (this.watchers.size > 0) this.batch.push(ev);
  }

  /** Send each watcher the events of the applied batch that match its prefix (one message per watcher). */
  flush(): void {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    for (const w of this.watchers.values()) {
      const events = batch.filter((e) => e.key.startsWith(w.prefix));
      if (events.length > 0) this.send(w.from, { type: 'etcd.resp', id: w.id, ok: true, more: true, events });
    }
  }

  /** The member installed a snapshot: its history is gone, so are its watchers' guarantees (they must re-list). */
  reset(revision: number): void {
    this.history = [];
    this.compacted = revision;
    this.previousTickRevision = revision;
    this.cancelAll('etcdserver: member restored from a snapshot', revision);
  }

  /** Every raft tick: watches require a leader (the apiserver asks clientv3.WithRequireLeader). */
  tick(leaderKnown: boolean): void {
    this.ticksWithoutLeader = leaderKnown ? 0 : this.ticksWithoutLeader + 1;
    if (this.ticksWithoutLeader >= NO_LEADER_TIMEOUTS * this.electionTicks && this.watchers.size > 0) {
      this.cancelAll('etcdserver: no leader');
    }
  }

  private compact(revision: number): void {
    this.compacted = Math.max(this.compacted, this.previousTickRevision);
    this.previousTickRevision = revision;
    const keep = this.history.findIndex((e) => e.revision > this.compacted);
    this.history = keep < 0 ? [] : this.history.slice(keep);
  }

  /** A watcher's process is gone (its host refused the event): drop it. */
  refused(to: string, msg: Msg): boolean {
    if (msg.type !== 'etcd.resp' || (msg as WatchResponse).more !== true) return false;
    this.watchers.delete(`${to}#${msg['id'] as number}`);
    return true;
  }

  private cancelAll(error: string, compactRevision?: number): void {
    for (const w of this.watchers.values()) {
      const resp: WatchResponse = { type: 'etcd.resp', id: w.id, ok: false, error };
      if (compactRevision !== undefined) resp.compactRevision = compactRevision;
      this.send(w.from, resp);
    }
    this.watchers.clear();
  }

  private send(to: string, resp: WatchResponse): void {
    this.ctx.send(to, resp);
  }
}
