// What the screen says is true (issue 20), in real Chromium: the status line agrees with the strips,
// the Lease holder is the one the Lease names, and playback and timeline fit a projector's screen.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, open, ROOT, startHarness, traceHash, type Harness } from './harness.ts';

/** Screenshots of this file land here (the folder is printed by the test and named in the README). */
const SHOTS = `${ARTIFACTS}/issue-20`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await h?.close();
});

/** The tooltip the timeline shows when the pointer rests on the cursor line in the row labelled `label`. */
async function hoverAtCursor(page: Page, label: string): Promise<string> {
  // As a user would, scroll the row into view first (the "What happened" list above the timeline grows with the run).
  await page.locator('#timeline svg.timeline text.main', { hasText: new RegExp(`^${label}$`) }).first().scrollIntoViewIfNeeded();
  const cursor = await page.locator('#timeline .tl-cursor').boundingBox();
  const row = await page.locator('#timeline svg.timeline text.main', { hasText: new RegExp(`^${label}$`) }).first().boundingBox();
  expect(cursor).not.toBeNull();
  expect(row).not.toBeNull();
  await page.mouse.move(cursor!.x + cursor!.width / 2, row!.y + row!.height / 2);
  await page.waitForSelector('#tooltip:not([hidden])');
  return (await page.textContent('#tooltip')) ?? '';
}

const chip = (page: Page, label: string) => page.locator(`[data-testid=status-line] [data-chip="${label}"]`);

describe('what the screen says is true', () => {
  it('kill-etcd-leader at 31 s: the status line and the write strip agree (the writes sent now wait)', async () => {
    const { page, errors } = await open(h, '#scenario=kill-etcd-leader&seed=1&t=31');
    await traceHash(page);
    await expect.poll(() => chip(page, 'etcd leader').getAttribute('data-key')).toBe('none');
    const writes = chip(page, 'API writes');
    expect(await writes.getAttribute('data-key')).toBe('hang');
    expect(await writes.textContent()).toMatch(/NO ANSWER/);
    const hover = await hoverAtCursor(page, 'API writes');
    expect(hover).toMatch(/waited for an answer/);
    // The client box says the same as the chip.
    expect(await page.textContent('[data-machine=client]')).toMatch(/API writes: NO ANSWER/);
    await page.screenshot({ path: `${SHOTS}/kill-etcd-leader-31s.png` });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('paused-lease-holder at 70 s: only master-3\'s scheduler is marked as the Lease holder; master-1 is stale', async () => {
    const { page, errors } = await open(h, '#scenario=paused-lease-holder&seed=1&t=70');
    await traceHash(page);
    const pills = async () => page.$$eval('[data-process$="/kube-scheduler"]', (els) => els.map((e) => [e.getAttribute('data-process') ?? '', e.querySelector('text.pstate')?.textContent ?? '']));
    await expect.poll(async () => (await pills()).filter(([, s]) => s.includes('Lease holder')).map(([id]) => id)).toEqual(['master-3/kube-scheduler']);
    const m1 = (await pills()).find(([id]) => id === 'master-1/kube-scheduler')!;
    expect(m1[1]).toMatch(/stale/);
    expect(await chip(page, 'kube-scheduler Lease').textContent()).toMatch(/master-3 — master-1 also believes it leads \(stale\)/);
    // The stale actions are on the timeline, one mark each.
    expect(await page.locator('#timeline [data-testid=stale-mark]').count()).toBe(10);
    await page.screenshot({ path: `${SHOTS}/paused-lease-holder-70s.png` });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the compare view keeps its playback bar and warns when the leaders start on different machines', async () => {
    const { page, errors } = await open(h, '#scenario=master-power-off&seed=1&compare=1&t=40');
    await page.waitForSelector('[data-testid=compare-external] [data-process]');
    await expect.poll(() => page.textContent('[data-testid=placement-warning]'), { timeout: 30_000 }).toMatch(/kube-scheduler: master-1 in stacked, master-3 in external/);
    expect(await page.locator('#playback').isVisible()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/compare-view-master-power-off.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  for (const [width, height] of [[1280, 720], [1920, 1080]] as const) {
    it(`at ${width}×${height} the playback bar and the top of the timeline are on screen together`, async () => {
      const page = await h.browser.newPage({ viewport: { width, height } });
      await page.goto(`${h.base}#scenario=kill-etcd-leader&seed=1&t=31`);
      await traceHash(page);
      await page.screenshot({ path: `${SHOTS}/projector-${width}x${height}.png` });
      const playback = (await page.locator('#playback').boundingBox())!;
      const timeline = (await page.locator('#timeline').boundingBox())!;
      expect(playback.y).toBeGreaterThanOrEqual(0);
      expect(playback.y + playback.height).toBeLessThanOrEqual(height);
      // The axis and the availability strips (about 110 px) show below the playback bar.
      expect(timeline.y + 110).toBeLessThanOrEqual(height);
      await page.close();
    });
  }

  it('the compare report leads with the answer, and each legend colour equals its marks\' colour', async () => {
    const file = `${SHOTS}/compare-kill-scheduler-leader.html`;
    execFileSync(process.execPath, [`${ROOT}bin/hasim.mjs`, 'compare', `${ROOT}scenarios/kill-scheduler-leader.yaml`, '--runs', '3', '--workers', '1', '--quiet', '--html', file], { stdio: 'pipe' });
    const page = await h.browser.newPage({ viewport: { width: 1300, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${file}`);
    await page.waitForSelector('#charts svg');
    // The answer comes before the charts.
    const order = await page.evaluate(() => {
      const lead = document.querySelector('[data-testid=summary-table]')!;
      const charts = document.getElementById('charts')!;
      return lead.compareDocumentPosition(charts) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    expect(order).toBeTruthy();
    expect(await page.textContent('[data-testid=verdict]')).toMatch(/^Answer: /);
    const pairs = await page.$$eval('#charts svg', (svgs) => svgs.flatMap((svg) => [...svg.querySelectorAll('.legend [data-series]')].map((row) => {
      const series = row.getAttribute('data-series')!;
      const key = row.querySelector('rect') ?? row.querySelector('line');
      const legend = key!.getAttribute(key!.tagName === 'rect' ? 'fill' : 'stroke');
      const mark = svg.querySelector(`.marks[data-series="${series}"]`);
      const drawn = mark?.tagName === 'path' ? mark.getAttribute('stroke') : mark?.querySelector('rect')?.getAttribute('fill') ?? mark?.querySelector('path')?.getAttribute('stroke');
      return { chart: svg.getAttribute('data-chart'), series, legend, drawn: drawn ?? null };
    })));
    expect(pairs.length).toBeGreaterThan(0);
    for (const p of pairs) expect(p.drawn, `${p.chart}: ${p.series}`).toBe(p.legend);
    // One colour per topology on the whole page.
    const byTopology = new Map<string, Set<string>>();
    for (const p of pairs) (byTopology.get(p.series) ?? byTopology.set(p.series, new Set()).get(p.series)!).add(p.legend!);
    for (const [t, colours] of byTopology) expect([...colours], t).toHaveLength(1);
    expect(new Set([...byTopology.values()].map((c) => [...c][0])).size).toBe(byTopology.size);
    await page.screenshot({ path: `${SHOTS}/compare-report.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
