// client-go token bucket (QPS/burst) and Retry-After retries, against hand-computed times.
import { describe, expect, it } from 'vitest';
import {
  bucketForConfig,
  CLIENT_DEFAULTS,
  newTokenBucket,
  reserve,
  retryAfterSeconds,
  retryDecision,
  type TokenBucket,
} from '../../src/load/ratelimit.ts';

function startTimes(bucket: TokenBucket, asks: number[]): number[] {
  const out: number[] = [];
  let b = bucket;
  for (const t of asks) {
    const r = reserve(b, t);
    out.push(r.startUs);
    b = r.bucket;
  }
  return out;
}

describe('token bucket (x/time/rate reserveN via NewTokenBucketRateLimiter)', () => {
  it('rest.Config defaults 5/10: ten go at once, then one every 200 ms', () => {
    const asks = Array.from({ length: 13 }, () => 0);
    expect(startTimes(bucketForConfig(0, 0), asks)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 200_000, 400_000, 600_000]);
  });

  it('refills at qps up to burst: after 1 s idle a 5/10 bucket holds 5 more tokens, never more than 10', () => {
    let b = newTokenBucket(5, 10);
    for (let i = 0; i < 10; i++) b = reserve(b, 0).bucket;
    // At 1 s: 5 tokens back → five immediate, the sixth waits 200 ms.
    expect(startTimes(b, [1e6, 1e6, 1e6, 1e6, 1e6, 1e6])).toEqual([1e6, 1e6, 1e6, 1e6, 1e6, 1.2e6]);
    // After an hour idle the bucket is capped at burst.
    expect(startTimes(b, Array.from({ length: 11 }, () => 3.6e9)).at(-1)).toBe(3.6e9 + 200_000);
  });

  it('kubelet 50/100: the 101st request at t=0 leaves after 20 ms', () => {
    const { qps, burst } = CLIENT_DEFAULTS.kubelet;
    const starts = startTimes(newTokenBucket(qps, burst), Array.from({ length: 102 }, () => 0));
    expect(starts[99]).toBe(0);
    expect(starts[100]).toBe(20_000);
    expect(starts[101]).toBe(40_000);
  });

  it('a negative qps installs no limiter; defaults are the upstream ones', () => {
    expect(startTimes(newTokenBucket(-1, 0), [0, 0, 0, 0])).toEqual([0, 0, 0, 0]);
    expect(CLIENT_DEFAULTS.controllerManager).toEqual({ qps: 20, burst: 30 });
    expect(CLIENT_DEFAULTS.restConfig).toEqual({ qps: 5, burst: 10 });
  });
});

describe('Retry-After retries (with_retry.go IsNextRetry, checkWait)', () => {
  it('a 429 with Retry-After: 1 waits 1 s; a 503 with Retry-After: 3 waits 3 s', () => {
    expect(retryDecision({ status: 429, retryAfter: '1' }, 0)).toEqual({ retry: true, waitUs: 1_000_000 });
    expect(retryDecision({ status: 503, retryAfter: '3' }, 4)).toEqual({ retry: true, waitUs: 3_000_000 });
  });

  it('no Retry-After, a non-integer one, or a 4xx other than 429: no retry', () => {
    expect(retryDecision({ status: 429 }, 0)).toEqual({ retry: false, reason: 'not-retryable' });
    expect(retryDecision({ status: 429, retryAfter: 'Wed, 21 Oct 2015 07:28:00 GMT' }, 0)).toEqual({ retry: false, reason: 'not-retryable' });
    expect(retryDecision({ status: 409, retryAfter: '1' }, 0)).toEqual({ retry: false, reason: 'not-retryable' });
  });

  it('ten retries at most: the 11th response ends the request', () => {
    expect(retryDecision({ status: 429, retryAfter: '1' }, 9).retry).toBe(true);
    expect(retryDecision({ status: 429, retryAfter: '1' }, 10)).toEqual({ retry: false, reason: 'retries-exhausted' });
  });

  it('retryAfterSeconds parses like strconv.Atoi', () => {
    expect(retryAfterSeconds('32')).toBe(32);
    expect(retryAfterSeconds('+2')).toBe(2);
    expect(retryAfterSeconds('1.5')).toBeNull();
    expect(retryAfterSeconds(undefined)).toBeNull();
  });
});
