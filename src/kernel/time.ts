// Time units, defined once for the whole tree: every time inside the model is an integer number of microseconds.
export const US = 1;
export const MS = 1000;
export const SECOND = 1_000_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Microseconds to seconds, for reports (the only place times become floats). */
export function toSeconds(us: number): number {
  return us / SECOND;
}

/** Compact human form for timelines: "16.582s", "2m03.5s". */
export function fmtTime(us: number): string {
  const s = us / SECOND;
  if (s < 60) return `${round3(s)}s`;
  const m = Math.floor(s / 60);
  const rest = s - m * 60;
  if (m < 60) return `${m}m${rest < 10 ? '0' : ''}${round3(rest)}s`;
  const h = Math.floor(m / 60);
  return `${h}h${String(m % 60).padStart(2, '0')}m${rest < 10 ? '0' : ''}${round3(rest)}s`;
}

function round3(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}
