// Tour mode wired into the page: the header's Tour button and lesson menu, the panel, highlights, URL progress.
import { defaultConfig, type RunConfig } from '../config.ts';
import { LIBRARY } from '../library.ts';
import type { Player, Clock } from '../player.ts';
import type { Store } from '../store.ts';
import { el } from '../views/dom.ts';
import { TourView } from '../views/tour.ts';
import { TourController } from './controller.ts';
import { applyHighlights } from './highlight.ts';
import { LESSONS } from './lessons.ts';
import './tour.css';

/** The parts of the App tour mode uses. */
export interface TourApp {
  cfg: RunConfig;
  readonly player: Player;
  readonly runner: { store: Store };
  clock(): Clock;
  seek(t: number): void;
  change(cfg: RunConfig): void;
  writeUrl(): void;
}

export class TourMode {
  readonly controller: TourController;
  private readonly view: TourView;
  private readonly startButton: HTMLButtonElement;
  private shownStore: Store | null = null;

  constructor(private readonly app: TourApp) {
    this.controller = new TourController({
      store: () => app.runner.store,
      seek: (t) => app.seek(t),
      pause: () => app.player.pause(),
      play: () => app.player.play(app.clock()),
      changed: () => app.writeUrl(),
    });
    const panel = el('div', { id: 'tour-panel', class: 'panel', 'data-testid': 'tour-panel', hidden: true });
    document.getElementById('side')?.prepend(panel);
    this.view = new TourView(panel, this.controller, () => app.cfg.scenario);
    this.startButton = el('button', { type: 'button', 'data-testid': 'tour-start', title: 'a guided tour of this run' }, 'Tour');
    this.startButton.addEventListener('click', () => (this.controller.active ? this.controller.stop() : this.controller.start(0)));
    const lessons = el('select', { 'data-testid': 'lesson-picker', title: 'the lesson path: tours from the basics to the hard cases' },
      el('option', { value: '' }, 'lessons…'),
      ...LESSONS.flatMap((l, i) => l.scenarios.map((s, j) => el('option', { value: s, title: `After it you should understand: ${l.understand}` }, `${i + 1}${l.scenarios.length > 1 ? 'abcdefgh'[j] : ''}. ${l.title}${l.scenarios.length > 1 ? ` (${s})` : ''}`))));
    lessons.addEventListener('change', () => {
      const name = lessons.value;
      lessons.value = '';
      if (!(name in LIBRARY)) return;
      app.player.pause();
      app.player.t = 0;
      app.change(defaultConfig(name));
      this.controller.start(0);
    });
    document.querySelector('header.bar .spacer')?.before(lessons, this.startButton);
  }

  /** The tour step in the URL (`tour=<n>`, from 1) applies once the run is complete. */
  fromUrl(step: number | null): void {
    if (step === null) {
      if (this.controller.active) this.controller.stop();
    } else this.controller.start(step);
  }

  urlStep(): number | null {
    return this.controller.urlStep();
  }

  /** Each animation frame, after playback advanced. */
  frame(): void {
    const c = this.controller;
    const store = this.app.runner.store;
    if (store !== this.shownStore) {
      this.shownStore = store;
      c.version++; // a new run: the panel re-reads step times
    }
    c.frame(this.app.player.t, this.app.player.playing);
    const steps = c.steps.length;
    this.startButton.disabled = steps === 0;
    this.startButton.textContent = c.active ? 'End tour' : 'Tour';
    this.startButton.title = steps > 0 ? `play this scenario's guided tour (${steps} steps)` : 'this scenario has no tour';
    this.startButton.classList.toggle('active', c.active);
    this.view.render();
    const step = c.active && c.stepTimes !== null ? c.steps[c.step] : undefined;
    applyHighlights(step?.highlight ?? [], step ? (store.scenario?.cluster ?? null) : null);
  }
}
