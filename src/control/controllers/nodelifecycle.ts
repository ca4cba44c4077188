// Node lifecycle controller (kube-controller-manager): lease-based health, unreachable taints, evictions, zone disruption.
import type { Ctx } from '../../kernel/actor.ts';
import type { NodeDetail } from '../../kernel/observations.ts';
import type { ApiList, ApiObject } from '../api.ts';
import type { Controller } from './controller.ts';
import { deletePods } from './evict.ts';
import { Api, bindingsKey, lastSegment, NODE_LEASE_PREFIX, nodeKey, NODES_PREFIX, type Bindings, type NodeLease, type NodeObject } from '../objects.ts';

export interface NodeLifecycleConfig {
  monitorPeriodUs: number;
  gracePeriodUs: number;
  tolerationUs: number;
  /** The kubelets' longest interval between node Lease renewals (fast-forward: when silence means something). */
  renewIntervalUs: number;
  /** --node-eviction-rate (0.1), --secondary-node-eviction-rate (0.01), --large-cluster-size-threshold (50), --unhealthy-zone-threshold (0.55). */
  evictionQps: number;
  secondaryEvictionQps: number;
  largeClusterThreshold: number;
  unhealthyZoneThreshold: number;
}

/** scheduler.NodeEvictionPeriod: doNoExecuteTaintingPass runs every 100 ms (wait.UntilWithContext). */
const TAINT_PASS_US = 100_000;
/** The least time a monitor pass takes (see monitor). */
const PASS_US = 1;

type ZoneState = 'normal' | 'partial' | 'full';

interface NodeView {
  zone: number;
  obj: NodeObject;
  rv: number;
  /** Local time we last saw its lease's renewTime change, and that renewTime. */
  probeAt: number;
  renew: number | null;
  renewedSinceSeen: boolean;
  healthy: boolean;
}

/** How long a Ready node's lease may go unseen before that is a sign it stopped renewing. */
export function silenceUs(cfg: Pick<NodeLifecycleConfig, 'renewIntervalUs' | 'monitorPeriodUs'>): number {
  return cfg.renewIntervalUs + cfg.monitorPeriodUs + 1_000_000;
}

export class NodeLifecycleController implements Controller {
  private readonly nodes = new Map<string, NodeView>();
  private readonly zoneState = new Map<number, ZoneState>();
  private readonly tokens = new Map<number, number>();
  private readonly taintQueue = new Set<string>();
  private masterDisruption = false;
  private lastTaintPass = 0;
  /**
   * The zones the last tainting pass found waiting, if that pass changed nothing (no node tainted or
   * dropped from the queue); null otherwise. While no node view changes (see `viewsChanged`) and those
   * zones still have no token, the next pass would find the same and is skipped: the queue can hold a
   * whole zone, and the pass runs ten times a second.
   */
  private idleWaiting: Set<number> | null = null;
  /** A node view, zone state or the queue changed since the last tainting pass (monitor passes and node writes set it). */
  private viewsChanged = true;

  constructor(private readonly ctx: Ctx, private readonly api: Api, private readonly cfg: NodeLifecycleConfig) {}

  start(): void {
    this.api.inform(NODES_PREFIX, NODE_LEASE_PREFIX);
    this.ctx.setTimer('ctl:nlc', this.cfg.monitorPeriodUs, undefined, { routine: true });
    this.ctx.setTimer('ctl:taint', TAINT_PASS_US, undefined, { routine: true });
    this.lastTaintPass = this.ctx.now();
  }

  timer(name: string, data: unknown): void {
    if (name === 'ctl:nlc') {
      this.monitor();
    } else if (name === 'ctl:taint') {
      this.ctx.setTimer('ctl:taint', TAINT_PASS_US, undefined, { routine: true });
      this.taintPass();
    } else if (name.startsWith('ctl:evict:')) this.evict(data as string);
  }

  /**
   * wait.Until(monitorNodeHealth, 5 s): the period starts when a pass ends (sliding), so passes drift by
   * their duration. A pass reads informers (no network), and its CPU time is not modelled, but it is
   * never zero: one µs, the clock's resolution, keeps `now` after probeTime + grace at the pass a whole
   * number of periods later (with exactly equal times the strict After() would wait one more period).
   */
  private monitor(): void {
    const next = (): void => this.ctx.setTimer('ctl:nlc', this.cfg.monitorPeriodUs + PASS_US, undefined, { routine: true });
    this.api.list(NODES_PREFIX, (nodes) => {
      if (!nodes) return next();
      this.api.list(NODE_LEASE_PREFIX, (leases) => {
        if (leases) this.assess(nodes, leases);
        next();
      });
    });
  }

  /** tryUpdateNodeHealth for every node, then the zone states (handleDisruption). */
  private assess(nodes: ApiList, leases: ApiList): void {
    const now = this.ctx.now();
    this.viewsChanged = true;
    const renewOf = new Map<string, number>();
    for (const l of leases.items) renewOf.set(lastSegment(l.key), (l.value as NodeLease).renewTime);
    for (const item of nodes.items) {
      const name = lastSegment(item.key);
      const obj = item.value as NodeObject;
      const renew = renewOf.get(name) ?? null;
      let v = this.nodes.get(name);
      if (!v) {
        // "Missing timestamp for Node. Assuming now as a timestamp": a new leader gives every node a fresh grace period.
        v = { zone: obj.zone, obj, rv: item.resourceVersion, probeAt: now, renew, renewedSinceSeen: false, healthy: true };
        this.nodes.set(name, v);
        if (obj.unreachableSince !== null) this.armEviction(name, obj.unreachableSince);
      } else {
        v.obj = obj;
        v.rv = item.resourceVersion;
        // "Always update the probe time if node lease is renewed" — on the LOCAL clock.
        if (renew !== null && renew !== v.renew) {
          v.renew = renew;
          v.probeAt = now;
          v.renewedSinceSeen = true;
        }
      }
      v.healthy = now <= v.probeAt + this.cfg.gracePeriodUs;
    }
    this.zones(now);
    for (const [name, v] of this.nodes) this.reconcile(name, v);
  }

  private zones(now: number): void {
    const total = new Map<number, number>();
    const down = new Map<number, number>();
    for (const v of this.nodes.values()) {
      total.set(v.zone, (total.get(v.zone) ?? 0) + 1);
      if (!v.healthy) down.set(v.zone, (down.get(v.zone) ?? 0) + 1);
    }
    let allFull = total.size > 0;
    for (const [zone, n] of total) {
      const bad = down.get(zone) ?? 0;
      // ComputeZoneState: full when no node is Ready; partial when more than 2 are NotReady and they make up at
      // least unhealthyZoneThreshold of the zone (the count is of NotReady nodes, not of the zone's size).
      const state: ZoneState = bad === n ? 'full' : bad > 2 && bad / n >= this.cfg.unhealthyZoneThreshold ? 'partial' : 'normal';
      if (state !== 'full') allFull = false;
      const was = this.zoneState.get(zone) ?? 'normal';
      this.zoneState.set(zone, state);
      if (state !== was) {
        const qps = this.zoneQps(zone);
        this.ctx.emit('zone', { zone, state, notReady: bad, nodes: n, taintsPerSecond: qps, note: zoneNote(zone, state, bad, n, qps) });
        this.swapLimiter(zone, this.qpsOf(was, n), qps);
      }
    }
    if (allFull !== this.masterDisruption) {
      this.masterDisruption = allFull;
      this.ctx.emit('zone', {
        masterDisruption: allFull,
        note: allFull
          ? 'all nodes are NotReady: node lifecycle controller enters master disruption mode (no taints, no evictions)'
          : 'some node is Ready again: master disruption mode ends, every node gets a fresh grace period',
      });
      // On exit, probe timestamps are reset to now.
      if (!allFull) for (const v of this.nodes.values()) { v.probeAt = now; v.healthy = true; }
    }
  }

  private reconcile(name: string, v: NodeView): void {
    if (!v.healthy && v.obj.ready) {
      this.writeNode(name, v, { ...v.obj, ready: false }, {
        ready: false, note: `${name} NotReady: no lease renewal for ${this.cfg.gracePeriodUs / 1e6} s`,
      });
    } else if (v.healthy && !v.obj.ready && v.renewedSinceSeen) {
      this.writeNode(name, v, { ...v.obj, ready: true, unreachableSince: null }, { ready: true, note: `${name} Ready again: its lease is renewed` });
      this.ctx.cancelTimer(`ctl:evict:${name}`);
      return;
    }
    const wantTaint = !v.healthy && !this.masterDisruption;
    if (wantTaint && v.obj.unreachableSince === null) this.taintQueue.add(name);
    if (!wantTaint) this.taintQueue.delete(name);
    if (this.masterDisruption && v.obj.unreachableSince !== null) {
      this.ctx.cancelTimer(`ctl:evict:${name}`);
      this.writeNode(name, v, { ...v.obj, unreachableSince: null }, { taint: false, note: `${name}: unreachable taint removed (master disruption mode)` });
    }
  }

  private writeNode(name: string, v: NodeView, value: NodeObject, detail: Omit<NodeDetail, 'node'>, then?: () => void): void {
    this.api.call({ verb: 'update', key: nodeKey(name), value, resourceVersion: v.rv }, (r) => {
      if (r.status !== 200) return;
      v.obj = value;
      v.rv = (r.body as ApiObject).resourceVersion;
      this.viewsChanged = true;
      this.ctx.emit('node', { node: name, ...detail });
      then?.();
    });
  }

  /**
   * For fast-forward: a Ready node whose lease has not been seen renewed for longer than a renew
   * interval and a monitor pass is on its way to NotReady; a node waiting for its taint (at a non-zero rate) will get it.
   * Eviction deadlines are timers, which the kernel sees.
   */
  unsettled(): string | null {
    const now = this.ctx.now();
    for (const [name, v] of this.nodes) {
      if (v.obj.ready && now - v.probeAt > silenceUs(this.cfg)) return `${name}: no lease renewal seen for ${(now - v.probeAt) / 1e6} s`;
    }
    for (const name of this.taintQueue) {
      const v = this.nodes.get(name);
      if (v && this.zoneQps(v.zone) > 0) return `${name} waits for its unreachable taint`;
    }
    return null;
  }

  /**
   * doNoExecuteTaintingPass: each zone's RateLimitedTimedQueue.Try takes nodes in the order they were queued while
   * its token bucket (burst 1, filled at the zone's rate) allows; a zone out of tokens waits, the others go on.
   */
  private taintPass(): void {
    const now = this.ctx.now();
    const dt = (now - this.lastTaintPass) / 1e6;
    this.lastTaintPass = now;
    for (const [zone, t] of this.tokens) this.tokens.set(zone, Math.min(1, t + this.zoneQps(zone) * dt));
    if (!this.viewsChanged && this.idleWaiting !== null && this.stillWaiting(this.idleWaiting)) return;
    this.viewsChanged = false;
    // Zones found out of tokens (or at a zero rate) this pass: nothing in the pass refills them, so their other
    // queued nodes wait without another look at the bucket (the queue can hold a whole zone, 10 passes a second).
    const waiting = new Set<number>();
    let changed = false;
    // (Deleting the element being visited is safe in a Set's for…of.)
    for (const name of this.taintQueue) {
      const v = this.nodes.get(name)!;
      if (v.healthy || v.obj.unreachableSince !== null) {
        this.taintQueue.delete(name);
        changed = true;
        continue;
      }
      if (waiting.has(v.zone)) continue;
      // A zone's bucket starts full (flowcontrol.NewTokenBucketRateLimiter).
      const t = this.tokens.get(v.zone) ?? 1;
      if (t < 1 || this.zoneQps(v.zone) === 0) {
        this.tokens.set(v.zone, t);
        waiting.add(v.zone);
        continue;
      }
      this.tokens.set(v.zone, t - 1);
      this.taintQueue.delete(name);
      changed = true;
      this.writeNode(name, v, { ...v.obj, unreachableSince: now }, { taint: true, note: `${name} tainted node.kubernetes.io/unreachable:NoExecute` }, () => this.armEviction(name, now));
    }
    this.idleWaiting = changed ? null : waiting;
  }

  /** Every one of these zones is still out of tokens or at a zero rate. */
  private stillWaiting(zones: Set<number>): boolean {
    for (const zone of zones) if ((this.tokens.get(zone) ?? 1) >= 1 && this.zoneQps(zone) !== 0) return false;
    return true;
  }

  /** The zone's tainting rate: setLimiterInZone with HealthyQPSFunc (normal, full) or ReducedQPSFunc (partial). */
  private zoneQps(zone: number): number {
    const state = this.zoneState.get(zone) ?? 'normal';
    if (state !== 'partial') return this.cfg.evictionQps;
    let n = 0;
    for (const v of this.nodes.values()) if (v.zone === zone) n++;
    return this.qpsOf(state, n);
  }

  /** ReducedQPSFunc: a partially disrupted zone larger than the large-cluster threshold taints at the secondary rate, a smaller one not at all. */
  private qpsOf(state: ZoneState, zoneSize: number): number {
    if (state !== 'partial') return this.cfg.evictionQps;
    return zoneSize > this.cfg.largeClusterThreshold ? this.cfg.secondaryEvictionQps : 0;
  }

  /**
   * RateLimitedTimedQueue.SwapLimiter: a new rate gets a new bucket, full, but drained at once if the old
   * one had no token (its TryAccept failed); the same rate keeps the bucket.
   */
  private swapLimiter(zone: number, oldQps: number, newQps: number): void {
    if (oldQps === newQps) return;
    // A zero rate is flowcontrol's never-limiter, whose TryAccept always fails.
    const oldAccepts = oldQps > 0 && (this.tokens.get(zone) ?? 1) >= 1;
    this.tokens.set(zone, oldAccepts ? 1 : 0);
  }

  /** Taint-based eviction: pods tolerate the taint for tolerationSeconds from its timeAdded. */
  private armEviction(name: string, since: number): void {
    this.ctx.setTimer(`ctl:evict:${name}`, Math.max(0, since + this.cfg.tolerationUs - this.ctx.now()), name);
  }

  private evict(name: string): void {
    const v = this.nodes.get(name);
    if (!v || v.obj.unreachableSince === null || this.masterDisruption) return;
    const secs = Math.round(this.cfg.tolerationUs / 1e6);
    this.api.call({ verb: 'get', key: bindingsKey(name) }, (r) => {
      if (r.status !== 200) {
        if (r.status !== 404) this.ctx.setTimer(`ctl:evict:${name}`, this.cfg.monitorPeriodUs, name);
        return;
      }
      const pods = ((r.body as ApiObject).value as Bindings).pods.map((pod) => ({ pod, node: name }));
      deletePods(this.ctx, this.api, pods, (pod) => {
        this.ctx.emit('pod', { pod, node: name, evicted: true, note: `evicted pod ${pod} from ${name} after ${secs} s` });
      });
    });
  }
}

function zoneNote(zone: number, state: ZoneState, bad: number, n: number, qps: number): string {
  if (state === 'normal') return `zone-${zone} healthy again (${bad} of ${n} nodes NotReady)`;
  if (state === 'full') return `zone-${zone} fully disrupted: all ${n} nodes NotReady (tainting ${qps} node/s)`;
  return qps === 0
    ? `zone-${zone} partially disrupted: ${bad} of ${n} nodes NotReady, evictions stop in this zone`
    : `zone-${zone} partially disrupted: ${bad} of ${n} nodes NotReady, tainting slows to ${qps} node/s`;
}
