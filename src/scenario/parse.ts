// Scenario text (YAML or JSON) → validated Scenario. Browser-safe: no node:fs or node:path here or below.
import { isScalar, parseAllDocuments, parseDocument, visit, type Document } from 'yaml';
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

/**
 * Largest scenario text read, in characters (256 KiB): the biggest shipped scenario is a few kB, and YAML's
 * duplicate-key check takes time quadratic in the keys of a mapping (80,000 keys: 48 s; 20,000: about 3 s).
 */
export const MAX_SCENARIO_CHARS = 256 * 1024;
/** Most alias expansions (`*name`) in one YAML file: enough for any real scenario, not for an "alias bomb". */
export const MAX_YAML_ALIASES = 100;
/** Deepest nesting of lists and mappings (the schema's deepest is under 10). */
export const MAX_DEPTH = 64;

/** Depth of nested lists and mappings in parsed data (iterative, so absurd depth cannot overflow the stack). */
function depthOf(data: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[data, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    max = Math.max(max, d + 1);
    if (max > MAX_DEPTH) return max;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

function parseYamlText(text: string, file: string): unknown {
  const docs = parseAllDocuments(text);
  if (Array.isArray(docs) && docs.length > 1) {
    const second = docs[1]!.range[0];
    throw InputError.single(file, `the file holds ${docs.length} YAML documents (the second starts at ${lineCol(text, second)}, after "---"); ` +
      'a scenario file holds one scenario: put each in its own file');
  }
  // yaml's own uniqueKeys check compares every key with every other (80,000 keys took 48 s): checked below instead.
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: false });
  if (doc.errors.length === 0) {
    const dup = firstDuplicateKey(doc);
    if (dup !== null) throw InputError.single(file, `malformed YAML at ${lineCol(text, dup)}: Map keys must be unique`);
  }
  if (doc.errors.length > 0) {
    if (doc.errors.some((e) => /call stack/i.test(e.message))) throw InputError.single(file, `malformed YAML: nested more than ${MAX_DEPTH} levels deep`);
    const issues = doc.errors.slice(0, 10).map((e) => {
      const pos = e.linePos?.[0];
      const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
      const what = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      return { path: '', message: `malformed YAML${where}: ${what}` };
    });
    throw new InputError(file, issues);
  }
  if (doc.contents === null) throw InputError.single(file, EMPTY);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (err) {
    // yaml throws a ReferenceError for too many alias expansions ("resource exhaustion") or an unknown alias.
    const what = /resource exhaustion/i.test((err as Error).message)
      ? `its aliases (*name) expand to too much data (at most ${MAX_YAML_ALIASES} alias expansions)` : firstLine((err as Error).message);
    throw InputError.single(file, `malformed YAML: ${what}`);
  }
  if (depthOf(data) > MAX_DEPTH) throw InputError.single(file, `malformed YAML: nested more than ${MAX_DEPTH} levels deep`);
  return data;
}

/** The offset of the first key that repeats an earlier key of its mapping (one pass, a set per mapping), or null. */
function firstDuplicateKey(doc: Document): number | null {
  let found: number | null = null;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? `s:${String(pair.key.value)}` : `n:${String(pair.key)}`;
        if (seen.has(key)) {
          found = (pair.key as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
          return visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return found;
}

const firstLine = (s: string): string => s.split('\n')[0]!.trim();

/**
 * The data in a scenario text. JSON when the label ends in .json; text that starts with "{" is read as JSON
 * first and, failing that, as YAML (a flow mapping); everything else is YAML.
 */
export function readScenarioData(text: string, file: string): unknown {
  const body = text.replace(/^\uFEFF/, '');
  if (body.length > MAX_SCENARIO_CHARS) {
    throw InputError.single(file, `the text is ${Math.round(body.length / 1024)} KiB; a scenario may be at most ${MAX_SCENARIO_CHARS / 1024} KiB`);
  }
  if (body.trim() === '') throw InputError.single(file, EMPTY);
  const isJsonFile = /\.json$/i.test(file);
  if (isJsonFile || body.trimStart().startsWith('{')) {
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch (err) {
      if (isJsonFile) throw jsonError(body, err as Error, file);
      try {
        return parseYamlText(body, file);
      } catch (yamlErr) {
        // A .yaml file in flow style ({name: t}) is YAML: its YAML error (a duplicate key, say) is the one to show.
        if (/\.ya?ml$/i.test(file) && yamlErr instanceof InputError) throw yamlErr;
        throw jsonError(body, err as Error, file);
      }
    }
    // JSON.parse keeps the last of two equal keys and accepts any depth; YAML refuses both, so JSON does too.
    const found = findJsonSyntaxError(body);
    if (found !== null) {
      const where = found.offset >= 0 ? ` at ${lineCol(body, found.offset)}` : '';
      throw InputError.single(file, `malformed JSON${where}: ${found.message}`);
    }
    return data;
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
