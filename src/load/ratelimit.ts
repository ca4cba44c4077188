// Client-side limits of client-go: the QPS/burst token bucket and retries that honour Retry-After.
//
// Sources:
// - client-go util/flowcontrol/throttle.go NewTokenBucketRateLimiter(qps, burst) wraps
//   golang.org/x/time/rate NewLimiter; every request calls Wait, which is reserveN(now, 1):
//   `advance` refills at qps tokens/s up to burst, one token is taken (the count may go negative,
//   so later callers queue behind earlier ones), and the caller waits -tokens/qps seconds.
//   The bucket starts full (x/time/rate NewLimiter sets tokens = burst).
// - client-go rest/config.go: DefaultQPS 5, DefaultBurst 10; RESTClientFor uses them when the
//   config says 0, and installs no limiter at all when qps is negative.
// - client-go rest/request.go NewRequest: maxRetries 10; rest/with_retry.go IsNextRetry + checkWait:
//   retry only on 429 or >= 500 that carries an integer Retry-After, wait that many seconds
//   (NoBackoff.Sleep), then pass the token bucket again (withRetry.Before → tryThrottleWithInfo).

/** Client QPS/burst defaults, each from its upstream defaulting function. */
export const CLIENT_DEFAULTS = Object.freeze({
  /** client-go rest/config.go DefaultQPS / DefaultBurst: any client that sets nothing. */
  restConfig: { qps: 5, burst: 10 },
  /** kubelet v1beta1 defaults.go SetDefaults_KubeletConfiguration, raised from 5/10 in 1.27 (kubernetes PR #116121). */
  kubelet: { qps: 50, burst: 100 },
  /** kube-controller-manager v1alpha1 defaults.go: Generic.ClientConnection QPS 20, Burst 30. */
  controllerManager: { qps: 20, burst: 30 },
  /** kube-scheduler config v1 defaults.go SetDefaults_KubeSchedulerConfiguration: QPS 50, Burst 100. */
  scheduler: { qps: 50, burst: 100 },
});

/** rest/request.go NewRequest: maxRetries 10 (attempts after the first). */
export const DEFAULT_MAX_RETRIES = 10;

export interface TokenBucket {
  readonly qps: number;
  readonly burst: number;
  /** Tokens at lastUs; negative while callers are queued for future tokens. */
  readonly tokens: number;
  readonly lastUs: number;
}

/** A full bucket. qps <= 0 means "no limiter" (rest/config.go installs none for negative qps). */
export function newTokenBucket(qps: number, burst: number, nowUs = 0): TokenBucket {
  if (qps > 0 && burst < 1) throw new Error(`token bucket: burst ${burst} must be at least 1`);
  return { qps, burst, tokens: burst, lastUs: nowUs };
}

/** client-go RESTClientFor: QPS 0 and Burst 0 mean the defaults 5 and 10. */
export function bucketForConfig(qps: number, burst: number, nowUs = 0): TokenBucket {
  return newTokenBucket(qps === 0 ? CLIENT_DEFAULTS.restConfig.qps : qps, burst === 0 ? CLIENT_DEFAULTS.restConfig.burst : burst, nowUs);
}

/**
 * x/time/rate reserveN(now, 1): when may a request asked for at nowUs go, and the bucket after it.
 * The wait is rounded up to whole µs so that no request leaves before its token exists.
 */
export function reserve(bucket: TokenBucket, nowUs: number): { startUs: number; bucket: TokenBucket } {
  if (bucket.qps <= 0) return { startUs: nowUs, bucket };
  // advance: a call from the past sees the bucket as of lastUs (rate.go: now.Before(last)).
  const atUs = Math.max(nowUs, bucket.lastUs);
  const refilled = Math.min(bucket.burst, bucket.tokens + ((atUs - bucket.lastUs) * bucket.qps) / 1e6);
  const tokens = refilled - 1;
  const waitUs = tokens < 0 ? Math.ceil((-tokens / bucket.qps) * 1e6 - 1e-6) : 0;
  return { startUs: atUs + waitUs, bucket: { ...bucket, tokens, lastUs: atUs } };
}

export interface HttpOutcome {
  status: number;
  /** The Retry-After header as sent, if any. */
  retryAfter?: string;
}

export type RetryDecision = { retry: true; waitUs: number } | { retry: false; reason: 'not-retryable' | 'retries-exhausted' };

/** rest/request.go retryAfterSeconds: the header as a base-10 integer (strconv.Atoi), else absent. */
export function retryAfterSeconds(header: string | undefined): number | null {
  if (header === undefined || !/^[+-]?\d+$/.test(header)) return null;
  return Number.parseInt(header, 10);
}

/**
 * with_retry.go IsNextRetry for an HTTP response (no transport error): `attemptsSoFar` retries
 * have been made before this response. Retry if fewer than maxRetries and checkWait says wait.
 * The retry then waits waitUs and passes the client's token bucket again (reserve).
 */
export function retryDecision(outcome: HttpOutcome, attemptsSoFar: number, maxRetries = DEFAULT_MAX_RETRIES): RetryDecision {
  if (attemptsSoFar + 1 > maxRetries) return { retry: false, reason: 'retries-exhausted' };
  // checkWait: only 429 and 5xx can carry a wait, and only with a parseable Retry-After.
  if (outcome.status !== 429 && outcome.status < 500) return { retry: false, reason: 'not-retryable' };
  const seconds = retryAfterSeconds(outcome.retryAfter);
  if (seconds === null) return { retry: false, reason: 'not-retryable' };
  // NoBackoff.Sleep(d) → time.Sleep, which returns at once for d <= 0.
  return { retry: true, waitUs: Math.max(0, seconds) * 1_000_000 };
}
