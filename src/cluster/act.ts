// One lifecycle verb (kill, stop, start, pause, resume) on a process or a whole machine: what every fault kind acts through.
import type { Sim } from '../kernel/sim.ts';
import type { Ref } from './targets.ts';

/** One lifecycle verb on a process or a whole machine. */
export function actOn(sim: Sim, ref: Ref, verb: string, cause: string): void {
  const lc = sim.lifecycle;
  if (ref.kind === 'machine') {
    const m = ref.machine;
    if (verb === 'kill') lc.killMachine(m, cause);
    else if (verb === 'stop') lc.stopMachine(m, cause);
    else if (verb === 'start') lc.startMachine(m, cause);
    else if (verb === 'pause') m.processes.forEach((p) => lc.pause(p, cause));
    else if (verb === 'resume') m.processes.forEach((p) => lc.resume(p, cause));
    return;
  }
  const p = ref.process;
  if (verb === 'kill') lc.kill(p, cause);
  else if (verb === 'stop') lc.stop(p, cause);
  else if (verb === 'start') {
    if (!p.host.up) lc.startMachine(p.host, cause);
    else lc.start(p, cause);
  } else if (verb === 'pause') lc.pause(p, cause);
  else if (verb === 'resume') lc.resume(p, cause);
}
