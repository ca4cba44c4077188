// API Priority and Fairness: the queue set of one priority level, event-driven and pure.
//
// Follows kubernetes/apiserver v0.32.0 pkg/util/flowcontrol/fairqueuing/queueset/queueset.go:
// StartRequest → shuffleShardLocked / rejectOrEnqueueToBoundLocked / dispatchAsMuchAsPossibleLocked,
// finishRequestLocked, request.wait (the queue-wait time-out), syncTimeLocked / getVirtualTimeRatioLocked
// (virtual time R), findDispatchQueueToBoundLocked (smallest virtual finish, round-robin ties) and
// boundNextDispatchLocked (anti-windup). Simplified, and said so in docs/design/load.md:
// - every request occupies one seat and its estimated work is G = 3 ms (no work estimator, no
//   width for LIST, no lingering seats for watch notifications);
// - no borrowing or lending between levels (apf_controller.go updateBorrowing): each level's
//   limit is its nominal concurrency limit;
// - queues are never removed by attrition (the configuration does not change during a run).
// Times are µs; R is in seat·µs.

import { dealHand, ESTIMATED_SERVICE_US, queueWaitLimitUs, type PriorityLevelSpec } from './apf-config.ts';

export interface ApfRequest {
  id: string;
  /** Priority level chosen by the flow schema (see classes.ts flowSchemaFor). */
  priorityLevel: string;
  /** Hash of flow schema and distinguisher, a non-negative integer below 2^53 (apf-config.ts flowHash53). */
  flowHash: number;
  /**
   * The request's own deadline, µs after arrival (client-go's `?timeout=`; WithRequestDeadline gives
   * every other non-long-running request --request-timeout). It may wait a quarter of it
   * (getRequestWaitContext, capped at 1 min); without it the level's default wait limit applies.
   */
  timeoutUs?: number;
}

export type EnqueueResult =
  | { kind: 'dispatched' }
  | { kind: 'queued' }
  | { kind: 'rejected'; reason: 'queue-full' | 'concurrency-limit' };

interface Waiting {
  req: ApfRequest;
  arrivalUs: number;
  /** When it leaves the queue with a time-out 429 if not dispatched by then. */
  deadlineUs: number;
  arrivalR: number;
  queue: number;
}

interface Queue {
  waiting: Waiting[];
  seatsInUse: number;
  nextDispatchR: number;
}

export interface LevelStats {
  name: string;
  concurrencyLimit: number;
  executing: number;
  waiting: number;
  dispatched: number;
  rejectedQueueFull: number;
  rejectedConcurrencyLimit: number;
  rejectedTimeOut: number;
}

/** The queue set of one priority level. */
export class QueueSet {
  readonly concurrencyLimit: number;
  private readonly queues: Queue[];
  private currentR = 0;
  private lastUs: number;
  private enqueues = 0;
  private robinIndex = 0;
  private totSeatsInUse = 0;
  private totWaiting = 0;
  /** Queues with a request waiting or executing (getVirtualTimeRatioLocked's activeQueues). */
  private activeQueues = 0;
  private readonly executing = new Map<string, { startUs: number; queue: number | null }>();
  /** Each flow's hand of queues, dealt once. */
  private readonly hands = new Map<number, number[]>();
  readonly stats: LevelStats;

  constructor(
    readonly spec: PriorityLevelSpec,
    concurrencyLimit: number,
    private readonly waitLimitUs: number,
    startUs = 0,
  ) {
    this.concurrencyLimit = concurrencyLimit;
    this.lastUs = startUs;
    const n = spec.exempt || spec.limitResponse === 'reject' ? 0 : spec.queues;
    this.queues = Array.from({ length: n }, () => ({ waiting: [], seatsInUse: 0, nextDispatchR: 0 }));
    this.stats = { name: spec.name, concurrencyLimit, executing: 0, waiting: 0, dispatched: 0, rejectedQueueFull: 0, rejectedConcurrencyLimit: 0, rejectedTimeOut: 0 };
  }

  /** Waiting requests per queue (for tests and the debug view). */
  queueLengths(): number[] {
    return this.queues.map((q) => q.waiting.length);
  }

  /** Recount what the counters keep (tests): null when they agree, else what differs. */
  auditCounters(): string | null {
    const active = this.queues.filter((q) => q.waiting.length > 0 || q.seatsInUse > 0).length;
    const waiting = this.queues.reduce((n, q) => n + q.waiting.length, 0);
    if (active !== this.activeQueues) return `activeQueues ${this.activeQueues}, recounted ${active}`;
    if (waiting !== this.totWaiting) return `totWaiting ${this.totWaiting}, recounted ${waiting}`;
    if (this.executing.size !== this.totSeatsInUse) return `totSeatsInUse ${this.totSeatsInUse}, executing ${this.executing.size}`;
    return null;
  }

  /** Current virtual time (for tests and the debug view). */
  virtualTime(): number {
    return this.currentR;
  }

  /** queueset.go StartRequest. */
  enqueue(req: ApfRequest, nowUs: number): EnqueueResult {
    this.syncTime(nowUs);
    if (this.spec.exempt) return this.dispatchSansQueue(req, nowUs);
    if (this.queues.length === 0) {
      // Step 0 of StartRequest: no queues, only the concurrency limit.
      if (this.totSeatsInUse >= this.concurrencyLimit) {
        this.stats.rejectedConcurrencyLimit++;
        return { kind: 'rejected', reason: 'concurrency-limit' };
      }
      return this.dispatchSansQueue(req, nowUs);
    }
    const qi = this.shuffleShard(req.flowHash);
    const queue = this.queues[qi]!;
    // rejectOrEnqueueToBoundLocked: reject only when the level is full AND the chosen queue is full.
    if (this.totSeatsInUse >= this.concurrencyLimit && queue.waiting.length >= this.spec.queueLengthLimit) {
      this.stats.rejectedQueueFull++;
      return { kind: 'rejected', reason: 'queue-full' };
    }
    // enqueueToBoundLocked: an idle queue starts at the current virtual time.
    if (queue.waiting.length === 0 && queue.seatsInUse === 0) {
      queue.nextDispatchR = this.currentR;
      this.activeQueues++;
    }
    const waitUs = req.timeoutUs !== undefined ? queueWaitLimitUs(undefined, req.timeoutUs) : this.waitLimitUs;
    queue.waiting.push({ req, arrivalUs: nowUs, deadlineUs: nowUs + waitUs, arrivalR: this.currentR, queue: qi });
    this.totWaiting++;
    this.boundNextDispatch(queue);
    const dispatched = this.dispatchAsMuchAsPossible(nowUs);
    return dispatched.some((r) => r.id === req.id) ? { kind: 'dispatched' } : { kind: 'queued' };
  }

  /** queueset.go finishRequestAndDispatchAsMuchAsPossible: returns the requests dispatched as a result. */
  finish(id: string, nowUs: number): ApfRequest[] {
    this.syncTime(nowUs);
    const run = this.executing.get(id);
    if (!run) throw new Error(`APF ${this.spec.name}: finish of unknown request ${id}`);
    this.executing.delete(id);
    this.totSeatsInUse--;
    if (run.queue !== null) {
      const queue = this.queues[run.queue]!;
      queue.seatsInUse--;
      if (queue.seatsInUse === 0 && queue.waiting.length === 0) this.activeQueues--;
      // finishRequestLocked: correct the queue's start R by (G - S) for the actual service time S.
      queue.nextDispatchR -= ESTIMATED_SERVICE_US - (nowUs - run.startUs);
      this.boundNextDispatch(queue);
    }
    return this.dispatchAsMuchAsPossible(nowUs);
  }

  /** request.wait's cancel branch: every request whose queue wait limit has passed leaves with a 429. */
  expire(nowUs: number): ApfRequest[] {
    this.syncTime(nowUs);
    const out: ApfRequest[] = [];
    if (this.totWaiting === 0) return out;
    for (const queue of this.queues) {
      if (!queue.waiting.some((w) => w.deadlineUs <= nowUs)) continue;
      for (const w of queue.waiting) if (w.deadlineUs <= nowUs) out.push(w.req);
      queue.waiting = queue.waiting.filter((w) => w.deadlineUs > nowUs);
      if (queue.waiting.length === 0 && queue.seatsInUse === 0) this.activeQueues--;
      this.boundNextDispatch(queue);
    }
    this.totWaiting -= out.length;
    this.stats.rejectedTimeOut += out.length;
    this.refreshStats();
    return out;
  }

  /** The earliest time a waiting request times out, or null when nothing waits. */
  nextExpiryUs(): number | null {
    let best: number | null = null;
    if (this.totWaiting === 0) return best;
    // Per-request deadlines differ, so the earliest is not always at a queue's head.
    for (const queue of this.queues) {
      for (const w of queue.waiting) if (best === null || w.deadlineUs < best) best = w.deadlineUs;
    }
    return best;
  }

  /** syncTimeLocked + getVirtualTimeRatioLocked: R grows at min(seats requested, CL) / active queues. */
  private syncTime(nowUs: number): void {
    const elapsedUs = nowUs - this.lastUs;
    if (elapsedUs < 0) throw new Error(`APF ${this.spec.name}: time went backwards (${nowUs} < ${this.lastUs})`);
    this.lastUs = nowUs;
    // Kept as counters instead of upstream's loop over every queue: in a queuing level every
    // executing request sits in a queue, so the seats requested are executing + waiting.
    if (this.activeQueues > 0) {
      const seatsRequested = this.totSeatsInUse + this.totWaiting;
      this.currentR += (Math.min(seatsRequested, this.concurrencyLimit) / this.activeQueues) * elapsedUs;
    }
  }

  /** shuffleShardLocked: of the flow's hand, the queue with the least waiting work, visited from a rotating offset. */
  private shuffleShard(flowHash: number): number {
    let hand = this.hands.get(flowHash);
    if (!hand) this.hands.set(flowHash, (hand = dealHand(flowHash, this.queues.length, this.spec.handSize)));
    const offset = this.enqueues % hand.length;
    this.enqueues++;
    let best = -1;
    let bestWork = Infinity;
    for (let i = 0; i < hand.length; i++) {
      const qi = hand[(offset + i) % hand.length]!;
      const work = this.queues[qi]!.waiting.length * ESTIMATED_SERVICE_US;
      if (work < bestWork) {
        bestWork = work;
        best = qi;
      }
    }
    return best;
  }

  private dispatchSansQueue(req: ApfRequest, nowUs: number): EnqueueResult {
    this.executing.set(req.id, { startUs: nowUs, queue: null });
    this.totSeatsInUse++;
    this.stats.dispatched++;
    this.refreshStats();
    return { kind: 'dispatched' };
  }

  private dispatchAsMuchAsPossible(nowUs: number): ApfRequest[] {
    const out: ApfRequest[] = [];
    while (this.totWaiting > 0 && this.totSeatsInUse < this.concurrencyLimit) {
      const w = this.findDispatchQueue();
      if (!w) break;
      const queue = this.queues[w.queue]!;
      queue.waiting.shift();
      this.totWaiting--;
      this.totSeatsInUse++;
      queue.seatsInUse++;
      queue.nextDispatchR += ESTIMATED_SERVICE_US;
      this.boundNextDispatch(queue);
      this.executing.set(w.req.id, { startUs: nowUs, queue: w.queue });
      this.stats.dispatched++;
      out.push(w.req);
    }
    this.refreshStats();
    return out;
  }

  /** findDispatchQueueToBoundLocked: smallest nextDispatchR + G, scanning round-robin after the last pick. */
  private findDispatchQueue(): Waiting | null {
    const nq = this.queues.length;
    let best: Waiting | null = null;
    let bestFinish = Infinity;
    let bestIndex = -1;
    for (let k = 0; k < nq; k++) {
      this.robinIndex = (this.robinIndex + 1) % nq;
      const queue = this.queues[this.robinIndex]!;
      const head = queue.waiting[0];
      if (!head) continue;
      const finish = queue.nextDispatchR + ESTIMATED_SERVICE_US;
      if (finish < bestFinish) {
        bestFinish = finish;
        best = head;
        bestIndex = this.robinIndex;
      }
    }
    if (best) this.robinIndex = bestIndex;
    return best;
  }

  /** boundNextDispatchLocked: a queue's virtual start never precedes its oldest waiting request's arrival. */
  private boundNextDispatch(queue: Queue): void {
    const head = queue.waiting[0];
    if (head && queue.nextDispatchR < head.arrivalR) queue.nextDispatchR = head.arrivalR;
  }

  private refreshStats(): void {
    this.stats.executing = this.totSeatsInUse;
    this.stats.waiting = this.totWaiting;
  }
}
