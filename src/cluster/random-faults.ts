// Stochastic failures for availability studies: each machine of a class fails after Exp(mtbf) and is repaired after Exp(mttr).
import type { Sim } from '../kernel/sim.ts';
import type { Network } from '../net/network.ts';
import type { Fault } from '../scenario/index.ts';
import { formatDuration } from '../scenario/duration.ts';
import { actOn } from './act.ts';
import { applyMix } from './random-mix.ts';
import { CLASS_ROLES, failureSlot, type RandomFault } from './slots.ts';
import type { Ref, Targets } from './targets.ts';

type AnyRandom = Extract<Fault, { verb: 'random' }>;
export type { RandomFault } from './slots.ts';


/** The units that fail independently: machines of the class (stacked etcd: the etcd processes). */
function units(sim: Sim<Network>, fault: RandomFault): Ref[] {
  const out: Ref[] = [];
  for (const m of sim.machines.values()) {
    if (fault.targets === 'etcd' && m.spec.role === 'master') {
      const p = m.processes.find((q) => q.component === 'etcd');
      if (p) out.push({ kind: 'process', process: p });
    } else if (CLASS_ROLES[fault.targets].includes(m.spec.role)) {
      out.push({ kind: 'machine', machine: m });
    }
  }
  return out;
}

export function applyRandom(sim: Sim<Network>, targets: Targets, fault: AnyRandom): void {
  if (fault.mix !== undefined) {
    applyMix(sim, targets, fault);
    return;
  }
  sim.observe('fault', `random ${fault.targets}`, {
    verb: 'random', index: fault.index, phase: 'begin',
    text: `random ${fault.randomVerb} of ${fault.targets}: MTBF ${formatDuration(fault.mtbf)}, MTTR ${formatDuration(fault.mttr)}`,
  });
  for (const unit of units(sim, fault)) {
    const name = unit.kind === 'process' ? unit.process.id : unit.machine.name;
    const stream = sim.stream(`random-fault:${fault.index}:${failureSlot(unit, fault.targets)}`);
    const fail = (): void => {
      const cause = `random ${fault.randomVerb} (MTBF)`;
      sim.observe('fault', name, { verb: fault.randomVerb, index: fault.index, phase: 'begin', random: true, text: `${fault.randomVerb} ${name} (random failure)` });
      if (fault.randomVerb === 'isolate') {
        const machine = unit.kind === 'machine' ? unit.machine.name : unit.process.host.name;
        sim.network.isolate(machine);
        sim.observe('network', 'network', { ...sim.network.describe() });
        sim.at(sim.now + stream.exponential(fault.mttr), `random-repair:${name}`, () => {
          sim.network.unisolate(machine);
          sim.observe('network', 'network', { ...sim.network.describe() });
          repaired();
        });
        return;
      }
      actOn(sim, unit, fault.randomVerb, cause);
      targets.recordDown([unit]);
      sim.at(sim.now + stream.exponential(fault.mttr), `random-repair:${name}`, () => {
        actOn(sim, unit, fault.randomVerb === 'pause' ? 'resume' : 'start', 'random repair (MTTR)');
        repaired();
      });
    };
    const repaired = (): void => {
      sim.observe('fault', name, { verb: fault.randomVerb, index: fault.index, phase: 'end', random: true, text: `${name} repaired` });
      sim.at(sim.now + stream.exponential(fault.mtbf), `random-fail:${name}`, fail);
    };
    sim.at(sim.now + stream.exponential(fault.mtbf), `random-fail:${name}`, fail);
  }
}
