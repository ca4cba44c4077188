// A processor-sharing CPU for one machine: N cores shared equally by the jobs running on it.
//
// The model (egalitarian processor sharing, a textbook queue; no upstream code to follow): with
// n jobs on c cores each job progresses at min(1, c/n) µs of work per µs. It stands in for the
// Linux CFS scheduler sharing a master between kube-apiserver and a stacked etcd member; weights,
// cgroup limits and cache effects are left out (assumption, docs/design/load.md). Fluid
// background load (a rate, not jobs) takes a fixed number of cores off the top: the jobs share
// c - b cores instead.
//
// Event-driven and exact: between two events every job's remaining work falls linearly, so the
// next completion is known in closed form. Work and times are µs; finish times may be fractional
// (nextCompletionUs rounds up for the kernel's integer clock, advance reports the exact instant).

export interface FinishedJob {
  id: string;
  finishedAtUs: number;
  /** Time from add to completion: the job's response time on this CPU. */
  residenceUs: number;
}

interface Job {
  remainingUs: number;
  addedAtUs: number;
}

/** Work below this is treated as done, so rounding in long runs never leaves a ghost job. */
const EPSILON_US = 1e-6;

export class PsCpu {
  private readonly jobs = new Map<string, Job>();
  private lastUs: number;
  private busyCoreUs = 0;
  /** Cores taken by fluid background load (a rate × cost, not individual jobs); see setBackgroundCores. */
  private backgroundCores = 0;

  constructor(readonly cores: number, startUs = 0) {
    if (!(cores > 0)) throw new Error(`PsCpu: cores must be positive, got ${cores}`);
    this.lastUs = startUs;
  }

  /** Jobs now sharing the CPU. */
  get running(): number {
    return this.jobs.size;
  }

  /** Each job's speed: min(1, cores left after background load / jobs). */
  rate(): number {
    return this.jobs.size === 0 ? 0 : Math.min(1, (this.cores - this.backgroundCores) / this.jobs.size);
  }

  /**
   * Fluid background load: `cores` worth of CPU (e.g. 2000 pod-status updates/s × 0.5 ms = 1 core)
   * is taken off the top and the jobs share the rest. Jobs before nowUs ran at the old share.
   * Capped just below the machine's cores so that jobs always progress; the report should say
   * when the background alone saturates a machine.
   */
  setBackgroundCores(cores: number, nowUs: number): FinishedJob[] {
    if (!(cores >= 0)) throw new Error(`PsCpu: background cores must not be negative, got ${cores}`);
    const done = this.advance(nowUs);
    this.backgroundCores = Math.min(cores, this.cores * 0.999);
    return done;
  }

  /** Drop every job (the machine crashed or lost power); returns their ids. */
  clear(nowUs: number): { finished: FinishedJob[]; dropped: string[] } {
    const finished = this.advance(nowUs);
    const dropped = [...this.jobs.keys()];
    this.jobs.clear();
    return { finished, dropped };
  }

  /** Core·µs spent on work (jobs and background) since start; divide by cores × elapsed for utilisation. */
  busyCoreMicros(): number {
    return this.busyCoreUs;
  }

  /** Start a job needing workUs of one core. Jobs finishing before nowUs are returned. */
  add(id: string, workUs: number, nowUs: number): FinishedJob[] {
    if (this.jobs.has(id)) throw new Error(`PsCpu: job ${id} already running`);
    if (!(workUs >= 0)) throw new Error(`PsCpu: job ${id} has negative work ${workUs}`);
    const done = this.advance(nowUs);
    this.jobs.set(id, { remainingUs: workUs, addedAtUs: nowUs });
    if (workUs <= EPSILON_US) done.push(...this.collect(nowUs));
    return done;
  }

  /** Drop a job before it finishes (its process died). Returns its remaining work, or null. */
  remove(id: string, nowUs: number): { finished: FinishedJob[]; remainingUs: number | null } {
    const finished = this.advance(nowUs);
    const job = this.jobs.get(id);
    if (!job) return { finished, remainingUs: null };
    this.jobs.delete(id);
    return { finished, remainingUs: job.remainingUs };
  }

  /** The exact time the next job finishes if nothing is added, or null when idle. */
  nextCompletionExactUs(): number | null {
    if (this.jobs.size === 0) return null;
    let least = Infinity;
    for (const job of this.jobs.values()) least = Math.min(least, job.remainingUs);
    return this.lastUs + least / this.rate();
  }

  /** nextCompletionExactUs rounded up to the kernel's integer µs. */
  nextCompletionUs(): number | null {
    const t = this.nextCompletionExactUs();
    return t === null ? null : Math.ceil(t - EPSILON_US);
  }

  /** Run the CPU up to nowUs; return the jobs that finished, in finishing order. */
  advance(nowUs: number): FinishedJob[] {
    if (nowUs < this.lastUs) throw new Error(`PsCpu: time went backwards (${nowUs} < ${this.lastUs})`);
    const out: FinishedJob[] = [];
    for (;;) {
      const next = this.nextCompletionExactUs();
      if (next === null || next > nowUs + EPSILON_US) break;
      this.progress(Math.max(next, this.lastUs));
      out.push(...this.collect(this.lastUs));
    }
    this.progress(nowUs);
    return out;
  }

  /** Every job gets rate × elapsed of work done; busy time counts jobs and background. */
  private progress(toUs: number): void {
    const elapsedUs = toUs - this.lastUs;
    const rate = this.rate();
    for (const job of this.jobs.values()) job.remainingUs -= rate * elapsedUs;
    this.busyCoreUs += (rate * this.jobs.size + this.backgroundCores) * elapsedUs;
    this.lastUs = toUs;
  }

  private collect(atUs: number): FinishedJob[] {
    const out: FinishedJob[] = [];
    for (const [id, job] of this.jobs) {
      if (job.remainingUs <= EPSILON_US) out.push({ id, finishedAtUs: atUs, residenceUs: atUs - job.addedAtUs });
    }
    for (const f of out) this.jobs.delete(f.id);
    return out;
  }
}
