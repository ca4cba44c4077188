// Stochastic failures for availability studies: each machine of a class fails after Exp(mtbf) and is repaired after Exp(mttr).
import type { Sim } from '../kernel/sim.ts';
import type { Fault } from '../scenario/index.ts';
import { formatDuration } from '../scenario/duration.ts';
import { actOn } from './faults.ts';
import type { Ref, Targets } from './targets.ts';

type RandomFault = Extract<Fault, { verb: 'random' }>;

const CLASS_ROLES: Record<RandomFault['targets'], string[]> = {
  masters: ['master'],
  etcd: ['etcd'],
  workers: ['worker'],
  lbs: ['lb', 'etcd-lb'],
  machines: ['master', 'etcd', 'lb', 'etcd-lb', 'worker'],
};

/** The units that fail independently: machines of the class (stacked etcd: the etcd processes). */
function units(sim: Sim, fault: RandomFault): Ref[] {
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

/**
 * The failure slot a unit fills: its stream's name, so that variants of a study draw the same failure times for the
 * same slot (common random numbers). The host of etcd member i is "etcd-member-i" in both topologies (a stacked
 * master-i hosts member i; external etcd-i is member i), so quorum-loss schedules are identical across topologies.
 * External masters, extra machines, draw "control-plane-i"; with `targets: masters` the masters of both topologies
 * do (the control plane is then what is paired). LBs, etcd LBs and workers keep their names (lb-i, worker-i).
 */
export function failureSlot(unit: Ref, targets: RandomFault['targets']): string {
  const machine = unit.kind === 'process' ? unit.process.host : unit.machine;
  const index = machine.name.slice(machine.name.lastIndexOf('-') + 1);
  if (unit.kind === 'process' && unit.process.component === 'etcd') return `etcd-member-${index}`;
  switch (machine.spec.role) {
    case 'etcd':
      return `etcd-member-${index}`;
    case 'master': {
      const hostsEtcd = machine.processes.some((p) => p.component === 'etcd');
      return hostsEtcd && targets !== 'masters' ? `etcd-member-${index}` : `control-plane-${index}`;
    }
    default:
      return machine.name;
  }
}

export function applyRandom(sim: Sim, targets: Targets, fault: RandomFault): void {
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
