// The relative imports between TypeScript files of the tree, for the architecture rules (layers, circles).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** One import: the importing file and the imported file, both relative to the root, with /. */
export interface Edge {
  from: string;
  to: string;
}

export function tsFiles(dir: string): string[] {
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
export function stripComments(text: string): string {
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

const IMPORT_SPECIFIER = /(?:\bimport|\bexport)\s+(?:type\s+)?(?:[\w*${}\s,]+?\s+from\s+)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every module specifier a file imports or re-exports (static, type-only and dynamic imports), comments left out. */
export function importSpecifiers(text: string): string[] {
  return [...stripComments(text).matchAll(IMPORT_SPECIFIER)].map((m) => (m[1] ?? m[2])!);
}

/** Every relative import between .ts files under `dirs` (relative to `root`); package imports are left out. */
export function importGraph(root: string, dirs: string[]): { files: string[]; edges: Edge[] } {
  const files = dirs.flatMap((d) => tsFiles(join(root, d))).map((f) => relative(root, f).split('\\').join('/'));
  const edges: Edge[] = [];
  for (const file of files) {
    for (const spec of importSpecifiers(readFileSync(join(root, file), 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(root, dirname(file), spec.replace(/\?.*$/, ''));
      const rel = relative(root, target).split('\\').join('/');
      const to = rel.endsWith('.ts') || !existsSync(`${target}.ts`) ? rel : `${rel}.ts`;
      edges.push({ from: file, to });
    }
  }
  return { files, edges };
}

/** The import circles: strongly connected components of more than one file (Tarjan), each sorted. */
export function importCircles(files: string[], edges: Edge[]): string[][] {
  const next = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const e of edges) next.get(e.from)?.push(e.to);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!next.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const circle: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        circle.push(w);
      } while (w !== v);
      if (circle.length > 1) circles.push(circle.sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return circles;
}

/** The folder a file belongs to for the layer rules: `src/etcd/member.ts` → `etcd`, `src/index.ts` → `index`, web files → `web`. */
export function folderOf(file: string): string {
  if (file.startsWith('web/')) return 'web';
  const parts = file.split('/');
  if (parts[0] !== 'src') return parts[0]!;
  return parts.length === 2 ? parts[1]!.replace(/\.ts$/, '') : parts[1]!;
}
