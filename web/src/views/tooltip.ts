// The one hover box of the page: plain sentences, set as text (never HTML).

export class Tooltip {
  constructor(private readonly el: HTMLElement) {}

  show(lines: readonly string[], clientX: number, clientY: number): void {
    const el = this.el;
    if (lines.length === 0) {
      this.hide();
      return;
    }
    el.replaceChildren(...lines.map((line) => {
      const p = document.createElement('div');
      p.textContent = line;
      return p;
    }));
    el.hidden = false;
    const w = el.offsetWidth;
    const h = el.offsetHeight;
    const x = clientX + 14 + w > window.innerWidth ? clientX - w - 10 : clientX + 14;
    const y = clientY + 16 + h > window.innerHeight ? clientY - h - 10 : clientY + 16;
    el.style.left = `${Math.max(4, x)}px`;
    el.style.top = `${Math.max(4, y)}px`;
  }

  hide(): void {
    this.el.hidden = true;
  }
}
