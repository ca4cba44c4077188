// The browser imports src/scenario/index.ts: nothing it reaches may import Node built-ins (only load.ts does).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../src/scenario');

/** Every module reachable from `file` through static imports, with the specifiers each one imports. */
function importGraph(file: string, seen = new Map<string, string[]>()): Map<string, string[]> {
  if (seen.has(file)) return seen;
  const specifiers = [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]!);
  seen.set(file, specifiers);
  for (const s of specifiers) if (s.startsWith('.')) importGraph(join(dirname(file), s), seen);
  return seen;
}

describe('browser safety', () => {
  it('index.ts reaches no node: module', () => {
    const graph = importGraph(join(ROOT, 'index.ts'));
    expect(graph.size).toBeGreaterThan(10);
    const offenders = [...graph].filter(([, specs]) => specs.some((s) => s.startsWith('node:') || s === 'fs' || s === 'path'));
    expect(offenders.map(([file]) => file)).toEqual([]);
  });
  it('load.ts is the one module that reads files', () => {
    expect(importGraph(join(ROOT, 'load.ts')).get(join(ROOT, 'load.ts'))).toContain('node:fs');
  });
});
