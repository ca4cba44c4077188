// The break-things menu: what a click on a machine or process (or a dragged box) can do to it, now.
import { button, el } from './dom.ts';

export interface MenuItem {
  label: string;
  title: string;
  run: () => void;
}

export class Menu {
  constructor(private readonly host: HTMLElement) {
    document.addEventListener('pointerdown', (e) => {
      if (!this.host.hidden && !this.host.contains(e.target as Node)) this.close();
    });
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.close();
    });
  }

  open(title: string, note: string, items: MenuItem[], clientX: number, clientY: number): void {
    const h = this.host;
    h.replaceChildren(
      el('div', { class: 'menu-title' }, title),
      el('div', { class: 'menu-note' }, note),
      ...items.map((it) => button(it.label, it.title, () => {
        this.close();
        it.run();
      }, { role: 'menuitem', 'data-action': it.label.split(' ')[0]!.toLowerCase() })),
    );
    h.hidden = false;
    const w = h.offsetWidth;
    const ht = h.offsetHeight;
    h.style.left = `${Math.max(4, Math.min(clientX, window.innerWidth - w - 8))}px`;
    h.style.top = `${Math.max(4, Math.min(clientY, window.innerHeight - ht - 8))}px`;
    h.querySelector('button')?.focus();
  }

  close(): void {
    this.host.hidden = true;
  }
}
