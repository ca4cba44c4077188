// The contract between the cluster build and a component model: what a model sees, and what it must provide.
import type { ActorFactory } from '../../kernel/actor.ts';
import type { Sim } from '../../kernel/sim.ts';
import type { Component, MachineInfo, Scenario } from '../../scenario/index.ts';
import type { Targets } from '../targets.ts';

/** What a model sees while the cluster is built. */
export interface BuildContext {
  readonly scenario: Scenario;
  readonly sim: Sim;
  readonly targets: Targets;
  /** Run `fn` when the run ends (final checks, e.g. safety invariants over durable state). */
  onFinish(fn: () => void): void;
}

export interface Model {
  /** null: the model runs on no machine component of its own (the load clients). */
  readonly component: Component | null;
  /** The actor of this component on `machine`, or null where the scenario does not run it. */
  actor(machine: MachineInfo, b: BuildContext): ActorFactory | null;
  /** Once per run, after every process exists: role selectors, checkers, monitors. */
  setup?(b: BuildContext): void;
}
