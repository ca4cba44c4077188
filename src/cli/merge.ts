// `hasim merge`: joins the JSON shards of a compare or sweep into one report (SPEC §1).
import { readFileSync } from 'node:fs';
import { renderCompare } from '../study/compare.ts';
import { checkStudy, mergeStudies, type StudyData } from '../study/merge.ts';
import { renderSweep } from '../study/sweep.ts';
import { parse, UsageError } from './args.ts';
import { htmlReport } from './html.ts';
import { OutputSet } from './output.ts';
import { printOut } from './terminal.ts';

function readStudy(path: string): StudyData {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`hasim merge: ${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`hasim merge: ${path}: malformed JSON (${(err as Error).message}).`);
  }
  try {
    return checkStudy(data, path);
  } catch (err) {
    throw new UsageError(`hasim merge: ${(err as Error).message}.`);
  }
}

export function mergeCommand(argv: string[]): number {
  const { values, positionals } = parse('merge', argv, {
    json: { type: 'string' },
    html: { type: 'string' },
    quiet: { type: 'boolean' },
  });
  if (positionals.length === 0) throw new UsageError(`hasim merge: expected one or more shard JSON files. See 'hasim merge --help'.`);
  const outputs = new OutputSet([values.json, values.html]);
  const inputs = positionals.map((label) => ({ label, data: readStudy(label) }));
  let outcome;
  try {
    outcome = mergeStudies(inputs);
  } catch (err) {
    throw new UsageError(`hasim merge: ${(err as Error).message}.`);
  }
  const { result, missing } = outcome;
  if (missing.length > 0) {
    process.stderr.write(`hasim merge: warning: ${missing.length} of ${result.runs} seeds are in no shard (${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}); the report covers the others.\n`);
  }
  outputs.runSync(() => {
    if (values.json !== undefined) outputs.text(values.json, `${JSON.stringify(result)}\n`);
    if (values.html !== undefined) outputs.text(values.html, htmlReport(result));
  });
  if (!values.quiet && values.json !== '-') {
    printOut(`${result.kind === 'compare' ? renderCompare(result) : renderSweep(result)}\n`);
  }
  return 0;
}
