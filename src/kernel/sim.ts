// The kernel: owns true time, the event queue, the process table, the network and the trace.
import type { Msg } from './actor.ts';
import { Machine, Process, type MachineSpec, type ProcessSpec } from './entities.ts';
import { EventKind, EventQueue, type SimEvent } from './queue.ts';
import { streamFor, type Stream } from './random.ts';
import { Trace, type Observation } from './trace.ts';
import type { ObservationDetails, ObservationKind } from './observations.ts';
import { Lifecycle } from './lifecycle.ts';
import { Network, type NetParams } from '../net/network.ts';

/** Connection handshake answered by the kernel for any process that is not down (see arrive). */
export const TCP_SYN = 'tcp.syn';
export const TCP_SYNACK = 'tcp.synack';

export interface SimOptions {
  seed: number;
  net: NetParams;
  trace?: Trace;
}

export interface RunLimits {
  /** Run time (model time plus whatever fast-forward skipped) to stop at. */
  untilUs: number;
  /** Stop after this many events even if time remains (a bound on every run). */
  eventBudget?: number;
  /**
   * Asked every STOP_CHECK_EVERY events: a reason to stop now (say, a memory budget the command line measures),
   * or null. The kernel reads no memory or clock itself; the caller decides.
   */
  stopCheck?: () => string | null;
}

/** How often (in events) RunLimits.stopCheck is asked: rarely enough to cost nothing. */
const STOP_CHECK_EVERY = 1 << 20;

/**
 * Decides fast-forward jumps (SPEC §6). The kernel asks it at most once per `considerEveryUs` of
 * model time, between events; it may call `sim.jump`.
 */
export interface FastForwarder {
  readonly considerEveryUs: number;
  consider(sim: Sim, untilUs: number): void;
}

export class Sim {
  /** Model time: what every actor's clock runs on. */
  now = 0;
  /**
   * Steady-state time removed by fast-forward so far. The run's time (scenario time, what the
   * trace, reports and fault schedule use) is `now + skippedUs`; without fast-forward it is 0.
   */
  skippedUs = 0;
  /** Fast-forward policy; null (the default) runs every event in detail. */
  fastForward: FastForwarder | null = null;
  private nextConsiderAt = 0;
  /**
   * Scheduled calls not yet run: faults and repairs from outside the model, restarts after back-off
   * and shutdown deadlines from inside. A jump never passes one, and pulls every one closer.
   */
  private readonly calls = new Set<SimEvent>();
  eventsProcessed = 0;
  /** Set when a run stopped on its event budget (or its stop check) rather than its end time. */
  truncated = false;
  /** Why it stopped early: the event budget, or what the stop check said. */
  truncatedReason: string | null = null;
  private stopCheckedAt = 0;
  readonly queue = new EventQueue();
  readonly trace: Trace;
  readonly network: Network;
  readonly machines = new Map<string, Machine>();
  readonly processes: Process[] = [];
  private readonly byId = new Map<string, Process>();
  private seq = 0;
  /** Virtual addresses and their current holders (see setAlias). */
  readonly aliases = new Map<string, string | null>();
  /** Safety checkers, by the kind of fact they hear (`ctx.check`). */
  readonly checkers = new Map<string, ((process: string, fact: unknown) => void)[]>();
  /** Watches every packet put on the wire (the web UI draws messages in flight); off by default. */
  onTransmit: ((from: string, to: string, type: string, sentAt: number, arriveAt: number) => void) | null = null;
  /** The timer being handled, reused if its handler re-arms the same name (no allocation per tick). */
  private firing: SimEvent | null = null;
  readonly lifecycle: Lifecycle = new Lifecycle(this);

  constructor(readonly options: SimOptions) {
    this.trace = options.trace ?? new Trace();
    this.network = new Network(options.net);
  }

  stream(name: string): Stream {
    return streamFor(this.options.seed, name);
  }

  addMachine(spec: MachineSpec): Machine {
    if (this.machines.has(spec.name)) throw new Error(`machine ${spec.name} exists`);
    const m = new Machine(spec);
    this.machines.set(spec.name, m);
    return m;
  }

  addProcess(spec: ProcessSpec): Process {
    const machine = this.machines.get(spec.machine);
    if (!machine) throw new Error(`no machine ${spec.machine}`);
    const id = `${spec.machine}/${spec.component}`;
    const p = new Process(this, this.processes.length, id, machine, spec, this.stream(id));
    this.processes.push(p);
    this.byId.set(id, p);
    machine.processes.push(p);
    return p;
  }

  /** Let a checker hear the facts of one kind that actors report through `ctx.check`. */
  onCheck(kind: string, fn: (process: string, fact: unknown) => void): void {
    const list = this.checkers.get(kind) ?? [];
    list.push(fn);
    this.checkers.set(kind, list);
  }

  process(id: string): Process | undefined {
    return this.byId.get(id);
  }

  machine(name: string): Machine | undefined {
    return this.machines.get(name);
  }

  schedule(at: number, kind: EventKind, target: number, name: string, data: unknown, life = 0, periodic = false): SimEvent {
    const ev: SimEvent = { at, seq: this.seq++, kind, target, name, data, life, cancelled: false, periodic, armedAt: this.now };
    this.queue.push(ev);
    return ev;
  }

  /** The run's time: model time plus the steady state fast-forward skipped. */
  get time(): number {
    return this.now + this.skippedUs;
  }

  /**
   * Run `fn` at model time `at`; `label` names it in the trace. It runs at the same run time whether
   * or not fast-forward skips steady state before it (see jump): a fault or repair from outside the
   * model, or a restart after back-off from inside it.
   */
  at(at: number, label: string, fn: (sim: Sim) => void): void {
    this.calls.add(this.schedule(Math.max(at, this.now), EventKind.Call, -1, label, fn));
  }

  /** Record an observation stamped with the run's time. */
  observe<K extends ObservationKind>(kind: K, subject: string, detail: ObservationDetails[K]): void {
    const obs = { at: this.time, kind, subject, detail } as Observation;
    this.trace.observe(obs);
  }

  /** Model time of the next scheduled call (fault, repair, restart), or null when none is. */
  nextCallAt(): number | null {
    let next: number | null = null;
    for (const ev of this.calls) if (!ev.cancelled && (next === null || ev.at < next)) next = ev.at;
    return next;
  }

  /**
   * Fast-forward: remove `deltaUs` of steady state from the run. The model's state and timers stay
   * as they are (phases included); every scheduled call — a fault or repair, a restart waiting out
   * its back-off — moves `deltaUs` closer, so it runs at the same run time, and the run's time
   * gains `deltaUs`. The caller checks the model is settled; a jump never passes a call.
   */
  jump(deltaUs: number): void {
    if (!Number.isInteger(deltaUs) || deltaUs <= 0) throw new Error(`jump of ${deltaUs} µs`);
    const moved = [...this.calls];
    this.calls.clear();
    for (const ev of moved) {
      if (ev.cancelled) continue;
      if (ev.at - deltaUs < this.now) throw new Error(`jump of ${deltaUs} µs passes ${ev.name} at ${ev.at}`);
      this.queue.cancel(ev);
      const again: SimEvent = { ...ev, at: ev.at - deltaUs, cancelled: false };
      this.calls.add(again);
      this.queue.push(again);
    }
    this.skippedUs += deltaUs;
  }

  /**
   * Why the model is not settled, or null if it is: no process stopping, no one-shot
   * timer that has waited longer than `staleUs` (a request to a black-holed peer, an eviction
   * deadline), and every running actor that can tell says it is settled. (A scheduled call, such
   * as a restart after back-off, does not unsettle it: a jump stops short of it and moves it.)
   */
  unsettled(staleUs: number): string | null {
    for (const p of this.processes) {
      if (p.status === 'down' || p.status === 'paused') continue;
      if (p.status !== 'running') return `${p.id} is ${p.status}`;
      if (p.actor?.measuresOnly !== true) {
        for (const ev of p.timers.values()) {
          if (!ev.periodic && !ev.cancelled && this.now - ev.armedAt > staleUs) return `${p.id} waits on timer ${ev.name}`;
        }
      }
      const why = p.actor?.unsettled?.(p) ?? null;
      if (why !== null) return `${p.id}: ${why}`;
    }
    return null;
  }

  run(limits: RunLimits): void {
    const budget = limits.eventBudget ?? Number.POSITIVE_INFINITY;
    const until = limits.untilUs;
    const queue = this.queue;
    for (;;) {
      const ev = queue.pop();
      if (ev === undefined) break;
      if (ev.at + this.skippedUs > until) {
        queue.push(ev);
        break;
      }
      if (ev.cancelled) continue;
      if (this.eventsProcessed >= budget) {
        queue.push(ev);
        this.truncated = true;
        this.truncatedReason = `the run hit its event budget (${budget} events)`;
        return;
      }
      if (limits.stopCheck !== undefined && (this.eventsProcessed & (STOP_CHECK_EVERY - 1)) === 0 && this.eventsProcessed > this.stopCheckedAt) {
        this.stopCheckedAt = this.eventsProcessed; // asked once per count, also when a stopped run is resumed
        const why = limits.stopCheck();
        if (why !== null) {
          queue.push(ev);
          this.truncated = true;
          this.truncatedReason = why;
          return;
        }
      }
      if (this.fastForward !== null && ev.at >= this.nextConsiderAt) {
        // Between events, with time at this one: a jump may pull scheduled calls before it.
        queue.push(ev);
        this.now = ev.at;
        this.nextConsiderAt = ev.at + this.fastForward.considerEveryUs;
        this.fastForward.consider(this, until);
        continue;
      }
      this.now = ev.at;
      this.eventsProcessed++;
      this.dispatch(ev);
    }
    this.now = Math.max(this.now, until - this.skippedUs);
  }

  private dispatch(ev: SimEvent): void {
    if (ev.kind === EventKind.Call) {
      this.calls.delete(ev);
      this.trace.event(this.time, ev.kind, -1, ev.name, '');
      (ev.data as (sim: Sim) => void)(this);
      return;
    }
    const p = this.processes[ev.target]!;
    if (ev.kind === EventKind.Timer) {
      // Cancelled and replaced timers are flagged; a timer of an earlier life is stale.
      if (ev.life !== p.life) return;
      if (p.status === 'paused') {
        p.held.push(ev);
        return;
      }
      this.trace.event(this.time, ev.kind, p.index, ev.name, '');
      this.firing = ev;
      p.actor!.timer(p, ev.name, ev.data);
      // Not re-armed by its handler: it is spent.
      if (this.firing === ev) p.timers.delete(ev.name);
      this.firing = null;
      return;
    }
    this.arrive(p, ev);
  }

  /** A message (or a refusal) reaches process `p`. */
  private arrive(p: Process, ev: SimEvent): void {
    if (!p.host.up) return;
    if ((ev.data as Msg).type === TCP_SYN && p.status !== 'down' && ev.kind === EventKind.Deliver) {
      // The OS accepts a connection on a listening socket even while the process is frozen.
      this.trace.event(this.time, ev.kind, p.index, ev.name, TCP_SYN);
      const sender = this.byId.get(ev.name);
      if (sender) this.transmit(p, sender, EventKind.Deliver, { type: TCP_SYNACK, id: (ev.data as Msg)['id'] });
      return;
    }
    if (p.status === 'paused') {
      p.held.push(ev);
      return;
    }
    const msg = ev.data as Msg;
    this.trace.event(this.time, ev.kind, p.index, ev.name, msg.type);
    if (ev.kind === EventKind.Refused) {
      if (p.running) p.actor!.refused?.(p, ev.name, msg);
      return;
    }
    if (p.running) {
      p.actor!.message(p, ev.name, msg);
      return;
    }
    // Host up, nothing listening: the sender sees connection refused, one trip later.
    const sender = this.byId.get(ev.name);
    if (sender) this.transmit(p, sender, EventKind.Refused, msg);
  }

  /** Put a packet on the wire from `from` to `to`; lost or blocked packets simply vanish. */
  transmit(from: Process, to: Process, kind: EventKind, msg: Msg): void {
    const a = from.host.name;
    const b = to.host.name;
    const delay = this.network.delay(a, b, (from.host.netStream ??= this.stream(`net:${a}`)));
    if (delay < 0 || !to.host.up) return;
    // Connections are FIFO like TCP: never arrive before the previous packet on the same pair.
    const last = from.lastArrival;
    const at = Math.max(this.now + delay, last[to.index] ?? 0);
    last[to.index] = at;
    if (this.onTransmit !== null) this.onTransmit(from.id, to.id, msg.type, this.now, at);
    this.schedule(at, kind, to.index, from.id, msg);
  }

  send(from: Process, to: string, msg: Msg): void {
    let target = to;
    if (this.aliases.size > 0 && this.aliases.has(to)) {
      const holder = this.aliases.get(to);
      if (holder === null || holder === undefined) return; // an address nobody holds: the packet vanishes
      target = holder;
    }
    const dest = this.byId.get(target);
    if (!dest) throw new Error(`${from.id} sent ${msg.type} to unknown process ${to}`);
    this.transmit(from, dest, EventKind.Deliver, msg);
  }

  /**
   * A virtual address (a keepalived VIP): packets sent to `name` go to whichever process holds it
   * now (null: nobody, they vanish).
   */
  setAlias(name: string, holder: string | null): void {
    this.aliases.set(name, holder);
  }

  setTimer(p: Process, name: string, delayLocalUs: number, data: unknown, periodic: boolean): void {
    const at = this.now + p.host.clock.trueDelay(Math.max(0, delayLocalUs));
    const firing = this.firing;
    if (firing !== null && firing.target === p.index && firing.name === name) {
      // Re-arming the timer that is firing (it is still the table's entry): reuse its event object.
      firing.at = at;
      firing.seq = this.seq++;
      firing.data = data;
      firing.periodic = periodic;
      firing.armedAt = this.now;
      this.firing = null;
      this.queue.push(firing);
      return;
    }
    const old = p.timers.get(name);
    if (old !== undefined) this.queue.cancel(old);
    p.timers.set(name, this.schedule(at, EventKind.Timer, p.index, name, data, p.life, periodic));
  }

  hasTimer(p: Process, name: string): boolean {
    const ev = p.timers.get(name);
    return ev !== undefined && ev !== this.firing;
  }

  cancelTimer(p: Process, name: string): void {
    const ev = p.timers.get(name);
    if (ev) {
      this.queue.cancel(ev);
      p.timers.delete(name);
      if (ev === this.firing) this.firing = null;
    }
  }
}
