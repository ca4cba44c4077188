// The study page's lead: verdicts that the 95 % intervals support, p95 intervals, scenario text escaped.
import { describe, expect, it } from 'vitest';
import { studyLead, verdict } from '../../src/cli/html-summary.ts';
import { pointStats } from '../../src/study/html.ts';
import { compareResult, newCompareData } from '../../src/study/compare.ts';
import type { RunRecord } from '../../src/study/record.ts';

const diff = (mean: number, low: number, high: number) => ({ n: 10, mean, sd: 1, se: 1 / Math.sqrt(10), low, high });

describe('study page lead', () => {
  it('calls a side better only when the whole interval is on one side of 0, in the metric\'s direction', () => {
    expect(verdict('availability.apiWrite', 'stacked', 'external', diff(0.01, 0.002, 0.02), 0.9, 0.91).better).toBe('external');
    expect(verdict('downtime.apiWrite.totalSeconds', 'stacked', 'external', diff(2, 1, 3), 1, 3).better).toBe('stacked');
    expect(verdict('downtime.apiWrite.totalSeconds', 'stacked', 'external', diff(2, -1, 3), 1, 3)).toEqual({ text: 'no difference the 95 % CI can show (it includes 0)', better: null });
    expect(verdict('nodes.evictions', 'stacked', 'external', diff(0, 0, 0), 0, 0).text).toBe('all zero in both');
    expect(verdict('nodes.evictions', 'a', 'b', { n: 1, mean: 1, sd: null, se: null, low: null, high: null }, 0, 1).text).toMatch(/too few/);
  });

  it('p95 comes with an order-statistic interval that contains it', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    const s = pointStats(values, 0, 'x');
    expect(s.p95).toBeCloseTo(95.05);
    expect(s.p95Low!).toBeLessThan(95);
    expect(s.p95High!).toBeGreaterThan(95);
    expect(s.meanLow!).toBeLessThan(50.5);
    expect(s.meanHigh!).toBeGreaterThan(50.5);
  });

  it('the lead escapes the scenario text and names the better topology only where the CI says so', () => {
    const rec = (variant: string, seed: number, down: number): RunRecord => ({
      variant, seed, values: { 'availability.apiWrite': 1 - down / 100, 'downtime.apiWrite.totalSeconds': down }, gaps: {}, invariantViolations: 0, truncated: false,
    });
    const records = [1, 2, 3, 4, 5].flatMap((s) => [rec('stacked', s, 10 + s), rec('external', s, 2 + (s % 2))]);
    const result = compareResult(newCompareData({ scenario: 'x', file: 'x.yaml', sets: [], runs: 5, seeds: [1, 2, 3, 4, 5], shard: null, records, topologies: ['stacked', 'external'], notes: [] }));
    const html = studyLead(result, '<script>alert(1)</script>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toMatch(/Answer:<\/b> external is better on API writes available/);
  });
});
