// An etcd member on a machine it shares (scenarios with load): its raft loop's CPU and WAL fsyncs on the machine's resources, late heartbeats, fsync and apply latency samples.
//
// What it follows: etcd's raftNode.start (server/etcdserver/raft.go) runs one loop that takes a
// Ready, sends the leader's messages, saves the WAL (wal.go Save → fdatasync) and only then takes
// the next Ready; ticks wait on that loop too. So a WAL fsync queued behind other writes on the
// machine's disk holds back the leader's next heartbeats. The loop's own CPU work per Ready
// (protobuf encoding, raft bookkeeping) runs as a job on the machine's CPU, one thread.
// Late heartbeats are detected as etcd does (raft.go processMessages with
// contention.TimeoutDetector(2 × heartbeat)): a heartbeat to a follower more than twice the
// interval after the previous one is reported.
import type { Ctx } from '../kernel/actor.ts';
import type { MachineLane } from '../load/machine.ts';
import type { Ready } from '../raft/index.ts';

/**
 * CPU of the raft loop per Ready and per entry or message in it, µs of one core. ASSUMPTION (no
 * upstream figure): tens of µs, small next to a request's apiserver CPU (load/classes.ts).
 */
export const READY_CPU_US = 20;
export const READY_CPU_PER_ITEM_US = 5;

/** How often the member reports its fsync and apply latency (like the apiservers' load samples). */
export const LATENCY_SAMPLE_US = 5_000_000;
const TIMER_SAMPLE = 'etcd-load:sample';

interface Acc {
  count: number;
  sumUs: number;
  maxUs: number;
}

const newAcc = (): Acc => ({ count: 0, sumUs: 0, maxUs: 0 });
const ms = (us: number): number => Math.round(us / 100) / 10;

export class MemberLoad {
  private readonly lastHeartbeatUs = new Map<string, number>();
  /** When each entry reached this member (the Ready that carried it), by index, until applied. */
  private readonly appendedUs = new Map<number, number>();
  private fsyncs = newAcc();
  private applies = newAcc();
  private late = 0;
  /** Longest gap between two heartbeats to one follower in this sample, µs. */
  private maxGapUs = 0;

  constructor(private readonly ctx: Ctx, readonly lane: MachineLane, private readonly heartbeatUs: number) {
    ctx.setTimer(TIMER_SAMPLE, LATENCY_SAMPLE_US, undefined, { routine: true });
  }

  /** The raft loop's work on one Ready, on the machine's CPU; `then` runs when it is done. */
  runReady(rd: Ready, then: () => void): void {
    const items = rd.entries.length + rd.messages.length + rd.committed.length;
    for (const e of rd.entries) if (!this.appendedUs.has(e.index)) this.appendedUs.set(e.index, this.ctx.now());
    this.lane.runCpu(READY_CPU_US + READY_CPU_PER_ITEM_US * items, then);
  }

  /** A WAL fsync of `serviceUs` queued on the machine's disk: µs until it is durable. */
  fsync(serviceUs: number): number {
    const latencyUs = this.lane.fsync(serviceUs);
    add(this.fsyncs, latencyUs);
    return latencyUs;
  }

  /** The leader sends a heartbeat to `to` (raft.go processMessages → td.Observe). */
  heartbeatSent(to: string): void {
    const now = this.ctx.now();
    const last = this.lastHeartbeatUs.get(to);
    this.lastHeartbeatUs.set(to, now);
    if (last !== undefined) this.maxGapUs = Math.max(this.maxGapUs, now - last);
    if (last === undefined || now - last <= 2 * this.heartbeatUs) return;
    this.late++;
    this.ctx.emit('etcd-heartbeat-late', { to, gapMs: ms(now - last), expectedMs: ms(2 * this.heartbeatUs) });
  }

  /** Leadership changed: etcd resets its timeout detector (raftNode.start, `r.td.Reset()` on a new leader). */
  leadershipChanged(): void {
    this.lastHeartbeatUs.clear();
  }

  applied(index: number): void {
    const at = this.appendedUs.get(index);
    if (at === undefined) return;
    this.appendedUs.delete(index);
    add(this.applies, this.ctx.now() - at);
  }

  /** Routes the member's timers of this helper; false for others. */
  onTimer(name: string): boolean {
    if (this.lane.onTimer(name)) return true;
    if (name !== TIMER_SAMPLE) return false;
    this.ctx.setTimer(TIMER_SAMPLE, LATENCY_SAMPLE_US, undefined, { routine: true });
    const f = this.fsyncs;
    const a = this.applies;
    this.ctx.emit('etcd-latency', {
      fsyncs: f.count, fsyncMeanMs: f.count ? ms(f.sumUs / f.count) : 0, fsyncMaxMs: ms(f.maxUs),
      applied: a.count, applyMeanMs: a.count ? ms(a.sumUs / a.count) : 0, applyMaxMs: ms(a.maxUs), lateHeartbeats: this.late,
      maxHeartbeatGapMs: ms(this.maxGapUs),
    });
    this.maxGapUs = 0;
    this.fsyncs = newAcc();
    this.applies = newAcc();
    this.late = 0;
    return true;
  }
}

function add(acc: Acc, us: number): void {
  acc.count++;
  acc.sumUs += us;
  acc.maxUs = Math.max(acc.maxUs, us);
}
