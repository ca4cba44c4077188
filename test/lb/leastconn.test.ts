// haproxy `balance leastconn` for new connections (load/balance.ts chooseBackend wired into lb/proxy.ts), and GOAWAY closing a connection.
import { describe, expect, it } from 'vitest';
import { SECOND } from '../../src/kernel/time.ts';
import type { Actor, Ctx, Msg } from '../../src/kernel/actor.ts';
import type { BalanceMode } from '../../src/load/balance.ts';
import { lbWorld, type Call } from './helpers.ts';

const LB = 'lb-1/haproxy';
const [M1, M2, M3] = [1, 2, 3].map((j) => `master-${j}/kube-apiserver`);

/**
 * A, B, C open at 5 s (one per backend); A stays busy, B and C go idle and haproxy closes them
 * after `timeout server` (20 s). At 30 s two new connections D and E arrive: master-1 still holds A.
 */
function servedNew(balance: BalanceMode | undefined): (string | undefined)[] {
  const calls: Call[] = [
    { at: 5 * SECOND, to: LB, conn: 'A' }, { at: 5.1 * SECOND, to: LB, conn: 'B' }, { at: 5.2 * SECOND, to: LB, conn: 'C' },
    ...[10, 15, 20, 25, 29].map((s) => ({ at: s * SECOND, to: LB, conn: 'A' })),
    { at: 30 * SECOND, to: LB, conn: 'D' }, { at: 30.1 * SECOND, to: LB, conn: 'E' },
  ];
  const w = lbWorld({ calls, haproxy: balance ? { balance } : {} });
  w.sim.run({ untilUs: 32 * SECOND });
  const byCall = new Map(w.replies.map((r) => [r.call, r.servedBy]));
  expect([0, 1, 2].map((i) => byCall.get(i))).toEqual([M1, M2, M3]);
  return [calls.length - 2, calls.length - 1].map((i) => byCall.get(i));
}

describe('balance', () => {
  it('roundrobin (the default) gives the next new connections to the next servers in turn, busy or not', () => {
    expect(servedNew(undefined)).toEqual([M1, M2]);
  });

  it('leastconn gives them to the servers with the fewest open connections', () => {
    expect(servedNew('leastconn')).toEqual([M2, M3]);
  });
});

describe('GOAWAY (apiserver --goaway-chance)', () => {
  /** Connection A: a request at 5 s whose answer carries GOAWAY (when `goaway`), then another at 6 s on the same connection. */
  function servedBy(goaway: boolean): (string | undefined)[] {
    const calls: Call[] = [{ at: 5 * SECOND, to: LB, conn: 'A', path: '/x' }, { at: 6 * SECOND, to: LB, conn: 'A', path: '/x' }];
    const w = lbWorld({ calls });
    for (const b of w.backends) {
      const actor = b.actor as Actor;
      const inner = actor.message.bind(actor);
      actor.message = (ctx: Ctx, from: string, msg: Msg) => {
        if (!goaway || msg['path'] !== '/x') return inner(ctx, from, msg);
        ctx.send(from, { type: 'http.resp', id: msg['id'], status: 200, body: { servedBy: ctx.self }, goaway: true });
      };
    }
    w.sim.run({ untilUs: 7 * SECOND });
    return w.replies.map((r) => r.servedBy);
  }

  it('the connection stays on its backend without GOAWAY', () => {
    expect(servedBy(false)).toEqual([M1, M1]);
  });

  it('haproxy closes the connection once its requests are answered: the next request is placed afresh', () => {
    expect(servedBy(true)).toEqual([M1, M2]);
  });
});
