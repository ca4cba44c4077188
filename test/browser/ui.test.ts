// The web UI in real headless Chromium: play a scenario, match the CLI's traceHash, break things, share, compare.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/cluster/run.ts';
import { parseScenarioText } from '../../src/scenario/index.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import { buildScenario, type RunSource } from '../../web/src/config.ts';
import { decodeHash } from '../../web/src/url.ts';
import { ARTIFACTS, open, ROOT, startHarness, tableRows, traceHash, type Harness } from './harness.ts';
import { SYNTHETIC_SCENARIO, syntheticObservations } from './synthetic.ts';

// kill-etcd-leader needs the etcd model (it landed); baseline is the fallback of a checkout without it.
const NAME = existsSync(`${ROOT}scenarios/kill-etcd-leader.yaml`) ? 'kill-etcd-leader' : 'baseline';
const FILE = `${ROOT}scenarios/${NAME}.yaml`;
const TEXT = readFileSync(FILE, 'utf8');

function cliHash(src: Partial<RunSource>): string | null {
  const { scenario, seed } = buildScenario({ text: TEXT, label: FILE, seed: null, topology: null, sets: [], faults: [], ...src });
  return runScenario(scenario, { seed }).report.traceHash;
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe(`web UI (${NAME})`, () => {
  it('plays to the end with the CLI traceHash, and shows the etcd leader change', async () => {
    const { page, errors } = await open(h, `#scenario=${NAME}&seed=1`);
    await page.waitForSelector('[data-process]');
    // Key presses may land while the page is still settling (a loaded CI machine dropped some):
    // press until the speed reads 1000×, as a user would.
    const speed = () => page.textContent('[data-testid=speed]');
    for (let i = 0; i < 40 && (await speed()) !== '1000× speed'; i++) {
      await page.keyboard.press('+');
      await page.waitForTimeout(50);
    }
    expect(await speed()).toBe('1000× speed');
    await page.keyboard.press(' ');
    await page.waitForFunction(() => /^t = (.+) of \1$/.test(document.querySelector('[data-testid=time]')?.textContent ?? ''), null, { timeout: 30_000 });
    const hash = await traceHash(page);
    const cli = runScenario(loadScenarioFile(FILE), { seed: 1 }).report;
    expect(hash).toBe(cli.traceHash);
    const leaders = await tableRows(page, '#report [data-testid=leaders-table]');
    for (const [group, stats] of Object.entries(cli.leaders)) expect(leaders[group]?.[0]).toBe(String(stats.changes));
    // downtime by cause and mechanism: one row per attribution row of the CLI report, plus the header
    expect(cli.attribution.length).toBeGreaterThan(0);
    expect(await page.$$eval('#report [data-testid=attribution-table] tr', (rows) => rows.length)).toBe(cli.attribution.length + 1);
    if (NAME === 'kill-etcd-leader') {
      expect(Number(leaders['etcd']![0])).toBeGreaterThanOrEqual(1);
      expect(new Set(leaders['etcd']![5]!.split(', ')).size).toBeGreaterThanOrEqual(2);
    }
    await page.screenshot({ path: `${ARTIFACTS}/ui-${NAME}-end.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('click-to-kill changes the outcome; the link and the exported YAML reproduce it', async () => {
    const { page, errors } = await open(h, `#scenario=${NAME}&t=10`);
    const before = await traceHash(page);
    expect(before).toBe(cliHash({}));
    await page.click('[data-process="master-2/etcd"]');
    await page.click('#menu button[data-action=kill]');
    const after = await traceHash(page, before);
    expect(after).not.toBe(before);
    const { state } = decodeHash(new URL(page.url()).hash, NAME);
    expect(state.cfg.faults).toEqual([{ at: '10s', kill: 'etcd-2' }]);
    expect(after).toBe(cliHash({ faults: state.cfg.faults }));
    if (NAME === 'kill-etcd-leader') {
      const leaders = await tableRows(page, '#report [data-testid=leaders-table]');
      expect(Number.parseFloat(leaders['etcd']![2]!)).toBeGreaterThan(10); // two of three members down: no quorum for 30 s
    }
    await page.keyboard.press('End');
    await page.screenshot({ path: `${ARTIFACTS}/ui-${NAME}-killed.png`, fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-yaml]')]);
    const exported = parseScenarioText(readFileSync((await download.path())!, 'utf8'), 'exported.yaml');
    expect(runScenario(exported).report.traceHash).toBe(after);
    await page.click('[data-testid=copy-link]');
    const link = await page.inputValue('[data-testid=share-url]');
    const again = await open(h, new URL(link).hash);
    expect(await traceHash(again.page)).toBe(after);
    expect(again.errors).toEqual([]);
    await again.page.close();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a malformed URL or scenario as text in the page', async () => {
    const { page } = await open(h, `#scenario=${NAME}&seed=x&fault=soon+kill+master-1`);
    await page.waitForSelector('[data-testid=validation-error]');
    expect(await page.textContent('[data-testid=url-error]')).toBe('URL: seed: expected an integer ≥ 0, got "x"');
    expect(await page.textContent('[data-testid=validation-error]')).toContain('.at: expected a duration like "30s", got "soon"');
    const evil = 'name: evil\ndescription: \'<img src=x onerror="window.pwned=1"><b>bold</b>\'\nduration: 5s\n';
    await page.goto(`${h.base}#scenario=evil&text=${Buffer.from(evil).toString('base64url')}`);
    await page.waitForSelector('#about .description');
    expect(await page.textContent('#about .description')).toBe('<img src=x onerror="window.pwned=1"><b>bold</b>');
    expect(await page.evaluate(() => [document.querySelectorAll('#about img, #about b').length, (window as unknown as { pwned?: number }).pwned])).toEqual([0, undefined]);
    await page.goto(`${h.base}#scenario=broken&text=${Buffer.from('name: broken\nduration: [\n').toString('base64url')}`);
    await page.waitForSelector('[data-testid=validation-error]');
    expect(await page.textContent('[data-testid=validation-error]')).toMatch(/^broken \(edited\): malformed YAML at line \d+/);
    await page.screenshot({ path: `${ARTIFACTS}/ui-invalid.png` });
    await page.close();
  });

  it('shows the client-go timing rule next to the field, and reruns with valid overrides', async () => {
    const { page } = await open(h, `#scenario=${NAME}`);
    const before = await traceHash(page);
    const field = '[data-path="params.leaderElection.leaseDuration"]';
    await page.fill(field, '5s');
    await page.press(field, 'Enter');
    expect(await page.textContent('[data-testid="error-params.leaderElection.leaseDuration"]')).toMatch(/must be greater than renewDeadline \(10s\), got 5s/);
    await page.fill('[data-path="params.etcd.electionTimeout"]', '2s');
    await page.press('[data-path="params.etcd.electionTimeout"]', 'Enter');
    const after = await traceHash(page, before);
    expect(after).toBe(cliHash({ sets: ['params.etcd.electionTimeout=2s'] }));
    await page.close();
  });

  it('compares stacked and external side by side', async () => {
    const { page, errors } = await open(h, `#scenario=${NAME}&compare=1&t=31`);
    for (const topology of ['stacked', 'external'] as const) {
      const sel = `[data-testid=compare-${topology}] [data-testid=trace-hash]`;
      await page.waitForSelector(sel, { timeout: 30_000 });
      expect(await page.textContent(sel)).toBe(cliHash({ topology }));
    }
    await page.screenshot({ path: `${ARTIFACTS}/ui-${NAME}-compare.png`, fullPage: true });
    // the cut-set panel: every machine and pair, in a worker of its own
    await page.click('[data-testid=cuts-run]');
    await page.waitForSelector('[data-testid=cuts-external]', { timeout: 180_000 });
    const text = (await page.textContent('[data-testid=cuts-result]')) ?? '';
    expect(text).toContain('etcd quorum: {master-1, master-2} {master-1, master-3} {master-2, master-3}');
    expect(text).toContain('etcd quorum: {etcd-1, etcd-2} {etcd-1, etcd-3} {etcd-2, etcd-3}');
    await page.screenshot({ path: `${ARTIFACTS}/ui-${NAME}-cuts.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);
});

describe('web UI drawing of models still to come (synthetic observations)', () => {
  it('draws leases, LB backends, the VIP, partitions, NotReady nodes, pods and probes', async () => {
    const { page, errors } = await open(h, `#scenario=synthetic-control-plane&text=${Buffer.from(SYNTHETIC_SCENARIO).toString('base64url')}`);
    await traceHash(page);
    const { observations, processes } = syntheticObservations();
    // Replace the run's data by its real etcd trace merged with the synthetic one (dev builds expose the app).
    await page.evaluate(({ extra, ids }) => {
      type Store = import('../../web/src/store.ts').Store;
      const app = (window as unknown as { hasim: { runner: { store: Store } } }).hasim;
      const real = app.runner.store;
      const Store = real.constructor as new () => Store;
      // Keep the real etcd story; the rest of the cluster is synthetic.
      const kept = real.observations.filter((o) => ['etcd', 'fault', 'network', 'machine'].includes(o.kind) || o.subject.endsWith('/etcd'));
      const merged = [...kept, ...extra].sort((a, b) => a.at - b.at);
      const store = new Store();
      store.start(real.scenario!, real.seed, [...real.simulated, ...ids]);
      store.append(merged, real.computedUntil, real.eventsProcessed);
      store.finish(real.report!);
      app.runner.store = store;
    }, { extra: observations, ids: processes });
    await page.click('[data-testid=to-start]');
    for (const [t, shot] of [[20, 'zones'], [47, 'partition']] as const) {
      await page.evaluate((at) => (window as unknown as { hasim: { seek(t: number): void } }).hasim.seek(at), t * 1e6);
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${ARTIFACTS}/ui-synthetic-${shot}.png`, fullPage: true });
    }
    const text = (sel: string) => page.textContent(sel);
    expect(await text('[data-machine=lb-2] .tag')).toBe('◆ VIP');
    expect(await text('[data-machine=lb-1]')).toContain('→ master-1 DOWN');
    expect(await text('[data-machine=worker-2]')).toContain('node NotReady');
    expect(await text('[data-machine=worker-1]')).toContain('pods: 2 running');
    expect(await text('[data-process="master-1/kube-scheduler"]')).toContain('★ Lease holder');
    expect(await page.getAttribute('[data-process="master-3/kube-scheduler"]', 'data-state')).toBe('paused');
    expect(await page.$$eval('.region[data-kind=side] text', (ts) => ts.map((t) => t.textContent))).toEqual(['✂ partition side A', '✂ partition side B (everyone else)']);
    expect(await text('[data-testid=status-line]')).toContain('kube-scheduler Lease: master-1');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('web UI responsiveness', () => {
  it('keeps drawing while playing a 1-hour scenario at 1000× (frame times go to ui-perf.json)', async () => {
    const faults: string[] = [];
    for (let m = 1; m < 60; m += 2) faults.push(`  - { at: ${m}m, kill: "etcd:leader" }`, `  - { at: ${m}m30s, start: "etcd:killed" }`);
    for (let m = 2; m < 60; m += 7) faults.push(`  - { at: ${m}m10s, isolate: "master-${(m % 3) + 1}", for: 40s }`);
    const text = `name: one-hour\nduration: 1h\ncluster: { topology: stacked, masters: 3, workers: 3 }\nfaults:\n${faults.join('\n')}\n`;
    const { page, errors } = await open(h, `#scenario=one-hour&speed=1000&text=${Buffer.from(text).toString('base64url')}`);
    await page.waitForSelector('[data-process]');
    const measure = () => page.evaluate(() => {
      const w = window as unknown as { hasim: { frame(now: number): void }; perf: { js: number[]; long: number[] } };
      const perf: { js: number[]; long: number[] } = (w.perf = { js: [], long: [] });
      const frame = w.hasim.frame.bind(w.hasim);
      w.hasim.frame = (now: number) => {
        const t0 = performance.now();
        frame(now);
        perf.js.push(performance.now() - t0);
      };
      new PerformanceObserver((list) => list.getEntries().forEach((e) => perf.long.push(Math.round(e.duration)))).observe({ type: 'longtask' });
    });
    const playToEnd = async () => {
      await page.click('[data-testid=to-start]');
      await page.keyboard.press(' ');
      await page.waitForFunction(() => /^t = (.+) of \1$/.test(document.querySelector('[data-testid=time]')?.textContent ?? ''), null, { timeout: 60_000 });
      return page.evaluate(() => {
        const p = (window as unknown as { perf: { js: number[]; long: number[] } }).perf;
        const js = [...p.js].sort((a, b) => a - b);
        return { frames: js.length, maxJsMs: Math.round(js[js.length - 1]! * 10) / 10, p95JsMs: Math.round(js[Math.floor(js.length * 0.95)]! * 10) / 10, longTasksMs: p.long };
      });
    };
    // First while the worker still simulates (it shares this machine's cores), then with the run computed.
    await measure();
    const computing = await playToEnd();
    await traceHash(page);
    await measure();
    const computed = await playToEnd();
    writeFileSync(`${ARTIFACTS}/ui-perf.json`, `${JSON.stringify({ computing, computed }, null, 2)}\n`);
    await page.screenshot({ path: `${ARTIFACTS}/ui-one-hour.png`, fullPage: true });
    // Frame times are wall-clock figures: recorded in ui-perf.json and reported, never asserted
    // (a loaded CI machine would make such a test flaky). What is asserted: the page kept drawing
    // frames through a whole hour at 1000× and threw nothing.
    expect(computed.frames).toBeGreaterThan(60);
    expect(computing.frames).toBeGreaterThan(60);
    expect(errors).toEqual([]);
    await page.close();
  });
});
