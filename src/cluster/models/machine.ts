// Machines as shared resources (scenarios with `load:` only): one CPU and one disk per machine, shared by its processes; crashes drop their jobs.
//
// docs/design/load.md "Who owns what". The apiserver and etcd models ask `machineResourcesOf` for
// their machine's resources while the cluster is built; without load they get undefined and run as
// before (no key added to their config, so those runs and their trace hashes do not change).
import { MachineResources } from '../../load/machine.ts';
import type { Sim } from '../../kernel/sim.ts';
import type { BuildContext, Model } from './types.ts';

const byRun = new WeakMap<Sim, Map<string, MachineResources>>();

/** The shared CPU and disk of `machine` in this run, made on first use; undefined when the scenario has no load. */
export function machineResourcesOf(b: BuildContext, machine: string): MachineResources | undefined {
  const load = b.scenario.load;
  if (!load) return undefined;
  let machines = byRun.get(b.sim);
  if (!machines) byRun.set(b.sim, (machines = new Map()));
  let r = machines.get(machine);
  if (!r) {
    const m = b.sim.machine(machine)!;
    // 1 MB/s is 1 byte/µs; the idle fsync is the scenario's params.etcd.fsync (faults still change it per op).
    const disk = { writeBytesPerUs: load.machines.disk.writeMBPerSecond, fsyncBaseUs: b.scenario.params.etcd.fsync };
    machines.set(machine, (r = new MachineResources(load.machines.cores, disk, m.clock.local(b.sim.now))));
  }
  return r;
}

export const machineModel: Model = {
  component: null,
  actor: () => null,
  setup(b) {
    const machines = byRun.get(b.sim);
    if (!machines) return;
    const localNow = (machine: string): number => b.sim.machine(machine)!.clock.local(b.sim.now);
    // A process that goes down takes its CPU jobs with it (its threads are gone); its writes already
    // handed to the kernel stay queued. Power loss loses the queued writes too.
    b.sim.trace.listen((o) => {
      if (o.kind === 'process' && o.detail['state'] === 'down') {
        const machine = o.subject.slice(0, o.subject.indexOf('/'));
        machines.get(machine)?.processDown(o.subject, localNow(machine));
      } else if (o.kind === 'machine' && o.detail['state'] === 'down') {
        machines.get(o.subject)?.powerLost(localNow(o.subject));
      }
    });
  },
};
