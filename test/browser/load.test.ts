// Per-apiserver load lanes in real Chromium (issue 19): they render for a load scenario, agree with the report, and stay away otherwise.
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/cluster/run.ts';
import { fmtTime } from '../../src/kernel/time.ts';
import { renderLoad } from '../../src/report/load.ts';
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
    const { report: cli, run } = runScenario(loadScenarioFile(`${ROOT}scenarios/n-plus-one.yaml`), { seed: 1 });
    expect(hash).toBe(cli.traceHash);
    const samples = run.sim.trace.observations.flatMap((o) => (o.kind === 'apiserver-load' ? [o] : []));
    expect(await loadLaneLabels(page)).toEqual(['master-1', 'master-2', 'master-3']);
    // One bar per sample (at 1600 px each 5 s sample is many pixels wide).
    expect(await page.locator('[data-testid=load-bar]').count()).toBe(samples.length);
    // 429s: the report puts them all on master-2 after the fault; so do the lanes.
    const after = cli.load!.phases.find((p) => p.name === 'after')!;
    const rejecting = after.apiservers.filter((a) => a.rejected429 > 0).map((a) => a.name.split('/')[0]);
    expect(rejecting).toEqual(['master-2']);
    // Every cap sits on a lane whose apiserver sent 429s in that run (the first seconds' "storage is
    // (re)initializing" 429s of the load clients' LISTs are on every master; after the fault only master-2).
    const caps = await page.$$eval('[data-testid=load-429]', (els) => els.map((e) => Number(e.getAttribute('y'))));
    expect(caps.length).toBeGreaterThan(0);
    const svgTop = (await page.locator('#timeline svg.timeline').boundingBox())!.y;
    const laneY = new Map<string, number>();
    for (const m of ['master-1', 'master-2', 'master-3']) {
      const b = (await page.locator('#timeline svg.timeline text.main.load', { hasText: new RegExp(`^${m}$`) }).boundingBox())!;
      laneY.set(m, b.y + b.height / 2);
    }
    const laneOf = (y: number) => [...laneY].reduce((best, [m, c]) => (Math.abs(svgTop + y - c) < Math.abs(svgTop + y - laneY.get(best)!) ? m : best), 'master-1');
    const sentAny = new Set(samples.filter((o) => o.detail.rejected > 0).map((o) => o.subject.split('/')[0]!));
    expect(new Set(caps.map(laneOf))).toEqual(sentAny);
    // The cursor is at 100 s: the hover tells master-2's sample of the period 100 s to 105 s, word for word.
    const m2sample = samples.find((o) => o.subject === 'master-2/kube-apiserver' && o.at === 105_000_000)!.detail;
    expect(m2sample.rejected).toBeGreaterThan(0);
    const cursor = (await page.locator('#timeline .tl-cursor').boundingBox())!;
    const hover = await hoverLoad(page, 'master-2', cursor.x + 1);
    expect(hover).toBe(`master-2 kube-apiserver CPU ${Math.round(m2sample.utilisation * 100)}% of the machine's cores from 1m40s to 1m45s; at 1m45s: `
      + `${m2sample.inFlight} requests executing in APF seats, ${m2sample.waiting} waiting in APF queues; `
      + `in the period it answered ${m2sample.served} requests and rejected ${m2sample.rejected} with 429 Too Many Requests.`);
    expect(await hoverLoad(page, 'master-1', cursor.x + 1)).toMatch(/^master-1 kube-apiserver from 1m00s: down: no load samples/);
    // The apiserver pills say the same as the lanes at the cursor.
    const pill = (id: string) => page.textContent(`[data-process="${id}"] text.pstate`);
    expect(await pill('master-2/kube-apiserver')).toBe(`CPU ${Math.round(m2sample.utilisation * 100)}% · 429s`);
    expect(await pill('master-3/kube-apiserver')).toMatch(/^CPU \d+%$/);
    expect(await pill('master-1/kube-apiserver')).toBe('down');
    // "What happened" lists when master-2 began answering 429s after the fault (its first such sample, 5 s long).
    const first = samples.find((o) => o.at > 60_000_000 && o.detail.rejected > 0)!;
    expect(first.subject).toBe('master-2/kube-apiserver');
    expect(await page.textContent('[data-testid=events]')).toContain(
      `master-2/kube-apiserver started answering 429 Too Many Requests: ${first.detail.rejected} in ${fmtTime(first.at - 5_000_000)}–${fmtTime(first.at)}`);
    // The report shows the load section hasim run prints: its N+1 answer and the 429s per apiserver.
    expect(await page.textContent('[data-testid=load-verdict]')).toMatch(/: no$/);
    const m2after = await page.$$eval('[data-testid=load-servers-after] tbody tr', (trs) => trs.map((tr) => [...(tr as HTMLTableRowElement).cells].map((c) => c.textContent)));
    expect(m2after.map((r) => [r[0], r[5]])).toEqual(after.apiservers.map((a) => [a.name, String(a.rejected429)]));
    // Its sentences are the text report's, word for word (report/load.ts renderLoad).
    const text = renderLoad(cli.load!, () => '').map((l) => l.trim()).filter((l) => l !== '');
    for (const id of ['load-phase-before', 'load-phase-after', 'load-end', 'load-verdict']) {
      expect(text).toContain(await page.textContent(`[data-testid=${id}]`));
    }
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
