// Failure mixes: each kind of failure (crash, power loss, reboot, disk stall, isolation, zone outage) strikes each of its
// targets after Exp(1 year / rate) and lasts Exp(mttr); streams are keyed by failure slot (common random numbers).
import type { Machine } from '../kernel/entities.ts';
import type { Sim } from '../kernel/sim.ts';
import type { Network } from '../net/network.ts';
import type { Stream } from '../kernel/random.ts';
import { formatDuration, type Fault } from '../scenario/index.ts';
import { KUBELET_RESTART_BACKOFF } from '../worker/backoff.ts';
import { YEAR_US, type MixEntry } from '../scenario/schema-mix.ts';
import { actOn } from './act.ts';
import { CLASS_ROLES, failureSlot } from './slots.ts';
import type { Ref, Targets } from './targets.ts';

type MixFault = Extract<Fault, { verb: 'random'; mix: MixEntry[] }>;

/** The verb a kind shows in the trace (the explicit fault that does the same). */
const TRACE_VERB: Record<MixEntry['kind'], string> = {
  crash: 'crash', 'power-loss': 'kill', reboot: 'stop', 'disk-stall': 'disk', isolation: 'isolate', 'zone-outage': 'kill',
};

/**
 * Outages overlap (a zone outage while a machine of it is already down): a machine comes back only when every
 * outage holding it down has ended.
 */
class Holds {
  private readonly count = new Map<string, number>();
  take(m: Machine): boolean {
    const n = this.count.get(m.name) ?? 0;
    this.count.set(m.name, n + 1);
    return n === 0;
  }
  release(m: Machine): boolean {
    const n = (this.count.get(m.name) ?? 1) - 1;
    this.count.set(m.name, n);
    return n === 0;
  }
}

interface Unit {
  name: string;
  slot: string;
  refs: Ref[];
}

function unitsOf(sim: Sim<Network>, e: MixEntry): Unit[] {
  const machines = [...sim.machines.values()].filter((m) => m.spec.role !== 'client');
  if (e.kind === 'crash') {
    return machines.flatMap((m) => m.processes.filter((p) => p.component === e.component).map((p) => {
      const ref: Ref = { kind: 'process', process: p };
      return { name: p.id, slot: failureSlot(ref, 'masters'), refs: [ref] };
    }));
  }
  if (e.kind === 'zone-outage') {
    const zones = new Set(machines.map((m) => m.spec.zone).filter((z): z is number => z !== null));
    return [...zones].sort((a, b) => a - b).map((z) => ({
      name: `zone-${z}`, slot: `zone-${z}`,
      refs: machines.filter((m) => m.spec.zone === z).map((m): Ref => ({ kind: 'machine', machine: m })),
    }));
  }
  const cls = e.targets!;
  return machines
    .filter((m) => (cls === 'etcd' ? m.processes.some((p) => p.component === 'etcd') : CLASS_ROLES[cls].includes(m.spec.role)))
    .map((m) => {
      const ref: Ref = { kind: 'machine', machine: m };
      return { name: m.name, slot: failureSlot(ref, cls), refs: [ref] };
    });
}

export function applyMix(sim: Sim<Network>, targets: Targets, fault: MixFault): void {
  const holds = new Holds();
  sim.observe('fault', `random ${fault.profile ?? 'mix'}`, {
    verb: 'random', index: fault.index, phase: 'begin',
    text: `random failures: ${fault.profile ? `profile ${fault.profile}` : 'mix'} (${fault.mix.map((e) => `${e.kind}${e.component ? ` ${e.component}` : ''} ${e.rate}/y`).join(', ')})`,
  });
  for (const e of fault.mix) {
    if (!(e.rate > 0)) continue;
    const mtbfUs = YEAR_US / e.rate;
    for (const unit of unitsOf(sim, e)) {
      const stream = sim.stream(`random-fault:${fault.index}:${e.kind}${e.component ? `:${e.component}` : ''}:${unit.slot}`);
      const next = (): void => {
        sim.at(sim.now + stream.exponential(mtbfUs), `random-fail:${e.kind}:${unit.name}`, () => strike(sim, targets, holds, fault.index, e, unit, stream, next));
      };
      next();
    }
  }
}

/** One failure of `unit`; `next` schedules the one after (when this one has ended, or now for a crash). */
function strike(sim: Sim<Network>, targets: Targets, holds: Holds, index: number, e: MixEntry, unit: Unit, stream: Stream, next: () => void): void {
  const observe = (phase: 'begin' | 'end', text: string, explicit?: Record<string, unknown>) =>
    sim.observe('fault', unit.name, { verb: TRACE_VERB[e.kind], kind: e.kind, index, phase, random: true, text, ...(explicit ? { explicit } : {}) });
  const cause = `random ${e.kind} (MTBF)`;
  const after = (fn: () => void) => sim.at(sim.now + stream.exponential(e.mttr!), `random-repair:${e.kind}:${unit.name}`, () => {
    fn();
    observe('end', `${unit.name}: end of ${e.kind}`);
    next();
  });
  if (e.kind === 'crash') {
    const p = unit.refs[0]!.kind === 'process' ? unit.refs[0]!.process : null;
    // a crash of a running process: it exits and its supervisor (kubelet, systemd) restarts it with back-off
    if (p && p.status === 'running') {
      // explicit equivalent for `hasim check`'s shrinking: a kill held down for the kubelet's first back-off
      observe('begin', `${p.id} crashed (random failure)`, { kill: p.id, for: formatDuration(KUBELET_RESTART_BACKOFF.initialUs) });
      sim.lifecycle.exited(p, 1, cause);
    }
    next();
    return;
  }
  const machines = unit.refs.map((r) => (r.kind === 'machine' ? r.machine : r.process.host));
  observe('begin', `${e.kind} of ${unit.name} (random failure)`,
    e.kind === 'disk-stall' ? { disk: { target: unit.name, fsync: formatDuration(e.fsync!) } } : undefined);
  switch (e.kind) {
    case 'power-loss':
    case 'reboot':
    case 'zone-outage': {
      const verb = e.kind === 'reboot' ? 'stop' : 'kill';
      const taken = machines.filter((m) => holds.take(m));
      for (const m of taken) actOn(sim, { kind: 'machine', machine: m }, verb, cause);
      targets.recordDown(taken.map((m): Ref => ({ kind: 'machine', machine: m })));
      after(() => {
        for (const m of machines) if (holds.release(m)) actOn(sim, { kind: 'machine', machine: m }, 'start', `end of random ${e.kind}`);
      });
      return;
    }
    case 'isolation': {
      const fresh = machines.filter((m) => !sim.network.describe().isolated.includes(m.name));
      fresh.forEach((m) => sim.network.isolate(m.name));
      sim.observe('network', 'network', { ...sim.network.describe() });
      after(() => {
        fresh.forEach((m) => sim.network.unisolate(m.name));
        sim.observe('network', 'network', { ...sim.network.describe() });
      });
      return;
    }
    case 'disk-stall': {
      const before = machines.map((m) => m.props.get('fsyncUs'));
      machines.forEach((m) => m.props.set('fsyncUs', Math.max(Number(m.props.get('fsyncUs') ?? 0), e.fsync!)));
      after(() => machines.forEach((m, i) => m.props.set('fsyncUs', before[i] ?? 0)));
      return;
    }
  }
}
