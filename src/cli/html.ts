// --html for compare, sweep and merge: the self-contained page, with d3 read from node_modules.
import { readFileSync } from 'node:fs';
import type { CompareResult } from '../study/compare.ts';
import { renderHtml } from '../study/html.ts';
import { loadScenarioFile } from '../scenario/load.ts';
import { CLIENT } from './html-client.ts';
import { studyLead } from './html-summary.ts';
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

/** The scenario's own description, for the page's lead; none when the file is gone (a merge of old results). */
function descriptionOf(file: string): string {
  try {
    return loadScenarioFile(file).description;
  } catch {
    return '';
  }
}

/**
 * The page: the lead (scenario, options, summary table and verdict) first, then the charts the client
 * script draws (one chart function per kind in html-client.ts; a new chart is a new function there and
 * its data in study/html.ts chartData).
 */
/** The self-contained page of a study result. */
export function htmlReport(result: CompareResult | SweepResult): string {
  return renderHtml(result, d3Bundle(), CLIENT, studyLead(result, descriptionOf(result.file)));
}

export function writeHtmlReport(path: string, result: CompareResult | SweepResult): void {
  writeOutputFile(path, htmlReport(result));
}
