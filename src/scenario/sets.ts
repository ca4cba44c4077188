// `--set path=value` overrides applied to a raw (not yet validated) scenario.
import { parse as parseYaml } from 'yaml';
import { formatPath, InputError, type InputIssue } from './errors.ts';
import { forbiddenSegment, ownValue } from './safe-path.ts';

interface ParsedSet {
  arg: string;
  segments: string[];
  value: unknown;
}

const EXAMPLE = 'e.g. --set params.leaderElection.leaseDuration=30s';

function parseSet(arg: string, fileLabel: string): ParsedSet {
  const fail = (why: string) => InputError.single(fileLabel, `--set ${JSON.stringify(arg)}: ${why}`);
  const eq = arg.indexOf('=');
  if (eq < 0) throw fail(`expected path=value, ${EXAMPLE}`);
  const path = arg.slice(0, eq).trim();
  if (path === '') throw fail(`the path before "=" is empty, ${EXAMPLE}`);
  const segments = path.split('.');
  if (segments.some((s) => s === '')) throw fail(`empty field name in path "${path}"`);
  const forbidden = forbiddenSegment(segments);
  if (forbidden !== null) throw fail(forbidden);
  const text = arg.slice(eq + 1);
  let value: unknown;
  try {
    // A YAML scalar or flow value: 30s → "30s", 5 → 5, true → true, [1, 2] → [1, 2]. Empty means "".
    value = text.trim() === '' ? '' : parseYaml(text);
  } catch (err) {
    throw fail(`the value is not valid YAML (${firstLine((err as Error).message)})`);
  }
  return { arg, segments, value };
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  return typeof v === 'object' && v !== null;
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return 'a string';
  return typeof v === 'object' ? 'a mapping' : `a ${typeof v}`;
}

/** The key to use in `container` for `segment`, or an error text. Lists take indexes 0..length (length appends). */
function keyIn(container: Record<string, unknown> | unknown[], segment: string, where: string): string | number {
  if (!Array.isArray(container)) return segment;
  if (!/^\d+$/.test(segment)) throw new Error(`${where} is a list; expected an index like ${where}.0, got "${segment}"`);
  const index = Number(segment);
  if (index > container.length) {
    throw new Error(`${where} has ${container.length} entries; use an index from 0 to ${container.length} (${container.length} appends)`);
  }
  return index;
}

function setOne(root: Record<string, unknown>, set: ParsedSet): void {
  let node: Record<string, unknown> | unknown[] = root;
  const { segments } = set;
  for (let i = 0; i < segments.length; i++) {
    const where = segments.slice(0, i).join('.') || 'the scenario';
    const key = keyIn(node, segments[i]!, where);
    const slot = node as Record<string | number, unknown>;
    if (i === segments.length - 1) {
      Object.defineProperty(slot, key, { value: set.value, enumerable: true, writable: true, configurable: true });
      return;
    }
    let child = ownValue(slot, key);
    if (child === undefined || child === null) {
      child = /^\d+$/.test(segments[i + 1]!) ? [] : {};
      slot[key] = child;
    }
    if (!isContainer(child)) {
      throw new Error(`${segments.slice(0, i + 1).join('.')} is ${kindOf(child)}, so it has no field "${segments[i + 1]}"`);
    }
    node = child;
  }
}

/**
 * Apply `path=value` overrides to a raw scenario (the parsed YAML, before validation); returns a copy.
 * Unknown field names are left for the strict schema to report.
 */
export function applySets(raw: unknown, sets: readonly string[], fileLabel: string): unknown {
  if (!isContainer(raw) || Array.isArray(raw)) throw InputError.single(fileLabel, '--set needs a scenario mapping to apply to');
  const root = structuredClone(raw) as Record<string, unknown>;
  for (const arg of sets) {
    const set = parseSet(arg, fileLabel);
    try {
      setOne(root, set);
    } catch (err) {
      throw InputError.single(fileLabel, `--set ${JSON.stringify(arg)}: ${(err as Error).message}`);
    }
  }
  return root;
}

/** The path of a --set argument in issue form ("faults[0].at"), or null when it is malformed. */
function setPath(arg: string): string | null {
  const eq = arg.indexOf('=');
  if (eq <= 0) return null;
  return formatPath(arg.slice(0, eq).trim().split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)));
}

/** Add "(from --set …)" to issues about a field that a --set argument wrote (or something inside it). */
export function annotateSets(issues: InputIssue[], sets: readonly string[]): InputIssue[] {
  return issues.map((issue) => {
    const arg = [...sets].reverse().find((s) => {
      const p = setPath(s);
      return p !== null && (issue.path === p || issue.path.startsWith(`${p}.`) || issue.path.startsWith(`${p}[`));
    });
    return arg === undefined ? issue : { ...issue, message: `${issue.message} (from --set ${arg})` };
  });
}
