// client-go tools/leaderelection, step for step: local observedTime, jittered acquire, renew deadline, fast path, release.
import type { Ctx } from '../kernel/actor.ts';
import type { HttpClient, HttpResponse } from '../net/http.ts';
import { leaseKey, type ApiObject, type LeaderGroup, type LeaseRecord } from './api.ts';

export interface ElectionConfig {
  group: LeaderGroup;
  identity: string;
  /** Where Lease requests go: the local apiserver (kubeadm) or the control-plane endpoint. */
  endpoint: string;
  leaseDurationUs: number;
  renewDeadlineUs: number;
  retryPeriodUs: number;
  releaseOnCancel: boolean;
  /** client-go ≥ 0.30 (Kubernetes 1.30): a leader first updates its cached record, without a GET. */
  fastPath: boolean;
}

/** leaderelection.go: `const JitterFactor = 1.2` (acquire loop only). */
export const JITTER_FACTOR = 1.2;

export interface ElectionEvents {
  startedLeading(): void;
  stoppedLeading(reason: string): void;
  /** Whether the last Lease request reached a working apiserver (for availability). */
  apiReachable(ok: boolean): void;
}

type Phase = 'acquiring' | 'leading' | 'stopped';

/**
 * How long a candidate may see the same Lease record while its holder renews: the longest
 * jittered retry interval (2.2 × retryPeriod) and a margin for request latency.
 */
export function unchangedLeaseUs(retryPeriodUs: number): number {
  return Math.ceil(2.5 * retryPeriodUs);
}

export class LeaderElector {
  private phase: Phase = 'acquiring';
  private observedRecord: LeaseRecord | null = null;
  private observedRaw = '';
  private observedTime = 0;
  private observedVersion = 0;
  /** Renew iteration: when PollUntilContextTimeout's context expires, and when its ticker started (local µs). */
  private renewDeadlineAt = 0;
  private renewTickerAt = 0;
  private attemptId = 0;
  /** The last try read the Lease (a candidate that cannot reach its apiserver learns nothing). */
  private lastReadOk = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly api: HttpClient,
    private readonly cfg: ElectionConfig,
    private readonly events: ElectionEvents,
  ) {}

  /** resourcelock.NewFromKubeconfig: the lock's HTTP client timeout is max(1 s, renewDeadline/2). */
  private get httpTimeoutUs(): number {
    return Math.max(1_000_000, Math.floor(this.cfg.renewDeadlineUs / 2));
  }

  get leading(): boolean {
    return this.phase === 'leading';
  }

  run(): void {
    this.attempt();
  }

  /** IsLeader(): the observed record names us. */
  private isLeader(): boolean {
    return this.observedRecord?.holderIdentity === this.cfg.identity;
  }

  /** isLeaseValid(now): observedTime + record.leaseDurationSeconds > now, on the LOCAL clock. */
  private isLeaseValid(now: number): boolean {
    return this.observedRecord !== null && this.observedTime + this.observedRecord.leaseDurationSeconds * 1_000_000 > now;
  }

  private setObserved(record: LeaseRecord, version: number): void {
    this.observedRecord = record;
    this.observedRaw = JSON.stringify(record);
    this.observedTime = this.ctx.now();
    this.observedVersion = version;
  }

  /** One tryAcquireOrRenew; `done(true)` when we hold the lease afterwards. */
  private tryAcquireOrRenew(done: (ok: boolean) => void): void {
    const now = this.ctx.now();
    if (this.cfg.fastPath && this.isLeader() && this.isLeaseValid(now)) {
      // Fast path (client-go ≥ 0.30, k/k PR #122069): update with the cached record, no GET.
      const record = { ...this.observedRecord!, renewTime: now };
      this.update(record, this.observedVersion, (ok) => (ok ? done(true) : this.slowPath(now, done)));
      return;
    }
    this.slowPath(now, done);
  }

  private slowPath(now: number, done: (ok: boolean) => void): void {
    this.api.request(this.cfg.endpoint, { method: 'GET', path: '/lease', body: { verb: 'get', key: leaseKey(this.cfg.group) } }, this.httpTimeoutUs, (resp) => {
      this.events.apiReachable(resp.status !== 0 && resp.status < 500);
      this.lastReadOk = resp.status === 200 || resp.status === 404;
      if (resp.status === 404) {
        this.create(this.newRecord(now, null), done);
        return;
      }
      if (resp.status !== 200) return done(false);
      const obj = resp.body as ApiObject;
      const record = obj.value as LeaseRecord;
      if (JSON.stringify(record) !== this.observedRaw) this.setObserved(record, obj.resourceVersion);
      this.observedVersion = obj.resourceVersion;
      if (record.holderIdentity !== '' && this.isLeaseValid(now) && !this.isLeader()) return done(false);
      this.update(this.newRecord(now, record), obj.resourceVersion, done);
    });
  }

  private newRecord(now: number, old: LeaseRecord | null): LeaseRecord {
    const mine = old !== null && old.holderIdentity === this.cfg.identity;
    return {
      holderIdentity: this.cfg.identity,
      // leaderelection.go: LeaseDurationSeconds: int(le.config.LeaseDuration / time.Second), a truncation.
      leaseDurationSeconds: Math.floor(this.cfg.leaseDurationUs / 1_000_000),
      acquireTime: mine ? old.acquireTime : now,
      renewTime: now,
      leaderTransitions: old === null ? 0 : mine ? old.leaderTransitions : old.leaderTransitions + 1,
    };
  }

  private create(record: LeaseRecord, done: (ok: boolean) => void): void {
    this.write('create', record, 0, done);
  }

  private update(record: LeaseRecord, version: number, done: (ok: boolean) => void): void {
    this.write('update', record, version, done);
  }

  private write(verb: 'create' | 'update', record: LeaseRecord, version: number, done: (ok: boolean) => void): void {
    const body = verb === 'create'
      ? { verb, key: leaseKey(this.cfg.group), value: record }
      : { verb, key: leaseKey(this.cfg.group), value: record, resourceVersion: version };
    this.api.request(this.cfg.endpoint, { method: verb === 'create' ? 'POST' : 'PUT', path: '/lease', body }, this.httpTimeoutUs, (resp: HttpResponse) => {
      this.events.apiReachable(resp.status !== 0 && resp.status < 500);
      if (resp.status !== 200) return done(false);
      this.setObserved(record, (resp.body as ApiObject).resourceVersion);
      done(true);
    });
  }

  /** Acquire loop: wait.JitterUntil(RP, 1.2, sliding) — the next try starts Jitter(RP) after this one ends. */
  private attempt(): void {
    const id = ++this.attemptId;
    this.tryAcquireOrRenew((ok) => {
      if (id !== this.attemptId || this.phase !== 'acquiring') return;
      if (ok) {
        // Run(): acquire returned, renew starts at once (UntilWithContext calls f before waiting).
        this.phase = 'leading';
        this.events.startedLeading();
        this.renewIteration();
        return;
      }
      this.ctx.setTimer('le-acquire', this.ctx.random.jitter(this.cfg.retryPeriodUs, JITTER_FACTOR), undefined, { routine: true });
    });
  }

  /**
   * Renew loop (leaderelection.go renew): wait.UntilWithContext(RP), sliding, around
   * PollUntilContextTimeout(RP, RD, immediate): try at once, then on each tick of a fixed RP ticker (not
   * sliding: loopConditionUntilContext arms it before the first try) until a success or RD has passed.
   */
  private renewIteration(): void {
    this.renewTickerAt = this.ctx.now();
    this.renewDeadlineAt = this.renewTickerAt + this.cfg.renewDeadlineUs;
    this.ctx.setTimer('le-deadline', this.cfg.renewDeadlineUs);
    this.renewPoll();
  }

  private renewPoll(): void {
    const id = ++this.attemptId;
    const startedAt = this.ctx.now();
    this.tryAcquireOrRenew((ok) => {
      if (id !== this.attemptId || this.phase !== 'leading') return;
      if (ok) {
        this.ctx.cancelTimer('le-deadline');
        this.ctx.setTimer('le-renew', this.cfg.retryPeriodUs, undefined, { routine: true });
        return;
      }
      // A Go ticker keeps one tick buffered: the first tick after this try began starts the next one, at once
      // if it came while the try ran.
      const rp = this.cfg.retryPeriodUs;
      const nextTickAt = this.renewTickerAt + (Math.floor((startedAt - this.renewTickerAt) / rp) + 1) * rp;
      const now = this.ctx.now();
      if (Math.max(now, nextTickAt) < this.renewDeadlineAt) this.ctx.setTimer('le-poll', Math.max(0, nextTickAt - now));
    });
  }

  /**
   * For fast-forward. A candidate that reads a Lease nobody renews will take it over once
   * observedTime + leaseDuration passes, with no new input: that is a change on its way. In steady
   * state every try sees a new renewTime, so the observation is never older than the longest
   * jittered retry interval (2.2 × retryPeriod). A leader whose renewals fail has its renew
   * deadline timer waiting, which the kernel sees.
   */
  unsettled(): string | null {
    if (this.phase !== 'acquiring' || !this.lastReadOk) return null;
    const record = this.observedRecord;
    if (record === null || record.holderIdentity === '') return 'the Lease is free: about to acquire it';
    const age = this.ctx.now() - this.observedTime;
    if (age > unchangedLeaseUs(this.cfg.retryPeriodUs)) return `the Lease held by ${record.holderIdentity} has not changed for ${age / 1e6} s`;
    return null;
  }

  /** Returns true when the timer was the elector's. */
  timer(name: string): boolean {
    switch (name) {
      case 'le-acquire':
        if (this.phase === 'acquiring') this.attempt();
        return true;
      case 'le-renew':
        if (this.phase === 'leading') this.renewIteration();
        return true;
      case 'le-poll':
        if (this.phase === 'leading') this.renewPoll();
        return true;
      case 'le-deadline':
        if (this.phase === 'leading') this.lose(`failed to renew the lease within the renew deadline (${this.cfg.renewDeadlineUs / 1e6}s)`);
        return true;
      default:
        return false;
    }
  }

  /**
   * renew() returns: with ReleaseOnCancel it calls release() first (whatever ended the loop), and only then does
   * Run() reach OnStoppedLeading.
   */
  private lose(reason: string): void {
    const release = this.cfg.releaseOnCancel && this.isLeader();
    this.phase = 'stopped';
    this.attemptId++;
    this.ctx.cancelTimer('le-poll');
    this.ctx.cancelTimer('le-renew');
    if (!release) return this.events.stoppedLeading(reason);
    this.release((ok) => this.events.stoppedLeading(`${reason}; ${ok ? 'released the lease' : 'failed to release the lease'}`));
  }

  /** release(): an empty holder with leaseDurationSeconds 1, so that others acquire at their next try. */
  private release(done: (ok: boolean) => void): void {
    const now = this.ctx.now();
    const old = this.observedRecord!;
    const record: LeaseRecord = { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaderTransitions: old.leaderTransitions };
    this.update(record, this.observedVersion, done);
  }

  /**
   * The component is shutting down (context cancelled). With ReleaseOnCancel a leader writes an
   * empty holder with leaseDurationSeconds 1 so others acquire at their next try; then `done`.
   */
  cancel(done: () => void): void {
    const wasLeading = this.phase === 'leading' && this.isLeader();
    this.phase = 'stopped';
    this.attemptId++;
    for (const t of ['le-acquire', 'le-renew', 'le-poll', 'le-deadline']) this.ctx.cancelTimer(t);
    if (!wasLeading || !this.cfg.releaseOnCancel) return done();
    this.release(() => done());
  }
}
