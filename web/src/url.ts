// The URL hash that reproduces a run frame for frame: scenario (or its text), seed, topology, --set, added faults, time.
import { defaultConfig, faultText, parseFaultText, type RunConfig } from './config.ts';

export interface UrlState {
  cfg: RunConfig;
  /** Cursor time in µs, or null. */
  t: number | null;
  speed: number | null;
  compare: boolean;
  /** Tour mode at this step (0-based; `tour=<n>` from 1 in the URL), or null. */
  tour?: number | null;
}

export interface Decoded {
  state: UrlState;
  /** What could not be read, one user-facing sentence each (the rest of the URL still applies). */
  errors: string[];
}

/** UTF-8 text → base64url (scenario text in the URL). */
export function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(b64: string): string {
  const bin = atob(b64.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** `#scenario=…&seed=…&topology=…&set=…&fault=…&t=…` (keys in a fixed order, so equal runs give equal URLs). */
export function encodeHash(s: UrlState): string {
  const p = new URLSearchParams();
  const { cfg } = s;
  p.set('scenario', cfg.scenario);
  if (cfg.text !== null) p.set('text', toBase64Url(cfg.text));
  if (cfg.seed !== null) p.set('seed', String(cfg.seed));
  if (cfg.topology !== null) p.set('topology', cfg.topology);
  for (const set of cfg.sets) p.append('set', set);
  for (const f of cfg.faults) p.append('fault', faultText(f));
  if (s.t !== null) p.set('t', String(Math.round(s.t / 1000) / 1000));
  if (s.speed !== null) p.set('speed', String(s.speed));
  if (s.compare) p.set('compare', '1');
  if (s.tour !== undefined && s.tour !== null) p.set('tour', String(s.tour + 1));
  return `#${p.toString()}`;
}

const KNOWN = new Set(['scenario', 'text', 'seed', 'topology', 'set', 'fault', 't', 'speed', 'compare', 'tour']);

/** Read a hash; `fallback` names the scenario when the URL names none. Never throws. */
export function decodeHash(hash: string, fallback: string): Decoded {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const errors: string[] = [];
  const cfg = defaultConfig(p.get('scenario') || fallback);
  const text = p.get('text');
  if (text !== null) {
    try {
      cfg.text = fromBase64Url(text);
    } catch {
      errors.push('URL: text: expected the scenario text in base64url, got something that does not decode');
    }
  }
  const seed = p.get('seed');
  if (seed !== null) {
    if (/^\d+$/.test(seed) && Number.isSafeInteger(Number(seed))) cfg.seed = Number(seed);
    else errors.push(`URL: seed: expected an integer ≥ 0, got ${JSON.stringify(seed)}`);
  }
  const topology = p.get('topology');
  if (topology !== null) {
    if (topology === 'stacked' || topology === 'external') cfg.topology = topology;
    else errors.push(`URL: topology: expected stacked or external, got ${JSON.stringify(topology)}`);
  }
  cfg.sets = p.getAll('set');
  p.getAll('fault').forEach((f, i) => {
    try {
      cfg.faults.push(parseFaultText(f));
    } catch (err) {
      errors.push(`URL: fault ${i + 1}: ${(err as Error).message}`);
    }
  });
  const t = numberParam(p, 't', errors);
  const speed = numberParam(p, 'speed', errors);
  const tourText = p.get('tour');
  let tour: number | null = null;
  if (tourText !== null) {
    if (/^[1-9]\d{0,3}$/.test(tourText)) tour = Number(tourText) - 1;
    else errors.push(`URL: tour: expected a step number ≥ 1, got ${JSON.stringify(tourText.slice(0, 40))}`);
  }
  for (const key of new Set(p.keys())) if (!KNOWN.has(key)) errors.push(`URL: unknown parameter "${key}" (ignored)`);
  return { state: { cfg, t: t === null ? null : Math.round(t * 1e6), speed, compare: p.get('compare') === '1', ...(tour === null ? {} : { tour }) }, errors };
}

function numberParam(p: URLSearchParams, key: string, errors: string[]): number | null {
  const v = p.get(key);
  if (v === null) return null;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0) {
    errors.push(`URL: ${key}: expected a number ≥ 0, got ${JSON.stringify(v)}`);
    return null;
  }
  return n;
}
