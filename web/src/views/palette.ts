// Colours, patterns and the words that go with them: every colour in the UI also has a label or a pattern.
import * as d3 from 'd3';

export interface Swatch {
  fill: string;
  /** Text drawn on top of the fill. */
  ink: string;
  /** What the colour means, in words (legends and labels). */
  label: string;
}

export const SWATCHES: Record<string, Swatch> = {
  up: { fill: '#4c9a62', ink: '#fff', label: 'running' },
  down: { fill: 'url(#pat-down)', ink: '#fff', label: 'down' },
  stopping: { fill: '#e08a2c', ink: '#fff', label: 'stopping' },
  paused: { fill: 'url(#pat-paused)', ink: '#222', label: 'paused' },
  backoff: { fill: '#8e5ea8', ink: '#fff', label: 'restarting' },
  leader: { fill: '#c8961a', ink: '#fff', label: 'leader' },
  follower: { fill: '#4c9a62', ink: '#fff', label: 'follower' },
  candidate: { fill: '#3d7fc1', ink: '#fff', label: 'candidate' },
  'pre-candidate': { fill: '#7fb0dd', ink: '#102a43', label: 'pre-vote' },
  notsim: { fill: 'url(#pat-notsim)', ink: '#777', label: 'not simulated' },
  off: { fill: '#3b3b3b', ink: '#fff', label: 'powered off' },
  ok: { fill: '#4c9a62', ink: '#fff', label: 'ok' },
  fail: { fill: 'url(#pat-down)', ink: '#fff', label: 'failing' },
  none: { fill: 'url(#pat-down)', ink: '#fff', label: 'no leader' },
  dual: { fill: '#e08a2c', ink: '#fff', label: 'two leaders' },
  split: { fill: '#c0392b', ink: '#fff', label: 'network split' },
  ready: { fill: '#4c9a62', ink: '#fff', label: 'Ready' },
  notready: { fill: 'url(#pat-notready)', ink: '#222', label: 'not ready' },
  tainted: { fill: '#8e1f14', ink: '#fff', label: 'NotReady + tainted' },
  starting: { fill: '#b9d7c2', ink: '#1d2733', label: 'starting' },
  short: { fill: '#e08a2c', ink: '#fff', label: 'fewer than desired' },
  extra: { fill: '#7a4fa3', ink: '#fff', label: 'more than desired' },
  hang: { fill: 'url(#pat-hang)', ink: '#fff', label: 'no answer yet' },
  noapi: { fill: 'url(#pat-notready)', ink: '#222', label: 'API unreachable' },
};

export const RED = '#c0392b';
export const HOLDER_COLOURS = ['#2f6fae', '#178a8a', '#7a4fa3', '#a2572a', '#5d7a1f', '#a23b72', '#40617f', '#8a6d00', '#3d3d9e'];

/** A stable colour per member, by the number in its machine name (master-2 → the second colour). */
export function holderColour(id: string): string {
  const n = /-(\d+)/.exec(id);
  return HOLDER_COLOURS[((n ? Number(n[1]) : 0) + HOLDER_COLOURS.length - 1) % HOLDER_COLOURS.length]!;
}

export function swatch(key: string): Swatch {
  return SWATCHES[key] ?? { fill: '#999', ink: '#fff', label: key };
}

/**
 * The hatch patterns the fills refer to, defined once for the whole page in an SVG that is always rendered
 * (patterns inside a hidden SVG would not paint in the visible ones).
 */
export function ensurePatterns(): void {
  if (document.getElementById('hasim-patterns')) return;
  const svg = d3.select(document.body).append('svg').attr('id', 'hasim-patterns').attr('width', 0).attr('height', 0)
    .attr('aria-hidden', 'true').style('position', 'absolute');
  const defs = svg.append('defs');
  const hatch = (id: string, bg: string, fg: string, width: number, angle: number) => {
    const p = defs.append('pattern').attr('id', id).attr('patternUnits', 'userSpaceOnUse')
      .attr('width', 6).attr('height', 6).attr('patternTransform', `rotate(${angle})`);
    p.append('rect').attr('width', 6).attr('height', 6).attr('fill', bg);
    p.append('line').attr('x1', 0).attr('y1', 0).attr('x2', 0).attr('y2', 6).attr('stroke', fg).attr('stroke-width', width);
  };
  hatch('pat-down', '#c0392b', '#8e1f14', 2.5, 45);
  hatch('pat-paused', '#f1c453', '#c99a1c', 2, -45);
  hatch('pat-notsim', '#eeeeee', '#d2d2d2', 1.5, 45);
  hatch('pat-hang', '#e08a2c', '#b3621a', 2.5, 45);
  hatch('pat-notready', '#9fd0ad', '#e08a2c', 2, -45);
  hatch('pat-fault', 'rgba(192,57,43,0.07)', 'rgba(192,57,43,0.22)', 1.5, 45);
}
