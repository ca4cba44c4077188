// InputError: bad user input (scenario files, --set), one user-facing message that names file and field path.

/** One problem in one field; `path` is like `faults[2].at` or "" for the whole file. */
export interface InputIssue {
  path: string;
  message: string;
}

/** Format a path given as segments: ['faults', 2, 'at'] → "faults[2].at". */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/** `<file>: <path>: <message>`, or `<file>: <message>` for the whole file. */
export function formatIssue(file: string, issue: InputIssue): string {
  return issue.path ? `${file}: ${issue.path}: ${issue.message}` : `${file}: ${issue.message}`;
}

/** Most problems listed in one message. */
const MAX_SHOWN = 20;

/**
 * Bad input. The message is complete and meant for the user as is (the CLI prints it and exits 2);
 * when a file has several problems they are all listed, one per line. `issues` keeps them as data.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly file: string;
  readonly issues: readonly InputIssue[];

  constructor(file: string, issues: readonly InputIssue[]) {
    const all = dedupe(issues);
    // Thousands of problems (a generated file gone wrong) would bury the first: the rest are counted.
    const shown = all.slice(0, MAX_SHOWN).map((issue) => formatIssue(file, issue));
    if (all.length > MAX_SHOWN) shown.push(`${file}: … and ${all.length - MAX_SHOWN} more problems`);
    super(shown.join('\n'));
    this.file = file;
    this.issues = dedupe(issues);
  }

  /** One message about the whole file (or about a --set argument, when `file` names it). */
  static single(file: string, message: string, path = ''): InputError {
    return new InputError(file, [{ path, message }]);
  }
}

function dedupe(issues: readonly InputIssue[]): InputIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A short description of a value for "got …" in messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return String(value);
}
