// Duration strings of scenario files ("250us", "1.5s", "1m30s", "30d") to integer microseconds and back.
import { z } from 'zod';
import { DAY as D, HOUR as H, MINUTE as M, MS, SECOND as S, US } from '../kernel/time.ts';
import { describeValue } from './errors.ts';


/** The units of duration strings, under their suffixes' names (defined once, in kernel/time.ts). */
export { D, H, M, MS, S, US };

const UNIT_US: Record<string, number> = { us: US, 'µs': US, 'μs': US, ms: MS, s: S, m: M, h: H, d: D };

/** One `<number><unit>` part; a duration is one or more parts, as in Go's time.ParseDuration ("1m30s"). */
const PART_SOURCE = '(\\d+(?:\\.\\d*)?|\\.\\d+)(us|µs|μs|ms|s|m|h|d)';
const PART = new RegExp(PART_SOURCE, 'y');

/** The JSON Schema patterns of duration strings (kept next to the parser so they cannot drift apart). */
export const DURATION_PATTERN = `^(?:${PART_SOURCE})+$`;
export const SIGNED_DURATION_PATTERN = `^-?(?:${PART_SOURCE})+$`;

function expected(input: string, adjective = ''): Error {
  const what = adjective ? `a ${adjective} duration` : 'a duration';
  return new Error(`expected ${what} like "30s", got ${JSON.stringify(input)}`);
}

/** The unsigned magnitude of `body` in µs, or null when it is not a sequence of `<number><unit>` parts. */
function parseParts(body: string): number | null {
  if (body === '') return null;
  PART.lastIndex = 0;
  let total = 0;
  while (PART.lastIndex < body.length) {
    const match = PART.exec(body);
    if (!match) return null;
    total += Number(match[1]) * UNIT_US[match[2]!]!;
  }
  return Math.round(total);
}

function parseWithSign(input: string, allowNegative: boolean): number {
  const text = input.trim();
  const negative = text.startsWith('-');
  const magnitude = parseParts(negative ? text.slice(1) : text);
  if (magnitude === null) throw expected(input);
  if (!Number.isSafeInteger(magnitude)) {
    throw new Error(`duration ${JSON.stringify(input)} is too large (at most about 104249d, the longest time hasim counts in whole microseconds)`);
  }
  if (negative && !allowNegative) throw expected(input, 'non-negative');
  return negative ? -magnitude : magnitude;
}

/** "1.5s" → 1500000. Throws an Error with a user-facing message for anything else. */
export function parseDuration(s: string): number {
  return parseWithSign(s, false);
}

/** Like parseDuration but a leading minus is allowed ("-5s" → -5000000), for clock offsets. */
export function parseSignedDuration(s: string): number {
  return parseWithSign(s, true);
}

/** Compact human form that parseDuration reads back exactly: 1500000 → "1.5s", 5400000000 → "1h30m". */
export function formatDuration(us: number): string {
  if (!Number.isSafeInteger(us)) throw new Error(`formatDuration: not an integer number of µs: ${us}`);
  if (us < 0) return `-${formatDuration(-us)}`;
  if (us === 0) return '0s';
  if (us < MS) return `${us}us`;
  if (us < S) return `${decimal(us, MS)}ms`;
  let rest = us;
  let out = '';
  for (const [unit, size] of [['d', D], ['h', H], ['m', M]] as const) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  if (rest > 0) out += `${decimal(rest, S)}s`;
  return out;
}

/** `value / unit` written without floating-point noise ("1.5", "0.000001"). */
function decimal(value: number, unit: number): string {
  const whole = Math.floor(value / unit);
  const frac = value % unit;
  if (frac === 0) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(frac).padStart(digits, '0').replace(/0+$/, '')}`;
}

type DurationKind = 'non-negative' | 'positive' | 'signed';

function durationSchema(kind: DurationKind) {
  const adjective = kind === 'positive' ? 'positive ' : '';
  const base = z.string({
    error: (iss) =>
      iss.input === undefined
        ? `required field is missing (expected a ${adjective}duration like "30s")`
        : `expected a ${adjective}duration like "30s", got ${describeValue(iss.input)}`,
  });
  const parsed = base.transform((text, ctx) => {
    try {
      const us = kind === 'signed' ? parseSignedDuration(text) : parseDuration(text);
      if (kind === 'positive' && us <= 0) throw expected(text, 'positive');
      return us;
    } catch (err) {
      const plain = (err as Error).message;
      const message = kind === 'positive' && plain.startsWith('expected') ? expected(text, 'positive').message : plain;
      ctx.issues.push({ code: 'custom', message, input: text });
      return z.NEVER;
    }
  });
  const unitsHelp = 'units us, ms, s, m, h, d; parts may be combined ("1m30s")';
  return parsed.meta({
    description: kind === 'signed' ? `a duration, may be negative ("-5s"); ${unitsHelp}` : `a ${adjective}duration like "30s"; ${unitsHelp}`,
    pattern: kind === 'signed' ? SIGNED_DURATION_PATTERN : DURATION_PATTERN,
  });
}

/** A duration string that parses to integer µs (≥ 0). */
export const zDuration = durationSchema('non-negative');
/** A duration string that parses to integer µs (> 0): periods, timeouts and anything a timer repeats on. */
export const zPositiveDuration = durationSchema('positive');
/** Shortest period or timeout a timer may have (1 ms): below it a run simulates millions of events per second. */
export const MIN_TIMER_US = 1000;
/** A positive duration of at least 1 ms: every period and timeout of the model. */
export const zTimer = zPositiveDuration.refine((us) => us >= MIN_TIMER_US, {
  error: (iss) => `expected at least 1ms (a timer below a millisecond makes the run simulate millions of events per simulated second), got ${formatDuration(iss.input as number)}`,
});
/** A duration string that may be negative ("-5s"): clock offsets. */
export const zSignedDuration = durationSchema('signed');
