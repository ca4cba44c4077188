// Table tests for duration strings: parsing to integer µs, formatting back, and the error messages.
import { describe, expect, it } from 'vitest';
import { formatDuration, MS, parseDuration, parseSignedDuration, S } from '../../src/scenario/duration.ts';

describe('parseDuration', () => {
  const valid: [string, number][] = [
    ['0s', 0],
    ['250us', 250],
    ['250µs', 250],
    ['250μs', 250],
    ['1ms', 1000],
    ['100ms', 100_000],
    ['1000ms', 1_000_000],
    ['1.5ms', 1500],
    ['15s', 15_000_000],
    ['1.5s', 1_500_000],
    ['0.1s', 100_000],
    ['.5s', 500_000],
    ['2m', 120_000_000],
    ['1h', 3_600_000_000],
    ['30d', 2_592_000_000_000],
    ['1m30s', 90_000_000],
    ['1h30m', 5_400_000_000],
    ['2s500ms', 2_500_000],
    ['0.0000004s', 0],
    ['0.0000006s', 1],
    [' 30s ', 30_000_000],
  ];
  it.each(valid)('%s → %i µs', (text, us) => {
    expect(parseDuration(text)).toBe(us);
    expect(Number.isInteger(parseDuration(text))).toBe(true);
  });

  const invalid: [string, string][] = [
    ['', 'expected a duration like "30s", got ""'],
    ['30', 'expected a duration like "30s", got "30"'],
    ['soon', 'expected a duration like "30s", got "soon"'],
    ['5 s', 'expected a duration like "30s", got "5 s"'],
    ['5sec', 'expected a duration like "30s", got "5sec"'],
    ['5y', 'expected a duration like "30s", got "5y"'],
    ['1e3s', 'expected a duration like "30s", got "1e3s"'],
    ['s', 'expected a duration like "30s", got "s"'],
    ['-5s', 'expected a non-negative duration like "30s", got "-5s"'],
    ['99999999999999999d', 'is too large'],
  ];
  it.each(invalid)('rejects %j', (text, message) => {
    expect(() => parseDuration(text)).toThrow(message);
  });
});

describe('parseSignedDuration', () => {
  it('allows a leading minus', () => {
    expect(parseSignedDuration('-5s')).toBe(-5 * S);
    expect(parseSignedDuration('-1.5ms')).toBe(-1500);
    expect(parseSignedDuration('5s')).toBe(5 * S);
  });
  it('still rejects garbage', () => {
    expect(() => parseSignedDuration('--5s')).toThrow('expected a duration like "30s", got "--5s"');
  });
});

describe('formatDuration', () => {
  const table: [number, string][] = [
    [0, '0s'],
    [250, '250us'],
    [1500, '1.5ms'],
    [100 * MS, '100ms'],
    [1_500_000, '1.5s'],
    [15 * S, '15s'],
    [90 * S, '1m30s'],
    [120 * S, '2m'],
    [5_400 * S, '1h30m'],
    [30 * 86_400 * S, '30d'],
    [S + 1, '1.000001s'],
    [-5 * S, '-5s'],
  ];
  it.each(table)('%i µs → %s', (us, text) => {
    expect(formatDuration(us)).toBe(text);
  });
  it('round-trips through parseDuration', () => {
    for (const us of [1, 999, 1000, 1001, 999_999, 1_000_001, 61 * S + 7, 86_400 * S + 1, 2_592_000_000_000]) {
      expect(parseDuration(formatDuration(us))).toBe(us);
    }
  });
});
