// One machine's shared resources (CPU and disk) and each process's lane onto them: jobs, fsyncs, writes, completions delivered through the owner's own timer.
//
// docs/design/load.md "Who owns what": the machine owns one CPU and one disk, shared by every
// process on it. A stacked master's kube-apiserver and etcd member share both; an external etcd
// host's member is alone on its. The cluster build makes one per machine, only for scenarios with
// `load:` (cluster/models/machine.ts), and drops a process's CPU jobs when it goes down.
//
// A CPU job of one process changes how fast every other process's jobs run, so whenever the set of
// jobs changes each lane's timer is re-armed at its own next completion; completions are handed to
// the owner inside its own timer handler (never from another process's handler). Disk ops are FIFO:
// their completion is known when submitted (disk.ts), so no re-arming is needed there.
import type { Ctx } from '../kernel/actor.ts';
import { FifoDisk, type DiskConfig } from './disk.ts';
import { SharedCpu } from './shared-cpu.ts';

/** The timer a lane uses on its owner's context; the owner routes it to `lane.onTimer`. */
export const LANE_TIMER = 'machine:cpu';

export class MachineResources {
  readonly cpu: SharedCpu;
  readonly disk: FifoDisk;
  private readonly lanes = new Map<string, MachineLane>();
  private lastUs: number;

  constructor(readonly cores: number, disk: DiskConfig, startUs = 0) {
    this.cpu = new SharedCpu(cores, startUs);
    this.disk = new FifoDisk(disk, startUs);
    this.lastUs = startUs;
  }

  /**
   * A process (re)started on this machine: its lane, with `threadCap` runnable threads at most.
   * Jobs of an earlier life of the same process are dropped.
   */
  attach(ctx: Ctx, threadCap: number): MachineLane {
    const now = this.now(ctx);
    this.settle(this.cpu.dropOwner(ctx.self, now).finished);
    this.cpu.setThreadCap(ctx.self, threadCap);
    const lane = new MachineLane(this, ctx);
    this.lanes.set(ctx.self, lane);
    this.rearm(now);
    return lane;
  }

  /** The process went down (crash, exit, power loss): its CPU jobs vanish with it. */
  processDown(process: string, trueLocalUs: number): void {
    const lane = this.lanes.get(process);
    if (!lane) return;
    this.lanes.delete(process);
    const now = Math.max(this.lastUs, trueLocalUs);
    this.lastUs = now;
    this.settle(this.cpu.dropOwner(process, now).finished);
    this.rearm(now);
  }

  /** Power loss: queued disk writes that were not on the platter are gone too. */
  powerLost(trueLocalUs: number): void {
    this.disk.drop(Math.max(this.lastUs, trueLocalUs));
  }

  /** The machine's clock, never running backwards (a stepped clock must not run the CPU in reverse). */
  now(ctx: Ctx): number {
    this.lastUs = Math.max(this.lastUs, ctx.now());
    return this.lastUs;
  }

  /** @internal A lane added a job: run the CPU to now, hand out what finished, re-arm everyone. */
  addJob(lane: MachineLane, id: string, workUs: number): void {
    const now = this.now(lane.ctx);
    this.settle(this.cpu.add(lane.ctx.self, id, workUs, now));
    this.rearm(now);
  }

  /** @internal A lane's timer fired: finished jobs are queued at their owners, timers re-armed. */
  run(ctx: Ctx): void {
    const now = this.now(ctx);
    this.settle(this.cpu.advance(now));
    this.rearm(now);
  }

  /** @internal Re-arm one lane after it ran its callbacks. */
  rearmLane(lane: MachineLane): void {
    const next = lane.hasFinished() ? this.lastUs : this.cpu.nextCompletionUs(lane.ctx.self);
    lane.arm(next === null ? null : Math.max(0, next - this.lastUs));
  }

  private settle(finished: { id: string; owner: string }[]): void {
    for (const job of finished) this.lanes.get(job.owner)?.finished(job.id);
  }

  /** Each lane's timer at its own next completion (now when it already holds finished jobs). */
  private rearm(now: number): void {
    for (const [owner, lane] of this.lanes) {
      const next = lane.hasFinished() ? now : this.cpu.nextCompletionUs(owner);
      lane.arm(next === null ? null : Math.max(0, next - now));
    }
  }
}

/** One process's view of its machine: CPU jobs with a callback, fsyncs and writes on the shared disk. */
export class MachineLane {
  private readonly callbacks = new Map<string, () => void>();
  private readonly done: string[] = [];
  private armedAtUs: number | null = null;
  private seq = 0;

  /** The process's CPU use before this life (its busy time counts from the attach). */
  private readonly busyBeforeUs: number;

  constructor(private readonly machine: MachineResources, readonly ctx: Ctx) {
    this.busyBeforeUs = machine.cpu.busyCoreMicros(ctx.self);
  }

  get cores(): number {
    return this.machine.cores;
  }

  /** Run `workUs` of CPU for this process; `onDone` runs in this process's timer handler when it is done. */
  runCpu(workUs: number, onDone: () => void): void {
    const id = `${this.ctx.self}#${++this.seq}`;
    this.callbacks.set(id, onDone);
    this.machine.addJob(this, id, workUs);
  }

  /** Core·µs this process has used since it (re)started (for its utilisation). */
  busyCoreMicros(): number {
    this.machine.run(this.ctx);
    return this.machine.cpu.busyCoreMicros(this.ctx.self) - this.busyBeforeUs;
  }

  /** Queue an fsync of `serviceUs` on the shared disk; returns how long until it completes (µs). */
  fsync(serviceUs: number): number {
    const now = this.machine.now(this.ctx);
    this.machine.disk.advance(now);
    return this.machine.disk.submit(`${this.ctx.self}#fsync`, { kind: 'fsync', serviceUs }, now) - now;
  }

  /** Queue a write (page cache left out: it reaches the device queue as it is made); nobody waits on it. */
  write(bytes: number): void {
    if (bytes <= 0) return;
    const now = this.machine.now(this.ctx);
    this.machine.disk.advance(now);
    this.machine.disk.submit(`${this.ctx.self}#write`, { kind: 'write', bytes }, now);
  }

  /** The owner's timer LANE_TIMER fired: run the callbacks of its finished jobs. Returns false for other timers. */
  onTimer(name: string): boolean {
    if (name !== LANE_TIMER) return false;
    this.armedAtUs = null;
    this.machine.run(this.ctx);
    while (this.done.length > 0) {
      const id = this.done.shift()!;
      const fn = this.callbacks.get(id);
      this.callbacks.delete(id);
      fn?.();
    }
    this.machine.rearmLane(this);
    return true;
  }

  /** @internal */
  finished(id: string): void {
    this.done.push(id);
  }

  /** @internal */
  hasFinished(): boolean {
    return this.done.length > 0;
  }

  /** @internal (Re)arm the timer only when its deadline moved. */
  arm(delayUs: number | null): void {
    if (delayUs === null) {
      if (this.armedAtUs !== null) this.ctx.cancelTimer(LANE_TIMER);
      this.armedAtUs = null;
      return;
    }
    const at = this.machine.now(this.ctx) + delayUs;
    if (this.armedAtUs === at && this.ctx.hasTimer(LANE_TIMER)) return;
    this.armedAtUs = at;
    this.ctx.setTimer(LANE_TIMER, delayUs);
  }
}
