// Fast-forward through steady state (SPEC §6): when the model has settled and nothing but routine
// periodic work (heartbeats, renewals, checks, probes) would happen before the next fault, repair or
// the end of the run, remove whole steps of that steady stretch from the run.
//
// The model's state and every timer are left exactly as they are, so timer phases stay consistent
// with each other and with the state (a Lease's renew time, a follower's election clock); what comes
// from outside — the pending faults and repairs — moves closer by the skipped time instead, and the
// run's clock (`sim.time`, which stamps the trace and the report) gains it. The step is a multiple
// of the probe interval, the VRRP advert and the raft heartbeat, so the next fault lands at the same
// phase of those fixed-period timers as it would without fast-forward. Timers whose period drifts
// with latency or jitter (client-go's renew loop, haproxy's checks) are at an arbitrary phase in a
// long steady stretch anyway; the stretch is shorter, not different.
import type { Observation } from '../kernel/observations.ts';
import type { FastForwarder, Sim } from '../kernel/sim.ts';
import type { Trace } from '../kernel/trace.ts';
import { SECOND } from '../kernel/time.ts';
import type { Scenario } from '../scenario/index.ts';
import { unchangedLeaseUs } from '../control/leaderelection.ts';
import { LIVENESS_PERIOD_US } from '../control/apiserver.ts';
import { PROBE_PENDING_US } from '../control/probe.ts';
import { longestRenewIntervalUs } from '../worker/kubelet.ts';
import { silenceUs } from '../control/controllers/nodelifecycle.ts';

/** What the policy needs to know, all in µs. */
export interface FastForwardConfig {
  /**
   * Per leader-election group: a held Lease not renewed for `silentUs` means its holder stopped
   * (a takeover or a lost leader follows); `untilUs` after its last renewal any candidate that can
   * read the Lease reports the takeover itself (see LeaderElector.unsettled).
   */
  leases: Record<string, { silentUs: number; untilUs: number }>;
  /** No notable observation for this long before a jump (catches consequences no actor reports). */
  quietUs: number;
  /** Jumps are whole multiples of this. */
  stepUs: number;
  /** A one-shot timer waiting longer than this is a consequence still pending (see Sim.unsettled). */
  staleUs: number;
  /** Jumps shorter than this are not worth taking. */
  minJumpUs: number;
  /** Probe period: skipped probes are counted with the steady outcome. */
  probeIntervalUs: number;
}

/**
 * How long after the last notable observation a jump may come. Pending consequences are found by
 * `Sim.unsettled` — timers waiting on an answer, restarts, and each actor's own report (a Lease
 * seen unchanged, a node Lease unseen, a health counter on its way down, raft's election clock) —
 * and by the Lease check of `FastForward.consider`; each needs time to notice that something
 * stopped, counted from the fault:
 * - a holder renews every retry period; 1.5 retry periods and a second without a committed
 *   renewal mean it stopped;
 * - the node lifecycle controller may see a renewal made just before the fault a monitor period
 *   later, and only silence longer than a renew interval and a monitor period means anything;
 * - a haproxy check starts within `inter` and waits up to `staleUs` before its timer counts;
 * - an apiserver runs its etcd check for each haproxy check (else each liveness probe), and the
 *   check fails within its timeout;
 * - a raft follower misses 3 heartbeats;
 * - the probe client reports a probe unanswered for a second after successes (see Prober).
 * The quiet window is the longest of these plus a second, so that a consequence always shows
 * before a jump could follow the change that caused it.
 */
function quietWindowUs(scenario: Scenario, staleUs: number): number {
  const p = scenario.params;
  const delays = [
    3 * p.etcd.heartbeatInterval,
    p.probe.interval + PROBE_PENDING_US,
    p.haproxy.inter + staleUs,
    (scenario.cluster.loadBalancer.count > 0 ? p.haproxy.inter : LIVENESS_PERIOD_US) + p.apiserver.etcdCheckTimeout,
    ...[p.kubeScheduler, p.kubeControllerManager].map((e) => leaseSilenceUs(e.retryPeriod)),
  ];
  if (scenario.cluster.workers > 0) {
    const nl = p.nodeLifecycle;
    delays.push(nl.monitorPeriod + silenceUs({ renewIntervalUs: longestRenewIntervalUs(p.kubelet.nodeLeaseDuration), monitorPeriodUs: nl.monitorPeriod }));
  }
  return Math.max(...delays) + SECOND;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** A held Lease with no committed renewal for this long: its holder has stopped renewing. */
function leaseSilenceUs(retryPeriodUs: number): number {
  return Math.ceil(1.5 * retryPeriodUs) + SECOND;
}

/** The jump step, quiet window and Lease limits for a scenario's parameters. */
export function fastForwardConfig(scenario: Scenario): FastForwardConfig {
  const p = scenario.params;
  const leases: FastForwardConfig['leases'] = {};
  for (const [group, e] of [['kube-scheduler', p.kubeScheduler], ['kube-controller-manager', p.kubeControllerManager]] as const) {
    // Past expiry, the last candidate's try and its unchanged-record report, any candidate that can read the Lease has spoken.
    leases[group] = { silentUs: leaseSilenceUs(e.retryPeriod), untilUs: e.leaseDuration + Math.ceil(2.2 * e.retryPeriod) + unchangedLeaseUs(e.retryPeriod) + SECOND };
  }
  // Fixed-period timers whose phase relative to the next fault the step preserves.
  const fixed = [p.probe.interval, p.keepalived.advertInt, p.etcd.heartbeatInterval];
  let step = fixed[0]!;
  for (const x of fixed.slice(1)) {
    step = (step / gcd(step, x)) * x;
    if (step > 60 * SECOND) { step = p.probe.interval; break; }
  }
  const staleUs = Math.max(2 * SECOND, 2 * p.keepalived.advertInt);
  return {
    leases,
    quietUs: quietWindowUs(scenario, staleUs),
    stepUs: step,
    staleUs,
    minJumpUs: Math.max(10 * SECOND, step),
    probeIntervalUs: p.probe.interval,
  };
}

/**
 * Fast-forward's change detector, a trace listener: when the last observation that changed something came, and
 * each group's last committed Lease write.
 */
class ChangeDetector {
  /** Run time of the last observation that changed something (fast-forward waits for quiet). */
  lastChangeAt = 0;
  /** Steady state skipped so far, µs. */
  skippedUs = 0;
  private readonly routineState = new Map<string, string>();
  /** Per leader-election group: the last committed Lease write — run time, holder, steady state skipped before it. */
  private readonly leaseWrites = new Map<string, { at: number; holder: string; skippedUs: number }>();

  observe(o: Observation): void {
    if (o.kind === 'lease') this.leaseWrites.set(o.detail.group, { at: o.at, holder: o.detail.holder, skippedUs: this.skippedUs });
    if (!this.routine(o)) this.lastChangeAt = o.at;
  }

  /**
   * Routine observations repeat what is already known: a probe with the same outcome as the one
   * before it, a Lease renewed by the same holder. Anything else is a change.
   */
  private routine(o: Observation): boolean {
    let key: string;
    let value: string;
    if (o.kind === 'probe') {
      key = `probe:${o.detail.op}`;
      value = String(o.detail.ok);
    } else if (o.kind === 'lease') {
      key = `lease:${o.detail.group}`;
      value = `${o.detail.holder}/${o.detail.transitions}`;
    } else {
      return false;
    }
    const same = this.routineState.get(key) === value;
    this.routineState.set(key, value);
    return same;
  }

  /**
   * Held Leases and how long each has gone without a committed renewal, in model time: a jump
   * comes only while renewals go on, so skipped steady state is no silence.
   */
  *heldLeaseSilences(nowUs: number): Generator<{ group: string; holder: string; silentUs: number }> {
    for (const [group, w] of this.leaseWrites) {
      if (w.holder !== '') yield { group, holder: w.holder, silentUs: nowUs - w.at - (this.skippedUs - w.skippedUs) };
    }
  }
}

/**
 * The policy. It listens to the trace from the start of the run (construct it before the cluster boots); the
 * report learns of a jump from its `fast-forward` observation, like of everything else.
 */
export class FastForward implements FastForwarder {
  readonly considerEveryUs = SECOND;
  private readonly changes = new ChangeDetector();

  constructor(trace: Trace, readonly cfg: FastForwardConfig) {
    trace.listen((o) => this.changes.observe(o));
  }

  /** A held Lease whose renewals stopped: its holder is gone or cut off, and a change will follow. */
  private leaseUnrenewed(nowUs: number): string | null {
    for (const { group, holder, silentUs } of this.changes.heldLeaseSilences(nowUs)) {
      const limits = this.cfg.leases[group];
      if (limits !== undefined && silentUs > limits.silentUs && silentUs < limits.untilUs) {
        return `the ${group} Lease of ${holder} has not been renewed for ${silentUs / SECOND} s`;
      }
    }
    return null;
  }

  consider(sim: Sim, untilUs: number): void {
    const cfg = this.cfg;
    if (sim.time - this.changes.lastChangeAt < cfg.quietUs) return;
    if ((this.leaseUnrenewed(sim.time) ?? sim.unsettled(cfg.staleUs)) !== null) return;
    const next = sim.nextCallAt();
    const horizon = Math.min(next ?? Number.POSITIVE_INFINITY, untilUs - sim.skippedUs);
    const delta = Math.floor((horizon - sim.now) / cfg.stepUs) * cfg.stepUs;
    if (delta < cfg.minJumpUs) return;
    this.changes.skippedUs += delta;
    sim.jump(delta);
    const from = (sim.time - delta) / SECOND;
    sim.observe('fast-forward', 'kernel', {
      seconds: delta / SECOND,
      note: `fast-forward: nothing but routine work from ${from.toFixed(3)} s, ${delta / SECOND} s of steady state skipped`,
    });
  }
}
