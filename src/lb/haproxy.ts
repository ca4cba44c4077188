// The haproxy actor (mode tcp): health checks of its backends plus the proxy in front of them.
import type { Actor, Ctx, Msg } from '../kernel/actor.ts';
import { TCP_SYNACK } from '../kernel/sim.ts';
import { HealthChecks } from './checks.ts';
import type { HaproxyConfig } from './config.ts';
import { TcpProxy } from './proxy.ts';

/**
 * One haproxy process. Clients send `http.req` / `etcd.req` to it (each request's connection is
 * its `conn` field, else one connection per client); it answers with the backend's response under
 * the client's id, or with an error (503 no server / connect failed, 502 reset, 504 timeout server).
 * Observations: `lb-backend` at start (reason `initial`) and on every UP/DOWN transition.
 */
export class Haproxy implements Actor {
  private seq = 0;
  readonly checks: HealthChecks;
  readonly proxy: TcpProxy;

  constructor(readonly cfg: HaproxyConfig) {
    // Checks and proxied requests share one id space, so any answer finds its owner.
    const nextId = (): number => ++this.seq;
    this.checks = new HealthChecks(cfg, nextId);
    this.proxy = new TcpProxy(cfg, this.checks, nextId);
  }

  start(ctx: Ctx): void {
    // Each start is a new incarnation: the connections the previous one held are gone.
    this.proxy.endpoint = `${ctx.self}#${ctx.life}`;
    this.checks.start(ctx);
  }

  unsettled(): string | null {
    return this.checks.unsettled();
  }

  message(ctx: Ctx, from: string, msg: Msg): void {
    switch (msg.type) {
      case 'http.req':
      case 'etcd.req':
        this.proxy.request(ctx, from, msg);
        return;
      case TCP_SYNACK: {
        const id = msg['id'] as number;
        if (!this.proxy.onSynack(ctx, id)) this.checks.onSynack(ctx, id);
        return;
      }
      case 'http.resp':
      case 'etcd.resp':
        if (!this.proxy.onResponse(ctx, msg)) this.checks.onResponse(ctx, msg);
        return;
      default:
        return;
    }
  }

  timer(ctx: Ctx, name: string, data: unknown): void {
    if (!this.checks.timer(ctx, name)) this.proxy.timer(ctx, name, data);
  }

  refused(ctx: Ctx, _to: string, msg: Msg): void {
    if (!this.proxy.onRefused(ctx, msg)) this.checks.onRefused(ctx, msg);
  }
}
