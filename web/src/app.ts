// The page's controller: what runs (config ⇄ URL), the worker, playback, and which view draws what each frame.
import { InputError, type InputIssue } from '../../src/index.ts';
import { buildScenario, defaultConfig, sourceOf, type RawFault, type RunConfig } from './config.ts';
import { DEFAULT_SCENARIO, LIBRARY } from './library.ts';
import { Player } from './player.ts';
import { Runner } from './runner.ts';
import { TourMode } from './tour/mode.ts';
import { decodeHash, encodeHash } from './url.ts';
import { renderAbout } from './views/about.ts';
import { CompareView } from './views/compare.ts';
import { el } from './views/dom.ts';
import { EventsView } from './views/events.ts';
import { renderLegend } from './views/legend.ts';
import { Menu } from './views/menu.ts';
import { ParamsView } from './views/params.ts';
import { PlaybackView } from './views/playback.ts';
import { renderReport } from './views/report.ts';
import { renderStatus } from './views/status.ts';
import { TimelineView } from './views/timeline.ts';
import { Tooltip } from './views/tooltip.ts';
import { FLIGHT_MAX_SPEED, TopologyView } from './views/topology.ts';

const $ = (id: string): HTMLElement => document.getElementById(id)!;

export class App {
  cfg: RunConfig = defaultConfig(DEFAULT_SCENARIO);
  readonly player = new Player();
  readonly runner: Runner;
  readonly tooltip = new Tooltip($('tooltip'));
  readonly menu = new Menu($('menu'));
  compare: CompareView | null = null;
  compareOn = false;
  private urlErrors: string[] = [];
  private info: HTMLElement | null = null;
  private readonly topology: TopologyView;
  private readonly timeline: TimelineView;
  private readonly playback: PlaybackView;
  private readonly params: ParamsView;
  private readonly events: EventsView;
  readonly tour: TourMode;
  private readonly status = el('div', { class: 'status-line', 'data-testid': 'status-line' });
  private shown = { scenario: null as unknown, report: null as unknown, picture: '', pictureAt: 0, textAt: 0, aboutScenario: null as unknown, aboutCfg: null as unknown };

  constructor(actions: { machine(name: string, e: MouseEvent): void; process(id: string, e: MouseEvent): void; select(names: string[], e: MouseEvent): void }) {
    this.runner = new Runner({ changed: () => {}, failed: () => this.renderMessages() });
    const topo = $('topology');
    const picture = el('div', { class: 'picture' });
    const legend = el('div', { class: 'legend' });
    const eventsHost = el('div', { class: 'events', 'data-testid': 'events' });
    topo.append(this.status, picture, legend, eventsHost);
    renderLegend(legend);
    this.topology = new TopologyView(picture, actions, this.tooltip);
    this.events = new EventsView(eventsHost, (t) => this.seek(t));
    this.timeline = new TimelineView($('timeline'), { seek: (t) => this.seek(t) }, this.tooltip);
    this.playback = new PlaybackView($('playback'), {
      toStart: () => this.seek(0),
      previous: () => this.seek(this.player.previous(this.clock())),
      toggle: () => this.toggle(),
      next: () => this.seek(this.player.next(this.clock())),
      toEnd: () => this.seek(Math.max(this.clock().duration, this.player.t)),
      faster: () => this.player.faster(),
      slower: () => this.player.slower(),
      seek: (t) => this.seek(t),
      autoSlow: (on) => (this.player.autoSlow = on),
    });
    this.tour = new TourMode(this);
    this.params = new ParamsView($('params'), { set: (path, value) => this.setParam(path, value), reset: () => this.change({ ...this.cfg, sets: [] }) });
  }

  /** Read the URL and start: the page's one entry point. */
  open(hash: string): void {
    const { state, errors } = decodeHash(hash, DEFAULT_SCENARIO);
    this.urlErrors = errors;
    this.cfg = state.cfg;
    if (state.cfg.text === null && !(state.cfg.scenario in LIBRARY)) {
      errors.push(`URL: scenario "${state.cfg.scenario}" is not in scenarios/ (there are: ${Object.keys(LIBRARY).join(', ')}); showing ${DEFAULT_SCENARIO} instead`);
      this.cfg = { ...state.cfg, scenario: DEFAULT_SCENARIO };
    }
    this.player.pause();
    this.player.t = state.t ?? 0;
    if (state.speed !== null) this.player.setSpeed(state.speed);
    this.setCompare(state.compare, false);
    this.rerun();
    this.tour.fromUrl(state.tour ?? null);
  }

  clock() {
    return this.compareOn && this.compare ? this.compare.clock() : this.runner.store;
  }

  toggle(): void {
    this.player.toggle(this.clock());
    if (!this.player.playing) this.writeUrl();
  }

  seek(t: number): void {
    this.player.seek(t, this.clock());
    this.writeUrl();
  }

  /** A new config (from the picker, the params, a click…): validate here for a quick message, run in the worker. */
  change(cfg: RunConfig): void {
    this.urlErrors = [];
    this.cfg = cfg;
    this.rerun();
  }

  /** Append faults at the cursor; the run restarts from scratch and playback continues from the same time. */
  addFaults(faults: RawFault[]): void {
    const next = { ...this.cfg, faults: [...this.cfg.faults, ...faults] };
    try {
      buildScenario(sourceOf(next, LIBRARY));
    } catch (err) {
      this.note((err as Error).message, 'error');
      return;
    }
    this.change(next);
  }

  setParam(path: string, value: string | null): readonly InputIssue[] {
    const sets = this.cfg.sets.filter((s) => !s.startsWith(`${path}=`));
    if (value !== null) sets.push(`${path}=${value}`);
    const next = { ...this.cfg, sets };
    try {
      buildScenario(sourceOf(next, LIBRARY));
    } catch (err) {
      if (err instanceof InputError) return err.issues;
      return [{ path: '', message: (err as Error).message }];
    }
    this.cfg = next;
    this.rerun(false);
    return [];
  }

  setCompare(on: boolean, rerun = true): void {
    this.compareOn = on;
    $('single').hidden = on;
    $('compare').hidden = !on;
    // One playback bar drives both views: it moves to where it is seen.
    if (on) $('compare').before($('playback'));
    else $('timeline').before($('playback'));
    $('compare-toggle').classList.toggle('active', on);
    $('compare-toggle').textContent = on ? 'Back to one run' : 'Compare topologies';
    if (on && !this.compare) this.compare = new CompareView($('compare'), this.tooltip, (t) => this.seek(t), () => {});
    if (on && rerun) this.compare!.start(this.cfg, LIBRARY);
    if (!on) this.compare?.stop();
    if (rerun) this.writeUrl();
  }

  private rerun(refreshParams = true): void {
    this.runner.run(this.cfg, LIBRARY);
    if (this.compareOn) this.compare?.start(this.cfg, LIBRARY);
    if (refreshParams) this.shown.scenario = {}; // differs from any run's scenario, even none
    this.info = null;
    this.writeUrl();
    this.renderMessages();
  }

  /** The URL always reproduces what is on screen (without adding history entries). */
  writeUrl(): void {
    const hash = encodeHash({ cfg: this.cfg, t: this.player.t > 0 ? this.player.t : null, speed: null, compare: this.compareOn, tour: this.tour?.urlStep() ?? null });
    if (hash !== location.hash) history.replaceState(null, '', hash);
  }

  shareUrl(): string {
    return `${location.origin}${location.pathname}${encodeHash({ cfg: this.cfg, t: this.player.t, speed: this.player.speed, compare: this.compareOn, tour: this.tour.urlStep() })}`;
  }

  note(text: string | HTMLElement, kind: 'error' | 'info'): void {
    this.info = typeof text === 'string' ? el('div', { class: kind }, text) : text;
    this.renderMessages();
  }

  renderMessages(): void {
    const runError = this.runner.error;
    $('messages').replaceChildren(
      ...this.urlErrors.map((e) => el('div', { class: 'error', 'data-testid': 'url-error' }, e)),
      runError ? el('div', { class: 'error', 'data-testid': 'validation-error' }, runError) : '',
      this.info ?? '',
    );
  }

  /** One animation frame: advance the cursor, then redraw only what changed. */
  frame(now: number): void {
    const clock = this.clock();
    const wasPlaying = this.player.playing;
    this.player.tick(now, clock);
    if (wasPlaying && !this.player.playing) this.writeUrl();
    const store = this.runner.store;
    const t = this.player.t;
    if (this.compareOn) this.compare?.render(t, this.player.playing ? this.player.effective : this.player.speed);
    else if (!store.scenario && this.runner.error !== null && this.shown.picture !== 'error') {
      this.shown.picture = 'error';
      this.topology.clear();
      this.timeline.clear();
      this.events.render([], 0);
      this.status.textContent = 'Nothing to draw: this scenario does not run (the message above says why). Fix it, or pick another scenario.';
    } else if (store.scenario) {
      const state = store.stateAt(t);
      const speed = this.player.playing ? this.player.effective : this.player.speed;
      const slow = speed <= FLIGHT_MAX_SPEED;
      if (slow) this.runner.wantFlights(t);
      const flights = slow && store.flights.length > 0;
      // Probes belong to their send time, which no observation marks: the strip's piece at t is part of the key.
      const probes = `${store.lanes.probes.read.track.at(t)?.from}/${store.lanes.probes.write.track.at(t)?.from}/${store.lanes.probes.write.track.at(t)?.key}`;
      const key = `${store.version}:${state.count}:${probes}:${flights ? t : ''}`;
      // At high speed the picture changes every frame: redrawing it 10 times a second keeps the page smooth.
      const fast = this.player.playing && this.player.speed >= 50;
      if (key !== this.shown.picture && (!fast || now - this.shown.pictureAt > 100)) {
        this.shown.picture = key;
        this.shown.pictureAt = now;
        this.topology.render(store, state, t, speed);
      }
      // Text panels too: nobody reads that fast, so 5 times a second will do.
      if (!fast || now - this.shown.textAt > 200) {
        this.shown.textAt = now;
        renderStatus(this.status, state, store, t);
        this.events.render(store.lanes.events, t);
      }
      this.timeline.update(store, t);
    }
    this.tour.frame();
    if (store.scenario !== this.shown.scenario) {
      this.shown.scenario = store.scenario;
      this.params.render(store.scenario, this.cfg.sets);
      this.syncHeader();
    }
    if (store.scenario !== this.shown.aboutScenario || this.cfg !== this.shown.aboutCfg) {
      this.shown.aboutScenario = store.scenario;
      this.shown.aboutCfg = this.cfg;
      renderAbout($('about'), this.cfg, store.scenario, store.scenario ? store.seed : null, {
        removeFault: (i) => this.change({ ...this.cfg, faults: this.cfg.faults.filter((_, k) => k !== i) }),
        clearFaults: () => this.change({ ...this.cfg, faults: [] }),
      });
    }
    if (store.report !== this.shown.report) {
      this.shown.report = store.report;
      renderReport($('report'), store.report, store.scenario ? 'The tables appear when the run reaches its end (press “end ▶|” to see them at once).' : '');
    }
    this.playback.render(this.player, this.compareOn ? (this.compare?.stores[0] ?? store) : store, this.runner.error);
  }

  /** Header controls show the current config. */
  syncHeader(): void {
    const picker = $('scenario-picker') as HTMLSelectElement;
    picker.querySelector('option.extra')?.remove();
    if (!(this.cfg.scenario in LIBRARY) || this.cfg.text !== null) {
      const extra = el('option', { value: this.cfg.scenario, class: 'extra' }, `${this.cfg.scenario} (edited)`);
      picker.append(extra);
      extra.selected = true;
    } else picker.value = this.cfg.scenario;
    const topology = this.runner.store.scenario?.cluster.topology ?? this.cfg.topology;
    document.querySelectorAll<HTMLInputElement>('input[name=topology]').forEach((r) => (r.checked = r.value === topology));
    ($('seed') as HTMLInputElement).value = String(this.cfg.seed ?? this.runner.store.scenario?.seed ?? '');
  }
}
