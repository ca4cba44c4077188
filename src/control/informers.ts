// Shared informers of a controller process: one reflector per resource prefix, listed once and kept current by its watch.
import type { Ctx } from '../kernel/actor.ts';
import type { HttpClient } from '../net/http.ts';
import type { ApiList } from './api.ts';
import { Reflector } from './reflector.ts';

/**
 * client-go SharedInformerFactory, as far as the controllers here need it: a lister per prefix,
 * made on first use (the controller asks for what it reads), empty until its first list
 * (WaitForCacheSync: a controller that gets null skips its pass).
 */
export class Informers {
  private readonly reflectors = new Map<string, Reflector>();
  /** The lister's answer, rebuilt only after the store changed. */
  private readonly snapshots = new Map<string, ApiList>();
  /**
   * Each store's keys in order, and the store's keysEpoch they were sorted at: most changes (a Lease renewed)
   * replace a value under a known key, so the order outlives them and a rebuild need not sort 5,000 keys again.
   */
  private readonly sortedKeys = new Map<string, { epoch: number; keys: string[] }>();
  private readonly handlers = new Map<string, (() => void)[]>();

  constructor(private readonly ctx: Ctx, private readonly http: HttpClient, private readonly endpoint: string, private readonly requestTimeoutUs: number) {}

  /** What the informer holds under `prefix`, in key order; null until it has synced. */
  list(prefix: string): ApiList | null {
    let r = this.reflectors.get(prefix);
    if (!r) {
      r = new Reflector(this.ctx, this.http, {
        endpoint: this.endpoint, prefix, timerName: `inf:${prefix}`, requestTimeoutUs: this.requestTimeoutUs,
        onChange: () => {
          this.snapshots.delete(prefix);
          for (const h of this.handlers.get(prefix) ?? []) h();
        },
      });
      this.reflectors.set(prefix, r);
      r.start();
    }
    if (!r.synced) return null;
    let snap = this.snapshots.get(prefix);
    if (!snap) {
      let order = this.sortedKeys.get(prefix);
      if (order === undefined || order.epoch < r.keyLogStart) {
        order = { epoch: r.keysEpoch, keys: [...r.store.keys()].sort() };
        this.sortedKeys.set(prefix, order);
      } else if (order.epoch !== r.keysEpoch) {
        // A few keys came or went (pods evicted and created): move them, not re-sort 10,000.
        for (let i = order.epoch - r.keyLogStart; i < r.keyLog.length; i++) moveKey(order.keys, r.keyLog[i]!);
        order.epoch = r.keysEpoch;
      }
      // The store's items are replaced, never changed in place, so the list can share them.
      const store = r.store;
      snap = { items: order.keys.map((key) => store.get(key)!), resourceVersion: r.resourceVersion };
      this.snapshots.set(prefix, snap);
    }
    return snap;
  }

  /** AddEventHandler: `handler` runs whenever the informer's store under `prefix` changes. */
  subscribe(prefix: string, handler: () => void): void {
    this.handlers.set(prefix, [...(this.handlers.get(prefix) ?? []), handler]);
    this.list(prefix);
  }

  timer(name: string, data: unknown): boolean {
    if (!name.startsWith('inf:')) return false;
    this.reflectors.get(name.slice(4))?.timer(name, data);
    return true;
  }

  /** For tests: how many lists each informer made (a re-list after a broken watch counts). */
  lists(prefix: string): number {
    return this.reflectors.get(prefix)?.lists ?? 0;
  }
}

/** Insert or remove one key in a sorted key list (the order of the default sort: UTF-16 code units, as `<` compares). */
function moveKey(keys: string[], change: { key: string; added: boolean }): void {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < change.key) lo = mid + 1;
    else hi = mid;
  }
  const present = keys[lo] === change.key;
  if (change.added && !present) keys.splice(lo, 0, change.key);
  else if (!change.added && present) keys.splice(lo, 1);
}
