// The synthetic kubectl user on `client`: a read and a write through the control-plane endpoint every interval.
import type { Actor, Ctx, Msg } from '../kernel/actor.ts';
import type { ProbeDetail } from '../kernel/observations.ts';
import { HttpClient, type HttpResponse } from '../net/http.ts';
import { PROBE_KEY, type ApiRequestBody } from './api.ts';

export interface ProbeConfig {
  endpoint: string;
  intervalUs: number;
  timeoutUs: number;
}

/** A probe unanswered for this long is not a routine success (answers take milliseconds). */
export const PROBE_PENDING_US = 1_000_000;

export class Prober implements Actor {
  readonly measuresOnly = true;
  private api!: HttpClient;
  private seq = 0;
  /** Probes awaiting an answer (local send time, by connection), and the last outcome of each kind. */
  private readonly pending = new Map<string, { op: 'read' | 'write'; sent: number }>();
  private readonly lastOk = { read: true, write: true };

  constructor(private readonly cfg: ProbeConfig) {}

  start(ctx: Ctx): void {
    this.api = new HttpClient(ctx);
    ctx.setTimer('probe', this.cfg.intervalUs, undefined, { routine: true });
  }

  message(_ctx: Ctx, _from: string, msg: Msg): void {
    this.api.onMessage(msg);
  }

  refused(_ctx: Ctx, _to: string, msg: Msg): void {
    this.api.onRefused(msg);
  }

  /**
   * For fast-forward: a probe still unanswered a second after it was sent, when the last probe of
   * its kind succeeded, is about to report a failure. Unanswered probes during an outage that has
   * already shown are routine: they will fail like the ones before them.
   */
  unsettled(ctx: Ctx): string | null {
    const now = ctx.now();
    for (const p of this.pending.values()) {
      if (this.lastOk[p.op] && now - p.sent > PROBE_PENDING_US) return `a ${p.op} probe has waited ${(now - p.sent) / 1e6} s after successes`;
    }
    return null;
  }

  timer(ctx: Ctx, name: string, data: unknown): void {
    if (this.api.onTimer(name, data)) return;
    ctx.setTimer('probe', this.cfg.intervalUs, undefined, { routine: true });
    this.probe(ctx, 'read', { verb: 'get', key: PROBE_KEY });
    this.probe(ctx, 'write', { verb: 'put', key: PROBE_KEY, value: ++this.seq });
  }

  /** Like one kubectl invocation: a new connection, a deadline, success only on 2xx (a missing object reads as 404, fine). */
  private probe(ctx: Ctx, op: 'read' | 'write', body: ApiRequestBody): void {
    const sent = ctx.now();
    const conn = `${ctx.self}#${op}${this.seq}`;
    this.pending.set(conn, { op, sent });
    this.api.request(this.cfg.endpoint, { method: op === 'read' ? 'GET' : 'PUT', path: '/probe', body, conn }, this.cfg.timeoutUs, (resp: HttpResponse) => {
      const ok = resp.status === 200 || (op === 'read' && resp.status === 404);
      this.pending.delete(conn);
      this.lastOk[op] = ok;
      const detail: ProbeDetail = { op, ok, latencyMs: (ctx.now() - sent) / 1000 };
      if (!ok) detail.error = resp.error ?? `HTTP ${resp.status}`;
      ctx.emit('probe', detail, 'client');
    });
  }
}
