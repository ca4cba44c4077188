// Determinism: same seed ⇒ same trace (hash and JSONL); one actor's draws do not depend on unrelated actors.
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/kernel/trace.ts';
import { SECOND } from '../../src/kernel/time.ts';
import { chattySystem } from './harness.ts';
import { observation, type LooseObservation } from '../observations.ts';

const UNTIL = 20 * SECOND;

function runChatty(seed: number, unrelated = false): { hash: string; lines: string[]; observations: LooseObservation[]; events: number } {
  const lines: string[] = [];
  const sim = chattySystem({ seed, unrelated, sink: (line) => lines.push(line) });
  sim.run({ untilUs: UNTIL });
  return { hash: sim.trace.hash(), lines, observations: sim.trace.observations, events: sim.eventsProcessed };
}

describe('determinism', () => {
  it('the chatty system exercises what it should: drops, refusals, crashes, restarts, replies', () => {
    const { observations, lines } = runChatty(1);
    const count = (pred: (o: LooseObservation) => boolean): number => observations.filter(pred).length;
    expect(count((o) => o.kind === 'draw')).toBeGreaterThan(400);
    expect(count((o) => o.kind === 'got' && o.detail['type'] === 'ack')).toBeGreaterThan(50);
    expect(count((o) => o.kind === 'refused')).toBeGreaterThan(0);
    expect(count((o) => o.detail['state'] === 'backoff')).toBeGreaterThan(0);
    expect(count((o) => o.kind === 'machine')).toBe(2);
    // Lost packets: fewer arrivals than sends.
    expect(count((o) => o.kind === 'got' && o.detail['type'] === 'chat')).toBeLessThan(count((o) => o.kind === 'draw'));
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('the same seed gives the same trace hash and byte-identical JSONL lines', () => {
    const a = runChatty(42);
    const b = runChatty(42);
    expect(a.lines.length).toBeGreaterThan(1000);
    expect(b.hash).toBe(a.hash);
    expect(b.events).toBe(a.events);
    expect(b.lines).toEqual(a.lines);
  });

  it('different seeds give different trace hashes', () => {
    const hashes = [1, 2, 3, 4, 5].map((seed) => runChatty(seed).hash);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('the trace hash covers observations: changing only an emitted detail changes it', () => {
    const a = chattySystem({ seed: 3 });
    const b = chattySystem({ seed: 3 });
    a.run({ untilUs: SECOND });
    b.run({ untilUs: SECOND });
    expect(b.trace.hash()).toBe(a.trace.hash());
    a.trace.observe(observation(a.time, 'note', 'x', { v: 1 }));
    b.trace.observe(observation(b.time, 'note', 'x', { v: 2 }));
    expect(b.trace.hash()).not.toBe(a.trace.hash());
  });

  it('adding an unrelated actor on its own machine changes neither another actor\'s draws nor anything it sees', () => {
    const base = runChatty(7);
    const more = runChatty(7, true);
    const draws = (obs: LooseObservation[]): unknown[] => obs.filter((o) => o.subject === 'm1/chat' && o.kind === 'draw').map((o) => o.detail['n']);
    expect(draws(base.observations).length).toBeGreaterThan(100);
    expect(draws(more.observations)).toEqual(draws(base.observations));
    // Everything the original actors did and saw is unchanged, to the microsecond.
    const others = (obs: LooseObservation[]): LooseObservation[] => obs.filter((o) => !o.subject.startsWith('zz'));
    expect(others(more.observations)).toEqual(others(base.observations));
    expect(more.observations.some((o) => o.subject === 'zz/loner' && o.kind === 'echo')).toBe(true);
    expect(more.hash).not.toBe(base.hash);
  });
});
