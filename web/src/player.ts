// Playback: the cursor time, play/pause, speed, steps — simulated time mapped to wall time by a speed factor.
/** What playback needs from a run (or from the pair of runs of the compare view). */
export interface Clock {
  readonly duration: number;
  readonly computedUntil: number;
  readonly done: boolean;
  readonly steps: readonly number[];
}

export const SPEEDS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] as const;

/** Slow motion: a change that would be on screen for less than this much wall time at the chosen speed… */
const BURST_WALL_US = 100_000;
/** …is played so that it stays this long (down to the slowest speed). */
const HOLD_WALL_US = 300_000;
/** Above this chosen speed playback is for skimming: no automatic slow motion. */
const AUTO_SLOW_MAX_SPEED = 20;

export class Player {
  /** Cursor, in true µs. */
  t = 0;
  playing = false;
  speedIndex = SPEEDS.indexOf(10);
  /** Playing but waiting for the worker to simulate further. */
  waiting = false;
  /** Slow down automatically where changes come in dense bursts (an etcd election takes a few ms). */
  autoSlow = true;
  /** The speed the last frame actually played at (below `speed` inside a burst). */
  effective = 10;
  private lastWall: number | null = null;

  get speed(): number {
    return SPEEDS[this.speedIndex]!;
  }

  setSpeed(speed: number): void {
    let best = 0;
    SPEEDS.forEach((s, i) => {
      if (Math.abs(Math.log(s / speed)) < Math.abs(Math.log(SPEEDS[best]! / speed))) best = i;
    });
    this.speedIndex = best;
  }

  faster(): void {
    this.speedIndex = Math.min(SPEEDS.length - 1, this.speedIndex + 1);
  }

  slower(): void {
    this.speedIndex = Math.max(0, this.speedIndex - 1);
  }

  play(store: Clock): void {
    if (store.duration > 0 && this.t >= store.duration) this.t = 0;
    this.playing = true;
    this.lastWall = null;
  }

  pause(): void {
    this.playing = false;
    this.waiting = false;
  }

  toggle(store: Clock): void {
    if (this.playing) this.pause();
    else this.play(store);
  }

  seek(t: number, store: Clock): void {
    this.t = Math.max(0, Math.min(store.duration || t, Math.round(t)));
  }

  /** Advance the cursor by the wall time since the last frame; true when it moved. */
  tick(wallMs: number, store: Clock): boolean {
    const last = this.lastWall;
    this.lastWall = wallMs;
    if (!this.playing || last === null) return false;
    // A hidden tab or a long pause between frames must not make the cursor leap.
    const dtMs = Math.min(wallMs - last, 100);
    this.effective = this.speedAt(this.t, store);
    const target = this.t + dtMs * 1000 * this.effective;
    const limit = store.computedUntil;
    const before = this.t;
    this.waiting = target > limit && !store.done;
    if (this.waiting && limit < before) return false;
    // Never backwards: after a restart the new run may not have reached the cursor yet.
    this.t = Math.min(target, Math.max(limit, before), store.duration || target);
    if (store.done && this.t >= store.duration) this.playing = false;
    return this.t !== before;
  }

  /**
   * The speed to play at t: the chosen one, unless the changes around t come faster than the eye can
   * follow at it (the gap between the step before and the step after t would pass in under 100 ms of
   * wall time); then slow enough that the gap lasts 300 ms, but never below the slowest speed.
   */
  speedAt(t: number, store: Clock): number {
    const speed = this.speed;
    if (!this.autoSlow || speed > AUTO_SLOW_MAX_SPEED) return speed;
    const steps = store.steps;
    let lo = 0;
    let hi = steps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (steps[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0 || lo >= steps.length) return speed;
    const gap = steps[lo]! - steps[lo - 1]!;
    if (gap >= speed * BURST_WALL_US) return speed;
    return Math.min(speed, Math.max(SPEEDS[0], gap / HOLD_WALL_US));
  }

  /** The next time worth looking at after the cursor (a state change), or the end. */
  next(store: Clock): number {
    const steps = store.steps;
    let lo = 0;
    let hi = steps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (steps[mid]! <= this.t) lo = mid + 1;
      else hi = mid;
    }
    return lo < steps.length ? steps[lo]! : store.done ? store.duration : store.computedUntil;
  }

  previous(store: Clock): number {
    const steps = store.steps;
    let lo = 0;
    let hi = steps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (steps[mid]! < this.t) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? steps[lo - 1]! : 0;
  }
}
