// HttpClient request ids never repeat within a process, across clients and across restarts (ctx.durable).
import { describe, expect, it } from 'vitest';
import type { Ctx, Msg } from '../../src/kernel/actor.ts';
import { HttpClient, type HttpResponse } from '../../src/net/http.ts';

/** Just enough of a Ctx for the client: timers are ignored, sends are recorded. */
function ctxWith(durable: Record<string, unknown>, sent: Msg[]): Ctx {
  return { durable, setTimer() {}, cancelTimer() {}, send: (_to: string, m: Msg) => sent.push(m) } as unknown as Ctx;
}

describe('HttpClient request ids', () => {
  it('a restarted process (same durable state) does not reuse the ids of its earlier incarnation', () => {
    const durable: Record<string, unknown> = {};
    const sent: Msg[] = [];
    const before = new HttpClient(ctxWith(durable, sent));
    before.stream('apiserver', { method: 'GET', path: '/watch' }, 1e6, () => {}, () => {});
    // The process restarts: a new client over the same durable state. An answer for the old watch
    // (id of the first incarnation) must not be taken for the new request.
    const after = new HttpClient(ctxWith(durable, sent));
    const answers: HttpResponse[] = [];
    after.request('apiserver', { method: 'GET', path: '/api' }, 1e6, (r) => answers.push(r));
    const [oldId, newId] = sent.map((m) => m['id'] as number);
    expect(newId).not.toBe(oldId);
    after.onMessage({ type: 'http.resp', id: oldId, status: 200, body: 'for the old watch' });
    expect(answers).toEqual([]);
  });

  it('two clients of one process draw from one counter', () => {
    const durable: Record<string, unknown> = {};
    const sent: Msg[] = [];
    const a = new HttpClient(ctxWith(durable, sent));
    const b = new HttpClient(ctxWith(durable, sent), 'other:');
    a.request('x', { method: 'GET', path: '/' }, 1e6, () => {});
    b.request('x', { method: 'GET', path: '/' }, 1e6, () => {});
    expect(new Set(sent.map((m) => m['id'])).size).toBe(2);
  });
});
