// Process and machine lifecycle: kill, graceful stop, start, pause/resume, reboot, supervised restart.
import type { Machine, Process } from './entities.ts';
import { EventKind, type SimEvent } from './queue.ts';

/** kubelet's default terminationGracePeriodSeconds: a stop that takes longer becomes a kill. */
export const STOP_GRACE_US = 30_000_000;

/**
 * How a supervisor restarts a process that exits by itself: the first wait, doubling up to a cap,
 * and reset once the process has run long enough. The cluster build passes the kubelet's.
 */
export interface RestartBackoff {
  initialUs: number;
  maxUs: number;
  /** A process that ran at least this long before it exited starts over at `initialUs`. */
  resetUs: number;
}

/**
 * What the lifecycle needs of the event loop (it implements this). A narrow interface, so that this
 * file does not import the loop that imports it.
 */
export interface LifecycleKernel {
  /** Model time, µs. */
  readonly now: number;
  /** Run time (model time plus what fast-forward skipped), µs. */
  readonly time: number;
  readonly queue: { cancel(ev: SimEvent): void };
  observe(kind: string, subject: string, detail?: Record<string, unknown>): void;
  at(at: number, label: string, fn: () => void): void;
  schedule(at: number, kind: EventKind, target: number, name: string, data: unknown, life: number, routine: boolean): SimEvent;
}

export class Lifecycle {
  private readonly prePause = new Map<number, 'running' | 'stopping'>();

  /** `backoff` null: no supervisor restarts a process that exits by itself (Sim.addProcess refuses restartOnExit then). */
  constructor(private readonly sim: LifecycleKernel, private readonly backoff: RestartBackoff | null) {}

  start(p: Process, cause: string): void {
    if (!p.host.up || p.status !== 'down') return;
    const sim = this.sim;
    p.life++;
    p.status = 'running';
    p.heldDown = false;
    p.startedAt = sim.time;
    p.actor = p.spec.make();
    sim.observe('process', p.id, { state: 'up', cause });
    p.actor.start(p);
  }

  /** Crash: no graceful step; volatile state and timers are lost, durable state kept. */
  kill(p: Process, cause: string, holdDown = true): void {
    if (p.status === 'down') {
      // Killed during its restart back-off: a fault keeps it down until `start`.
      if (holdDown) p.heldDown = true;
      return;
    }
    this.takeDown(p);
    p.heldDown = holdDown;
    this.sim.observe('process', p.id, { state: 'down', cause, crash: true });
  }

  /** SIGTERM: the actor's stop hook runs; it calls ctx.exit when done (or is killed after the grace period). */
  stop(p: Process, cause: string): void {
    if (p.status === 'paused') this.resume(p, cause);
    if (p.status !== 'running') return;
    const actor = p.actor!;
    if (!actor.stop) {
      this.takeDown(p);
      p.heldDown = true;
      this.sim.observe('process', p.id, { state: 'down', cause, graceful: true });
      return;
    }
    p.status = 'stopping';
    this.sim.observe('process', p.id, { state: 'stopping', cause });
    const life = p.life;
    this.sim.at(this.sim.now + STOP_GRACE_US, `grace:${p.id}`, () => {
      const stopping = p.status === 'stopping' || (p.status === 'paused' && this.prePause.get(p.index) === 'stopping');
      if (p.life === life && stopping) this.kill(p, 'stop grace period expired');
    });
    actor.stop(p);
  }

  /** The process ended by itself (ctx.exit). A requested stop stays down; a failure is restarted with back-off. */
  exited(p: Process, code: number, reason: string): void {
    if (p.status === 'down') return;
    const requested = p.status === 'stopping';
    this.takeDown(p);
    p.heldDown = requested;
    this.sim.observe('process', p.id, { state: 'down', cause: reason, exitCode: code, graceful: requested });
    if (!requested && p.spec.restartOnExit && this.backoff !== null) this.scheduleRestart(p, this.backoff);
    this.maybeFinishShutdown(p.host);
  }

  pause(p: Process, cause: string): void {
    if (p.status !== 'running' && p.status !== 'stopping') return;
    this.prePause.set(p.index, p.status);
    p.status = 'paused';
    this.sim.observe('process', p.id, { state: 'paused', cause });
  }

  /** Held timers and messages are handled now, in the order they fell due (overdue work runs at once). */
  resume(p: Process, cause: string): void {
    if (p.status !== 'paused') return;
    p.status = this.prePause.get(p.index) ?? 'running';
    this.prePause.delete(p.index);
    const held = p.held;
    p.held = [];
    for (const ev of held) {
      const again = this.sim.schedule(this.sim.now, ev.kind, ev.target, ev.name, ev.data, ev.life, ev.routine);
      if (ev.kind === EventKind.Timer && p.timers.get(ev.name) === ev) p.timers.set(ev.name, again);
    }
    this.sim.observe('process', p.id, { state: p.status === 'stopping' ? 'stopping' : 'up', cause, resumed: true });
  }

  /** Power off: every process crashes, packets to the machine vanish. */
  killMachine(m: Machine, cause: string): void {
    if (!m.up) return;
    this.shuttingDown.delete(m.name);
    for (const p of m.processes) this.kill(p, cause, false);
    m.up = false;
    this.sim.observe('machine', m.name, { state: 'down', cause });
  }

  /** Boot: every autostart process starts (whatever a fault had stopped before). */
  startMachine(m: Machine, cause: string): void {
    if (m.up) {
      for (const p of m.processes) if (p.status === 'down') this.start(p, cause);
      return;
    }
    m.up = true;
    this.sim.observe('machine', m.name, { state: 'up', cause });
    for (const p of m.processes) if (p.spec.autostart !== false) this.start(p, cause);
  }

  /** Graceful shutdown: stop every process, power off when they are all down (or after the grace period). */
  stopMachine(m: Machine, cause: string): void {
    if (!m.up) return;
    this.shuttingDown.add(m.name);
    for (const p of m.processes) this.stop(p, cause);
    this.maybeFinishShutdown(m);
    this.sim.at(this.sim.now + STOP_GRACE_US, `shutdown:${m.name}`, () => {
      if (this.shuttingDown.has(m.name)) this.finishShutdown(m, cause);
    });
  }

  private readonly shuttingDown = new Set<string>();

  private maybeFinishShutdown(m: Machine): void {
    if (!this.shuttingDown.has(m.name)) return;
    if (m.processes.every((p) => p.status === 'down')) this.finishShutdown(m, 'shutdown');
  }

  private finishShutdown(m: Machine, cause: string): void {
    this.shuttingDown.delete(m.name);
    this.killMachine(m, cause);
  }

  /** Skew a machine's clock; armed timers keep their local deadlines under the new rate. */
  adjustClock(m: Machine, offsetUs: number, rate: number): void {
    const sim = this.sim;
    const oldRate = m.clock.rate;
    m.clock.adjust(sim.now, offsetUs, rate);
    if (oldRate === rate) return;
    for (const p of m.processes) {
      for (const [name, ev] of [...p.timers]) {
        if (p.status === 'paused' && p.held.includes(ev)) continue;
        const localLeft = (ev.at - sim.now) * oldRate;
        sim.queue.cancel(ev);
        const again = sim.schedule(sim.now + Math.ceil(localLeft / rate), ev.kind, ev.target, name, ev.data, ev.life, ev.routine);
        p.timers.set(name, again);
      }
    }
  }

  private takeDown(p: Process): void {
    for (const ev of p.timers.values()) this.sim.queue.cancel(ev);
    p.timers.clear();
    p.held = [];
    p.actor = null;
    p.status = 'down';
    this.prePause.delete(p.index);
  }

  private scheduleRestart(p: Process, backoff: RestartBackoff): void {
    const sim = this.sim;
    if (sim.time - p.startedAt >= backoff.resetUs) p.backoffUs = 0;
    p.backoffUs = p.backoffUs === 0 ? backoff.initialUs : Math.min(2 * p.backoffUs, backoff.maxUs);
    const life = p.life;
    sim.observe('process', p.id, { state: 'backoff', restartInSeconds: p.backoffUs / 1e6 });
    sim.at(sim.now + p.backoffUs, `restart:${p.id}`, () => {
      if (p.life === life && p.status === 'down' && !p.heldDown) this.start(p, 'restarted by kubelet');
    });
  }
}
