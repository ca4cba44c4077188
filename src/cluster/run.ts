// One simulation run of a scenario: builds the cluster, schedules faults, runs, and reports.
import { Sim } from '../kernel/sim.ts';
import { Network } from '../net/network.ts';
import { KUBELET_RESTART_BACKOFF } from '../worker/backoff.ts';
import { Trace, type Observation } from '../kernel/trace.ts';
import { GROUPS } from '../report/leaders.ts';
import { Metrics, type Report } from '../report/metrics.ts';
import { machinesOf, type Fault, type Scenario } from '../scenario/index.ts';
import { scheduleFault, scheduleFaults } from './faults.ts';
import { MODELS, type BuildContext } from './models/index.ts';
import { Targets } from './targets.ts';
import { FastForward, fastForwardConfig } from './fastforward.ts';
import { loadLimitsOf } from './models/load.ts';

export interface RunOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Receives one JSONL line per trace record (`--trace`). */
  traceSink?: (line: string) => void;
  /** Keep every observation in memory (the UI needs them; long studies do not), or those a predicate accepts. Default true. */
  keepObservations?: boolean | ((obs: Observation) => boolean);
  /** A bound on the number of events (default: 400 million, about 20 simulated days of a 3-master cluster event by event). */
  eventBudget?: number;
  /** Asked every million events or so: a reason to stop early (the command line's memory budget), or null. */
  stopCheck?: () => string | null;
  /** Add processes of your own before the cluster boots (benchmarks, tests). */
  extend?: (b: BuildContext) => void;
  /** Skip steady state between faults (SPEC §6; see cluster/fastforward.ts). Default: the scenario's `fastForward`, else false. */
  fastForward?: boolean;
  /** Compute the traceHash (default true); a study, which keeps only metrics, turns it off. */
  traceHash?: boolean;
}

export class Run {
  readonly sim: Sim<Network>;
  readonly metrics: Metrics;
  readonly targets: Targets;
  readonly seed: number;
  /** The fast-forward policy when the run has it on. */
  readonly fastForward: FastForward | null;
  private readonly finishers: (() => void)[] = [];
  private readonly eventBudget: number;
  private readonly stopCheck: (() => string | null) | undefined;

  private readonly extend?: (b: BuildContext) => void;

  constructor(readonly scenario: Scenario, opts: RunOptions = {}) {
    this.extend = opts.extend;
    this.seed = opts.seed ?? scenario.seed;
    this.eventBudget = opts.eventBudget ?? 400_000_000;
    this.stopCheck = opts.stopCheck;
    this.metrics = new Metrics(GROUPS, { from: scenario.measure.from }, {
      desiredPods: scenario.cluster.workers > 0 ? scenario.cluster.pods : null,
      probeIntervalUs: scenario.params.probe.interval,
      ...(scenario.load ? { load: { limits: loadLimitsOf(scenario) } } : {}),
    });
    const net = scenario.params.network;
    this.sim = new Sim({
      seed: this.seed,
      link: new Network({ latencyUs: net.latency, jitterUs: net.jitter, loss: net.loss }),
      restartBackoff: KUBELET_RESTART_BACKOFF,
      trace: new Trace(opts.traceSink, opts.keepObservations ?? true, opts.traceHash ?? true),
    });
    this.sim.trace.listen((o) => this.metrics.observe(o));
    this.fastForward = (opts.fastForward ?? scenario.fastForward ?? false) ? new FastForward(this.sim.trace, fastForwardConfig(scenario)) : null;
    this.targets = new Targets(this.sim, scenario.cluster);
    this.build();
    scheduleFaults(this.sim, this.targets, scenario.faults);
    this.sim.fastForward = this.fastForward;
  }

  private build(): void {
    const { scenario, sim } = this;
    const b: BuildContext = {
      scenario, sim, targets: this.targets,
      onFinish: (fn) => this.finishers.push(fn),
    };
    const machines = machinesOf(scenario.cluster);
    for (const info of machines) {
      const m = sim.addMachine({ name: info.name, role: info.role, zone: info.zone });
      m.props.set('fsyncUs', scenario.params.etcd.fsync);
    }
    for (const info of machines) {
      for (const component of info.components) {
        const model = MODELS.find((x) => x.component === component);
        const make = model?.actor(info, b);
        if (make) sim.addProcess({ machine: info.name, component, make, restartOnExit: true });
      }
    }
    this.extend?.(b);
    for (const model of MODELS) model.setup?.(b);
    for (const p of sim.processes) sim.lifecycle.start(p, 'boot');
  }

  /** Simulate up to run time `untilUs` (never past the scenario's end). */
  advance(untilUs: number): void {
    if (this.sim.truncated) return; // a run stopped by a budget is over (done); finish() reports the time it reached
    const limit = Math.min(untilUs, this.scenario.duration);
    this.sim.run({ untilUs: limit, eventBudget: this.eventBudget, ...(this.stopCheck ? { stopCheck: this.stopCheck } : {}) });
  }

  /** Add a fault while the run is under way (the web UI's click-to-break); it fires no earlier than now. */
  inject(fault: Fault): void {
    scheduleFault(this.sim, this.targets, { ...fault, at: Math.max(fault.at, this.sim.time) });
  }

  get done(): boolean {
    return this.sim.time >= this.scenario.duration || this.sim.truncated;
  }

  /** Run to the end and report. `wallMs` is measured by the caller (the model never reads real time). */
  finish(wallMs = 0): Report {
    this.advance(this.scenario.duration);
    for (const fn of this.finishers.splice(0)) fn();
    const sim = this.sim;
    return this.metrics.report({
      scenario: this.scenario.name,
      seed: this.seed,
      topology: this.scenario.cluster.topology,
      versions: { ...this.scenario.cluster.versions },
      eventsProcessed: sim.eventsProcessed,
      wallMs: Math.round(wallMs),
      traceHash: sim.trace.hashed ? sim.trace.hash() : null,
      truncated: sim.truncated,
      ...(sim.truncatedReason !== null ? { truncatedReason: sim.truncatedReason } : {}),
    }, Math.min(sim.time, this.scenario.duration), this.scenario.params.probe.interval);
  }
}

/** Run a scenario start to finish. */
export function runScenario(scenario: Scenario, opts: RunOptions = {}, wallClock?: () => number): { report: Report; run: Run } {
  const t0 = wallClock?.() ?? 0;
  const run = new Run(scenario, opts);
  run.advance(scenario.duration);
  const wallMs = wallClock ? wallClock() - t0 : 0;
  return { report: run.finish(wallMs), run };
}
