// Failure slots: which random stream a unit draws, so that variants of a study share failure times (common random numbers).
import type { Fault } from '../scenario/index.ts';
import type { Ref } from './targets.ts';

/** A random fault of one verb over a class of targets (`random: crash of masters`); a failure mix is the other kind. */
export type RandomFault = Extract<Fault, { verb: 'random'; randomVerb: string }>;

/** Machine roles of each class of random-failure target. */
export const CLASS_ROLES: Record<RandomFault['targets'], string[]> = {
  masters: ['master'],
  etcd: ['etcd'],
  workers: ['worker'],
  lbs: ['lb', 'etcd-lb'],
  machines: ['master', 'etcd', 'lb', 'etcd-lb', 'worker'],
};

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

