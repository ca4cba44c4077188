// The model side of the haproxy case: the model's Haproxy in front of three stub HTTP backends, the same faults and timings.
import type { ActorFactory } from '../kernel/actor.ts';
import { Sim } from '../kernel/sim.ts';
import { Network } from '../net/network.ts';
import { SECOND } from '../kernel/time.ts';
import { haproxyConfig } from '../lb/config.ts';
import { Haproxy } from '../lb/haproxy.ts';
import { respond, type HttpRequest } from '../net/http.ts';

export interface HaproxyTimings {
  interMs: number;
  fall: number;
  rise: number;
}

/** Seconds to each transition: m2 killed (refused) and m3 black-holed at the fault; both back at the heal. */
export interface HaproxyTrial {
  refusedDownS: number | null;
  blackholeDownS: number | null;
  restartUpS: number | null;
  healUpS: number | null;
}

export const FAULT_AT_US = 10 * SECOND;

/**
 * When the backends come back, as a delay after haproxy marked the black-holed server DOWN (µs).
 * From then on its checks run in cycles of 2 × inter: each waits `inter` and then times out after
 * `inter` (haproxy check.c: the next check starts inter after one completes; without `timeout
 * check`, inter bounds the whole check). The heal lands `healCycles` cycles on, at a phase of the
 * cycle that depends only on the trial number — the same on both sides (common random numbers),
 * spread evenly by the golden-ratio sequence. Whether a check is in flight at the return decides
 * between an UP time in (inter, 2·inter] and one in (2·inter, 3·inter], so an independent random
 * phase per side (as before) made the two 20-trial medians differ by more than 20% half of the
 * time even for identical distributions.
 */
export function healDelayUs(interUs: number, trial: number): number {
  const healCycles = 1;
  return interUs + healCycles * 2 * interUs + Math.round(healPhase(trial) * 2 * interUs);
}

/** Trial N's phase in [0, 1) of the check cycle: below 1/2 a check is in flight at the return. */
export function healPhase(trial: number): number {
  return (0.5 + trial * 0.6180339887498949) % 1;
}

/** The suite's real backends: 200 for /readyz and anything else. */
const stubBackend: ActorFactory = () => ({
  start() {},
  timer() {},
  message(ctx, from, msg) {
    if (msg.type === 'http.req') respond(ctx, from, msg as unknown as HttpRequest, 200, { servedBy: ctx.self });
  },
});

export function haproxyModelTrial(t: HaproxyTimings, net: { latencyUs: number; jitterUs: number }, seed: number): HaproxyTrial {
  const sim = new Sim({ seed, link: new Network({ latencyUs: net.latencyUs, jitterUs: net.jitterUs, loss: 0 }) });
  const backends = [1, 2, 3].map((j) => {
    sim.addMachine({ name: `m${j}`, role: 'test', zone: null });
    return sim.addProcess({ machine: `m${j}`, component: 'backend', make: stubBackend });
  });
  // Same knobs as the real haproxy.cfg (haproxyConfig's defaults: timeout connect 5s, no timeout check).
  const cfg = haproxyConfig({ backends: backends.map((p) => p.id), check: 'readyz', interUs: t.interMs * 1000, fall: t.fall, rise: t.rise });
  sim.addMachine({ name: 'lb', role: 'test', zone: null });
  sim.addProcess({ machine: 'lb', component: 'haproxy', make: () => new Haproxy(cfg) });
  for (const p of sim.processes) sim.lifecycle.start(p, 'boot');
  sim.at(FAULT_AT_US, 'validate', (s) => {
    s.lifecycle.kill(backends[1]!, 'validate: SIGKILL');
    s.network.isolate('m3');
  });
  let healAt = Infinity;
  const heal = (s: Sim<Network>) => {
    s.lifecycle.start(backends[1]!, 'validate: restart');
    s.network.unisolate('m3');
  };
  sim.trace.listen((o) => {
    if (healAt !== Infinity || o.kind !== 'lb-backend' || o.detail['backend'] !== backends[2]!.id || o.detail['state'] !== 'DOWN') return;
    healAt = o.at + healDelayUs(t.interMs * 1000, seed);
    sim.at(healAt, 'validate', heal);
  });
  sim.run({ untilUs: FAULT_AT_US + 20 * SECOND });
  if (healAt !== Infinity) sim.run({ untilUs: healAt + 20 * SECOND });
  const first = (backend: string, state: string, after: number) => {
    const o = sim.trace.observations.find((x) => x.kind === 'lb-backend' && x.at >= after && x.detail['backend'] === backend
      && x.detail['state'] === state && x.detail['reason'] !== 'initial');
    return o ? (o.at - after) / SECOND : null;
  };
  return {
    refusedDownS: first(backends[1]!.id, 'DOWN', FAULT_AT_US),
    blackholeDownS: first(backends[2]!.id, 'DOWN', FAULT_AT_US),
    restartUpS: healAt === Infinity ? null : first(backends[1]!.id, 'UP', healAt),
    healUpS: healAt === Infinity ? null : first(backends[2]!.id, 'UP', healAt),
  };
}
