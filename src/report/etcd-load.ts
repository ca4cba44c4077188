// The etcd part of the load report: each member's WAL fsync and apply latency and the leader's late heartbeats, folded from observations.
//
// Reads `etcd-latency` samples (etcd/member-load.ts, every 5 s, only in scenarios with load) and
// `etcd-heartbeat-late` (etcd's "leader failed to send out heartbeat on time"). Only what happens
// inside the report's measuring window counts.
import type { Observation } from '../kernel/trace.ts';

export interface EtcdMemberLoad {
  name: string;
  fsyncs: number;
  fsyncMeanMs: number;
  fsyncMaxMs: number;
  applied: number;
  applyMeanMs: number;
  applyMaxMs: number;
  /** Heartbeats this member sent late as leader. */
  lateHeartbeats: number;
}

export interface EtcdLoadReport {
  members: EtcdMemberLoad[];
  /** Late heartbeats of all members together. */
  lateHeartbeats: number;
  /** Longest gap between two heartbeats to one follower among the late ones, ms (0 without any). */
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
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

export class EtcdLoadFold {
  private readonly seen: Observation[] = [];

  observe(o: Observation): void {
    if (o.kind === 'etcd-latency' || o.kind === 'etcd-heartbeat-late') this.seen.push(o);
  }

  /** Null when no member reported (a scenario without load, or before the first sample). */
  finish(fromUs: number): EtcdLoadReport | null {
    const accs = new Map<string, Acc>();
    let maxGapMs = 0;
    for (const o of this.seen) {
      if (o.at < fromUs) continue;
      const a = accs.get(o.subject) ?? { fsyncs: 0, fsyncSumMs: 0, fsyncMaxMs: 0, applied: 0, applySumMs: 0, applyMaxMs: 0, late: 0 };
      accs.set(o.subject, a);
      if (o.kind === 'etcd-heartbeat-late') {
        a.late++;
        maxGapMs = Math.max(maxGapMs, o.detail.gapMs);
      } else if (o.kind === 'etcd-latency') {
        const d = o.detail;
        a.fsyncs += d.fsyncs;
        a.fsyncSumMs += d.fsyncMeanMs * d.fsyncs;
        a.fsyncMaxMs = Math.max(a.fsyncMaxMs, d.fsyncMaxMs);
        a.applied += d.applied;
        a.applySumMs += d.applyMeanMs * d.applied;
        a.applyMaxMs = Math.max(a.applyMaxMs, d.applyMaxMs);
      }
    }
    if (accs.size === 0) return null;
    const members = [...accs].sort(([x], [y]) => x.localeCompare(y)).map(([name, a]) => ({
      name, fsyncs: a.fsyncs, fsyncMeanMs: a.fsyncs ? round1(a.fsyncSumMs / a.fsyncs) : 0, fsyncMaxMs: a.fsyncMaxMs,
      applied: a.applied, applyMeanMs: a.applied ? round1(a.applySumMs / a.applied) : 0, applyMaxMs: a.applyMaxMs, lateHeartbeats: a.late,
    }));
    return {
      members,
      lateHeartbeats: members.reduce((n, m) => n + m.lateHeartbeats, 0),
      maxHeartbeatGapMs: maxGapMs,
      fsyncMaxMs: Math.max(0, ...members.map((m) => m.fsyncMaxMs)),
    };
  }
}

/** The text report's lines for it (under "Load"). */
export function renderEtcdLoad(e: EtcdLoadReport, table: (head: string[], rows: string[][]) => string): string[] {
  const rows = e.members.map((m) => [m.name, String(m.fsyncs), `${m.fsyncMeanMs} ms`, `${m.fsyncMaxMs} ms`, `${m.applyMeanMs} ms`, `${m.applyMaxMs} ms`, String(m.lateHeartbeats)]);
  const gap = e.lateHeartbeats > 0 ? ` (longest gap ${e.maxHeartbeatGapMs} ms)` : '';
  return [
    `  etcd members: ${e.lateHeartbeats} heartbeats sent late by a leader${gap}`,
    table(['member', 'fsyncs', 'fsync mean', 'fsync max', 'apply mean', 'apply max', 'late heartbeats'], rows).replace(/^/gm, '    '),
  ];
}
