// A steady etcd write/read load from the `client` machine (benchmarks and calibration tests), as clientv3 would send it.
import type { Actor, Ctx, Msg } from '../kernel/actor.ts';
import type { EtcdLoadDetail } from '../kernel/observations.ts';
import type { KvOp } from './kv.ts';
import type { EtcdResponse } from './requests.ts';

export interface LoadConfig {
  /** Member processes to send to, in turn. */
  targets: string[];
  intervalUs: number;
  /** Reads instead of writes (linearizable unless `serializable`). */
  read?: boolean;
  serializable?: boolean;
  /** Client-side deadline: a request to a dead or cut-off member never answers. */
  timeoutUs: number;
  /** Distinct keys written in rotation. */
  keys?: number;
  /** Delay of the first request after the client starts (default: intervalUs). */
  firstAfterUs?: number;
}

/** Emits `etcd-load` observations: {ok, error?, latencyUs, target}. */
export class EtcdLoad implements Actor {
  private seq = 0;
  private readonly sent = new Map<number, { at: number; target: string }>();

  constructor(private readonly cfg: LoadConfig) {}

  start(ctx: Ctx): void {
    ctx.setTimer('send', this.cfg.firstAfterUs ?? this.cfg.intervalUs, undefined, { routine: true });
  }

  timer(ctx: Ctx, name: string, data: unknown): void {
    if (name === 'send') {
      ctx.setTimer('send', this.cfg.intervalUs, undefined, { routine: true });
      this.send(ctx);
    } else {
      const req = this.sent.get(data as number);
      if (req) this.finish(ctx, data as number, false, 'client deadline exceeded');
    }
  }

  private send(ctx: Ctx): void {
    const id = ++this.seq;
    const target = this.cfg.targets[id % this.cfg.targets.length]!;
    const key = `/load/${id % (this.cfg.keys ?? 100)}`;
    const op: KvOp = this.cfg.read ? { kind: 'get', key } : { kind: 'put', key, value: id };
    this.sent.set(id, { at: ctx.now(), target });
    ctx.setTimer(`deadline:${id}`, this.cfg.timeoutUs, id);
    ctx.send(target, { type: 'etcd.req', id, op, serializable: this.cfg.serializable ?? false });
  }

  message(ctx: Ctx, _from: string, msg: Msg): void {
    const resp = msg as unknown as EtcdResponse;
    if (resp.type !== 'etcd.resp' || !this.sent.has(resp.id)) return;
    this.finish(ctx, resp.id, resp.ok, resp.error);
  }

  refused(ctx: Ctx, _to: string, msg: Msg): void {
    const id = (msg as { id?: number }).id;
    if (id !== undefined && this.sent.has(id)) this.finish(ctx, id, false, 'connection refused');
  }

  private finish(ctx: Ctx, id: number, ok: boolean, error?: string): void {
    const req = this.sent.get(id)!;
    this.sent.delete(id);
    ctx.cancelTimer(`deadline:${id}`);
    const detail: EtcdLoadDetail = { ok, latencyUs: ctx.now() - req.at, target: req.target };
    if (error) detail.error = error;
    ctx.emit('etcd-load', detail);
  }
}
