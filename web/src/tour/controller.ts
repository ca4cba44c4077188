// Tour mode's state: the step the learner is at, where each step lands in the run, auto-pause, and the answers.
//
// Answers live only here: they never reach the worker, the scenario or the URL, so they cannot change the run.
import { resolveTour, type StepTime } from '../../../src/check/tour.ts';
import { metricValue } from '../../../src/report/values.ts';
import type { Report } from '../../../src/report/metrics.ts';
import type { TourStep } from '../../../src/scenario/index.ts';
import type { Store } from '../store.ts';

/** What tour mode needs from the page. */
export interface TourHost {
  store(): Store;
  /** Move the cursor (and write the URL). */
  seek(t: number): void;
  pause(): void;
  play(): void;
  /** The tour's progress changed: the URL should say so. */
  changed(): void;
}

export class TourController {
  active = false;
  /** Index of the current step. */
  step = 0;
  /** Step index → the choice the learner picked. */
  readonly answers = new Map<number, number>();
  /** Bumped on every change the panel shows. */
  version = 0;
  private times: StepTime[] | null = null;
  private timesFor: Report | null = null;
  /** A step to go to once the run is complete (from the URL or a lesson). */
  private pending: number | null = null;
  /** The cursor at the previous frame (to tell playback crossing a step from a jump past it). */
  private lastT: number | null = null;

  constructor(private readonly host: TourHost) {}

  get steps(): readonly TourStep[] {
    return this.host.store().scenario?.tour ?? [];
  }

  /** The steps' times in this run; null until the run is complete (conditions may read final metrics). */
  get stepTimes(): readonly StepTime[] | null {
    const store = this.host.store();
    if (!store.report || !store.scenario) return null;
    if (this.timesFor !== store.report) {
      this.timesFor = store.report;
      const report = store.report;
      this.times = resolveTour(store.scenario.tour, store.observations, Math.round(report.durationSeconds * 1e6), (m) => metricValue(report, m));
    }
    return this.times;
  }

  /** Start (or jump) to step `index` now, or as soon as the run is complete. */
  start(index = 0): void {
    this.active = true;
    this.answers.clear();
    this.pending = index;
    this.version++;
    this.host.changed();
  }

  stop(): void {
    this.active = false;
    this.pending = null;
    this.version++;
    this.host.changed();
  }

  /** Go to step `index`: the cursor jumps to its time and playback pauses there. */
  go(index: number): void {
    const times = this.stepTimes;
    const n = this.steps.length;
    if (n === 0) return;
    this.step = Math.max(0, Math.min(n - 1, index));
    const at = times?.[this.step]?.at;
    this.host.pause();
    if (at !== null && at !== undefined) this.host.seek(at);
    this.version++;
    this.host.changed();
  }

  next(): void {
    this.go(this.step + 1);
  }

  back(): void {
    this.go(this.step - 1);
  }

  /** Play on from the current step; playback pauses again at the next step. */
  playOn(): void {
    const times = this.stepTimes;
    const here = times?.[this.step]?.at;
    const next = times?.[this.step + 1]?.at;
    if (next !== undefined && next !== null && next === here) return this.go(this.step + 1); // the same instant
    this.host.play();
  }

  /** Record the learner's choice for the current step's question (a second try replaces the first). */
  answer(choice: number): void {
    this.answers.set(this.step, choice);
    this.version++;
  }

  /** The URL's view of the progress: the current step while a tour runs. */
  urlStep(): number | null {
    return this.active ? (this.pending ?? this.step) : null;
  }

  /** Each frame: apply a pending start once the run is complete, and pause at the next step's time. */
  frame(t: number, playing: boolean): void {
    if (!this.active) return;
    if (this.steps.length === 0) {
      if (this.host.store().scenario) this.stop();
      return;
    }
    const times = this.stepTimes;
    if (times === null) return;
    if (this.pending !== null) {
      const index = this.pending;
      this.pending = null;
      this.go(index);
      return;
    }
    const from = this.lastT;
    this.lastT = t;
    const before = this.step;
    // A cursor moved back before the current step (by hand) takes the tour back with it.
    while (this.step > 0 && (times[this.step]!.at ?? -1) > t) this.step--;
    if (playing && from !== null && t > from) this.cross(times, from, t);
    if (this.step !== before) {
      this.version++;
      this.host.changed();
    }
  }

  /** Playback moved from `from` to `t`: pause at the first step it crossed. Steps the cursor was moved past by hand
   * (scrubbing, the timeline) were not crossed: the tour catches up with them without pausing. */
  private cross(times: readonly StepTime[], from: number, t: number): void {
    for (let i = this.step + 1; i < times.length; i++) {
      const at = times[i]!.at;
      if (at === null) continue;
      if (at > t) return;
      this.step = i;
      if (at > from) {
        this.host.pause();
        this.host.seek(at);
        return;
      }
    }
  }
}
