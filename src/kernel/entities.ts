// Machines and processes as the kernel keeps them: identity, lifecycle status and timers.
import type { Actor, ActorFactory, Ctx, Msg, TimerOptions } from './actor.ts';
import { LocalClock } from './clock.ts';
import type { SimEvent } from './queue.ts';
import type { Stream } from './random.ts';
import type { ObservationDetails, ObservationKind } from './observations.ts';

export type ProcessStatus = 'down' | 'running' | 'stopping' | 'paused';

export interface MachineSpec {
  name: string;
  role: string;
  zone: number | null;
}

export class Machine {
  up = true;
  readonly clock = new LocalClock();
  readonly processes: Process[] = [];
  /** Machine properties the processes on it can read (e.g. `fsyncUs`, the disk's fsync latency). */
  readonly props = new Map<string, number>();
  /** The random stream of its outgoing packets' latency (made on first use; see Wire.transmit). */
  netStream: Stream | null = null;

  constructor(readonly spec: MachineSpec) {}

  get name(): string {
    return this.spec.name;
  }
}

export interface ProcessSpec {
  machine: string;
  component: string;
  make: ActorFactory;
  /** Started when its machine boots (static pods, system services). Default true. */
  autostart?: boolean;
  /** A process that exits by itself is restarted by its kubelet with back-off (static pods). */
  restartOnExit?: boolean;
}

/**
 * What a process needs of the kernel to act for its actor (the event loop implements it). A narrow
 * interface, so that this file does not import the loop that imports it.
 */
export interface ProcessKernel {
  /** Model (true) time, µs. */
  readonly now: number;
  readonly aliases: ReadonlyMap<string, string | null>;
  readonly checkers: ReadonlyMap<string, readonly ((process: string, fact: unknown) => void)[]>;
  send(from: Process, to: string, msg: Msg): void;
  setTimer(p: Process, name: string, delayLocalUs: number, data: unknown, routine: boolean): void;
  cancelTimer(p: Process, name: string): void;
  hasTimer(p: Process, name: string): boolean;
  observe(kind: string, subject: string, detail?: Record<string, unknown>): void;
  setAlias(name: string, holder: string | null): void;
  processExited(p: Process, code: number, reason: string): void;
}

/**
 * A process as the kernel keeps it. It is also the context its actor acts through: the actor sees
 * only the `Ctx` side (typed), the kernel the rest.
 */
export class Process implements Ctx {
  status: ProcessStatus = 'down';
  actor: Actor | null = null;
  /** Increments at every start: timers armed in an earlier life never fire. */
  life = 0;
  readonly timers = new Map<string, SimEvent>();
  /** Events that arrived while paused, delivered in order on resume. */
  held: SimEvent[] = [];
  readonly durable: Record<string, unknown> = {};
  /** Last true time it started, and its current restart back-off. */
  startedAt = 0;
  backoffUs = 0;
  /** A fault took it down: it stays down until a `start` (no supervisor restart). */
  heldDown = false;
  /** Latest arrival time of its packets, by receiving process index (Wire.transmit keeps pairs FIFO). */
  readonly lastArrival: number[] = [];

  constructor(
    private readonly sim: ProcessKernel,
    readonly index: number,
    readonly id: string,
    readonly host: Machine,
    readonly spec: ProcessSpec,
    readonly random: Stream,
  ) {}

  get component(): string {
    return this.spec.component;
  }

  get running(): boolean {
    return this.status === 'running' || this.status === 'stopping';
  }

  // ---- Ctx: what the actor may do ----
  get self(): string {
    return this.id;
  }

  get machine(): string {
    return this.host.spec.name;
  }

  now(): number {
    return this.host.clock.local(this.sim.now);
  }

  hostProp(name: string): number | undefined {
    return this.host.props.get(name);
  }

  // A process that has gone down (it may still be unwinding its last handler) has no effects.
  send(to: string, msg: Msg): void {
    if (this.status !== 'down') this.sim.send(this, to, msg);
  }

  setTimer(name: string, delayUs: number, data?: unknown, options?: TimerOptions): void {
    if (this.status !== 'down') this.sim.setTimer(this, name, delayUs, data, options?.routine === true);
  }

  cancelTimer(name: string): void {
    this.sim.cancelTimer(this, name);
  }

  hasTimer(name: string): boolean {
    return this.sim.hasTimer(this, name);
  }

  emit<K extends ObservationKind>(kind: K, detail: ObservationDetails[K], subject: string = this.id): void {
    if (this.status !== 'down') this.sim.observe(kind, subject, detail);
  }

  claimAddress(address: string, process: string): void {
    if (this.status === 'down') return;
    if (this.sim.aliases.get(address) !== process) {
      this.sim.setAlias(address, process);
      this.sim.observe('address', address, { holder: process, machine: this.host.spec.name });
    }
  }

  check(kind: string, fact: unknown): void {
    const listeners = this.sim.checkers.get(kind);
    if (listeners !== undefined) for (const fn of listeners) fn(this.id, fact);
  }

  exit(code: number, reason: string): void {
    this.sim.processExited(this, code, reason);
  }
}
