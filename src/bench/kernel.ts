// The `kernel` benchmark: 10,000 periodic actors with no-op handlers, 5M events.
import type { Actor, Ctx } from '../kernel/actor.ts';
import { Sim } from '../kernel/sim.ts';
import { Network } from '../net/network.ts';

class Ticker implements Actor {
  constructor(private readonly periodUs: number) {}
  start(ctx: Ctx): void {
    ctx.setTimer('tick', ctx.random.int(0, this.periodUs), undefined, { routine: true });
  }
  message(): void {}
  timer(ctx: Ctx): void {
    ctx.setTimer('tick', this.periodUs, undefined, { routine: true });
  }
}

export interface KernelBenchResult {
  name: 'kernel';
  actors: number;
  events: number;
  wallMs: number;
  eventsPerSec: number;
  traceHash: string;
}

/** Build the actors, then time only the event loop. `clock` is the caller's wall clock (ms). */
export function kernelBench(clock: () => number, actors = 10_000, events = 5_000_000): KernelBenchResult {
  const sim = new Sim({ seed: 1, link: new Network({ latencyUs: 500, jitterUs: 200, loss: 0 }) });
  sim.addMachine({ name: 'bench', role: 'bench', zone: null });
  const periods = [100_000, 250_000, 1_000_000, 2_000_000];
  for (let i = 0; i < actors; i++) {
    const period = periods[i % periods.length]!;
    const p = sim.addProcess({ machine: 'bench', component: `ticker-${i}`, make: () => new Ticker(period) });
    sim.lifecycle.start(p, 'bench');
  }
  const t0 = clock();
  sim.run({ untilUs: Number.MAX_SAFE_INTEGER, eventBudget: events });
  const wallMs = clock() - t0;
  return {
    name: 'kernel', actors, events: sim.eventsProcessed, wallMs: Math.round(wallMs),
    eventsPerSec: Math.round(sim.eventsProcessed / (wallMs / 1000)), traceHash: sim.trace.hash(),
  };
}
