// Scenario text (YAML or JSON) → validated Scenario. Browser-safe: no node:fs or node:path here or below.
import { parseAllDocuments, parseDocument } from 'yaml';
import { describeValue, InputError } from './errors.ts';
import { scenarioErrorMap, toInputIssues } from './issues.ts';
import { findJsonSyntaxError } from './json.ts';
import { ScenarioSchema, type Scenario } from './schema.ts';
import { annotateSets, applySets } from './sets.ts';

export interface ParseOptions {
  /** `--set path=value` overrides, applied in order before validation. */
  sets?: readonly string[];
}

const EMPTY = 'the file is empty; expected a scenario (a mapping with name, duration, cluster, faults, …)';

/** Line and column (1-based) of a character offset. */
function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1]!.length + 1}`;
}

function jsonError(text: string, err: Error, file: string): InputError {
  const found = findJsonSyntaxError(text);
  if (found === null || found.offset < 0) {
    return InputError.single(file, `malformed JSON: ${err.message.split('\n')[0]}`);
  }
  return InputError.single(file, `malformed JSON at ${lineCol(text, found.offset)}: ${found.message}`);
}

function parseYamlText(text: string, file: string): unknown {
  const docs = parseAllDocuments(text);
  if (Array.isArray(docs) && docs.length > 1) {
    const second = docs[1]!.range[0];
    throw InputError.single(file, `the file holds ${docs.length} YAML documents (the second starts at ${lineCol(text, second)}, after "---"); ` +
      'a scenario file holds one scenario: put each in its own file');
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
      const what = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      return { path: '', message: `malformed YAML${where}: ${what}` };
    });
    throw new InputError(file, issues);
  }
  if (doc.contents === null) throw InputError.single(file, EMPTY);
  return doc.toJS({ maxAliasCount: 1000 });
}

/**
 * The data in a scenario text. JSON when the label ends in .json; text that starts with "{" is read as JSON
 * first and, failing that, as YAML (a flow mapping); everything else is YAML.
 */
export function readScenarioData(text: string, file: string): unknown {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw InputError.single(file, EMPTY);
  const isJsonFile = /\.json$/i.test(file);
  if (isJsonFile || body.trimStart().startsWith('{')) {
    try {
      return JSON.parse(body);
    } catch (err) {
      if (isJsonFile) throw jsonError(body, err as Error, file);
      try {
        return parseYamlText(body, file);
      } catch {
        throw jsonError(body, err as Error, file);
      }
    }
  }
  return parseYamlText(body, file);
}

/** Validate already-parsed scenario data (after optional --set overrides). Throws InputError. */
export function validateScenario(raw: unknown, file: string, opts: ParseOptions = {}): Scenario {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw InputError.single(file, `expected a mapping at the top level (name: …, duration: …), got ${describeValue(raw)}`);
  }
  const sets = opts.sets ?? [];
  const data = sets.length > 0 ? applySets(raw, sets, file) : raw;
  const result = ScenarioSchema.safeParse(data, { reportInput: true, error: scenarioErrorMap });
  if (result.success) return result.data;
  throw new InputError(file, annotateSets(toInputIssues(result.error.issues, ScenarioSchema), sets));
}

/** Parse and validate the text of a scenario file; `fileLabel` names it in messages. Throws InputError. */
export function parseScenarioText(text: string, fileLabel: string, opts: ParseOptions = {}): Scenario {
  return validateScenario(readScenarioData(text, fileLabel), fileLabel, opts);
}
