// The kernel's event loop: true time, the event queue, the process table, timers and the trace; the facade actors' contexts act through.
import type { Msg } from './actor.ts';
import { ScheduledCalls } from './calls.ts';
import { Machine, Process, type MachineSpec, type ProcessKernel, type ProcessSpec } from './entities.ts';
import { Lifecycle, type RestartBackoff } from './lifecycle.ts';
import type { Link } from './link.ts';
import { EventKind, EventQueue, type SimEvent } from './queue.ts';
import { streamFor, type Stream } from './random.ts';
import { Trace, type Observation } from './trace.ts';
import { Wire, type TransmitWatcher } from './wire.ts';
import type { ObservationDetails, ObservationKind } from './observations.ts';

export { TCP_SYN, TCP_SYNACK } from './wire.ts';
export type { Link } from './link.ts';
export type { RestartBackoff } from './lifecycle.ts';

export interface SimOptions<L extends Link = Link> {
  seed: number;
  /** The network packets cross (net/Network in a run; a stub in kernel tests). */
  link: L;
  trace?: Trace;
  /** How a process that exits by itself is restarted (the cluster build passes the kubelet's back-off); needed once any process has restartOnExit. */
  restartBackoff?: RestartBackoff;
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

export class Sim<L extends Link = Link> implements ProcessKernel {
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
  eventsProcessed = 0;
  /** Set when a run stopped on its event budget (or its stop check) rather than its end time. */
  truncated = false;
  /** Why it stopped early: the event budget, or what the stop check said. */
  truncatedReason: string | null = null;
  private stopCheckedAt = 0;
  readonly queue = new EventQueue();
  readonly trace: Trace;
  /** The link the wire sends over, as the run made it (the run's faults partition and degrade it). */
  readonly network: L;
  readonly machines = new Map<string, Machine>();
  readonly processes: Process[] = [];
  private readonly byId = new Map<string, Process>();
  private seq = 0;
  /** Safety checkers, by the kind of fact they hear (`ctx.check`). */
  readonly checkers = new Map<string, ((process: string, fact: unknown) => void)[]>();
  /** The timer being handled, reused if its handler re-arms the same name (no allocation per tick). */
  private firing: SimEvent | null = null;
  readonly wire: Wire;
  private readonly calls: ScheduledCalls = new ScheduledCalls(this);
  readonly lifecycle: Lifecycle;

  constructor(readonly options: SimOptions<L>) {
    this.trace = options.trace ?? new Trace();
    this.network = options.link;
    this.wire = new Wire(this, options.link);
    this.lifecycle = new Lifecycle(this, options.restartBackoff ?? null);
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
    if (spec.restartOnExit === true && this.options.restartBackoff === undefined) {
      throw new Error(`${spec.machine}/${spec.component} restarts on exit, but the kernel was given no restartBackoff`);
    }
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

  schedule(at: number, kind: EventKind, target: number, name: string, data: unknown, life = 0, routine = false): SimEvent {
    const ev: SimEvent = { at, seq: this.seq++, kind, target, name, data, life, cancelled: false, routine, armedAt: this.now };
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
  at(at: number, label: string, fn: (sim: Sim<L>) => void): void {
    this.calls.add(at, label, fn);
  }

  /** Record an observation stamped with the run's time. */
  observe<K extends ObservationKind>(kind: K, subject: string, detail: ObservationDetails[K]): void {
    const obs = { at: this.time, kind, subject, detail } as Observation;
    this.trace.observe(obs);
  }

  /** Model time of the next scheduled call (fault, repair, restart), or null when none is. */
  nextCallAt(): number | null {
    return this.calls.nextAt();
  }

  /**
   * Fast-forward: remove `deltaUs` of steady state from the run. The model's state and timers stay
   * as they are (phases included); every scheduled call — a fault or repair, a restart waiting out
   * its back-off — moves `deltaUs` closer, so it runs at the same run time, and the run's time
   * gains `deltaUs`. The caller checks the model is settled; a jump never passes a call.
   */
  jump(deltaUs: number): void {
    this.calls.pullCloser(deltaUs);
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
          if (!ev.routine && !ev.cancelled && this.now - ev.armedAt > staleUs) return `${p.id} waits on timer ${ev.name}`;
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
      this.calls.ran(ev);
      this.trace.event(this.time, ev.kind, -1, ev.name, '');
      (ev.data as (sim: Sim<L>) => void)(this);
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
    this.wire.arrive(p, ev);
  }

  /** Put a packet on the wire from `from` to `to` (see Wire.transmit). */
  transmit(from: Process, to: Process, kind: EventKind, msg: Msg): void {
    this.wire.transmit(from, to, kind, msg);
  }

  /** Send to a process id or a virtual address (see Wire.send). */
  send(from: Process, to: string, msg: Msg): void {
    this.wire.send(from, to, msg);
  }

  /** Virtual addresses and their current holders (see setAlias). */
  get aliases(): ReadonlyMap<string, string | null> {
    return this.wire.aliases;
  }

  /**
   * A virtual address (a keepalived VIP): packets sent to `name` go to whichever process holds it
   * now (null: nobody, they vanish).
   */
  setAlias(name: string, holder: string | null): void {
    this.wire.setAlias(name, holder);
  }

  /** Watches every packet put on the wire (the web UI draws messages in flight); off by default. */
  get onTransmit(): TransmitWatcher | null {
    return this.wire.onTransmit;
  }

  set onTransmit(fn: TransmitWatcher | null) {
    this.wire.onTransmit = fn;
  }

  /** The process ended by itself (ctx.exit): its lifecycle decides what follows. */
  processExited(p: Process, code: number, reason: string): void {
    this.lifecycle.exited(p, code, reason);
  }

  setTimer(p: Process, name: string, delayLocalUs: number, data: unknown, routine: boolean): void {
    const at = this.now + p.host.clock.trueDelay(Math.max(0, delayLocalUs));
    const firing = this.firing;
    if (firing !== null && firing.target === p.index && firing.name === name) {
      // Re-arming the timer that is firing (it is still the table's entry): reuse its event object.
      firing.at = at;
      firing.seq = this.seq++;
      firing.data = data;
      firing.routine = routine;
      firing.armedAt = this.now;
      this.firing = null;
      this.queue.push(firing);
      return;
    }
    const old = p.timers.get(name);
    if (old !== undefined) this.queue.cancel(old);
    p.timers.set(name, this.schedule(at, EventKind.Timer, p.index, name, data, p.life, routine));
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
