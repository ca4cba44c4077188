// Colour swatches in HTML (legend, chips): the same colours as the SVG, patterns done in CSS, always with words.
import { el } from './dom.ts';
import { swatch } from './palette.ts';

export function swatchSpan(key: string): HTMLElement {
  const s = el('span', { class: 'sw', 'data-key': key });
  const fill = swatch(key).fill;
  if (!fill.startsWith('url')) s.style.background = fill;
  return s;
}

const KEYS = ['up', 'leader', 'follower', 'candidate', 'pre-candidate', 'stopping', 'paused', 'backoff', 'down', 'off', 'notready', 'hang', 'notsim'];

export function renderLegend(host: HTMLElement): void {
  host.replaceChildren(
    ...KEYS.map((k) => el('span', { class: 'item' }, swatchSpan(k), swatch(k).label)),
    el('span', { class: 'item' }, el('span', { class: 'dot' }), 'message in flight (at 2× speed or slower)'),
    el('span', { class: 'item' }, '◆ VIP holder'),
    el('span', { class: 'item' }, '★ raft leader / the Lease names it'),
    el('span', { class: 'item' }, swatchSpan('dual'), 'believes it leads, the Lease names another (stale)'),
    el('span', { class: 'item' }, el('span', { class: 'stale-key' }, '▼'), 'stale leader action'),
    el('span', { class: 'item' }, '⚡ fault'),
  );
}
