// The load report: apiserver utilisation, in-flight and 429s, and client latency by request class, folded from observations.
//
// It reads two observation kinds of the typed union (kernel/observations.ts): `apiserver-load` samples
// of each apiserver and `load-request` outcomes of the load clients. The run is split at the first fault into "before"
// and "after", so that a scenario that kills a master shows what the survivors carry.
import type { Observation } from '../kernel/trace.ts';
import { toSeconds } from '../kernel/time.ts';
import { EtcdLoadFold, renderEtcdLoad, type EtcdLoadReport } from './etcd-load.ts';

/** The window of `endUtilisation`: the last minute of the run. */
const END_WINDOW_US = 60_000_000;

export interface ApiserverLoad {
  name: string;
  /** Mean of the samples in the phase (fraction of the machine's cores). */
  utilisation: number;
  peakUtilisation: number;
  peakInFlight: number;
  served: number;
  rejected429: number;
}

export interface ClassLatency {
  class: string;
  requests: number;
  /** Requests that ended without a 2xx (after any retries). */
  failed: number;
  /** Requests that needed at least one Retry-After retry. */
  retried: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LoadPhase {
  name: 'before' | 'after';
  fromSeconds: number;
  toSeconds: number;
  apiservers: ApiserverLoad[];
  classes: ClassLatency[];
  /** 429s the apiservers sent over everything they answered or rejected. */
  rejectedFraction: number;
  /** p99 latency of every mutating request (create, update, lease-renew, pod-status) together; 0 without any. */
  writeP99Ms: number;
  /** LISTs of the `watch` classes' informers sent in the phase (first lists and re-lists). */
  informerLists: number;
  /** 429 "storage is (re)initializing" answers (a watch cache not ready yet), counted in the apiservers' 429s. */
  initialising429s: number;
}

/** The N+1 question: after the first fault, do p99 write latency and the 429 fraction stay within the limits? */
export interface NPlusOneVerdict {
  p99WriteMs: number;
  limitMs: number;
  rejectedFraction: number;
  limitFraction: number;
  holds: boolean;
}

export interface LoadLimits {
  p99WriteMs: number;
  rejectedFraction: number;
}

export interface LoadReport {
  phases: LoadPhase[];
  /** Each apiserver's mean utilisation over the run's last minute (after a rolling upgrade: the imbalance left). */
  endUtilisation: { name: string; utilisation: number }[];
  /** Highest minus lowest of endUtilisation (0 with fewer than two apiservers). */
  endSpread: number;
  /** Only when the scenario asks (load.limits) and a fault began inside the measuring window. */
  verdict?: NPlusOneVerdict;
  /** Informer LISTs sent after the first fault: the re-lists it caused (0 without a fault or without watch classes). */
  relists: number;
  /** Each etcd member's fsync and apply latency and late heartbeats (report/etcd-load.ts). */
  etcd?: EtcdLoadReport;
}

const WRITE_CLASSES = new Set(['create', 'update', 'lease-renew', 'pod-status']);

interface ServerAcc {
  samples: number;
  utilSum: number;
  peakUtil: number;
  peakInFlight: number;
  served: number;
  rejected: number;
  initialising: number;
}

interface ClassAcc {
  latenciesMs: number[];
  failed: number;
  retried: number;
}

class PhaseAcc {
  readonly servers = new Map<string, ServerAcc>();
  readonly classes = new Map<string, ClassAcc>();
  informerLists = 0;
  constructor(readonly name: 'before' | 'after', readonly fromUs: number) {}

  sample(subject: string, d: Record<string, unknown>): void {
    const s = this.servers.get(subject) ?? { samples: 0, utilSum: 0, peakUtil: 0, peakInFlight: 0, served: 0, rejected: 0, initialising: 0 };
    const u = Number(d['utilisation']);
    s.samples++;
    s.utilSum += u;
    s.peakUtil = Math.max(s.peakUtil, u);
    s.peakInFlight = Math.max(s.peakInFlight, Number(d['inFlight']));
    s.served += Number(d['served']);
    s.rejected += Number(d['rejected']);
    s.initialising += Number(d['initialising'] ?? 0);
    this.servers.set(subject, s);
  }

  request(d: Record<string, unknown>): void {
    const cls = String(d['class']);
    const c = this.classes.get(cls) ?? { latenciesMs: [], failed: 0, retried: 0 };
    c.latenciesMs.push(Number(d['latencyMs']));
    if (d['ok'] !== true) c.failed++;
    if (Number(d['retries'] ?? 0) > 0) c.retried++;
    if (d['informer'] === true) this.informerLists++;
    this.classes.set(cls, c);
  }

  finish(toUs: number): LoadPhase {
    const apiservers = [...this.servers].sort(([a], [b]) => a.localeCompare(b)).map(([name, s]) => ({
      name, utilisation: round3(s.utilSum / s.samples), peakUtilisation: round3(s.peakUtil), peakInFlight: s.peakInFlight, served: s.served, rejected429: s.rejected,
    }));
    const classes = [...this.classes].sort(([a], [b]) => a.localeCompare(b)).map(([name, c]) => {
      const sorted = [...c.latenciesMs].sort((x, y) => x - y);
      return { class: name, requests: sorted.length, failed: c.failed, retried: c.retried, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) };
    });
    const writes = [...this.classes].filter(([name]) => WRITE_CLASSES.has(name)).flatMap(([, c]) => c.latenciesMs).sort((x, y) => x - y);
    const served = apiservers.reduce((n, a) => n + a.served, 0);
    const rejected = apiservers.reduce((n, a) => n + a.rejected429, 0);
    return {
      name: this.name, fromSeconds: toSeconds(this.fromUs), toSeconds: toSeconds(toUs), apiservers, classes,
      rejectedFraction: served + rejected === 0 ? 0 : round3(rejected / (served + rejected)),
      writeP99Ms: percentile(writes, 0.99),
      informerLists: this.informerLists,
      initialising429s: [...this.servers.values()].reduce((n, s) => n + s.initialising, 0),
    };
  }
}

/** Nearest-rank percentile of sorted values (0 when empty), rounded to 0.1 ms. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return Math.round(sorted[i]! * 10) / 10;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

interface Sample {
  at: number;
  subject: string;
  detail: Record<string, unknown>;
}

/**
 * Folds the load observations of one run. Only what happens inside the report's measuring window
 * counts (a request by the time it was sent), so bootstrap does not colour the latencies.
 */
export class LoadFold {
  private firstFaultUs: number | null = null;
  private readonly samples: Sample[] = [];
  private readonly requests: Sample[] = [];
  private readonly etcd = new EtcdLoadFold();

  constructor(private readonly limits: LoadLimits | null) {}

  observe(o: Observation): void {
    this.etcd.observe(o);
    if (o.kind === 'fault' && o.detail['phase'] === 'begin' && this.firstFaultUs === null) this.firstFaultUs = o.at;
    else if (o.kind === 'apiserver-load') this.samples.push({ at: o.at, subject: o.subject, detail: o.detail });
    else if (o.kind === 'load-request') this.requests.push({ at: o.at - Math.round(o.detail.latencyMs * 1000), subject: o.subject, detail: o.detail });
  }

  finish(fromUs: number, endUs: number): LoadReport {
    const cut = this.firstFaultUs !== null && this.firstFaultUs > fromUs ? this.firstFaultUs : null;
    const phases = cut === null ? [new PhaseAcc('before', fromUs)] : [new PhaseAcc('before', fromUs), new PhaseAcc('after', cut)];
    const phaseAt = (at: number): PhaseAcc | null => (at < fromUs ? null : cut !== null && at >= cut ? phases[1]! : phases[0]!);
    for (const s of this.samples) phaseAt(s.at)?.sample(s.subject, s.detail);
    for (const r of this.requests) phaseAt(r.at)?.request(r.detail);
    const end = new Map<string, { sum: number; n: number }>();
    for (const s of this.samples) {
      if (s.at < Math.max(fromUs, endUs - END_WINDOW_US)) continue;
      const e = end.get(s.subject) ?? { sum: 0, n: 0 };
      e.sum += Number(s.detail['utilisation']);
      e.n++;
      end.set(s.subject, e);
    }
    const endUtilisation = [...end].sort(([a], [b]) => a.localeCompare(b)).map(([name, e]) => ({ name, utilisation: round3(e.sum / e.n) }));
    const done = phases.map((p, i) => p.finish(phases[i + 1]?.fromUs ?? endUs));
    const ends = endUtilisation.map((e) => e.utilisation);
    const endSpread = ends.length < 2 ? 0 : round3(Math.max(...ends) - Math.min(...ends));
    const after = done[1];
    const report: LoadReport = { phases: done, endUtilisation, endSpread, relists: after?.informerLists ?? 0 };
    const etcd = this.etcd.finish(fromUs);
    if (etcd) report.etcd = etcd;
    if (after && this.limits) {
      const { p99WriteMs: limitMs, rejectedFraction: limitFraction } = this.limits;
      const holds = after.writeP99Ms <= limitMs && after.rejectedFraction <= limitFraction;
      report.verdict = { p99WriteMs: after.writeP99Ms, limitMs, rejectedFraction: after.rejectedFraction, limitFraction, holds };
    }
    return report;
  }
}

const pct1 = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** The text report's load section (report/text.ts prints it when the run had load). */
export function renderLoad(load: LoadReport, table: (head: string[], rows: string[][]) => string): string[] {
  const out: string[] = ['Load'];
  for (const p of load.phases) {
    out.push(`  ${p.name === 'before' ? 'Before the first fault' : 'After the first fault'} (${p.fromSeconds}s to ${p.toSeconds}s): 429s ${pct1(p.rejectedFraction)} of apiserver answers, p99 writes ${p.writeP99Ms} ms`);
    const servers = p.apiservers.map((a) => [a.name, pct1(a.utilisation), pct1(a.peakUtilisation), String(a.peakInFlight), String(a.served), String(a.rejected429)]);
    out.push(table(['apiserver', 'CPU mean', 'CPU peak', 'peak in-flight', 'served', '429s'], servers).replace(/^/gm, '    '));
    const classes = p.classes.map((c) => [c.class, String(c.requests), `${c.p50Ms} ms`, `${c.p99Ms} ms`, String(c.retried), String(c.failed)]);
    if (classes.length > 0) out.push(table(['class', 'requests', 'p50', 'p99', 'retried', 'failed'], classes).replace(/^/gm, '    '));
    if (p.informerLists > 0 || p.initialising429s > 0) {
      out.push(`    informers (watch classes): ${p.informerLists} LISTs; 429 "storage is (re)initializing": ${p.initialising429s}`);
    }
  }
  if (load.endUtilisation.length > 0) {
    const each = load.endUtilisation.map((e) => `${e.name.split('/')[0]} ${pct1(e.utilisation)}`).join(', ');
    out.push(`  CPU in the last minute: ${each} (spread ${pct1(load.endSpread)})`);
  }
  if (load.etcd) out.push(...renderEtcdLoad(load.etcd, table));
  const v = load.verdict;
  if (v) {
    out.push(`  N+1: at this load, after the first fault p99 write latency is ${v.p99WriteMs} ms (limit ${v.limitMs} ms) and 429s ${pct1(v.rejectedFraction)} (limit ${pct1(v.limitFraction)}): ${v.holds ? 'yes' : 'no'}`);
  }
  return out;
}
