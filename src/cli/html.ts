// --html for compare, sweep and merge: the self-contained page, with d3 read from node_modules.
import { readFileSync } from 'node:fs';
import type { CompareResult } from '../study/compare.ts';
import { renderHtml } from '../study/html.ts';
import { CLIENT } from './html-client.ts';
import type { SweepResult } from '../study/sweep.ts';
import { UsageError } from './args.ts';
import { writeOutputFile } from './output.ts';

function d3Bundle(): string {
  try {
    return readFileSync(new URL('../../node_modules/d3/dist/d3.min.js', import.meta.url), 'utf8');
  } catch (err) {
    throw new UsageError(`hasim: --html needs the d3 package (node_modules/d3/dist/d3.min.js): ${(err as Error).message}`);
  }
}

/** The self-contained page of a study result. */
export function htmlReport(result: CompareResult | SweepResult): string {
  return renderHtml(result, d3Bundle(), CLIENT);
}

export function writeHtmlReport(path: string, result: CompareResult | SweepResult): void {
  writeOutputFile(path, htmlReport(result));
}
