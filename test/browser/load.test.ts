// Per-apiserver load lanes in real Chromium (issue 19): they render for a load scenario, agree with the report, and stay away otherwise.
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/cluster/run.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import { ARTIFACTS, open, ROOT, startHarness, traceHash, type Harness } from './harness.ts';

const SHOTS = `${ARTIFACTS}/load-lanes`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await h?.close();
});

/** The labels of the load lanes, in drawing order (the rows between the "Apiserver load" section and the next section). */
async function loadLaneLabels(page: Page): Promise<string[]> {
  return page.$$eval('#timeline svg.timeline .labels text.main', (els) => {
    const out: string[] = [];
    let inside = false;
    for (const e of els) {
      if (e.classList.contains('section')) inside = e.textContent === 'Apiserver load';
      else if (inside && e.classList.contains('load')) out.push(e.textContent ?? '');
    }
    return out;
  });
}

/** The tooltip when the pointer rests at pixel x of the load lane labelled `label`. */
async function hoverLoad(page: Page, label: string, x: number): Promise<string> {
  const row = page.locator('#timeline svg.timeline text.main.load', { hasText: new RegExp(`^${label}$`) });
  await row.scrollIntoViewIfNeeded();
  const box = (await row.boundingBox())!;
  await page.mouse.move(x, box.y + box.height / 2);
  await page.waitForSelector('#tooltip:not([hidden])');
  return (await page.textContent('#tooltip')) ?? '';
}

describe('apiserver load lanes', () => {
  it('n-plus-one: one lane per apiserver; the red 429 caps sit on the survivor the report names, and hovers say what the numbers are', async () => {
    const { page, errors } = await open(h, '#scenario=n-plus-one&seed=1&t=100');
    const hash = await traceHash(page);
    const cli = runScenario(loadScenarioFile(`${ROOT}scenarios/n-plus-one.yaml`), { seed: 1 }).report;
    expect(hash).toBe(cli.traceHash);
    expect(await loadLaneLabels(page)).toEqual(['master-1', 'master-2', 'master-3']);
    // 120 s at one sample per 5 s: 24 of each survivor, 11 of master-1 (it stops at 60 s, just before its twelfth).
    expect(await page.locator('[data-testid=load-bar]').count()).toBe(11 + 24 + 24);
    // 429s: the report puts them all on master-2 after the fault; so do the lanes.
    const after = cli.load!.phases.find((p) => p.name === 'after')!;
    const rejecting = after.apiservers.filter((a) => a.rejected429 > 0).map((a) => a.name.split('/')[0]);
    expect(rejecting).toEqual(['master-2']);
    const caps = await page.$$eval('[data-testid=load-429]', (els) => els.map((e) => Number(e.getAttribute('y'))));
    expect(caps.length).toBeGreaterThan(0);
    const m2 = (await page.locator('#timeline svg.timeline text.main.load', { hasText: /^master-2$/ }).boundingBox())!;
    const svgTop = (await page.locator('#timeline svg.timeline').boundingBox())!.y;
    for (const y of caps) expect(Math.abs(svgTop + y - (m2.y + m2.height / 2))).toBeLessThan(20);
    // The cursor is at 100 s, inside a saturated period of master-2 with 429s.
    const cursor = (await page.locator('#timeline .tl-cursor').boundingBox())!;
    const hover = await hoverLoad(page, 'master-2', cursor.x + 1);
    expect(hover).toMatch(/^master-2 kube-apiserver CPU 100% of the machine's cores from 1m40s to 1m45s; at 1m45s: \d+ requests executing in APF seats, \d+ waiting in APF queues; in the period it answered \d+ requests and rejected [1-9]\d* with 429/);
    expect(await hoverLoad(page, 'master-1', cursor.x + 1)).toMatch(/^master-1 kube-apiserver from 1m00s: down: no load samples/);
    // The apiserver pills say the same as the lanes at the cursor.
    const pill = (id: string) => page.textContent(`[data-process="${id}"] text.pstate`);
    expect(await pill('master-2/kube-apiserver')).toBe('CPU 100% · 429s');
    expect(await pill('master-3/kube-apiserver')).toMatch(/^CPU \d+%$/);
    expect(await pill('master-1/kube-apiserver')).toBe('down');
    // The report shows the load section hasim run prints: its N+1 answer and the 429s per apiserver.
    expect(await page.textContent('[data-testid=load-verdict]')).toMatch(/: no$/);
    const m2after = await page.$$eval('[data-testid=load-servers-after] tbody tr', (trs) => trs.map((tr) => [...(tr as HTMLTableRowElement).cells].map((c) => c.textContent)));
    expect(m2after.map((r) => [r[0], r[5]])).toEqual(after.apiservers.map((a) => [a.name, String(a.rejected429)]));
    await page.screenshot({ path: `${SHOTS}/n-plus-one-100s.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a scenario without load has no load lanes', async () => {
    const { page, errors } = await open(h, '#scenario=kill-etcd-leader&seed=1&t=10');
    await traceHash(page);
    expect(await page.locator('#timeline svg.timeline text.section', { hasText: 'Apiserver load' }).count()).toBe(0);
    expect(await page.locator('[data-testid=load-bar]').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
