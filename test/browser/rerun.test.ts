// After a click-to-break, how long until the page has re-run the scenario (issue 17 item 5), for every
// shipped scenario: recorded in test-artifacts/ui-rerun.json, never asserted (wall-clock figures on a
// shared machine). What is asserted: the re-run finished, with a new traceHash, and the page threw nothing.
import { readdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, open, ROOT, startHarness, traceHash, type Harness } from './harness.ts';

const NAMES = readdirSync(`${ROOT}scenarios`).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort();
/** Every shipped scenario has master-1's apiserver; killing it changes every run. */
const TARGET = 'master-1/kube-apiserver';

let h: Harness;
const rerunMs: Record<string, number> = {};
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
  const times = Object.values(rerunMs).sort((a, b) => a - b);
  const summary = times.length === 0 ? {} : {
    scenarios: times.length,
    medianMs: times[Math.floor(times.length / 2)],
    maxMs: times[times.length - 1],
    overOneSecond: Object.entries(rerunMs).filter(([, ms]) => ms > 1000).map(([name]) => name),
  };
  writeFileSync(`${ARTIFACTS}/ui-rerun.json`, `${JSON.stringify({ summary, rerunMs }, null, 2)}\n`);
});

describe('click-to-break re-runs every shipped scenario (times go to ui-rerun.json)', () => {
  it('finds the shipped scenarios', () => {
    expect(NAMES.length).toBeGreaterThan(20);
  });

  for (const name of NAMES) {
    it(name, async () => {
      const { page, errors } = await open(h, `#scenario=${name}&seed=1&t=5`);
      const before = await traceHash(page);
      await page.click(`[data-process="${TARGET}"]`);
      const t0 = performance.now();
      await page.click('#menu button[data-action=kill]');
      const after = await traceHash(page, before);
      rerunMs[name] = Math.round(performance.now() - t0);
      expect(after).not.toBe(before);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
