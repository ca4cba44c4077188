// API Priority and Fairness for one apiserver: every priority level with its nominal limit and queue set.
//
// Sources and simplifications: apf-config.ts (defaults, limits) and apf-queueset.ts (queueset.go);
// the design note docs/design/load.md says where this plugs into the apiserver actor.

import {
  APF_BOOTSTRAP_LEVELS_1_32,
  DEFAULT_MAX_MUTATING_REQUESTS_INFLIGHT,
  DEFAULT_MAX_REQUESTS_INFLIGHT,
  DEFAULT_REQUEST_TIMEOUT_US,
  nominalConcurrencyLimits,
  queueWaitLimitUs,
  serverConcurrencyLimit,
  type PriorityLevelSpec,
} from './apf-config.ts';
import { QueueSet, type ApfRequest, type EnqueueResult, type LevelStats } from './apf-queueset.ts';

export { QueueSet, type ApfRequest, type EnqueueResult, type LevelStats } from './apf-queueset.ts';

export interface ApfServerConfig {
  maxRequestsInflight?: number;
  maxMutatingRequestsInflight?: number;
  levels?: readonly PriorityLevelSpec[];
  requestTimeoutUs?: number;
}

/** APF of one apiserver: the levels, each with its nominal concurrency limit and its queue set. */
export class ApfServer {
  readonly serverConcurrencyLimit: number;
  private readonly sets = new Map<string, QueueSet>();
  private readonly levelOf = new Map<string, string>();

  constructor(config: ApfServerConfig = {}, startUs = 0) {
    this.serverConcurrencyLimit = serverConcurrencyLimit(
      config.maxRequestsInflight ?? DEFAULT_MAX_REQUESTS_INFLIGHT,
      config.maxMutatingRequestsInflight ?? DEFAULT_MAX_MUTATING_REQUESTS_INFLIGHT,
    );
    const levels = config.levels ?? APF_BOOTSTRAP_LEVELS_1_32;
    const limits = nominalConcurrencyLimits(this.serverConcurrencyLimit, levels);
    const waitUs = queueWaitLimitUs(config.requestTimeoutUs ?? DEFAULT_REQUEST_TIMEOUT_US);
    for (const level of levels) this.sets.set(level.name, new QueueSet(level, limits.get(level.name)!, waitUs, startUs));
  }

  level(name: string): QueueSet {
    const qs = this.sets.get(name);
    if (!qs) throw new Error(`APF: unknown priority level ${name}`);
    return qs;
  }

  enqueue(req: ApfRequest, nowUs: number): EnqueueResult {
    if (this.levelOf.has(req.id)) throw new Error(`APF: request ${req.id} is already waiting or executing`);
    const result = this.level(req.priorityLevel).enqueue(req, nowUs);
    if (result.kind !== 'rejected') this.levelOf.set(req.id, req.priorityLevel);
    return result;
  }

  finish(id: string, nowUs: number): ApfRequest[] {
    const name = this.levelOf.get(id);
    if (name === undefined) throw new Error(`APF: finish of unknown request ${id}`);
    this.levelOf.delete(id);
    return this.level(name).finish(id, nowUs);
  }

  /** Every level's timed-out waiters (each a 429 to its client), in level order. */
  expire(nowUs: number): ApfRequest[] {
    const out: ApfRequest[] = [];
    for (const qs of this.sets.values()) {
      const gone = qs.expire(nowUs);
      for (const r of gone) this.levelOf.delete(r.id);
      out.push(...gone);
    }
    return out;
  }

  nextExpiryUs(): number | null {
    let best: number | null = null;
    for (const qs of this.sets.values()) {
      const t = qs.nextExpiryUs();
      if (t !== null && (best === null || t < best)) best = t;
    }
    return best;
  }

  /** Requests executing across all levels: the apiserver's in-flight count. */
  inFlight(): number {
    let n = 0;
    for (const qs of this.sets.values()) n += qs.stats.executing;
    return n;
  }

  stats(): LevelStats[] {
    return [...this.sets.values()].map((qs) => ({ ...qs.stats }));
  }
}

/**
 * The Retry-After a 429 carries. dropped_requests_tracker.go starts every level at 1 s and doubles it
 * (up to 32 s) when a level keeps dropping; the adaptive part is not modelled, so this is 1 s.
 */
export const APF_RETRY_AFTER_SECONDS = 1;
