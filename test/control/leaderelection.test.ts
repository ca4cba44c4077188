// client-go renew(): release after a failed renew with ReleaseOnCancel, the non-sliding poll ticker, leaseDurationSeconds truncated.
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/kernel/actor.ts';
import { Stream } from '../../src/kernel/random.ts';
import { LeaderElector, type ElectionConfig } from '../../src/control/leaderelection.ts';
import type { HttpClient, HttpRequest, HttpResponse } from '../../src/net/http.ts';
import type { LeaseRecord } from '../../src/control/api.ts';

const S = 1_000_000;

interface Sent { at: number; method: string; record?: LeaseRecord }

/**
 * A tiny event loop: the elector's timers and the fake apiserver's answers, in time order. `answer` decides
 * each request's status and delay; the Lease store is a single record with a version.
 */
function harness(cfg: Partial<ElectionConfig>, answer: (req: HttpRequest, at: number) => { status: number; delayUs: number }) {
  let now = 0;
  const queue: { at: number; seq: number; fn: () => void; name?: string }[] = [];
  let seq = 0;
  const timers = new Map<string, { at: number; seq: number; fn: () => void; name?: string }>();
  const sent: Sent[] = [];
  let stored: LeaseRecord | null = null;
  let version = 0;
  const stopped: { at: number; reason: string }[] = [];
  const ctx = {
    now: () => now,
    random: new Stream('le-test'),
    setTimer(name: string, delayUs: number) {
      const ev = { at: now + delayUs, seq: seq++, fn: () => elector.timer(name), name };
      timers.set(name, ev);
      queue.push(ev);
    },
    cancelTimer(name: string) {
      timers.delete(name);
    },
    emit() {},
  } as unknown as Ctx;
  const api = {
    request(_to: string, req: HttpRequest, timeoutUs: number, cb: (r: HttpResponse) => void) {
      const body = req.body as { verb: string; value?: LeaseRecord; resourceVersion?: number };
      sent.push({ at: now, method: req.method, record: body.value });
      const a = answer(req, now);
      const delay = a.status === 0 ? timeoutUs : a.delayUs;
      queue.push({ at: now + delay, seq: seq++, fn: () => {
        if (a.status !== 200) return cb({ type: 'http.resp', id: 0, status: a.status });
        if (body.verb === 'get') {
          if (!stored) return cb({ type: 'http.resp', id: 0, status: 404 });
          return cb({ type: 'http.resp', id: 0, status: 200, body: { value: stored, resourceVersion: version } });
        }
        stored = body.value!;
        version++;
        cb({ type: 'http.resp', id: 0, status: 200, body: { value: stored, resourceVersion: version } });
      } });
    },
  } as unknown as HttpClient;
  const elector = new LeaderElector(ctx, api, {
    group: 'kube-scheduler', identity: 'me', endpoint: 'api', leaseDurationUs: 15 * S, renewDeadlineUs: 10 * S,
    retryPeriodUs: 2 * S, releaseOnCancel: true, fastPath: true, ...cfg,
  }, {
    startedLeading() {},
    stoppedLeading(reason) { stopped.push({ at: now, reason }); },
    apiReachable() {},
  });
  return {
    elector, sent, stopped,
    stored: () => stored,
    run(untilUs: number) {
      elector.run();
      for (;;) {
        queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const ev = queue.shift();
        if (!ev || ev.at > untilUs) break;
        if (ev.name !== undefined && timers.get(ev.name) !== ev) continue;
        if (ev.name !== undefined) timers.delete(ev.name);
        now = ev.at;
        ev.fn();
      }
    },
  };
}

/** Healthy until `failFrom`, then every request fails with a 500 after `delayUs`. */
function failingFrom(failFrom: number, delayUs: number) {
  return (_req: HttpRequest, at: number) => (at < failFrom ? { status: 200, delayUs: 1000 } : { status: 500, delayUs });
}

describe('client-go leader election renew()', () => {
  it('with ReleaseOnCancel, a leader whose renew deadline passed releases the Lease before it stops', () => {
    // From 20 s every renewal fails; a write of an empty holder (the release) goes through.
    const h = harness({}, (req, at) => {
      const holder = (req.body as { value?: LeaseRecord }).value?.holderIdentity;
      return at >= 20 * S && holder !== '' ? { status: 500, delayUs: 1000 } : { status: 200, delayUs: 1000 };
    });
    h.run(60 * S);
    expect(h.stopped.length).toBe(1);
    const release = h.sent.find((s) => s.method === 'PUT' && s.record?.holderIdentity === '');
    expect(release, 'a release write').toBeDefined();
    expect(release!.record!.leaseDurationSeconds).toBe(1);
    expect(h.stopped[0]!.at).toBeGreaterThanOrEqual(release!.at);
    expect(h.stored()!.holderIdentity).toBe('');
  });

  it('without ReleaseOnCancel it just stops', () => {
    const h = harness({ releaseOnCancel: false }, failingFrom(20 * S, 1000));
    h.run(60 * S);
    expect(h.stopped.length).toBe(1);
    expect(h.sent.some((s) => s.record?.holderIdentity === '')).toBe(false);
  });

  it('polls on a ticker that does not slide: a try that outlasts the retry period is followed at once', () => {
    // From 20 s every request fails after 1.5 s, so one try (fast-path update, then GET) takes 3 s.
    const h = harness({ releaseOnCancel: false }, failingFrom(20 * S, 1.5 * S));
    h.run(60 * S);
    const failedTries = h.sent.filter((s) => s.at >= 20 * S && s.method === 'PUT').map((s) => s.at);
    const start = failedTries[0]!;
    // Ticks every 2 s from the first try; a tick that came during a try starts the next one when it ends.
    expect(failedTries.map((t) => (t - start) / S)).toEqual([0, 3, 6, 9]);
  });

  it('writes leaseDurationSeconds as int(LeaseDuration / time.Second): truncated, not rounded', () => {
    const h = harness({ leaseDurationUs: 15_900_000, renewDeadlineUs: 10 * S }, () => ({ status: 200, delayUs: 1000 }));
    h.run(5 * S);
    expect(h.stored()!.holderIdentity).toBe('me');
    expect(h.stored()!.leaseDurationSeconds).toBe(15);
  });

  it('renews with one PUT on the fast path (client-go ≥ 0.30), GET then PUT without it (Kubernetes < 1.30)', () => {
    const fast = harness({}, () => ({ status: 200, delayUs: 1000 }));
    fast.run(21 * S);
    const slow = harness({ fastPath: false }, () => ({ status: 200, delayUs: 1000 }));
    slow.run(21 * S);
    const renewals = (h: typeof fast) => h.sent.filter((x) => x.at > 1 * S);
    expect(renewals(fast).every((x) => x.method === 'PUT')).toBe(true);
    expect(renewals(slow).filter((x) => x.method === 'GET').length).toBe(renewals(slow).filter((x) => x.method === 'PUT').length);
    expect(renewals(slow).length).toBe(2 * renewals(fast).length);
  });
});
