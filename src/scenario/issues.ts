// zod issues → InputIssues: the wording of every schema error, and "unknown field (did you mean …?)".
import type { z } from 'zod';
import { describeValue, formatPath, type InputIssue } from './errors.ts';
import { FAULT_VERBS } from './schema-faults.ts';
import { didYouMean } from './suggest.ts';

type RawIssue = z.core.$ZodRawIssue;

const NOUNS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  tuple: 'a list',
};

function bound(iss: { inclusive?: boolean }, word: 'least' | 'most', limit: unknown, input: unknown): string {
  const relation = iss.inclusive === false ? (word === 'least' ? 'greater than' : 'less than') : `at ${word}`;
  return `must be ${relation} ${String(limit)}, got ${describeValue(input)}`;
}

function entries(n: number): string {
  return `${n} ${n === 1 ? 'entry' : 'entries'}`;
}

/**
 * Per-parse zod error map: messages for the issue kinds the scenario schema produces.
 * Schema-level messages (durations, targets, fractions) take precedence over this map; undefined falls back to zod.
 */
export function scenarioErrorMap(iss: RawIssue): string | undefined {
  const input = iss.input;
  switch (iss.code) {
    case 'invalid_type': {
      const noun = NOUNS[iss.expected] ?? iss.expected;
      return input === undefined ? `required field is missing (expected ${noun})` : `expected ${noun}, got ${describeValue(input)}`;
    }
    case 'invalid_value': {
      const values = iss.values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
      const what = values.length === 1 ? JSON.stringify(iss.values[0]) : `one of ${values.join(', ')}`;
      return `expected ${what}, got ${describeValue(input)}`;
    }
    case 'too_small':
      if (iss.origin === 'array') return `expected at least ${entries(Number(iss.minimum))}`;
      if (iss.origin === 'string') return 'must not be empty';
      return bound(iss, 'least', iss.minimum, input);
    case 'too_big':
      if (iss.origin === 'array') return `expected at most ${entries(Number(iss.maximum))}`;
      return bound(iss, 'most', iss.maximum, input);
    default:
      return undefined;
  }
}

interface Walkable {
  _zod: { def: { type: string; shape?: Record<string, Walkable>; innerType?: Walkable; in?: Walkable; element?: Walkable } };
}

/** The object schema reached by following `path` from `root`, seen through wrappers, pipes and arrays. */
function schemaAt(root: Walkable, path: readonly PropertyKey[]): Walkable | undefined {
  let node: Walkable | undefined = root;
  let i = 0;
  while (node) {
    const def: Walkable['_zod']['def'] = node._zod.def;
    if (def.innerType) {
      node = def.innerType; // optional, default, prefault, …
    } else if (def.type === 'pipe') {
      node = def.in; // transforms: the input side holds the shape
    } else if (i === path.length) {
      return node;
    } else if (def.type === 'array' && typeof path[i] === 'number') {
      node = def.element;
      i++;
    } else if (def.type === 'object' && def.shape) {
      node = def.shape[String(path[i])];
      i++;
    } else {
      return undefined;
    }
  }
  return undefined;
}

function unknownKeyMessage(key: string, known: string[], isFault: boolean): string {
  if (isFault && !known.includes(key)) {
    const fields = known.filter((k) => !(FAULT_VERBS as readonly string[]).includes(k));
    return `unknown verb or field "${key}"${didYouMean(key, known)}; verbs: ${FAULT_VERBS.join(', ')}; fields: ${fields.join(', ')}`;
  }
  const hint = didYouMean(key, known);
  return `unknown field${hint || (known.length ? ` (expected one of: ${known.join(', ')})` : '')}`;
}

/** One InputIssue per problem; an unrecognized-keys issue becomes one issue per unknown key, at that key's path. */
export function toInputIssues(issues: readonly z.core.$ZodIssue[], root: Walkable): InputIssue[] {
  const out: InputIssue[] = [];
  // An unknown key in a fault ("kil: x") already says what is wrong; "expected exactly one verb, got none" adds noise.
  const withUnknownKeys = new Set(issues.filter((i) => i.code === 'unrecognized_keys').map((i) => formatPath(i.path)));
  for (const iss of issues) {
    if (iss.code === 'custom' && withUnknownKeys.has(formatPath(iss.path)) && iss.message.startsWith('expected exactly one')) continue;
    if (iss.code !== 'unrecognized_keys') {
      out.push({ path: formatPath(iss.path), message: iss.message });
      continue;
    }
    const shape = schemaAt(root, iss.path)?._zod.def.shape ?? {};
    const known = Object.keys(shape);
    const isFault = known.includes('kill') && known.includes('at');
    for (const key of iss.keys) {
      out.push({ path: formatPath([...iss.path, key]), message: unknownKeyMessage(key, known, isFault) });
    }
  }
  return out;
}
