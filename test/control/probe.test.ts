// The synthetic kubectl (Prober): a read and a write per interval, what counts as success, client timeouts, fast-forward's view.
import { describe, expect, it } from 'vitest';
import type { ApiRequestBody } from '../../src/control/api.ts';
import { PROBE_KEY } from '../../src/control/api.ts';
import { Prober, PROBE_PENDING_US } from '../../src/control/probe.ts';
import type { Process } from '../../src/kernel/entities.ts';
import { respond, type HttpRequest } from '../../src/net/http.ts';
import { proc, startAt, world } from '../kernel/harness.ts';

const S = 1_000_000;
const LATENCY_US = 1000;
const INTERVAL_US = 1 * S;
const TIMEOUT_US = 3 * S;

/** How the fake apiserver answers a request: a status, or silence. */
type Answer = { status: number; error?: string } | 'hang';

function setup(answer: (req: HttpRequest, atUs: number) => Answer) {
  const sim = world({ latencyUs: LATENCY_US });
  const seen: { at: number; req: HttpRequest }[] = [];
  const api = proc(sim, 'm1/kube-apiserver', {
    message(ctx, from, msg) {
      const req = msg as unknown as HttpRequest;
      seen.push({ at: sim.now, req });
      const a = answer(req, sim.now);
      if (a !== 'hang') respond(ctx, from, req, a.status, undefined, a.error);
    },
  });
  sim.addMachine({ name: 'client', role: 'test', zone: null });
  const prober = sim.addProcess({ machine: 'client', component: 'kubectl', make: () => new Prober({ endpoint: 'm1/kube-apiserver', intervalUs: INTERVAL_US, timeoutUs: TIMEOUT_US }) });
  startAt(sim, api);
  startAt(sim, prober);
  const probes = () => sim.trace.observations.filter((o) => o.kind === 'probe').map((o) => ({
    at: o.at, subject: o.subject, op: o.detail['op'], ok: o.detail['ok'], latencyMs: o.detail['latencyMs'], error: o.detail['error'],
  }));
  return { sim, seen, probes, prober };
}

function unsettled(p: Process): string | null {
  return p.actor!.unsettled!(p);
}

describe('Prober', () => {
  it('sends a GET and a PUT of the probe key every interval, each on a new connection, and reports both', () => {
    const h = setup(() => ({ status: 200 }));
    h.sim.run({ untilUs: 2.5 * S });
    expect(h.seen.map((s) => [s.at, s.req.method, (s.req.body as ApiRequestBody).verb])).toEqual([
      [1 * S + LATENCY_US, 'GET', 'get'], [1 * S + LATENCY_US, 'PUT', 'put'],
      [2 * S + LATENCY_US, 'GET', 'get'], [2 * S + LATENCY_US, 'PUT', 'put'],
    ]);
    expect(h.seen.every((s) => (s.req.body as { key: string }).key === PROBE_KEY)).toBe(true);
    // The written value counts up, so successive writes differ.
    expect(h.seen.filter((s) => s.req.method === 'PUT').map((s) => (s.req.body as { value: number }).value)).toEqual([1, 2]);
    expect(new Set(h.seen.map((s) => s.req.conn)).size).toBe(4);
    // One hop each way: 2 ms. Reported under the subject `client`.
    expect(h.probes()).toEqual([
      { at: 1 * S + 2 * LATENCY_US, subject: 'client', op: 'read', ok: true, latencyMs: 2 },
      { at: 1 * S + 2 * LATENCY_US, subject: 'client', op: 'write', ok: true, latencyMs: 2 },
      { at: 2 * S + 2 * LATENCY_US, subject: 'client', op: 'read', ok: true, latencyMs: 2 },
      { at: 2 * S + 2 * LATENCY_US, subject: 'client', op: 'write', ok: true, latencyMs: 2 },
    ]);
  });

  it('a missing object is a successful read but a failed write; any other non-200 fails with its error', () => {
    const h = setup((req, at) => (at < 2 * S ? { status: 404 } : req.method === 'GET' ? { status: 500, error: 'etcd check failed: x' } : { status: 409 }));
    h.sim.run({ untilUs: 2.5 * S });
    expect(h.probes().map((p) => [p.op, p.ok, p.error])).toEqual([
      ['read', true, undefined], ['write', false, 'HTTP 404'],
      ['read', false, 'etcd check failed: x'], ['write', false, 'HTTP 409'],
    ]);
  });

  it('a probe with no answer fails at its timeout, with the timeout as its latency', () => {
    const h = setup((req) => (req.method === 'PUT' ? 'hang' : { status: 200 }));
    h.sim.run({ untilUs: 4.5 * S });
    const writes = h.probes().filter((p) => p.op === 'write');
    expect(writes.map((p) => [p.at, p.ok, p.error, p.latencyMs])).toEqual([[1 * S + TIMEOUT_US, false, 'client timeout', TIMEOUT_US / 1000]]);
    // Reads go on every interval meanwhile.
    expect(h.probes().filter((p) => p.op === 'read').length).toBe(4);
  });

  it('tells fast-forward a probe pending past PROBE_PENDING_US after successes is unsettled, but not once failures have shown', () => {
    // Writes answered until 3.5 s (the 3 s one arrives at 3.001 s), silent from then on.
    const h = setup((req, at) => (req.method === 'PUT' && at > 3.5 * S ? 'hang' : { status: 200 }));
    const p = h.sim.process('client/kubectl')!;
    h.sim.run({ untilUs: 4 * S + PROBE_PENDING_US - 1 });
    expect(unsettled(p)).toBeNull();
    h.sim.run({ untilUs: 4 * S + PROBE_PENDING_US + 1 });
    expect(unsettled(p)).toMatch(/^a write probe has waited 1\.0+\d* s after successes$/);
    // The 4 s write fails at 7 s; from then on pending writes follow a failure.
    h.sim.run({ untilUs: 7.5 * S });
    expect(h.probes().filter((o) => o.op === 'write' && o.ok === false).map((o) => o.at)).toEqual([4 * S + TIMEOUT_US]);
    expect(unsettled(p)).toBeNull();
  });
});
