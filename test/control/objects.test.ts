// The controllers' API client (objects.ts) and the key helpers of api.ts.
import { describe, expect, it } from 'vitest';
import { groupOfLeaseKey, leaseKey, workKey, type ApiOp, type ApiRequestBody } from '../../src/control/api.ts';
import { Api, bindingsKey, lastSegment, nodeKey, nodeLeaseKey, podKey } from '../../src/control/objects.ts';
import type { HttpClient, HttpRequest, HttpResponse } from '../../src/net/http.ts';

/** A fake HTTP client that records each request and answers it with `status` and `body`. */
function fakeHttp(status: number, body?: unknown) {
  const sent: { to: string; req: Omit<HttpRequest, 'type' | 'id'>; timeoutUs: number }[] = [];
  const http = {
    request(to: string, req: Omit<HttpRequest, 'type' | 'id'>, timeoutUs: number, cb: (r: HttpResponse) => void) {
      sent.push({ to, req, timeoutUs });
      cb({ type: 'http.resp', id: sent.length, status, body });
      return sent.length;
    },
  } as unknown as HttpClient;
  return { http, sent };
}

const actor = { group: 'kube-controller-manager' as const, identity: 'm2_0000abcd' };

describe('Api (controllers\' client)', () => {
  it('sends each verb with its HTTP method, to its endpoint with its timeout, and tags only writes as leader actions', () => {
    const { http, sent } = fakeHttp(200);
    const api = new Api(http, 'vip/api', 5_000_000, actor);
    const ops: ApiOp[] = [
      { verb: 'get', key: '/k' },
      { verb: 'list', prefix: '/p/' },
      { verb: 'create', key: '/k', value: 1 },
      { verb: 'update', key: '/k', value: 2, resourceVersion: 3 },
      { verb: 'put', key: '/k', value: 4 },
      { verb: 'delete', key: '/k' },
    ];
    for (const op of ops) api.call(op, () => {});
    expect(sent.map((s) => s.req.method)).toEqual(['GET', 'GET', 'POST', 'PUT', 'PUT', 'DELETE']);
    expect(sent.every((s) => s.to === 'vip/api' && s.timeoutUs === 5_000_000 && s.req.conn === undefined)).toBe(true);
    const bodies = sent.map((s) => s.req.body as ApiRequestBody);
    expect(bodies.map((b) => b.action === true && b.actor?.identity === actor.identity)).toEqual([false, false, true, true, true, true]);
    // The op itself goes through unchanged.
    expect(bodies[3]).toEqual({ verb: 'update', key: '/k', value: 2, resourceVersion: 3, actor, action: true });
  });

  it('without an actor (a kubelet) writes are not leader actions; a given connection is kept', () => {
    const { http, sent } = fakeHttp(200);
    new Api(http, 'lb/api', 1_000_000).call({ verb: 'put', key: '/k', value: 1 }, () => {}, 'conn-7');
    expect(sent[0]!.req).toEqual({ method: 'PUT', path: '/api', body: { verb: 'put', key: '/k', value: 1 }, conn: 'conn-7' });
  });

  it('list() reads the watch cache and gives the list on 200, null otherwise', () => {
    const list = { items: [{ key: '/p/a', value: 1, resourceVersion: 2 }], resourceVersion: 5 };
    const ok = fakeHttp(200, list);
    const got: unknown[] = [];
    new Api(ok.http, 'a', 1).list('/p/', (l) => got.push(l));
    expect((ok.sent[0]!.req.body as ApiRequestBody)).toEqual({ verb: 'list', prefix: '/p/', cached: true });
    const bad = fakeHttp(504);
    new Api(bad.http, 'a', 1).list('/p/', (l) => got.push(l));
    expect(got).toEqual([list, null]);
  });
});

describe('API keys', () => {
  it('lease and work keys per group, and the group back from a lease key', () => {
    expect(leaseKey('kube-scheduler')).toBe('/registry/leases/kube-system/kube-scheduler');
    expect(groupOfLeaseKey(leaseKey('kube-scheduler'))).toBe('kube-scheduler');
    expect(groupOfLeaseKey(leaseKey('kube-controller-manager'))).toBe('kube-controller-manager');
    expect(groupOfLeaseKey(workKey('kube-scheduler'))).toBeNull();
    expect(groupOfLeaseKey(nodeLeaseKey('w1'))).toBeNull();
  });

  it('object keys end in the object\'s name', () => {
    for (const k of [nodeLeaseKey('w-1'), nodeKey('w-1'), podKey('w-1'), bindingsKey('w-1')]) expect(lastSegment(k)).toBe('w-1');
    expect(new Set([nodeLeaseKey('w'), nodeKey('w'), podKey('w'), bindingsKey('w')]).size).toBe(4);
  });
});
