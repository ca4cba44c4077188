// kube-apiserver's watch cache: one Cacher per resource (made on first use), serving cached reads and client watches.
import type { Ctx, Msg } from '../kernel/actor.ts';
import { respond, type HttpRequest } from '../net/http.ts';
import type { WatchResponse } from '../etcd/watch.ts';
import type { ApiRequestBody } from './api.ts';
import { Cacher, type ClientWatch } from './cacher.ts';
import type { EtcdClient } from './etcd-client.ts';
import { ID_STRIDE } from './etcd-grpc.ts';

/** The etcd-client tag of the watch streams (0 and 1 are the data and health-check clients). */
const WATCH_TAG = 2;

/** The resource a key belongs to: `/registry/<resource>/` (one cacher per resource, as upstream's storage factory). */
export function resourceOf(key: string): string {
  const end = key.indexOf('/', '/registry/'.length);
  return end < 0 ? key : key.slice(0, end + 1);
}

export class WatchCache {
  private readonly cachers = new Map<string, Cacher>();
  private readonly watches = new Map<number, { w: ClientWatch; cacher: Cacher }>();
  private watchSeq = 0;
  private etcdSeq = 0;

  constructor(private readonly ctx: Ctx, private readonly etcd: EtcdClient) {
    etcd.onLost = (target) => {
      for (const c of this.cachers.values()) c.lost(target);
    };
  }

  /**
   * Serve a watch or a cached read (`cached`: resourceVersion=0, what informers and kubelets ask);
   * false for anything else (a quorum read or a write goes to etcd).
   */
  serve(from: string, req: HttpRequest, body: ApiRequestBody): boolean {
    if (body.verb === 'watch') {
      const key = body.key ?? null;
      const prefix = body.prefix ?? body.key ?? '';
      const cacher = this.cacher(resourceOf(prefix));
      if (cacher.rejectsWhileInitialising(from, req, body)) return true;
      cacher.whenReady(() => this.startWatch(cacher, { wid: ++this.watchSeq, from, req, key, prefix, fromRv: body.resourceVersion }));
      return true;
    }
    if (body.verb === 'get' && body.cached === true) {
      const cacher = this.cacher(resourceOf(body.key));
      cacher.whenReady(() => {
        const obj = cacher.get(body.key);
        if (obj) respond(this.ctx, from, req, 200, { ...obj, listResourceVersion: cacher.revision });
        else respond(this.ctx, from, req, 404, { listResourceVersion: cacher.revision });
      });
      return true;
    }
    if (body.verb === 'list' && body.cached === true) {
      const cacher = this.cacher(resourceOf(body.prefix));
      if (cacher.rejectsWhileInitialising(from, req, body)) return true;
      cacher.whenReady(() => respond(this.ctx, from, req, 200, cacher.list(body.prefix)));
      return true;
    }
    return false;
  }

  private cacher(resource: string): Cacher {
    let c = this.cachers.get(resource);
    if (!c) {
      c = new Cacher(this.ctx, this.etcd, resource, () => ++this.etcdSeq * ID_STRIDE + WATCH_TAG, `wc:${resource}`);
      c.onEnd = (w) => this.finish(w.wid, true);
      this.cachers.set(resource, c);
      c.startCaching();
    }
    return c;
  }

  private startWatch(cacher: Cacher, w: ClientWatch): void {
    if (!cacher.watch(w)) return;
    this.watches.set(w.wid, { w, cacher });
    // The watch's timeout (client-go sends timeoutSeconds); routine for fast-forward: a watch that waits is steady state.
    this.ctx.setTimer(`wc-end:${w.wid}`, w.req.timeoutUs ?? 0, w.wid, { routine: true });
  }

  private finish(wid: number, answer: boolean): void {
    const entry = this.watches.get(wid);
    if (!entry) return;
    this.watches.delete(wid);
    this.ctx.cancelTimer(`wc-end:${wid}`);
    entry.cacher.end(entry.w, answer);
  }

  /** An etcd watch message: to its cacher; one for a stream nobody holds (a previous process's) is cancelled. */
  onMessage(from: string, msg: Msg): boolean {
    if (msg.type !== 'etcd.resp') return false;
    const id = msg['id'] as number;
    if (Math.abs(id) % ID_STRIDE !== WATCH_TAG) return false;
    for (const c of this.cachers.values()) {
      if (c.ownsEtcdWatch(id)) {
        c.onEtcdWatch(msg as unknown as WatchResponse);
        return true;
      }
    }
    // grpc resets a stream it does not know: the member drops that watcher.
    if (msg['more'] === true) this.ctx.send(from, { type: 'etcd.req', id, op: { kind: 'watch-cancel' } });
    return true;
  }

  timer(name: string, data: unknown): boolean {
    if (name.startsWith('wc-end:')) {
      this.finish(data as number, true);
      return true;
    }
    if (name.startsWith('wc:')) {
      this.cachers.get(name.slice(3))?.startCaching();
      return true;
    }
    return false;
  }

  /** A refused etcd watch request breaks that cacher's watch; a refused event means its client is gone. */
  refused(to: string, msg: Msg): boolean {
    if (msg.type === 'etcd.req') {
      for (const c of this.cachers.values()) if (c.refused(msg)) return true;
      return false;
    }
    if (msg.type !== 'http.resp' || msg['more'] !== true) return false;
    for (const [wid, { w }] of this.watches) if (w.from === to && w.req.id === msg['id']) this.finish(wid, false);
    return true;
  }
}
