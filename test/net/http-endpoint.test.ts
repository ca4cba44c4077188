// HttpClient: a stream whose connection is now held by another endpoint (VIP moved, LB or server restarted) is reset.
import { describe, expect, it } from 'vitest';
import type { Ctx, Msg } from '../../src/kernel/actor.ts';
import { HttpClient, type HttpResponse } from '../../src/net/http.ts';

function client(): { http: HttpClient; sent: Msg[] } {
  const sent: Msg[] = [];
  const ctx = { durable: {}, setTimer() {}, cancelTimer() {}, send: (_to: string, m: Msg) => sent.push(m) } as unknown as Ctx;
  return { http: new HttpClient(ctx), sent };
}

/** Open a watch on `conn` whose first chunk came through `endpoint`; returns how it ended (if it did). */
function watch(http: HttpClient, sent: Msg[], conn: string, endpoint: string | undefined, serverLife = 1): HttpResponse[] {
  const ends: HttpResponse[] = [];
  http.stream('vip', { method: 'GET', path: '/api', conn }, 1e9, () => {}, (r) => ends.push(r));
  http.onMessage({ type: 'http.resp', id: sent.at(-1)!['id'] as number, status: 200, more: true, endpoint, serverLife });
  return ends;
}

function answer(http: HttpClient, sent: Msg[], conn: string, endpoint: string | undefined, serverLife = 1): HttpResponse[] {
  const got: HttpResponse[] = [];
  http.request('vip', { method: 'GET', path: '/api', conn }, 1e6, (r) => got.push(r));
  http.onMessage({ type: 'http.resp', id: sent.at(-1)!['id'] as number, status: 200, endpoint, serverLife });
  return got;
}

describe('HttpClient connection endpoints', () => {
  it('an answer through another endpoint on the same connection resets the streams of the old one', () => {
    const { http, sent } = client();
    const old = watch(http, sent, 'c1', 'lb-1/haproxy#1');
    const otherConn = watch(http, sent, 'c2', 'lb-1/haproxy#1');
    expect(answer(http, sent, 'c1', 'lb-1/haproxy#1')[0]!.status).toBe(200);
    expect(old).toEqual([]);
    // The VIP moved to lb-2: the next request on c1 is answered through it.
    expect(answer(http, sent, 'c1', 'lb-2/haproxy#1')[0]!.status).toBe(200);
    expect(old.map((r) => [r.status, r.error])).toEqual([[0, 'connection reset']]);
    expect(otherConn).toEqual([]);
    // A watch opened through lb-2 stays when lb-2 answers again.
    const fresh = watch(http, sent, 'c1', 'lb-2/haproxy#1');
    answer(http, sent, 'c1', 'lb-2/haproxy#1');
    expect(fresh).toEqual([]);
  });

  it('a restarted load balancer (a new incarnation) is another endpoint', () => {
    const { http, sent } = client();
    const old = watch(http, sent, 'c1', 'lb-1/haproxy#1');
    answer(http, sent, 'c1', 'lb-1/haproxy#2');
    expect(old.map((r) => r.error)).toEqual(['connection reset']);
  });

  it('a server in a later life behind the same load balancer connection is another endpoint too', () => {
    // haproxy keeps the client connection pinned to its backend; the backend's machine rebooted and its
    // apiserver answers the next request: the old backend connection, and the client's with it, are gone.
    const { http, sent } = client();
    const old = watch(http, sent, 'c1', 'lb-1/haproxy#1', 1);
    answer(http, sent, 'c1', 'lb-1/haproxy#1', 2);
    expect(old.map((r) => r.error)).toEqual(['connection reset']);
  });

  it('the same holder answering again, or a direct connection to the same server life, resets nothing', () => {
    const { http, sent } = client();
    const viaLb = watch(http, sent, 'c1', 'lb-1/haproxy#1');
    answer(http, sent, 'c1', 'lb-1/haproxy#1');
    const direct = watch(http, sent, 'c2', undefined, 3);
    answer(http, sent, 'c2', undefined, 3);
    expect(viaLb).toEqual([]);
    expect(direct).toEqual([]);
    answer(http, sent, 'c2', undefined, 4);
    expect(direct.map((r) => r.error)).toEqual(['connection reset']);
    expect(viaLb).toEqual([]);
  });

  it('answers that name no server life (other servers, fakes) reset nothing', () => {
    const { http, sent } = client();
    const ends: HttpResponse[] = [];
    http.stream('apiserver', { method: 'GET', path: '/api', conn: 'c1' }, 1e9, () => {}, (r) => ends.push(r));
    http.onMessage({ type: 'http.resp', id: sent.at(-1)!['id'] as number, status: 200, more: true });
    http.request('apiserver', { method: 'GET', path: '/api', conn: 'c1' }, 1e6, () => {});
    http.onMessage({ type: 'http.resp', id: sent.at(-1)!['id'] as number, status: 200 });
    expect(ends).toEqual([]);
  });
});
