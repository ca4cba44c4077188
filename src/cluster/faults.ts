// The fault injector: applies each scenario fault when it fires, and its inverse after `for`.
import type { FaultDetail } from '../kernel/observations.ts';
import type { Sim } from '../kernel/sim.ts';
import type { Network } from '../net/network.ts';
import type { Fault } from '../scenario/index.ts';
import { actOn } from './act.ts';
import { applyRandom } from './random-faults.ts';
import { refName, type Targets } from './targets.ts';

type Undo = () => void;

/** Schedule every fault of the scenario (and the inverse of those with `for`). */
export function scheduleFaults(sim: Sim<Network>, targets: Targets, faults: readonly Fault[]): void {
  for (const fault of faults) scheduleFault(sim, targets, fault);
}

const NETWORK_VERBS = new Set(['partition', 'isolate', 'cut', 'heal']);

export function scheduleFault(sim: Sim<Network>, targets: Targets, fault: Fault): void {
  const networkChanged = (): void => {
    if (NETWORK_VERBS.has(fault.verb)) sim.observe('network', 'network', { ...sim.network.describe() });
  };
  // Fault times are run times; the kernel schedules in model time (they differ once fast-forward skipped).
  sim.at(fault.at - sim.skippedUs, `fault:${fault.index}:${fault.verb}`, () => {
    const undo = applyFault(sim, targets, fault);
    networkChanged();
    if (fault.for !== undefined && undo) {
      sim.at(sim.now + fault.for, `fault-end:${fault.index}`, () => {
        undo();
        sim.observe('fault', describe(fault), { verb: fault.verb, index: fault.index, phase: 'end', text: `end of ${describe(fault)}` });
        networkChanged();
      });
    }
  });
}

function begin(sim: Sim<Network>, fault: Fault, text: string, extra: Pick<FaultDetail, 'groups' | 'machines' | 'links' | 'targets'> = {}): void {
  const detail: FaultDetail = { verb: fault.verb, index: fault.index, phase: 'begin', text, ...extra };
  if (fault.for !== undefined) detail.forSeconds = fault.for / 1e6;
  sim.observe('fault', describe(fault), detail);
}

/** Apply one fault now; returns its inverse (for `for:`), if it has one. */
export function applyFault(sim: Sim<Network>, targets: Targets, fault: Fault): Undo | null {
  const net = sim.network;
  switch (fault.verb) {
    case 'kill':
    case 'stop':
    case 'start':
    case 'pause':
    case 'resume':
      return lifecycleFault(sim, targets, fault);
    case 'partition': {
      const groups = fault.groups.map((g) => g.flatMap((t) => targets.machines(t)));
      net.setPartition(groups);
      begin(sim, fault, `partition ${groups.map((g) => `[${g.join(', ')}]`).join(' | ')} | [everyone else]`, { groups });
      return () => net.clearPartition();
    }
    case 'isolate': {
      const machines = targets.machines(fault.target);
      machines.forEach((m) => net.isolate(m));
      begin(sim, fault, `isolate ${machines.join(', ')}`, { machines });
      return () => machines.forEach((m) => net.unisolate(m));
    }
    case 'cut': {
      const links = cutLinks(targets, fault.from, fault.to, fault.oneWay);
      links.forEach(([a, b]) => net.cut(a, b));
      begin(sim, fault, `cut ${links.map(([a, b]) => `${a}→${b}`).join(', ')}`, { links });
      return () => links.forEach(([a, b]) => net.uncut(a, b));
    }
    case 'heal':
      net.healAll();
      begin(sim, fault, 'heal every partition and cut');
      return null;
    case 'latency':
    case 'loss':
      return degradeFault(sim, targets, fault);
    case 'clock': {
      const machines = targets.machines(fault.target);
      for (const m of machines) sim.lifecycle.adjustClock(sim.machine(m)!, fault.offset, fault.rate);
      begin(sim, fault, `clock of ${machines.join(', ')}: offset ${fault.offset / 1e6}s, rate ×${fault.rate}`);
      return () => machines.forEach((m) => sim.lifecycle.adjustClock(sim.machine(m)!, -fault.offset, 1));
    }
    case 'disk': {
      const machines = targets.machines(fault.target);
      const before = machines.map((m) => sim.machine(m)!.props.get('fsyncUs'));
      machines.forEach((m) => sim.machine(m)!.props.set('fsyncUs', fault.fsync));
      begin(sim, fault, `slow disk on ${machines.join(', ')}: fsync ${fault.fsync / 1000}ms`);
      return () => machines.forEach((m, i) => sim.machine(m)!.props.set('fsyncUs', before[i] ?? 0));
    }
    case 'random':
      applyRandom(sim, targets, fault);
      return null;
  }
}

function lifecycleFault(sim: Sim<Network>, targets: Targets, fault: Extract<Fault, { target: string; scope: string }>): Undo | null {
  const refs = targets.resolve(fault.target, fault.scope);
  const names = refs.map(refName);
  begin(sim, fault, refs.length === 0
    ? `${fault.verb} ${fault.target}: nothing matches now`
    : `${fault.verb} ${fault.target}${names.join(',') === fault.target ? '' : ` → ${names.join(', ')}`}`, { targets: names });
  const cause = `fault: ${fault.verb} ${fault.target}`;
  for (const ref of refs) actOn(sim, ref, fault.verb, cause);
  if (fault.verb === 'kill' || fault.verb === 'stop' || fault.verb === 'pause') targets.recordDown(refs);
  const inverse = fault.verb === 'pause' ? 'resume' : fault.verb === 'kill' || fault.verb === 'stop' ? 'start' : null;
  if (!inverse) return null;
  return () => refs.forEach((ref) => actOn(sim, ref, inverse, `end of ${fault.verb} ${fault.target}`));
}

function cutLinks(targets: Targets, from: string, to: string[], oneWay: boolean): [string, string][] {
  const links: [string, string][] = [];
  for (const a of targets.machines(from)) {
    for (const t of to) {
      for (const b of targets.machines(t)) {
        if (a === b) continue;
        links.push([a, b]);
        if (!oneWay) links.push([b, a]);
      }
    }
  }
  return links;
}

function degradeFault(sim: Sim<Network>, targets: Targets, fault: Extract<Fault, { verb: 'latency' | 'loss' }>): Undo {
  const ids: number[] = [];
  const pairs: ([string, string] | 'all')[] = [];
  if (fault.between === 'all') {
    pairs.push('all');
  } else {
    for (const a of targets.machines(fault.between[0])) {
      for (const b of targets.machines(fault.between[1])) if (a !== b) pairs.push([a, b]);
    }
  }
  for (const between of pairs) {
    ids.push(sim.network.degrade(fault.verb === 'latency'
      ? { between, addUs: fault.add, jitterUs: fault.jitter, loss: 0 }
      : { between, addUs: 0, jitterUs: 0, loss: fault.rate }));
  }
  const where = fault.between === 'all' ? 'every link' : `${fault.between[0]} ↔ ${fault.between[1]}`;
  begin(sim, fault, fault.verb === 'latency'
    ? `add ${fault.add / 1000}ms (±${fault.jitter / 1000}ms) latency on ${where}`
    : `drop ${Math.round(fault.rate * 100)}% of packets on ${where}`);
  return () => ids.forEach((id) => sim.network.undegrade(id));
}

/** Short label of a fault for timelines and bands. */
export function describe(fault: Fault): string {
  switch (fault.verb) {
    case 'partition':
      return `partition ${fault.groups.map((g) => `[${g.join(',')}]`).join('')}`;
    case 'cut':
      return `cut ${fault.from}→${fault.to.join(',')}`;
    case 'heal':
      return 'heal all';
    case 'latency':
    case 'loss':
      return `${fault.verb} ${fault.between === 'all' ? 'all' : fault.between.join('↔')}`;
    case 'random':
      return fault.mix !== undefined ? `random ${fault.profile ?? 'mix'}` : `random ${fault.randomVerb} of ${fault.targets}`;
    default:
      return `${fault.verb} ${fault.target}`;
  }
}
