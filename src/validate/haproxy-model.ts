// The model side of the haproxy case: the model's Haproxy in front of three stub HTTP backends, the same faults and timings.
import type { ActorFactory } from '../kernel/actor.ts';
import { streamFor } from '../kernel/random.ts';
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
/** The backends come back this long after the fault, plus a uniform share of one `inter`. */
export const HEAL_AFTER_MS = 8000;

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
  const healAt = FAULT_AT_US + HEAL_AFTER_MS * 1000 + streamFor(seed, 'validate:heal').below(t.interMs * 1000);
  sim.at(FAULT_AT_US, 'validate', (s) => {
    s.lifecycle.kill(backends[1]!, 'validate: SIGKILL');
    s.network.isolate('m3');
  });
  sim.at(healAt, 'validate', (s) => {
    s.lifecycle.start(backends[1]!, 'validate: restart');
    s.network.unisolate('m3');
  });
  sim.run({ untilUs: healAt + 20 * SECOND });
  const first = (backend: string, state: string, after: number) => {
    const o = sim.trace.observations.find((x) => x.kind === 'lb-backend' && x.at >= after && x.detail['backend'] === backend
      && x.detail['state'] === state && x.detail['reason'] !== 'initial');
    return o ? (o.at - after) / SECOND : null;
  };
  return {
    refusedDownS: first(backends[1]!.id, 'DOWN', FAULT_AT_US),
    blackholeDownS: first(backends[2]!.id, 'DOWN', FAULT_AT_US),
    restartUpS: first(backends[1]!.id, 'UP', healAt),
    healUpS: first(backends[2]!.id, 'UP', healAt),
  };
}
