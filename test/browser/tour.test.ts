// Tour mode in real headless Chromium: play kill-etcd-leader's tour start to end, answer wrongly and rightly, share.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { runScenario } from '../../src/cluster/run.ts';
import { resolveTour } from '../../src/check/tour.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import { toBase64Url } from '../../web/src/url.ts';
import { ARTIFACTS, open, ROOT, startHarness, traceHash, type Harness } from './harness.ts';

const NAME = 'kill-etcd-leader';
const SCENARIO = loadScenarioFile(`${ROOT}scenarios/${NAME}.yaml`);
const CLI = runScenario(SCENARIO, { seed: 1 });
const TIMES = resolveTour(SCENARIO.tour, CLI.run.sim.trace.observations, SCENARIO.duration).map((s) => s.at);

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const waitStep = (page: Page, n: number, of = SCENARIO.tour.length) =>
  page.waitForFunction((want) => document.querySelector('[data-testid=tour-step]')?.textContent === want, `Tour: step ${n} of ${of}`, { timeout: 30_000 });
/** A parameter of the page's URL hash (the cursor time `t` in seconds, the tour step `tour`). */
const verdict = (page: Page, want: string) =>
  page.waitForFunction((w) => document.querySelector('[data-testid=tour-verdict]')?.textContent === w, want, { timeout: 10_000 });
const urlParam = (page: Page, key: string) => new URLSearchParams(new URL(page.url()).hash.slice(1)).get(key);

describe(`tour mode (${NAME})`, () => {
  it('plays the tour start to end; answers never change the run', async () => {
    expect(TIMES.every((t) => t !== null)).toBe(true);
    const { page, errors } = await open(h, `#scenario=${NAME}&seed=1`);
    const before = await traceHash(page);
    expect(before).toBe(CLI.report.traceHash);

    await page.click('[data-testid=tour-start]');
    await waitStep(page, 1);
    expect(await page.textContent('[data-testid=tour-text]')).toContain('Raft lets a member lead');
    expect(await page.$$eval('[data-testid=tour-text] em', (e) => e.map((x) => x.textContent))).toEqual(['stacked', 'majority']);
    await page.waitForSelector('.tour-hl');
    expect(await page.$$eval('[data-process].tour-hl', (e) => e.map((x) => x.getAttribute('data-process')).sort())).toEqual(['master-1/etcd', 'master-2/etcd', 'master-3/etcd']);
    expect(urlParam(page, 'tour')).toBe('1');
    await page.screenshot({ path: `${ARTIFACTS}/tour-step-1.png` });

    await page.click('[data-testid=tour-next]');
    await waitStep(page, 2);
    expect(Number(urlParam(page, 't'))).toBeCloseTo(TIMES[1]! / 1e6, 3);
    await page.click('[data-testid=tour-next]');
    await waitStep(page, 3);
    expect(urlParam(page, 'tour')).toBe('3');
    expect(Number(urlParam(page, 't'))).toBeCloseTo(TIMES[2]! / 1e6, 3);
    expect(await page.$('[data-testid=tour-explain]')).toBeNull(); // predict first

    await page.click('[data-testid=tour-choice-1]'); // wrong: "raft needs all three"
    await verdict(page, 'Not quite: the answer is (a).');
    expect(await page.textContent('[data-testid=tour-explain]')).toContain('A quorum is a majority');
    await page.click('[data-testid=tour-choice-0]'); // right
    await verdict(page, 'Right.');
    expect(await page.isVisible('[data-testid=tour-explain]')).toBe(true);
    await page.screenshot({ path: `${ARTIFACTS}/tour-step-3-answered.png` });

    // Play on: playback pauses by itself at the next step's time.
    await page.click('[data-testid=tour-play]');
    await waitStep(page, 4);
    await page.waitForFunction(() => new URLSearchParams(location.hash.slice(1)).get('tour') === '4');
    expect(Number(urlParam(page, 't'))).toBeCloseTo(TIMES[3]! / 1e6, 3);
    await page.waitForSelector('#timeline .labels text.tour-hl');
    expect(await page.$$eval('#timeline .labels text.tour-hl', (e) => e.map((x) => x.textContent))).toEqual(['API writes', 'etcd quorum']);
    await page.screenshot({ path: `${ARTIFACTS}/tour-step-4.png`, fullPage: true });

    await page.click('[data-testid=tour-back]');
    await waitStep(page, 3);
    await verdict(page, 'Right.'); // answers are kept while the tour runs
    await page.click('[data-testid=tour-next]');
    await page.click('[data-testid=tour-next]');
    await waitStep(page, 5);
    expect(await page.isDisabled('[data-testid=tour-next]')).toBe(true);
    expect(await page.textContent('[data-testid=tour-understand]')).toContain('Lesson 1, etcd quorum and leader election');

    // Moving the cursor back by hand takes the tour back; playing on pauses again at the next step.
    await page.keyboard.press('Home');
    await waitStep(page, 1);
    await page.click('[data-testid=tour-play]');
    await waitStep(page, 2);
    expect(Number(urlParam(page, 't'))).toBeCloseTo(TIMES[1]! / 1e6, 3);

    // The run is the one it was: same trace hash in the report, no rerun.
    expect(await page.textContent('#report [data-testid=trace-hash]')).toBe(before);
    await page.click('[data-testid=tour-end]');
    // The panel may be hidden after the click returns (it failed once in CI read at once): wait up to 5 s, then assert.
    await page.waitForSelector('[data-testid=tour-panel]', { state: 'hidden', timeout: 5000 }).catch(() => undefined);
    expect(await page.isHidden('[data-testid=tour-panel]')).toBe(true);
    expect(urlParam(page, 'tour')).toBeNull();
    expect(await page.$('.tour-hl')).toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('a shared URL opens the tour at its step', async () => {
    const { page, errors } = await open(h, `#scenario=${NAME}&seed=1&tour=4`);
    await waitStep(page, 4);
    expect(Number(urlParam(page, 't'))).toBeCloseTo(TIMES[3]! / 1e6, 3);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('the lesson path menu opens a lesson: its scenario, its tour at the first step', async () => {
    const { page, errors } = await open(h, `#scenario=${NAME}&seed=1`);
    await traceHash(page);
    const options = await page.$$eval('[data-testid=lesson-picker] option', (o) => o.map((x) => x.textContent));
    expect(options.slice(1, 3)).toEqual(['1. etcd quorum and leader election', '2. Losing quorum: what still works']);
    expect(options).toContain('7b. Stacked vs external etcd under the same failure (master-power-off-external)');
    await page.selectOption('[data-testid=lesson-picker]', 'master-power-off-external');
    await waitStep(page, 1, loadScenarioFile(`${ROOT}scenarios/master-power-off-external.yaml`).tour.length);
    expect(urlParam(page, 'scenario')).toBe('master-power-off-external');
    expect(await page.textContent('[data-testid=tour-text]')).toContain('External topology');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('tour text is inserted as text, never as HTML', async () => {
    const yaml = `name: markup\nduration: 5s\ncluster: { topology: stacked, masters: 3, workers: 0 }\ntour:\n  - { at: 1s, text: "<img src=x onerror=alert(1)> *em* \`<b>code</b>\`" }\n`;
    const { page, errors } = await open(h, `#scenario=markup&text=${toBase64Url(yaml)}&tour=1`);
    await waitStep(page, 1, 1);
    const html = await page.innerHTML('[data-testid=tour-text]');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(await page.textContent('[data-testid=tour-text]')).toBe('<img src=x onerror=alert(1)> em <b>code</b>');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
