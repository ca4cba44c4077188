// "What happened": the notable events (the CLI's timeline) up to the cursor; click one to jump to it.
import { fmtTime } from '../../../src/index.ts';
import type { Notable } from '../lanes.ts';
import { el, kids } from './dom.ts';

const SHOWN = 8;

export class EventsView {
  private key = '';

  constructor(private readonly host: HTMLElement, private readonly seek: (t: number) => void) {}

  render(events: readonly Notable[], t: number): void {
    let n = 0;
    while (n < events.length && events[n]!.at <= t) n++;
    const key = `${events.length}:${n}`;
    if (key === this.key) return;
    this.key = key;
    const past = events.slice(Math.max(0, n - SHOWN), n);
    const next = events[n];
    this.host.replaceChildren(...kids(
      el('span', { class: 'label' }, 'What happened:'),
      past.length === 0 ? el('span', { class: 'quiet' }, ' nothing yet') : null,
      ...past.map((e, i) => this.item(e, i === past.length - 1 ? 'latest' : '')),
      next ? this.item(next, 'next') : null,
    ));
  }

  private item(e: Notable, cls: string): HTMLElement {
    const b = el('button', { type: 'button', class: `event ${cls}`, title: 'jump to this moment' },
      el('b', {}, cls === 'next' ? `next ${fmtTime(e.at)}` : fmtTime(e.at)), e.kind === 'fault' ? ` ⚡ ${e.text}` : ` ${e.subject} ${e.text}`);
    b.addEventListener('click', () => this.seek(e.at));
    return b;
  }
}
