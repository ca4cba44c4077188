// The etcd part of the load report: each member's WAL fsync and apply latency and the leader's late heartbeats, folded from observations.
//
// Reads the `etcd-latency` samples (etcd/member-load.ts, every 5 s, only in scenarios with load;
// each counts the member's fsyncs, applies and late heartbeats since the previous one, the
// `etcd-heartbeat-late` observations included). Samples stamped inside the report's measuring
// window count, so the first one may reach up to 5 s before it.
import type { EtcdLatencyDetail } from '../kernel/observations.ts';
import type { Observation } from '../kernel/trace.ts';

/** One member's figures over the window: the sample's fields (kernel/observations.ts EtcdLatencyDetail) summed or maxed. */
export type EtcdMemberLoad = { name: string } & EtcdLatencyDetail;

export interface EtcdLoadReport {
  members: EtcdMemberLoad[];
  /** Late heartbeats of all members together. */
  lateHeartbeats: number;
  /** Longest gap between two heartbeats of a leader to one follower, ms: the heartbeat interval when nothing holds the leader back. */
  maxHeartbeatGapMs: number;
  /** Slowest fsync of any member, ms. */
  fsyncMaxMs: number;
}

interface Acc {
  fsyncs: number;
  fsyncSumMs: number;
  fsyncMaxMs: number;
  applied: number;
  applySumMs: number;
  applyMaxMs: number;
  late: number;
  gapMs: number;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

export class EtcdLoadFold {
  private readonly seen: Observation[] = [];

  observe(o: Observation): void {
    if (o.kind === 'etcd-latency') this.seen.push(o);
  }

  /** Null when no member reported (a scenario without load, or before the first sample). */
  finish(fromUs: number): EtcdLoadReport | null {
    const accs = new Map<string, Acc>();
    for (const o of this.seen) {
      if (o.at < fromUs) continue;
      const a = accs.get(o.subject) ?? { fsyncs: 0, fsyncSumMs: 0, fsyncMaxMs: 0, applied: 0, applySumMs: 0, applyMaxMs: 0, late: 0, gapMs: 0 };
      accs.set(o.subject, a);
      if (o.kind === 'etcd-latency') {
        const d = o.detail;
        a.late += d.lateHeartbeats;
        a.fsyncs += d.fsyncs;
        a.fsyncSumMs += d.fsyncMeanMs * d.fsyncs;
        a.fsyncMaxMs = Math.max(a.fsyncMaxMs, d.fsyncMaxMs);
        a.applied += d.applied;
        a.applySumMs += d.applyMeanMs * d.applied;
        a.applyMaxMs = Math.max(a.applyMaxMs, d.applyMaxMs);
        a.gapMs = Math.max(a.gapMs, d.maxHeartbeatGapMs);
      }
    }
    if (accs.size === 0) return null;
    const members = [...accs].sort(([x], [y]) => x.localeCompare(y)).map(([name, a]) => ({
      name, fsyncs: a.fsyncs, fsyncMeanMs: a.fsyncs ? round1(a.fsyncSumMs / a.fsyncs) : 0, fsyncMaxMs: a.fsyncMaxMs,
      applied: a.applied, applyMeanMs: a.applied ? round1(a.applySumMs / a.applied) : 0, applyMaxMs: a.applyMaxMs, lateHeartbeats: a.late, maxHeartbeatGapMs: a.gapMs,
    }));
    return {
      members,
      lateHeartbeats: members.reduce((n, m) => n + m.lateHeartbeats, 0),
      maxHeartbeatGapMs: Math.max(0, ...members.map((m) => m.maxHeartbeatGapMs)),
      fsyncMaxMs: Math.max(0, ...members.map((m) => m.fsyncMaxMs)),
    };
  }
}

/** The text report's lines for it (under "Load"). */
export function renderEtcdLoad(e: EtcdLoadReport, table: (head: string[], rows: string[][]) => string): string[] {
  const rows = e.members.map((m) => [
    m.name, String(m.fsyncs), `${m.fsyncMeanMs} ms`, `${m.fsyncMaxMs} ms`, `${m.applyMeanMs} ms`, `${m.applyMaxMs} ms`, `${m.maxHeartbeatGapMs} ms`, String(m.lateHeartbeats),
  ]);
  return [
    `  etcd members: longest gap between a leader's heartbeats ${e.maxHeartbeatGapMs} ms; ${e.lateHeartbeats} sent late (gap over twice the interval)`,
    table(['member', 'fsyncs', 'fsync mean', 'fsync max', 'apply mean', 'apply max', 'heartbeat gap max', 'late heartbeats'], rows).replace(/^/gm, '    '),
  ];
}
