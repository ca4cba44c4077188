// Browser test harness: a vite dev server of web/ on a free port, and Debian's chromium driven by playwright-core.
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ARTIFACTS = `${ROOT}test-artifacts`;
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export interface Harness {
  server: ViteDevServer;
  browser: Browser;
  base: string;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  // CI installs chromium (apt-get install chromium): a missing browser is a failure, not a skip.
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install it with "apt-get install -y --no-install-recommends chromium" (or set CHROMIUM_PATH)`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const server = await createServer({
    configFile: `${ROOT}web/vite.config.ts`,
    logLevel: 'error',
    server: { port: 0, strictPort: false, host: '127.0.0.1', hmr: false },
  });
  await server.listen();
  const { port } = server.httpServer!.address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    server, browser, base: `http://127.0.0.1:${port}/`,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** A page at `hash`; page errors fail the test that reads `errors`. */
export async function open(h: Harness, hash: string): Promise<{ page: Page; errors: string[] }> {
  const page = await h.browser.newPage({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${h.base}${hash}`);
  return { page, errors };
}

/** Wait until the run has finished and the report shows its traceHash; returns it. */
export async function traceHash(page: Page, not?: string): Promise<string> {
  await page.waitForFunction((old) => {
    const el = document.querySelector('#report [data-testid=trace-hash]');
    return el !== null && el.textContent !== old;
  }, not ?? null, { timeout: 30_000 });
  return (await page.textContent('#report [data-testid=trace-hash]'))!;
}

/** The rows of a report table as text cells, keyed by the first cell. */
export async function tableRows(page: Page, selector: string): Promise<Record<string, string[]>> {
  const rows = await page.$$eval(`${selector} tbody tr`, (trs) => trs.map((tr) => [...(tr as HTMLTableRowElement).cells].map((c) => c.textContent ?? '')));
  return Object.fromEntries(rows.map((r) => [r[0]!, r.slice(1)]));
}
