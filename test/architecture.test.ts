// Architecture rules: no wall clock, unseeded randomness, host timers or DOM in the model; one seedrandom importer.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');
/** The command line, the benchmark and the validation suite (real processes) may read the wall clock; the model may not. */
const EXEMPT = ['src/cli/', 'src/bench/', 'src/validate/'];

const FORBIDDEN: [string, RegExp][] = [
  ['Math.random', /\bMath\s*\.\s*random\b/],
  ['Date.now', /\bDate\s*\.\s*now\b/],
  ['new Date(', /\bnew\s+Date\s*\(/],
  ['performance.now', /\bperformance\s*\.\s*now\b/],
  ['setTimeout', /\bsetTimeout\b/],
  ['setInterval', /\bsetInterval\b/],
  ['setImmediate', /\bsetImmediate\b/],
  ['process.hrtime', /\bprocess\s*\.\s*hrtime\b/],
  ['document.', /(?<![\w$.])document\s*\./],
  ['window.', /(?<![\w$.])window\s*\./],
];

const IMPORTS_SEEDRANDOM = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)['"]seedrandom(?:\/[^'"]*)?['"]/;

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(path));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out.sort();
}

/**
 * Blank out comments (keeping line breaks) so prose such as "no Math.random here" is not flagged.
 * Strings are kept: a forbidden name in a string is suspicious enough to look at.
 */
function stripComments(text: string): string {
  let out = '';
  let i = 0;
  let quote: string | null = null;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (quote !== null) {
      out += c;
      if (c === '\\' && next !== undefined) {
        out += next;
        i += 2;
        continue;
      }
      if (c === quote) quote = null;
      i++;
    } else if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      if (c === '"' || c === "'" || c === '`') quote = c;
      out += c;
      i++;
    }
  }
  return out;
}

/** `file:line: rule` for every forbidden use in `text`. */
function violations(file: string, text: string): string[] {
  const found: string[] = [];
  stripComments(text).split('\n').forEach((line, n) => {
    for (const [rule, re] of FORBIDDEN) if (re.test(line)) found.push(`${file}:${n + 1}: ${rule} — ${line.trim()}`);
  });
  return found;
}

const files = tsFiles(SRC).map((path) => ({ rel: relative(ROOT, path).split('\\').join('/'), text: readFileSync(path, 'utf8') }));

describe('architecture', () => {
  it('finds the source files it guards', () => {
    expect(files.some((f) => f.rel === 'src/kernel/sim.ts')).toBe(true);
    expect(files.some((f) => f.rel === 'src/kernel/random.ts')).toBe(true);
  });

  it('keeps Math.random, the wall clock, host timers and the DOM out of src/ (except cli and bench)', () => {
    const found = files.filter((f) => !EXEMPT.some((dir) => f.rel.startsWith(dir))).flatMap((f) => violations(f.rel, f.text));
    expect(found, `forbidden in the model:\n${found.join('\n')}`).toEqual([]);
  });

  it('only src/kernel/random.ts imports seedrandom', () => {
    const importers = files.filter((f) => IMPORTS_SEEDRANDOM.test(stripComments(f.text))).map((f) => f.rel);
    expect(importers).toEqual(['src/kernel/random.ts']);
  });

  it('the scanner flags real uses and ignores comments and look-alike names', () => {
    const sample = [
      'const a = Math.random();', // 1
      '// Math.random and Date.now are fine in a comment', // 2
      'const t = Date.now(); /* setTimeout */', // 3
      'const d = new Date(0);', // 4
      'setTimeout(() => {}, 1);', // 5
      'ctx.setTimer("t", 1); const setTimeoutUs = 5;', // 6
      'const x = ctx.window.size + documents.length;', // 7
      'window.alert(1); document.title = "x";', // 8
      'const s = "http://example.com"; performance.now();', // 9
      '/* a block', // 10
      '   comment: process.hrtime() */ setImmediate(f);', // 11
      "const q = 'it\\'s'; setInterval(f, 1);", // 12
    ].join('\n');
    const lines = violations('sample.ts', sample).map((v) => v.split(' — ')[0]!.replace('sample.ts:', ''));
    expect(lines).toEqual([
      '1: Math.random', '3: Date.now', '4: new Date(', '5: setTimeout', '8: document.', '8: window.',
      '9: performance.now', '11: setImmediate', '12: setInterval',
    ]);
    expect(IMPORTS_SEEDRANDOM.test("import seedrandom from 'seedrandom';")).toBe(true);
    expect(IMPORTS_SEEDRANDOM.test('const s = await import("seedrandom/lib/alea");')).toBe(true);
    expect(IMPORTS_SEEDRANDOM.test("import { streamFor } from './random.ts'; // seeded by seedrandom")).toBe(false);
    expect(IMPORTS_SEEDRANDOM.test(stripComments("import { streamFor } from './random.ts'; // from 'seedrandom'"))).toBe(false);
  });
});
