// The playback bar: start, step back, play/pause, step forward, end, speed, time, scrubber and run status.
import { fmtTime } from '../../../src/index.ts';
import type { Player } from '../player.ts';
import type { Store } from '../store.ts';
import { button, el } from './dom.ts';

export interface PlaybackHandlers {
  toStart(): void;
  previous(): void;
  toggle(): void;
  next(): void;
  toEnd(): void;
  faster(): void;
  slower(): void;
  seek(t: number): void;
  autoSlow(on: boolean): void;
}

export class PlaybackView {
  private readonly play: HTMLButtonElement;
  private readonly speed = el('span', { class: 'speed', 'data-testid': 'speed' });
  private readonly time = el('span', { class: 'time', 'data-testid': 'time' });
  private readonly status = el('span', { class: 'status', 'data-testid': 'run-status' });
  private readonly scrub = el('input', { type: 'range', min: 0, max: 1, step: 'any', value: 0, 'aria-label': 'time', 'data-testid': 'scrub' });
  private scrubbing = false;
  private readonly slowNote = el('span', { class: 'slow-note', 'data-testid': 'slow-motion' });
  private readonly slowBox = el('input', { type: 'checkbox', 'data-testid': 'auto-slow' }) as HTMLInputElement;

  constructor(host: HTMLElement, h: PlaybackHandlers) {
    this.play = button('▶ play', 'play / pause (space)', h.toggle, { 'data-testid': 'play' });
    this.scrub.addEventListener('input', () => h.seek(Number(this.scrub.value)));
    this.slowBox.addEventListener('change', () => h.autoSlow(this.slowBox.checked));
    this.scrub.addEventListener('pointerdown', () => (this.scrubbing = true));
    this.scrub.addEventListener('pointerup', () => (this.scrubbing = false));
    host.append(
      el('div', { class: 'controls' },
        button('|◀ start', 'back to the start (Home)', h.toStart, { 'data-testid': 'to-start' }),
        button('◀ step', 'previous change (←)', h.previous, { 'data-testid': 'step-prev' }),
        this.play,
        button('step ▶', 'next change (→)', h.next, { 'data-testid': 'step-next' }),
        button('end ▶|', 'jump to the end of the run (End)', h.toEnd, { 'data-testid': 'to-end' }),
        el('span', { class: 'speedbox' }, button('−', 'slower (-)', h.slower, { 'data-testid': 'slower' }), this.speed, button('+', 'faster (+)', h.faster, { 'data-testid': 'faster' })),
        el('label', { class: 'auto-slow', title: 'slow down automatically where changes come within milliseconds (elections), at 20× and below' }, this.slowBox, 'slow motion at bursts'),
        this.slowNote, this.time, this.status),
      this.scrub,
    );
  }

  render(player: Player, store: Store, error: string | null): void {
    const d = store.duration;
    set(this.play, player.playing ? '⏸ pause' : '▶ play');
    set(this.speed, `${player.speed}× speed`);
    const slow = player.playing && player.effective < player.speed;
    set(this.slowNote, slow ? `slow motion ${fmtSpeed(player.effective)}× (a burst of changes)` : '');
    if (this.slowBox.checked !== player.autoSlow) this.slowBox.checked = player.autoSlow;
    set(this.time, `t = ${fmtTime(Math.round(player.t))} of ${fmtTime(d)}`);
    set(this.status, error !== null ? 'not running: see the message above'
      : !store.scenario ? 'starting…'
      : store.done ? `run complete: ${store.eventsProcessed.toLocaleString('en-US')} events simulated`
      : `simulating… ${fmtTime(store.computedUntil)} done${player.waiting ? ' (playback waits for it)' : ''}`);
    const busy = !store.done && error === null;
    if (this.status.classList.contains('busy') !== busy) this.status.classList.toggle('busy', busy);
    const max = String(Math.max(1, d));
    if (this.scrub.max !== max) this.scrub.max = max;
    if (!this.scrubbing && this.scrub.value !== String(player.t)) this.scrub.value = String(player.t);
    const done = `${d > 0 ? Math.round((1000 * store.computedUntil) / d) / 10 : 0}%`;
    if (this.scrub.style.getPropertyValue('--done') !== done) this.scrub.style.setProperty('--done', done);
  }
}

function fmtSpeed(x: number): string {
  return x >= 0.1 ? String(Math.round(x * 100) / 100) : x.toPrecision(2).replace(/0+$/, '');
}

/** Set a text only when it changes (each write costs a style and layout pass). */
function set(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
