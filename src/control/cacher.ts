// One resource's watch cache in kube-apiserver: a store and recent events fed by an etcd watch, and the client watches it serves.
import type { Ctx, Msg } from '../kernel/actor.ts';
import { respond, type HttpRequest } from '../net/http.ts';
import type { WatchEvent, WatchResponse } from '../etcd/watch.ts';
import type { ApiWatchEvent, WatchChunk } from './api.ts';
import type { EtcdClient } from './etcd-client.ts';

/** watch_cache.go eventFreshDuration: events are kept at least this long for watches that resume. */
const EVENT_FRESH_US = 75_000_000;
/** cacher.go NewCacherFromConfig: wait.Until(startCaching, time.Second): a broken etcd watch is re-listed a second later. */
const RESTART_US = 1_000_000;
/** The Retry-After of the 429 a LIST or WATCH gets while the cache initialises (cacher.go: NewTooManyRequests(err, 1)). */
const INITIALISING_RETRY_AFTER_S = 1;
/** How long the cacher's own list from etcd may take. */
const LIST_TIMEOUT_US = 60_000_000;

export interface ClientWatch {
  wid: number;
  from: string;
  req: HttpRequest;
  key: string | null;
  prefix: string;
  /** Events at or below this resourceVersion were seen by the client already. */
  fromRv: number;
}

interface StoredObject {
  value: unknown;
  resourceVersion: number;
}

export class Cacher {
  ready = false;
  revision = 0;
  private readonly store = new Map<string, StoredObject>();
  /**
   * watch_cache.go's cyclic buffer: recent events, oldest first, from index `head` on (and their arrival times);
   * a watch may resume from `bufferStart` on.
   */
  private events: WatchEvent[] = [];
  private eventAt: number[] = [];
  private head = 0;
  private bufferStart = 0;
  private readonly byKey = new Map<string, Set<ClientWatch>>();
  private readonly prefixWatchers = new Set<ClientWatch>();
  /** Requests that arrived before the cache was ready (cacher.go: c.ready.wait). */
  private waiting: (() => void)[] = [];
  /** The etcd watch stream now open (id and member), if any. */
  private etcdWatchId = 0;
  private etcdTarget: string | null = null;

  constructor(
    private readonly ctx: Ctx,
    private readonly etcd: EtcdClient,
    readonly prefix: string,
    private readonly newEtcdId: () => number,
    private readonly timerName: string,
  ) {}

  /**
   * cacher.go startCaching: end every client watch, then the reflector's ListAndWatch against etcd:
   * a consistent list replaces the store (watchCache.Replace), then a watch from the next revision.
   */
  startCaching(): void {
    this.terminateAllWatchers();
    this.ready = false;
    this.etcd.request({ kind: 'list', prefix: this.prefix }, LIST_TIMEOUT_US, (resp) => {
      if (!resp.ok || !resp.result) return this.restartLater();
      this.store.clear();
      for (const [key, kv] of resp.result.kvs ?? []) this.store.set(key, { value: kv.value, resourceVersion: kv.modRevision });
      this.revision = resp.result.revision;
      this.events = [];
      this.eventAt = [];
      this.head = 0;
      this.bufferStart = this.revision;
      this.ready = true;
      const waiting = this.waiting;
      this.waiting = [];
      for (const w of waiting) w();
      this.watchEtcd();
    });
  }

  /**
   * ResilientWatchCacheInitialization (KEP-4568, beta and on since 1.31; cacher.go Watch and GetList
   * check c.ready and answer errors.NewTooManyRequests(err, 1)): while this cache is (re)initialising, a
   * LIST or WATCH gets 429 "storage is (re)initializing" with Retry-After 1 instead of waiting (and
   * holding its APF seat). Only for load clients' requests (those with a `load` tag) so far: the
   * kubelets' and controllers' reflectors have no Retry-After retry yet, and they keep waiting here.
   */
  rejectsWhileInitialising(from: string, req: HttpRequest, body: object): boolean {
    if (this.ready || (body as { load?: unknown }).load === undefined) return false;
    this.ctx.send(from, { type: 'http.resp', id: req.id, status: 429, error: 'storage is (re)initializing', retryAfter: String(INITIALISING_RETRY_AFTER_S) });
    return true;
  }

  whenReady(run: () => void): void {
    if (this.ready) run();
    else this.waiting.push(run);
  }

  /** etcd3/watcher.go: one watch on the resource prefix from the revision after the list. */
  private watchEtcd(): void {
    const target = this.etcd.readyTarget();
    if (target === undefined) return this.restartLater();
    this.etcdWatchId = this.newEtcdId();
    this.etcdTarget = target;
    this.ctx.send(target, { type: 'etcd.req', id: this.etcdWatchId, op: { kind: 'watch', prefix: this.prefix, startRevision: this.revision + 1 } });
  }

  ownsEtcdWatch(id: number): boolean {
    return id === this.etcdWatchId && id !== 0;
  }

  /** Events or the end of the etcd watch (compacted, no leader, member stopping). */
  onEtcdWatch(msg: WatchResponse): void {
    if (msg.ok && msg.more) {
      this.apply(msg.events ?? []);
      return;
    }
    this.breakEtcdWatch();
  }

  /** The transport to `target` closed: a watch riding on it is gone. */
  lost(target: string): void {
    if (this.etcdWatchId !== 0 && this.etcdTarget === target) this.breakEtcdWatch();
  }

  refused(msg: Msg): boolean {
    if (msg['id'] !== this.etcdWatchId || this.etcdWatchId === 0) return false;
    this.breakEtcdWatch();
    return true;
  }

  private breakEtcdWatch(): void {
    if (this.etcdWatchId === 0) return;
    this.etcdWatchId = 0;
    this.etcdTarget = null;
    this.ready = false;
    this.restartLater();
  }

  private restartLater(): void {
    this.ctx.setTimer(this.timerName, RESTART_US);
  }

  /** watch_cache.go processEvent: update the store, keep the event, and dispatch it to the client watches (dispatchEvents). */
  private apply(batch: WatchEvent[]): void {
    if (batch.length === 0) return;
    const now = this.ctx.now();
    const out = new Map<ClientWatch, ApiWatchEvent[]>();
    for (const ev of batch) {
      if (ev.revision <= this.revision) continue;
      if (ev.deleted) this.store.delete(ev.key);
      else this.store.set(ev.key, { value: ev.value, resourceVersion: ev.revision });
      this.revision = ev.revision;
      this.events.push(ev);
      this.eventAt.push(now);
      const apiEv: ApiWatchEvent = { key: ev.key, value: ev.value, resourceVersion: ev.revision, deleted: ev.deleted };
      for (const w of this.byKey.get(ev.key) ?? []) if (ev.revision > w.fromRv) add(out, w, apiEv);
      for (const w of this.prefixWatchers) if (ev.key.startsWith(w.prefix) && ev.revision > w.fromRv) add(out, w, apiEv);
    }
    while (this.head < this.events.length && now - this.eventAt[this.head]! > EVENT_FRESH_US) {
      this.bufferStart = this.events[this.head]!.revision;
      this.head++;
    }
    // Compact now and then (not on every drop: that would copy the buffer each time).
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.eventAt = this.eventAt.slice(this.head);
      this.head = 0;
    }
    for (const [w, events] of out) this.send(w, { events });
  }

  /**
   * A client watch from resourceVersion `rv` (cacher.go Watch): the events it missed from the buffer,
   * then every change; a resourceVersion older than the buffer is "too old" (410 Gone, the client re-lists).
   */
  watch(w: ClientWatch): boolean {
    if (w.fromRv < this.bufferStart) {
      respond(this.ctx, w.from, w.req, 410, undefined, `too old resource version: ${w.fromRv} (${this.bufferStart})`);
      return false;
    }
    const backlog: ApiWatchEvent[] = [];
    for (let i = this.head; i < this.events.length; i++) {
      const ev = this.events[i]!;
      if (ev.revision > w.fromRv && (w.key === null ? ev.key.startsWith(w.prefix) : ev.key === w.key)) {
        backlog.push({ key: ev.key, value: ev.value, resourceVersion: ev.revision, deleted: ev.deleted });
      }
    }
    if (w.key !== null) {
      let set = this.byKey.get(w.key);
      if (!set) this.byKey.set(w.key, (set = new Set()));
      set.add(w);
    } else this.prefixWatchers.add(w);
    // The stream opens with its backlog (possibly empty: the client knows the watch is established).
    this.send(w, { events: backlog });
    return true;
  }

  /** The watch's timeout passed, or its client is gone: end it (a final answer; the client re-watches). */
  end(w: ClientWatch, answer: boolean): void {
    if (w.key !== null) this.byKey.get(w.key)?.delete(w);
    else this.prefixWatchers.delete(w);
    if (answer) respond(this.ctx, w.from, w.req, 200, { events: [], closed: true } satisfies WatchChunk);
  }

  /** cacher.go terminateAllWatchers: every client watch ends; resuming from its resourceVersion will be "too old". */
  private terminateAllWatchers(): void {
    for (const set of this.byKey.values()) for (const w of set) this.onEnd(w);
    for (const w of this.prefixWatchers) this.onEnd(w);
    this.byKey.clear();
    this.prefixWatchers.clear();
  }

  /** Set by the owner: forget the watch's end timer and answer it. */
  onEnd: (w: ClientWatch) => void = () => {};

  list(prefix: string): { items: { key: string; value: unknown; resourceVersion: number }[]; resourceVersion: number } {
    const keys: string[] = [];
    for (const key of this.store.keys()) if (key.startsWith(prefix)) keys.push(key);
    keys.sort();
    return { items: keys.map((key) => ({ key, ...this.store.get(key)! })), resourceVersion: this.revision };
  }

  get(key: string): StoredObject | undefined {
    return this.store.get(key);
  }

  private send(w: ClientWatch, chunk: WatchChunk): void {
    respond(this.ctx, w.from, w.req, 200, chunk, undefined, true);
  }
}

function add(out: Map<ClientWatch, ApiWatchEvent[]>, w: ClientWatch, ev: ApiWatchEvent): void {
  const list = out.get(w);
  if (list) list.push(ev);
  else out.set(w, [ev]);
}
