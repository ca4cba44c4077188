// client-go's Reflector (tools/cache/reflector.go ListAndWatch): list, then watch from the list's resourceVersion, re-list when needed.
import type { Ctx } from '../kernel/actor.ts';
import type { HttpClient, HttpResponse } from '../net/http.ts';
import type { ApiList, ApiRequestBody, WatchChunk } from './api.ts';

/** reflector.go defaultMinWatchTimeout: each watch asks timeoutSeconds = 5 min × (1 + rand). */
const MIN_WATCH_TIMEOUT_US = 300_000_000;
/** The client's own deadline on a watch, past the server's timeout (the server ends the watch first). */
const WATCH_DEADLINE_SLACK_US = 30_000_000;
/** reflector.go NewReflectorWithOptions backoff: NewExponentialBackoffManager(800ms, 30s, 2min, 2.0, 1.0). */
const BACKOFF_INITIAL_US = 800_000;
const BACKOFF_CAP_US = 30_000_000;
const BACKOFF_RESET_US = 120_000_000;
/** watchHandler: a watch that ends within a second with no event is "very short" and counts as an error. */
const VERY_SHORT_WATCH_US = 1_000_000;

export interface ReflectorConfig {
  endpoint: string;
  /** What it reflects: one key (the kubelet's pods of its node) or every key under a prefix (an informer). */
  key?: string;
  prefix?: string;
  /** Names its timers (`<timerName>`), so an actor can run several. */
  timerName: string;
  requestTimeoutUs: number;
  /** The connection the requests ride on (the kubelet's, which it redials after heartbeat failures). */
  conn?: () => string;
  /** Something in the store changed (a list replaced it or a watch event arrived). */
  onChange?: () => void;
  /** Fields added to the LIST and WATCH request bodies (a load client's APF classification tag). */
  extra?: { list?: Record<string, unknown>; watch?: Record<string, unknown> };
}

/** What a reflector needs of an HTTP client (a load client passes one that throttles and retries, as client-go's rest client does). */
export type ReflectorHttp = Pick<HttpClient, 'request' | 'stream' | 'abort'>;

/** One object as the store holds it, shaped like an ApiList item so a lister can hand it out as is. */
export interface StoredItem {
  key: string;
  value: unknown;
  resourceVersion: number;
}

export class Reflector {
  readonly store = new Map<string, StoredItem>();
  /** Counts changes to the store's set of keys (not to their values): a lister keeps its key order until it moves. */
  keysEpoch = 0;
  /**
   * The keys added and removed by watch events since `keyLogStart` (the epoch after the last list): entry i
   * moved the epoch from keyLogStart + i to keyLogStart + i + 1, so a lister can update its key order
   * instead of sorting the whole store again. Dropped (a lister then sorts) once longer than the store.
   */
  keyLog: { key: string; added: boolean }[] = [];
  keyLogStart = 0;
  /** The last resourceVersion seen (a watch resumes from it). */
  resourceVersion = 0;
  synced = false;
  lists = 0;
  private watchId = 0;
  private failures = 0;
  private lastBackoffAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly ctx: Ctx, private readonly http: ReflectorHttp, private readonly cfg: ReflectorConfig) {}

  start(): void {
    this.list();
  }

  /** Timers of this reflector: the back-off before the next list or watch. */
  timer(name: string, data: unknown): boolean {
    if (name !== this.cfg.timerName) return false;
    if (data === 'watch') this.watch();
    else this.list();
    return true;
  }

  /** The client closed the connection the watch rides on (kubelet onRepeatedHeartbeatFailure): the watch ends. */
  connectionClosed(): void {
    if (this.watchId !== 0) this.http.abort(this.watchId, 'connection closed by the client');
  }

  private request(body: ApiRequestBody, cb: (r: HttpResponse) => void): void {
    const conn = this.cfg.conn?.();
    this.http.request(this.cfg.endpoint, conn === undefined ? { method: 'GET', path: '/api', body } : { method: 'GET', path: '/api', body, conn }, this.cfg.requestTimeoutUs, cb);
  }

  /** The list half of ListAndWatch (resourceVersion=0: served by the watch cache). */
  private list(): void {
    this.lists++;
    const plain: ApiRequestBody = this.cfg.key !== undefined ? { verb: 'get', key: this.cfg.key, cached: true } : { verb: 'list', prefix: this.cfg.prefix ?? '', cached: true };
    const body = this.cfg.extra?.list ? { ...plain, ...this.cfg.extra.list } as ApiRequestBody : plain;
    this.request(body, (r) => {
      // A 404 from the watch cache says where the list stands; an answer without that (a late reply meant for a
      // previous incarnation of this process, whose request ids restart at 1) is a failed list.
      const b = r.body as { listResourceVersion?: unknown; items?: unknown } | undefined;
      const ok = this.cfg.key !== undefined
        ? (r.status === 200 || r.status === 404) && typeof b?.listResourceVersion === 'number'
        : r.status === 200 && Array.isArray(b?.items);
      if (!ok) return this.backoff('list');
      this.store.clear();
      this.keysEpoch++;
      this.keyLog = [];
      this.keyLogStart = this.keysEpoch;
      if (this.cfg.key !== undefined) {
        const b = r.body as { value?: unknown; resourceVersion?: number; listResourceVersion: number };
        if (r.status === 200) this.store.set(this.cfg.key, { key: this.cfg.key, value: b.value, resourceVersion: b.resourceVersion! });
        this.resourceVersion = b.listResourceVersion;
      } else {
        const list = r.body as ApiList;
        for (const it of list.items) this.store.set(it.key, { key: it.key, value: it.value, resourceVersion: it.resourceVersion });
        this.resourceVersion = list.resourceVersion;
      }
      this.synced = true;
      this.cfg.onChange?.();
      this.watch();
    });
  }

  /** The watch half: events update the store; how it ends decides between re-watching, backing off and re-listing. */
  private watch(): void {
    const startedAt = this.ctx.now();
    const timeoutUs = Math.round(MIN_WATCH_TIMEOUT_US * (1 + this.ctx.random.float()));
    const plain: ApiRequestBody = this.cfg.key !== undefined
      ? { verb: 'watch', key: this.cfg.key, resourceVersion: this.resourceVersion }
      : { verb: 'watch', prefix: this.cfg.prefix ?? '', resourceVersion: this.resourceVersion };
    const body = this.cfg.extra?.watch ? { ...plain, ...this.cfg.extra.watch } as ApiRequestBody : plain;
    let established = false;
    let events = 0;
    const conn = this.cfg.conn?.();
    const req = conn === undefined ? { method: 'GET', path: '/api', body } as const : { method: 'GET', path: '/api', body, conn } as const;
    const id = this.http.stream(this.cfg.endpoint, { ...req, timeoutUs }, timeoutUs + WATCH_DEADLINE_SLACK_US, (chunk) => {
      established = true;
      events += this.apply(chunk.body as WatchChunk);
    }, (end) => {
      if (this.watchId === id) this.watchId = 0;
      if (end.status === 410) return this.backoff('list');
      if (!established) {
        // Watch() itself failed: a refused connection or a 429 is retried after a back-off (reflector.go
        // isWatchErrorRetriable: IsConnectionRefused || IsTooManyRequests), anything else ends ListAndWatch.
        return this.backoff(end.error === 'connection refused' || end.status === 429 ? 'watch' : 'list');
      }
      if (this.ctx.now() - startedAt < VERY_SHORT_WATCH_US && events === 0) return this.backoff('list');
      // The stream closed (timeout, a reset connection, the cache re-initialising): watch again from the last resourceVersion.
      this.watch();
    });
    this.watchId = id;
  }

  private keyMoved(key: string, added: boolean): void {
    this.keysEpoch++;
    if (this.keyLog.length > this.store.size) {
      this.keyLog = [];
      this.keyLogStart = this.keysEpoch;
    } else {
      this.keyLog.push({ key, added });
    }
  }

  private apply(chunk: WatchChunk): number {
    if (chunk.events.length === 0) return 0;
    for (const ev of chunk.events) {
      if (ev.deleted) {
        if (this.store.delete(ev.key)) this.keyMoved(ev.key, false);
      } else {
        if (!this.store.has(ev.key)) this.keyMoved(ev.key, true);
        this.store.set(ev.key, { key: ev.key, value: ev.value, resourceVersion: ev.resourceVersion });
      }
      this.resourceVersion = Math.max(this.resourceVersion, ev.resourceVersion);
    }
    this.cfg.onChange?.();
    return chunk.events.length;
  }

  /** The back-off manager: 0.8 s doubling to 30 s, jitter 1.0, reset after 2 min without a back-off. */
  private backoff(next: 'list' | 'watch'): void {
    const now = this.ctx.now();
    if (now - this.lastBackoffAt > BACKOFF_RESET_US) this.failures = 0;
    this.lastBackoffAt = now;
    const baseUs = Math.min(BACKOFF_CAP_US, BACKOFF_INITIAL_US * 2 ** this.failures);
    this.failures++;
    this.ctx.setTimer(this.cfg.timerName, Math.round(baseUs * (1 + this.ctx.random.float())), next);
  }
}
