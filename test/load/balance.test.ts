// haproxy roundrobin / leastconn over UP servers, and the apiserver's probabilistic GOAWAY.
import { describe, expect, it } from 'vitest';
import { chooseBackend, goawayDecision, INITIAL_BALANCE_STATE, type Backend, type BalanceMode } from '../../src/load/balance.ts';

const servers = (conns: number[], up: boolean[] = conns.map(() => true)): Backend[] =>
  conns.map((connections, i) => ({ name: `master-${i + 1}`, up: up[i]!, connections }));

/** Open `n` connections one after another, counting each on the server that got it. */
function openConnections(mode: BalanceMode, backends: Backend[], n: number): string[] {
  let state = INITIAL_BALANCE_STATE;
  const picks: string[] = [];
  for (let k = 0; k < n; k++) {
    const r = chooseBackend(mode, backends, state)!;
    picks.push(r.backend.name);
    backends[r.index]!.connections++;
    state = r.state;
  }
  return picks;
}

describe('haproxy balance', () => {
  it('roundrobin takes the UP servers in turn, skipping a DOWN one', () => {
    const picks = openConnections('roundrobin', servers([0, 0, 0], [true, false, true]), 4);
    expect(picks).toEqual(['master-1', 'master-3', 'master-1', 'master-3']);
  });

  it('roundrobin ignores load: after a rolling upgrade the restarted server gets only its turn', () => {
    // master-3 just restarted with 0 connections while the others hold 50 each.
    const picks = openConnections('roundrobin', servers([50, 50, 0]), 3);
    expect(picks).toEqual(['master-1', 'master-2', 'master-3']);
  });

  it('leastconn fills the emptiest server first, then rotates among equals', () => {
    const backends = servers([50, 50, 0]);
    const picks = openConnections('leastconn', backends, 103);
    expect(picks.slice(0, 50).every((p) => p === 'master-3')).toBe(true);
    // At 50/50/50 the tie is broken round-robin after the last pick (master-3): 1, 2, 3.
    expect(picks.slice(50, 53)).toEqual(['master-1', 'master-2', 'master-3']);
    // 53 after the tie: 18, 18, 17 more → 68, 68, 67 (within one of each other).
    expect(backends.map((b) => b.connections)).toEqual([68, 68, 67]);
  });

  it('no server UP: no choice', () => {
    expect(chooseBackend('leastconn', servers([1, 2], [false, false]))).toBeNull();
    expect(chooseBackend('roundrobin', [])).toBeNull();
  });
});

describe('apiserver --goaway-chance (goaway.go)', () => {
  it('HTTP/2 request: GOAWAY when the draw is below the chance', () => {
    expect(goawayDecision(0.001, 'HTTP/2.0', () => 0.0009)).toBe(true);
    expect(goawayDecision(0.001, 'HTTP/2.0', () => 0.001)).toBe(false);
  });

  it('off by default, never for HTTP/1.1, and then no random draw is taken', () => {
    let draws = 0;
    const draw = () => {
      draws++;
      return 0;
    };
    expect(goawayDecision(0, 'HTTP/2.0', draw)).toBe(false);
    expect(goawayDecision(0.02, 'HTTP/1.1', draw)).toBe(false);
    expect(draws).toBe(0);
    expect(goawayDecision(0.02, 'HTTP/2.0', draw)).toBe(true);
    expect(draws).toBe(1);
  });
});
