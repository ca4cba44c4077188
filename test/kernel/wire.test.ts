// The wire behind a stub link: delays from the link, FIFO per pair, lost packets, aliases, the TCP handshake, refusals.
import { describe, expect, it } from 'vitest';
import type { Msg } from '../../src/kernel/actor.ts';
import type { Link } from '../../src/kernel/link.ts';
import type { Stream } from '../../src/kernel/random.ts';
import { Sim, TCP_SYN, TCP_SYNACK } from '../../src/kernel/sim.ts';
import { proc, scripted } from './harness.ts';

/** A link that answers from a script: delays (or -1) in order, and records what it was asked. */
class StubLink implements Link {
  readonly asked: [string, string][] = [];
  readonly streams: Stream[] = [];
  constructor(private readonly delays: number[], private readonly otherwise = 1000) {}
  delay(from: string, to: string, random: Stream): number {
    this.asked.push([from, to]);
    this.streams.push(random);
    return this.delays.shift() ?? this.otherwise;
  }
}

type Got = [number, string, string];

/** Machines m1 and m2 with a listener `m2/rx` that logs [time, from, type]; `m1/tx` sends. */
function pair(link: StubLink): { sim: Sim<StubLink>; got: Got[] } {
  const sim = new Sim({ seed: 1, link });
  const got: Got[] = [];
  const rx = proc(sim, 'm2/rx', { message: (_c, from, msg) => got.push([sim.now, from, msg.type]) });
  const tx = proc(sim, 'm1/tx');
  sim.lifecycle.start(rx, 'test');
  sim.lifecycle.start(tx, 'test');
  return { sim, got };
}

function sendAt(sim: Sim<StubLink>, at: number, to: string, msg: Msg): void {
  sim.at(at, 'send', (s) => s.process('m1/tx')!.send(to, msg));
}

describe('wire', () => {
  it('delivers after the delay the link gives, asking it by machine name with the sender machine\'s stream', () => {
    const link = new StubLink([2_500]);
    const { sim, got } = pair(link);
    sendAt(sim, 100, 'm2/rx', { type: 'a' });
    sim.run({ untilUs: 10_000 });
    expect(got).toEqual([[2_600, 'm1/tx', 'a']]);
    expect(link.asked).toEqual([['m1', 'm2']]);
    expect(link.streams[0]).toBe(sim.machine('m1')!.netStream);
  });

  it('keeps each pair FIFO: a packet the link would make overtake arrives with the one before it', () => {
    const { sim, got } = pair(new StubLink([5_000, 1_000]));
    sendAt(sim, 0, 'm2/rx', { type: 'first' });
    sendAt(sim, 10, 'm2/rx', { type: 'second' });
    sim.run({ untilUs: 10_000 });
    expect(got).toEqual([[5_000, 'm1/tx', 'first'], [5_000, 'm1/tx', 'second']]);
  });

  it('drops a packet the link loses (-1): nothing arrives, no watcher hears it', () => {
    const { sim, got } = pair(new StubLink([-1]));
    const seen: string[] = [];
    sim.onTransmit = (from, to, type) => seen.push(`${from}>${to}:${type}`);
    sendAt(sim, 0, 'm2/rx', { type: 'lost' });
    sendAt(sim, 10, 'm2/rx', { type: 'kept' });
    sim.run({ untilUs: 10_000 });
    expect(got).toEqual([[1_010, 'm1/tx', 'kept']]);
    expect(seen).toEqual(['m1/tx>m2/rx:kept']);
  });

  it('sends to a virtual address\'s holder, drops what nobody holds, and throws on an unknown id', () => {
    const { sim, got } = pair(new StubLink([]));
    sim.setAlias('vip', 'm2/rx');
    sendAt(sim, 0, 'vip', { type: 'to-vip' });
    sim.at(1, 'release', (s) => s.setAlias('vip', null));
    sendAt(sim, 2, 'vip', { type: 'nobody' });
    sim.run({ untilUs: 10_000 });
    expect(got).toEqual([[1_000, 'm1/tx', 'to-vip']]);
    expect(sim.aliases.get('vip')).toBeNull();
    expect(() => sim.send(sim.process('m1/tx')!, 'm9/none', { type: 'x' })).toThrow(/unknown process m9\/none/);
  });

  it('answers a SYN with a SYNACK while the process is paused, and a refusal when nothing listens', () => {
    const link = new StubLink([]);
    const sim = new Sim({ seed: 1, link });
    const back: Got[] = [];
    sim.addMachine({ name: 'm1', role: 'test', zone: null });
    sim.addProcess({
      machine: 'm1', component: 'tx',
      make: scripted({
        message: (_c, from, msg) => back.push([sim.now, from, msg.type]),
        refused: (_c, to, msg) => back.push([sim.now, to, `refused ${msg.type}`]),
      }),
    });
    const rx = proc(sim, 'm2/rx');
    const idle = proc(sim, 'm2/idle');
    sim.lifecycle.start(sim.process('m1/tx')!, 'test');
    sim.lifecycle.start(rx, 'test');
    sim.lifecycle.pause(rx, 'test');
    sendAt(sim, 0, 'm2/rx', { type: TCP_SYN, id: 7 });
    sendAt(sim, 0, 'm2/idle', { type: 'hello' });
    sim.run({ untilUs: 10_000 });
    expect(idle.status).toBe('down');
    expect(back).toEqual([[2_000, 'm2/rx', TCP_SYNACK], [2_000, 'm2/idle', 'refused hello']]);
  });
});
