// A run driven from outside, step by step (the web UI's worker): what a driver may read or do, and nothing of the kernel.
import type { ProcessStatus } from '../kernel/entities.ts';
import type { Observation } from '../kernel/trace.ts';
import type { Report } from '../report/metrics.ts';
import type { Fault, Scenario } from '../scenario/index.ts';
import { Run } from './run.ts';

/** One packet put on the wire: sender and receiver process ids, message type, send and arrival times (µs). */
export type TransmitListener = (from: string, to: string, type: string, sentAtUs: number, arriveAtUs: number) => void;

/** A simulated process as a driver sees it. */
export interface ProcessInfo {
  id: string;
  machine: string;
  component: string;
  status: ProcessStatus;
}

export interface SessionOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
}

/**
 * The facade over one Run. A driver advances it, reads the observations so far, may listen to packets
 * and add a fault while it runs; the trace it produces is the one `hasim run` produces for the same
 * scenario and seed (no fast-forward: the page shows every event).
 */
export class Session {
  private readonly run: Run;

  constructor(readonly scenario: Scenario, opts: SessionOptions = {}) {
    this.run = new Run(scenario, opts.seed === undefined ? {} : { seed: opts.seed });
  }

  get seed(): number {
    return this.run.seed;
  }

  /** Run time reached so far, µs. */
  get nowUs(): number {
    return this.run.sim.time;
  }

  /** Past the scenario's end (or stopped by the event budget). */
  get done(): boolean {
    return this.run.done;
  }

  get eventsProcessed(): number {
    return this.run.sim.eventsProcessed;
  }

  /** Simulate up to run time `untilUs` (never past the scenario's end). */
  advance(untilUs: number): void {
    this.run.advance(untilUs);
  }

  /** The processes that have a model, in creation order, with their state now. */
  processes(): ProcessInfo[] {
    return this.run.sim.processes.map((p) => ({ id: p.id, machine: p.host.spec.name, component: p.component, status: p.status }));
  }

  /** Observations emitted so far, from index `from` on (a driver posts them in chunks). */
  observations(from = 0): Observation[] {
    return this.run.sim.trace.observations.slice(from);
  }

  get observationCount(): number {
    return this.run.sim.trace.observations.length;
  }

  /** Listen to every packet sent from now on (null stops). Listening does not change the trace. */
  onTransmit(listener: TransmitListener | null): void {
    this.run.sim.onTransmit = listener;
  }

  /** Break something while the run is under way (click-to-break): the fault fires no earlier than now. */
  inject(fault: Fault): void {
    this.run.inject(fault);
  }

  /** Run to the end and report. */
  finish(): Report {
    return this.run.finish();
  }
}
