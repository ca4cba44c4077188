// Text from input (scenario names, descriptions, file names, --set values) made safe to print on a terminal.

/**
 * Control characters other than newline and tab — escape sequences that retitle a window or overwrite lines,
 * carriage returns, C1 controls, and the bidirectional overrides that reorder what is shown — as \uXXXX.
 * JSON stays valid JSON (such characters can only be inside its strings, where \uXXXX means the same).
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Write to stdout with control characters escaped. */
export function printOut(text: string): void {
  process.stdout.write(terminalSafe(text));
}

/** Write to stderr with control characters escaped. */
export function printErr(text: string): void {
  process.stderr.write(terminalSafe(text));
}
