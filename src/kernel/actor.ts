// The actor contract: processes are state machines whose only way out is their context.
import type { Stream } from './random.ts';
import type { ObservationDetails, ObservationKind } from './observations.ts';

/**
 * A message on the simulated network. `type` names it in traces. Declare message shapes as
 * `type` aliases (interfaces lack the index signature this needs).
 */
export interface Msg {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** How a timer is armed (`Ctx.setTimer`). */
export interface TimerOptions {
  /**
   * Routine work (a heartbeat, a renewal, a health check, an idle timeout): steady state that
   * fast-forward may skip however long it has been armed. Without it the timer is a one-shot wait on
   * something (an answer, a deadline) that keeps the model unsettled once it has waited long (see
   * `Sim.unsettled`). Default false.
   */
  readonly routine?: boolean;
}

/**
 * What an actor may do. Every effect goes through here; the kernel decides when it happens.
 * Times are local-clock microseconds: an actor never sees the kernel's true time.
 */
export interface Ctx {
  /** This process, e.g. `master-1/etcd`. */
  readonly self: string;
  readonly machine: string;
  /** How many times this process has started (1 in its first life): a restarted server is another TCP endpoint. */
  readonly life: number;
  /** State that survives a crash (etcd's term, vote and log). Volatile state lives in the actor. */
  readonly durable: Record<string, unknown>;
  /** This process's own seeded stream. */
  readonly random: Stream;
  /** A property of this machine (e.g. `fsyncUs`, its disk's fsync latency; faults may change it). */
  hostProp(name: string): number | undefined;
  /** The machine's local clock, µs (offset and rate applied). */
  now(): number;
  send(to: string, msg: Msg): void;
  /** (Re)arm the timer `name` to fire after `delayUs` of local time; an armed timer of that name is replaced. */
  setTimer(name: string, delayUs: number, data?: unknown, options?: TimerOptions): void;
  cancelTimer(name: string): void;
  hasTimer(name: string): boolean;
  /** Record an observation in the trace (what reports and the UI read). Subject defaults to self. */
  emit<K extends ObservationKind>(kind: K, detail: ObservationDetails[K], subject?: string): void;
  /**
   * Gratuitous ARP: packets sent to the virtual address `address` now reach `process` (a process
   * on this machine). The address keeps pointing here if this machine dies, until someone else claims it.
   */
  claimAddress(address: string, process: string): void;
  /**
   * Tell the safety checkers a fact (e.g. "applied entry i"). Not part of the trace: checkers
   * live outside actors and judge; unheard when no checker listens.
   */
  check(kind: string, fact: unknown): void;
  /** The process ends by itself (code 0 clean, non-zero a failure); its supervisor may restart it. */
  exit(code: number, reason: string): void;
}

/**
 * A process's behaviour. A fresh instance is made at every start, so fields are volatile state;
 * whatever must survive a crash goes in `ctx.durable`.
 */
export interface Actor {
  start(ctx: Ctx): void;
  message(ctx: Ctx, from: string, msg: Msg): void;
  timer(ctx: Ctx, name: string, data: unknown): void;
  /** The destination's host answered but nothing listens there (connection refused). */
  refused?(ctx: Ctx, to: string, msg: Msg): void;
  /** Graceful stop (SIGTERM): do the shutdown work, then call `ctx.exit`. Without it, exit at once. */
  stop?(ctx: Ctx): void;
  /**
   * For fast-forward: what this actor is in the middle of that will show later without any new
   * input (a lease it watches expiring, a health counter on its way down), or null when all it has
   * pending is routine work. Timers that wait on an answer need no answer here: the
   * kernel sees them (see `Sim.unsettled`).
   */
  unsettled?(ctx: Ctx): string | null;
  /**
   * A measuring client (the synthetic kubectl): the model never depends on it, so its waits are
   * not pending consequences (the kernel does not look at its timers); it says in `unsettled`
   * when a measurement it is waiting for may differ from the last ones.
   */
  readonly measuresOnly?: boolean;
}

export type ActorFactory = () => Actor;
