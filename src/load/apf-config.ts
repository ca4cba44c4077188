// API Priority and Fairness configuration: the 1.32 bootstrap priority levels, nominal limits, shuffle-sharding.
//
// Sources (kubernetes/apiserver, tag v0.32.0 = Kubernetes 1.32):
// - pkg/apis/flowcontrol/bootstrap/default.go: the mandatory (exempt, catch-all) and suggested
//   (system, node-high, leader-election, workload-high, workload-low, global-default) levels.
// - pkg/server/config.go NewConfig: MaxRequestsInFlight 400, MaxMutatingRequestsInFlight 200,
//   RequestTimeout 60 s; DefaultBuildHandlerChain passes RequestTimeout/4 as APF's default wait limit.
// - pkg/server/options/feature.go ApplyTo: the APF server concurrency limit is the SUM of the two
//   flags, and they "must add up to something positive".
// - pkg/util/flowcontrol/apf_controller.go finishQueueSetReconfigsLocked: nominalCL =
//   ceil(serverCL * shares / sum of all levels' shares).
// - pkg/util/shufflesharding/shufflesharding.go Dealer.Deal: the hand of queues for a flow.
// - pkg/util/flowcontrol/fairqueuing/queueset/queueset.go Complete: estimatedServiceDuration 3 ms.

/** What a priority level does when its concurrency is used up (flowcontrol LimitResponse.type). */
export type LimitResponse = 'queue' | 'reject';

export interface PriorityLevelSpec {
  name: string;
  /** Exempt levels are never limited (PriorityLevelEnablementExempt). */
  exempt: boolean;
  nominalConcurrencyShares: number;
  /** Kept for completeness; borrowing/lending between levels is not modelled (see docs/design/load.md). */
  lendablePercent: number;
  limitResponse: LimitResponse;
  /** Queuing parameters; ignored when limitResponse is 'reject' or the level is exempt. */
  queues: number;
  handSize: number;
  queueLengthLimit: number;
}

function queued(name: string, shares: number, lendablePercent: number, queues: number, handSize: number): PriorityLevelSpec {
  // Every queuing level in the 1.32 bootstrap has queueLengthLimit 50.
  return { name, exempt: false, nominalConcurrencyShares: shares, lendablePercent, limitResponse: 'queue', queues, handSize, queueLengthLimit: 50 };
}

/** bootstrap/default.go at v0.32.0, in the order the file lists them. */
export const APF_BOOTSTRAP_LEVELS_1_32: readonly PriorityLevelSpec[] = Object.freeze([
  { name: 'exempt', exempt: true, nominalConcurrencyShares: 0, lendablePercent: 0, limitResponse: 'queue', queues: 0, handSize: 0, queueLengthLimit: 0 },
  { name: 'catch-all', exempt: false, nominalConcurrencyShares: 5, lendablePercent: 0, limitResponse: 'reject', queues: 0, handSize: 0, queueLengthLimit: 0 },
  queued('system', 30, 33, 64, 6),
  queued('node-high', 40, 25, 64, 6),
  queued('leader-election', 10, 0, 16, 4),
  queued('workload-high', 40, 50, 128, 6),
  queued('workload-low', 100, 90, 128, 6),
  queued('global-default', 20, 50, 128, 6),
]);

/** pkg/server/config.go NewConfig defaults (the --max-requests-inflight / --max-mutating-requests-inflight flags). */
export const DEFAULT_MAX_REQUESTS_INFLIGHT = 400;
export const DEFAULT_MAX_MUTATING_REQUESTS_INFLIGHT = 200;
/** pkg/server/config.go NewConfig: RequestTimeout 60 s (--request-timeout). */
export const DEFAULT_REQUEST_TIMEOUT_US = 60_000_000;
/** queueset.go Complete: the G of fair queuing, the work each request is assumed to take until it finishes. */
export const ESTIMATED_SERVICE_US = 3_000;
/** filters/priority-and-fairness.go getRequestWaitContext: no request waits in a queue longer than 1 minute. */
export const MAX_QUEUE_WAIT_US = 60_000_000;

/** feature.go ApplyTo: APF's server concurrency limit is the sum of the two inflight flags. */
export function serverConcurrencyLimit(maxRequestsInflight: number, maxMutatingRequestsInflight: number): number {
  return maxRequestsInflight + maxMutatingRequestsInflight;
}

/**
 * apf_controller.go finishQueueSetReconfigsLocked: each level's nominal concurrency limit is
 * ceil(serverCL * shares / shareSum), shareSum over ALL levels (exempt included, with its 0 shares).
 * Because of the ceil the limits may sum to a little more than serverCL, as upstream notes.
 */
export function nominalConcurrencyLimits(serverCL: number, levels: readonly PriorityLevelSpec[]): Map<string, number> {
  const shareSum = levels.reduce((sum, l) => sum + l.nominalConcurrencyShares, 0);
  const out = new Map<string, number>();
  for (const level of levels) {
    out.set(level.name, shareSum > 0 ? Math.ceil((serverCL * level.nominalConcurrencyShares) / shareSum) : 0);
  }
  return out;
}

/**
 * filters/priority-and-fairness.go getRequestWaitContext: a request with a deadline may wait a
 * quarter of its allotted time; one without uses the default (RequestTimeout/4 = 15 s); never over 1 min.
 */
export function queueWaitLimitUs(requestTimeoutUs: number = DEFAULT_REQUEST_TIMEOUT_US, deadlineUs?: number): number {
  const limit = deadlineUs !== undefined ? deadlineUs / 4 : requestTimeoutUs / 4;
  return Math.min(limit, MAX_QUEUE_WAIT_US);
}

/**
 * shufflesharding.go Dealer.Deal: draw handSize distinct queues out of deckSize from one hash
 * value, by mixed-radix digits (deckSize, deckSize-1, …) and then shifting each digit past the cards
 * already drawn. Upstream hashes are 64-bit; here the hash is a non-negative integer below 2^53,
 * which holds the entropy the 1.32 levels need (ceil(log2(128) * 6) = 42 bits).
 */
export function dealHand(hashValue: number, deckSize: number, handSize: number): number[] {
  if (!Number.isSafeInteger(hashValue) || hashValue < 0) throw new Error(`dealHand: hash ${hashValue} is not a safe non-negative integer`);
  if (handSize < 1 || deckSize < handSize) throw new Error(`dealHand: handSize ${handSize} does not fit deckSize ${deckSize}`);
  const remainders: number[] = [];
  let rest = hashValue;
  for (let i = 0; i < handSize; i++) {
    const radix = deckSize - i;
    remainders.push(rest % radix);
    rest = Math.floor(rest / radix);
  }
  const hand: number[] = [];
  for (let i = 0; i < handSize; i++) {
    let card = remainders[i]!;
    for (let j = i; j > 0; j--) {
      if (card >= remainders[j - 1]!) card++;
    }
    hand.push(card);
  }
  return hand;
}

/**
 * A deterministic 53-bit string hash (FNV-1a over UTF-16 code units, folded into 53 bits).
 * Upstream (apf_controller.go hashFlowID) takes sha256 of flow-schema name and distinguisher; any
 * well-spread hash gives the same queue statistics, and this one needs no crypto module.
 */
export function flowHash53(flowSchema: string, distinguisher: string): number {
  let hi = 0x811c9dc5;
  let lo = 0x01000193;
  const text = `${flowSchema}\u0000${distinguisher}`;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    hi = Math.imul(hi ^ c, 0x01000193) >>> 0;
    lo = Math.imul(lo ^ (c + i), 0x000193a7) >>> 0;
  }
  return (hi & 0x1fffff) * 0x100000000 + lo;
}
