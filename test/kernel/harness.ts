// Kernel test harness: scripted actors, a small world builder, and a chatty system for determinism.
import type { Actor, Ctx, Msg } from '../../src/kernel/actor.ts';
import type { Process } from '../../src/kernel/entities.ts';
import { Sim } from '../../src/kernel/sim.ts';
import { Trace } from '../../src/kernel/trace.ts';
import { Network, type NetParams } from '../../src/net/network.ts';
import { KUBELET_RESTART_BACKOFF } from '../../src/worker/backoff.ts';
import { emitAny, loose } from '../observations.ts';

/** Handlers of a scripted actor; absent ones do nothing (and `stop`/`refused` stay absent). */
export interface Script {
  start?(ctx: Ctx): void;
  message?(ctx: Ctx, from: string, msg: Msg): void;
  timer?(ctx: Ctx, name: string, data: unknown): void;
  refused?(ctx: Ctx, to: string, msg: Msg): void;
  stop?(ctx: Ctx): void;
}

export function scripted(script: Script): () => Actor {
  return () => {
    const actor: Actor = {
      start: (ctx) => script.start?.(ctx),
      message: (ctx, from, msg) => script.message?.(ctx, from, msg),
      timer: (ctx, name, data) => script.timer?.(ctx, name, data),
    };
    if (script.refused) actor.refused = script.refused.bind(script);
    if (script.stop) actor.stop = script.stop.bind(script);
    return actor;
  };
}

/** A simulator with a plain 1 ms network unless told otherwise, and machines by name. */
export function world(net: Partial<NetParams> = {}, machines: string[] = [], seed = 1, trace?: Trace): Sim<Network> {
  const sim = new Sim({ seed, link: new Network({ latencyUs: 1000, jitterUs: 0, loss: 0, ...net }), trace, restartBackoff: KUBELET_RESTART_BACKOFF });
  for (const name of machines) sim.addMachine({ name, role: 'test', zone: null });
  return sim;
}

/** Add a scripted process (creating its machine if needed); not started. */
export function proc(sim: Sim, id: string, script: Script = {}, extra: { autostart?: boolean; restartOnExit?: boolean } = {}): Process {
  const [machine, component] = id.split('/') as [string, string];
  if (!sim.machine(machine)) sim.addMachine({ name: machine, role: 'test', zone: null });
  return sim.addProcess({ machine, component, make: scripted(script), ...extra });
}

/** Start a process at true time `at` (or now). */
export function startAt(sim: Sim, p: Process, at = sim.now): void {
  if (at === sim.now) sim.lifecycle.start(p, 'test');
  else sim.at(at, `start:${p.id}`, () => sim.lifecycle.start(p, 'test'));
}

/** `[true time, state]` of every lifecycle observation of process `id`. */
export function states(sim: Sim, id: string): [number, string][] {
  return sim.trace.observations
    .filter((o) => o.kind === 'process' && o.subject === id)
    .map((o) => [o.at, String(loose(o)['state'])]);
}

/** True times of the lifecycle observations of `id` in state `state`. */
export function timesOf(sim: Sim, id: string, state: string): number[] {
  return states(sim, id).filter(([, s]) => s === state).map(([t]) => t);
}

// ---- A chatty system: random peers, jittered timers, replies, occasional exits ----

export interface ChattyOptions {
  seed: number;
  /** Add an unrelated actor on its own machine (first in the process table). */
  unrelated?: boolean;
  sink?: (line: string) => void;
}

const PEERS = ['m1/chat', 'm2/chat', 'm3/chat', 'm4/chat'];

function chatter(): Actor {
  let sent = 0; // volatile: restarts from zero after a crash
  return {
    start(ctx) {
      ctx.durable['boots'] = ((ctx.durable['boots'] as number | undefined) ?? 0) + 1;
      ctx.setTimer('tick', ctx.random.jitter(50_000, 1.2), undefined, { routine: true });
      ctx.setTimer('nap', ctx.random.exponential(500_000));
    },
    message(ctx, from, msg) {
      emitAny(ctx, 'got', { from, type: msg.type, n: msg['n'] });
      if (msg.type === 'chat' && ctx.random.chance(0.4)) ctx.send(from, { type: 'ack', n: msg['n'] });
    },
    timer(ctx, name) {
      if (name === 'tick') {
        const to = ctx.random.pick(PEERS.filter((p) => p !== ctx.self));
        const n = ctx.random.int(0, 1_000_000);
        sent++;
        emitAny(ctx, 'draw', { n, to, sent });
        ctx.send(to, { type: 'chat', n });
        ctx.setTimer('tick', ctx.random.jitter(50_000, 1.2), undefined, { routine: true });
      } else if (name === 'nap') {
        if (ctx.random.chance(0.02)) ctx.exit(1, 'bored');
        else ctx.setTimer('nap', ctx.random.exponential(500_000));
      }
    },
    refused(ctx, to, msg) {
      emitAny(ctx, 'refused', { to, type: msg.type });
    },
  };
}

function loner(): Actor {
  return {
    start(ctx) {
      ctx.setTimer('t', ctx.random.below(10_000));
    },
    message(ctx, _from, msg) {
      emitAny(ctx, 'echo', { n: msg['n'] });
    },
    timer(ctx) {
      ctx.send(ctx.self, { type: 'self', n: ctx.random.float() });
      ctx.setTimer('t', ctx.random.jitter(7_000, 1.2));
    },
  };
}

/** Four chatty actors over a lossy, jittery network, with a crash, a partition and a heal. */
export function chattySystem(opts: ChattyOptions): Sim<Network> {
  const sim = new Sim({
    seed: opts.seed,
    link: new Network({ latencyUs: 2_000, jitterUs: 1_500, loss: 0.1 }),
    restartBackoff: KUBELET_RESTART_BACKOFF,
    trace: new Trace(opts.sink),
  });
  if (opts.unrelated) {
    sim.addMachine({ name: 'zz', role: 'other', zone: null });
    sim.addProcess({ machine: 'zz', component: 'loner', make: loner, restartOnExit: true });
  }
  for (const id of PEERS) {
    const machine = id.split('/')[0]!;
    sim.addMachine({ name: machine, role: 'peer', zone: null });
    sim.addProcess({ machine, component: 'chat', make: chatter, restartOnExit: true });
  }
  for (const m of sim.machines.values()) sim.lifecycle.startMachine(m, 'boot');
  const m3 = sim.machine('m3')!;
  sim.at(3_000_000, 'kill m3', (s) => s.lifecycle.killMachine(m3, 'fault'));
  sim.at(6_000_000, 'start m3', (s) => s.lifecycle.startMachine(m3, 'fault over'));
  sim.at(8_000_000, 'partition', (s) => s.network.setPartition([['m1', 'm2'], ['m4']]));
  sim.at(11_000_000, 'heal', (s) => s.network.healAll());
  sim.at(12_000_000, 'skew m2', (s) => s.lifecycle.adjustClock(s.machine('m2')!, 250_000, 1.1));
  return sim;
}
