// haproxy server health checks: one check cycle per backend, the check kinds, UP/DOWN transitions.
import type { Ctx, Msg } from '../kernel/actor.ts';
import { TCP_SYN } from '../kernel/sim.ts';
import type { EtcdRequest, EtcdResponse } from '../etcd/requests.ts';
import type { HttpRequest, HttpResponse } from '../net/http.ts';
import { checkInterUs, checkLabel, type HaproxyConfig } from './config.ts';
import { fullHealth, healthSettled, isGood, startHealth, stepHealth } from './health.ts';

/** What the proxy needs to know about the servers. */
export interface ServerStates {
  readonly count: number;
  isUp(index: number): boolean;
}

interface Server {
  readonly id: string;
  /** The one timer of this server's check cycle: next start while idle, the deadline while a check runs. */
  readonly timer: string;
  up: boolean;
  health: number;
  /** Id of the check in flight (0: none). */
  checkId: number;
  phase: 'connect' | 'request';
  startedAt: number;
  /** Consecutive results of one kind, for the notes. */
  failures: number;
  successes: number;
}

const TIMER_PREFIX = 'check:';

export class HealthChecks implements ServerStates {
  private readonly servers: Server[];

  constructor(private readonly cfg: HaproxyConfig, private readonly nextId: () => number) {
    this.servers = cfg.backends.map((id, i) => ({
      id, timer: `${TIMER_PREFIX}${i}`, up: true, health: startHealth(cfg), checkId: 0,
      phase: 'connect' as const, startedAt: 0, failures: 0, successes: 0,
    }));
  }

  get count(): number {
    return this.servers.length;
  }

  isUp(index: number): boolean {
    return this.servers[index]!.up;
  }

  /** For fast-forward: a health counter between its extremes is on its way to a verdict. */
  unsettled(): string | null {
    for (const s of this.servers) {
      if (!healthSettled(s.health, s.up, this.cfg)) return `${s.id} is ${s.up ? 'UP' : 'DOWN'} at health ${s.health}/${fullHealth(this.cfg)}`;
    }
    return null;
  }

  /** Backend states, in server order (tests, UI). */
  states(): { backend: string; up: boolean }[] {
    return this.servers.map((s) => ({ backend: s.id, up: s.up }));
  }

  /** Servers start UP; the first check of each runs at a random phase in [0, inter). */
  start(ctx: Ctx): void {
    for (const s of this.servers) {
      ctx.emit('lb-backend', { backend: s.id, state: 'UP', reason: 'initial' });
      ctx.setTimer(s.timer, ctx.random.below(this.cfg.interUs), undefined, { routine: true });
    }
  }

  timer(ctx: Ctx, name: string): boolean {
    if (!name.startsWith(TIMER_PREFIX)) return false;
    const s = this.servers[Number(name.slice(TIMER_PREFIX.length))]!;
    if (s.checkId === 0) this.begin(ctx, s);
    else this.complete(ctx, s, false, s.phase === 'connect' ? 'connect timeout' : 'response timeout');
    return true;
  }

  onSynack(ctx: Ctx, id: number): boolean {
    const s = this.inFlight(id);
    if (s === undefined) return false;
    if (s.phase !== 'connect') return true;
    if (this.cfg.check === 'tcp') {
      this.complete(ctx, s, true, 'connected');
      return true;
    }
    s.phase = 'request';
    ctx.send(s.id, this.request(id));
    // haproxy check.c: without `timeout check` the deadline armed at the start (inter) covers the
    // whole check; with it, the response gets `timeout check` once connected.
    const t = this.cfg.timeoutCheckUs;
    ctx.setTimer(s.timer, t !== undefined ? t : Math.max(0, s.startedAt + this.cfg.interUs - ctx.now()));
    return true;
  }

  onResponse(ctx: Ctx, msg: Msg): boolean {
    const s = this.inFlight(msg['id'] as number);
    if (s === undefined) return false;
    if (s.phase !== 'request') return true;
    const reason = this.verdict(msg);
    this.complete(ctx, s, reason === null, reason ?? 'passed');
    return true;
  }

  /** The destination's host answered but nothing listens: the check fails at once. */
  onRefused(ctx: Ctx, msg: Msg): boolean {
    const s = this.inFlight(msg['id'] as number);
    if (s === undefined) return false;
    this.complete(ctx, s, false, 'connection refused');
    return true;
  }

  private inFlight(id: number): Server | undefined {
    if (id === 0) return undefined;
    for (const s of this.servers) if (s.checkId === id) return s;
    return undefined;
  }

  private begin(ctx: Ctx, s: Server): void {
    s.checkId = this.nextId();
    s.phase = 'connect';
    s.startedAt = ctx.now();
    ctx.send(s.id, { type: TCP_SYN, id: s.checkId });
    const t = this.cfg.timeoutCheckUs;
    // With `timeout check`, connect gets min(timeout connect, inter); without it, inter bounds all.
    ctx.setTimer(s.timer, t !== undefined ? Math.min(this.cfg.timeoutConnectUs, this.cfg.interUs) : this.cfg.interUs);
  }

  private request(id: number): Msg {
    switch (this.cfg.check) {
      case 'readyz':
      case 'healthz':
        return { type: 'http.req', id, method: 'GET', path: `/${this.cfg.check}` } satisfies HttpRequest;
      default:
        return { type: 'etcd.req', id, op: { kind: 'health' } } satisfies EtcdRequest;
    }
  }

  /** Null when the response passes the check, else why it failed. */
  private verdict(msg: Msg): string | null {
    if (this.cfg.check === 'etcd-health') {
      if (msg.type !== 'etcd.resp') return `unexpected ${msg.type}`;
      const r = msg as unknown as EtcdResponse;
      if (r.health?.health === true) return null;
      return r.health ? `health false${r.health.reason ? `: ${r.health.reason}` : ''}` : `error: ${r.error ?? 'no health'}`;
    }
    if (msg.type !== 'http.resp') return `unexpected ${msg.type}`;
    const status = (msg as unknown as HttpResponse).status;
    return status === 200 ? null : `HTTP ${status}`;
  }

  /** haproxy check.c: the next check starts `inter` (srv_getinter) after this one completed. */
  private complete(ctx: Ctx, s: Server, passed: boolean, reason: string): void {
    s.checkId = 0;
    if (passed) {
      s.successes++;
      s.failures = 0;
    } else {
      s.failures++;
      s.successes = 0;
    }
    s.health = stepHealth(s.health, passed, this.cfg);
    const up = isGood(s.health, this.cfg);
    if (up !== s.up) this.transition(ctx, s, up, reason);
    ctx.setTimer(s.timer, checkInterUs(this.cfg, s.health, s.up), undefined, { routine: true });
  }

  private transition(ctx: Ctx, s: Server, up: boolean, reason: string): void {
    s.up = up;
    const what = checkLabel(this.cfg.check);
    const n = up ? s.successes : s.failures;
    const checks = `${n} ${up ? 'successful' : 'failed'} ${what} check${n === 1 ? '' : 's'}`;
    const note = up ? `${s.id} marked UP after ${checks}` : `${s.id} marked DOWN after ${checks} (${reason})`;
    ctx.emit('lb-backend', { backend: s.id, state: up ? 'UP' : 'DOWN', reason, note });
  }
}
