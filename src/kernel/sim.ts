// The kernel: owns true time, the event queue, the process table, the network and the trace.
import type { Msg } from './actor.ts';
import { Machine, Process, type MachineSpec, type ProcessSpec } from './entities.ts';
import { EventKind, EventQueue, type SimEvent } from './queue.ts';
import { streamFor, type Stream } from './random.ts';
import { Trace, type Observation } from './trace.ts';
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
  untilUs: number;
  /** Stop after this many events even if time remains (a bound on every run). */
  eventBudget?: number;
}

export class Sim {
  now = 0;
  eventsProcessed = 0;
  /** Set when a run stopped on its event budget rather than its end time. */
  truncated = false;
  readonly queue = new EventQueue();
  readonly trace: Trace;
  readonly network: Network;
  readonly machines = new Map<string, Machine>();
  readonly processes: Process[] = [];
  private readonly byId = new Map<string, Process>();
  private seq = 0;
  private readonly netStreams = new Map<string, Stream>();
  /** Last arrival per (from, to) pair: connections are FIFO like TCP. */
  private readonly lastArrival = new Map<number, number>();
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
    const ev: SimEvent = { at, seq: this.seq++, kind, target, name, data, life, cancelled: false, periodic };
    this.queue.push(ev);
    return ev;
  }

  /** Run `fn` at true time `at` (faults, monitors). `label` names it in the trace. */
  at(at: number, label: string, fn: (sim: Sim) => void): void {
    this.schedule(Math.max(at, this.now), EventKind.Call, -1, label, fn);
  }

  /** Record an observation stamped with true time. */
  observe(kind: string, subject: string, detail: Record<string, unknown> = {}): void {
    const obs: Observation = { at: this.now, kind, subject, detail };
    this.trace.observe(obs);
  }

  run(limits: RunLimits): void {
    const budget = limits.eventBudget ?? Number.POSITIVE_INFINITY;
    const until = limits.untilUs;
    const queue = this.queue;
    for (;;) {
      const ev = queue.pop();
      if (ev === undefined) break;
      if (ev.at > until) {
        queue.push(ev);
        break;
      }
      if (ev.cancelled) continue;
      if (this.eventsProcessed >= budget) {
        queue.push(ev);
        this.truncated = true;
        return;
      }
      this.now = ev.at;
      this.eventsProcessed++;
      this.dispatch(ev);
    }
    this.now = Math.max(this.now, until);
  }

  private dispatch(ev: SimEvent): void {
    if (ev.kind === EventKind.Call) {
      this.trace.event(ev.at, ev.kind, -1, ev.name, '');
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
      this.trace.event(ev.at, ev.kind, p.index, ev.name, '');
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
      this.trace.event(ev.at, ev.kind, p.index, ev.name, TCP_SYN);
      const sender = this.byId.get(ev.name);
      if (sender) this.transmit(p, sender, EventKind.Deliver, { type: TCP_SYNACK, id: (ev.data as Msg)['id'] });
      return;
    }
    if (p.status === 'paused') {
      p.held.push(ev);
      return;
    }
    const msg = ev.data as Msg;
    this.trace.event(ev.at, ev.kind, p.index, ev.name, msg.type);
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
    let stream = this.netStreams.get(a);
    if (!stream) this.netStreams.set(a, (stream = this.stream(`net:${a}`)));
    const delay = this.network.delay(a, b, stream);
    if (delay < 0 || !to.host.up) return;
    const pair = from.index * 1_000_003 + to.index;
    const at = Math.max(this.now + delay, this.lastArrival.get(pair) ?? 0);
    this.lastArrival.set(pair, at);
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
      this.firing = null;
      this.queue.push(firing);
      return;
    }
    const old = p.timers.get(name);
    if (old !== undefined) old.cancelled = true;
    p.timers.set(name, this.schedule(at, EventKind.Timer, p.index, name, data, p.life, periodic));
  }

  hasTimer(p: Process, name: string): boolean {
    const ev = p.timers.get(name);
    return ev !== undefined && ev !== this.firing;
  }

  cancelTimer(p: Process, name: string): void {
    const ev = p.timers.get(name);
    if (ev) {
      ev.cancelled = true;
      p.timers.delete(name);
      if (ev === this.firing) this.firing = null;
    }
  }
}
