// A machine's CPU shared by its processes the way Linux CFS shares it among their runnable threads.
//
// Why not egalitarian PS per request (cpu.ts): CFS schedules threads, and a Go process runs its
// goroutines on at most GOMAXPROCS (= the machine's cores by default) threads, so a kube-apiserver
// with 300 requests in flight has at most `cores` runnable threads, not 300. A stacked etcd
// member's raft loop is one goroutine: one runnable thread while it works on a Ready. So here each
// process (an "owner") brings t = min(its jobs, its thread cap) runnable threads; every runnable
// thread on the machine gets min(1, cores / all threads) of a core (CFS's equal share at equal
// nice); an owner's share is spread equally over its own jobs (requests sharing the apiserver's
// threads). With one owner this is exactly PsCpu's min(1, cores / jobs) per job.
//
// Left out, said plainly: cgroup weights (kubeadm's static pods request 250m CPU for the
// apiserver and 100m for etcd; under contention cgroup v2 cpu.weight would tilt the share further
// towards the apiserver), GC threads, and context-switch costs. Times are µs of the machine's clock.
import type { FinishedJob } from './cpu.ts';

export interface OwnedFinishedJob extends FinishedJob {
  owner: string;
}

interface Job {
  owner: string;
  remainingUs: number;
  addedAtUs: number;
}

interface Owner {
  threadCap: number;
  jobs: number;
  busyCoreUs: number;
}

/** Work below this is treated as done, so rounding in long runs never leaves a ghost job. */
const EPSILON_US = 1e-6;

export class SharedCpu {
  private readonly jobs = new Map<string, Job>();
  private readonly owners = new Map<string, Owner>();
  private lastUs: number;

  constructor(readonly cores: number, startUs = 0) {
    if (!(cores > 0)) throw new Error(`SharedCpu: cores must be positive, got ${cores}`);
    this.lastUs = startUs;
  }

  /** How many threads the owner can run at once (GOMAXPROCS for a Go process, 1 for a single loop). */
  setThreadCap(owner: string, threadCap: number): void {
    if (!(threadCap >= 1)) throw new Error(`SharedCpu: ${owner} needs at least one thread, got ${threadCap}`);
    this.owner(owner).threadCap = threadCap;
  }

  /** Jobs of this owner now sharing the CPU. */
  running(owner: string): number {
    return this.owners.get(owner)?.jobs ?? 0;
  }

  /** Core·µs this owner's jobs have used since it was first seen. */
  busyCoreMicros(owner: string): number {
    return this.owners.get(owner)?.busyCoreUs ?? 0;
  }

  /** Start a job of `owner` needing workUs of one core; jobs finishing by nowUs are returned. */
  add(owner: string, id: string, workUs: number, nowUs: number): OwnedFinishedJob[] {
    if (this.jobs.has(id)) throw new Error(`SharedCpu: job ${id} already running`);
    if (!(workUs >= 0)) throw new Error(`SharedCpu: job ${id} has negative work ${workUs}`);
    const done = this.advance(nowUs);
    this.jobs.set(id, { owner, remainingUs: workUs, addedAtUs: nowUs });
    this.owner(owner).jobs++;
    if (workUs <= EPSILON_US) done.push(...this.collect(nowUs));
    return done;
  }

  /** Drop every job of `owner` (its process crashed); returns the dropped job ids. */
  dropOwner(owner: string, nowUs: number): { finished: OwnedFinishedJob[]; dropped: string[] } {
    const finished = this.advance(nowUs);
    const dropped: string[] = [];
    for (const [id, job] of this.jobs) if (job.owner === owner) dropped.push(id);
    for (const id of dropped) this.jobs.delete(id);
    const o = this.owners.get(owner);
    if (o) o.jobs = 0;
    return { finished, dropped };
  }

  /** The speed of one job of `owner` now, in core·µs per µs. */
  jobRate(owner: string): number {
    const o = this.owners.get(owner);
    if (!o || o.jobs === 0) return 0;
    let threads = 0;
    for (const x of this.owners.values()) threads += Math.min(x.jobs, x.threadCap);
    const perThread = Math.min(1, this.cores / threads);
    return (Math.min(o.jobs, o.threadCap) * perThread) / o.jobs;
  }

  /** Exact time the next job of `owner` (or of anyone, without owner) finishes if nothing changes; null when none runs. */
  nextCompletionExactUs(owner?: string): number | null {
    let least = Infinity;
    const rates = new Map<string, number>();
    for (const job of this.jobs.values()) {
      if (owner !== undefined && job.owner !== owner) continue;
      let rate = rates.get(job.owner);
      if (rate === undefined) rates.set(job.owner, (rate = this.jobRate(job.owner)));
      least = Math.min(least, job.remainingUs / rate);
    }
    return least === Infinity ? null : this.lastUs + least;
  }

  /** nextCompletionExactUs rounded up to the kernel's integer µs. */
  nextCompletionUs(owner?: string): number | null {
    const t = this.nextCompletionExactUs(owner);
    return t === null ? null : Math.ceil(t - EPSILON_US);
  }

  /** Run the CPU up to nowUs; return the jobs that finished, in finishing order. */
  advance(nowUs: number): OwnedFinishedJob[] {
    if (nowUs < this.lastUs) throw new Error(`SharedCpu: time went backwards (${nowUs} < ${this.lastUs})`);
    const out: OwnedFinishedJob[] = [];
    for (;;) {
      const next = this.nextCompletionExactUs();
      if (next === null || next > nowUs + EPSILON_US) break;
      this.progress(Math.max(next, this.lastUs));
      out.push(...this.collect(this.lastUs));
    }
    this.progress(nowUs);
    return out;
  }

  private owner(name: string): Owner {
    let o = this.owners.get(name);
    if (!o) this.owners.set(name, (o = { threadCap: 1, jobs: 0, busyCoreUs: 0 }));
    return o;
  }

  private progress(toUs: number): void {
    const elapsedUs = toUs - this.lastUs;
    if (elapsedUs > 0 && this.jobs.size > 0) {
      const rates = new Map<string, number>();
      for (const [name, o] of this.owners) {
        if (o.jobs === 0) continue;
        const rate = this.jobRate(name);
        rates.set(name, rate);
        o.busyCoreUs += rate * o.jobs * elapsedUs;
      }
      for (const job of this.jobs.values()) job.remainingUs -= rates.get(job.owner)! * elapsedUs;
    }
    this.lastUs = toUs;
  }

  private collect(atUs: number): OwnedFinishedJob[] {
    const out: OwnedFinishedJob[] = [];
    for (const [id, job] of this.jobs) {
      if (job.remainingUs <= EPSILON_US) out.push({ id, owner: job.owner, finishedAtUs: atUs, residenceUs: atUs - job.addedAtUs });
    }
    for (const f of out) {
      this.jobs.delete(f.id);
      this.owners.get(f.owner)!.jobs--;
    }
    return out;
  }
}
