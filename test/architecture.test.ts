// Architecture rules: no wall clock, unseeded randomness, host timers or DOM in the model; one seedrandom importer.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { folderOf, importCircles, importGraph, importSpecifiers, stripComments, tsFiles, type Edge } from './support/import-graph.ts';

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

/** Folders of actors: they know the kernel, the network and each other, never how a scenario is written or wired. */
const DOMAIN = ['kernel', 'net', 'raft', 'etcd', 'lb', 'control', 'worker'];
/** The model code report/ and check/ must not read: they learn what happened from the trace alone. */
const MODEL = ['net', 'raft', 'etcd', 'lb', 'control', 'worker'];

const graph = importGraph(ROOT, ['src', 'web/src']);
const crossing = (rule: (e: Edge) => boolean): string[] => graph.edges.filter(rule).map((e) => `${e.from} → ${e.to}`);

describe('architecture: layers (ARCHITECTURE.md)', () => {
  it('reads the import graph it guards', () => {
    expect(graph.edges.some((e) => e.from === 'src/cluster/run.ts' && e.to === 'src/cluster/models/index.ts')).toBe(true);
    expect(folderOf('src/etcd/member.ts')).toBe('etcd');
    expect(folderOf('src/index.ts')).toBe('index');
    expect(folderOf('web/src/main.ts')).toBe('web');
  });

  it('no domain folder imports cluster/, scenario/ or anything above them', () => {
    const up = ['cluster', 'scenario', 'report', 'check', 'study', 'cli', 'bench', 'validate', 'index', 'versions'];
    expect(crossing((e) => DOMAIN.includes(folderOf(e.from)) && up.includes(folderOf(e.to)))).toEqual([]);
  });


  it('report/ and check/ import no model code (the trace is their only channel; check runs scenarios through cluster/run.ts)', () => {
    const modelCode = (e: Edge): boolean =>
      MODEL.includes(folderOf(e.to)) || (folderOf(e.to) === 'cluster' && !(folderOf(e.from) === 'check' && e.to === 'src/cluster/run.ts'));
    expect(crossing((e) => ['report', 'check'].includes(folderOf(e.from)) && modelCode(e))).toEqual([]);
  });




  it('the kernel imports nothing outside itself', () => {
    expect(crossing((e) => folderOf(e.from) === 'kernel' && folderOf(e.to) !== 'kernel')).toEqual([]);
  });

  it('report/ does not import check/, and scenario/ imports neither (nor cluster/)', () => {
    expect(crossing((e) => (folderOf(e.from) === 'report' && folderOf(e.to) === 'check')
      || (folderOf(e.from) === 'scenario' && ['report', 'check', 'cluster'].includes(folderOf(e.to))))).toEqual([]);
  });

  it('there is no import circle in src/ or web/', () => {
    expect(importCircles(graph.files, graph.edges)).toEqual([]);
  });

  it('the circle finder finds circles', () => {
    const files = ['a.ts', 'b.ts', 'c.ts', 'd.ts'];
    const edge = (from: string, to: string): Edge => ({ from, to });
    expect(importCircles(files, [edge('a.ts', 'b.ts'), edge('b.ts', 'c.ts'), edge('c.ts', 'a.ts'), edge('c.ts', 'd.ts')])).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(importCircles(files, [edge('a.ts', 'b.ts'), edge('b.ts', 'c.ts')])).toEqual([]);
  });
});

// web/ reaches the simulator through one door, src/index.ts (issue 13): the page never depends on internals.
const WEB = join(ROOT, 'web');
/** Where a relative specifier of `file` lands, relative to the repository ("src/kernel/time.ts"); null for packages. */
function landsAt(file: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  return relative(ROOT, join(file, '..', spec.split('?')[0]!)).split('\\').join('/');
}

/** `web/file.ts -> src/...` for every import from web/ into src/ other than src/index.ts. */
function backDoors(entries: readonly { path: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const { path, text } of entries) {
    for (const spec of importSpecifiers(text)) {
      const to = landsAt(path, spec);
      if (to !== null && to.startsWith('src/') && to !== 'src/index.ts') found.push(`${relative(ROOT, path)} -> ${to}`);
    }
  }
  return found;
}

describe('web/ imports only src/index.ts', () => {
  const web = tsFiles(WEB).map((path) => ({ path, text: readFileSync(path, 'utf8') }));

  it('finds the web files and their imports of the front', () => {
    expect(web.length).toBeGreaterThan(20);
    expect(web.filter((f) => importSpecifiers(f.text).some((s) => landsAt(f.path, s) === 'src/index.ts')).length).toBeGreaterThan(10);
  });

  it('no file under web/ imports a module under src/ other than src/index.ts', () => {
    const found = backDoors(web);
    expect(found, `web/ reaches past src/index.ts:\n${found.join('\n')}`).toEqual([]);
  });

  it('the check catches each form of import into src/ and lets the front, packages and data files through', () => {
    const path = join(WEB, 'src', 'views', 'x.ts');
    const sample = [
      "import { fmtTime } from '../../../src/kernel/time.ts';",
      "import type { Report } from '../../../src/report/metrics.ts';",
      "export { notable } from '../../../src/report/timeline.ts';",
      "const m = await import('../../../src/study/cuts.ts');",
      "import {\n  a,\n  type B,\n} from '../../../src/scenario/index.ts';",
      "import { Session } from '../../../src/index.ts';",
      "import { Document } from 'yaml';",
      "import source from '../../../lessons.yaml?raw';",
      "import { el } from './dom.ts';",
      "// import { x } from '../../../src/kernel/sim.ts';",
    ].join('\n');
    expect(backDoors([{ path, text: sample }]).map((s) => s.split(' -> ')[1])).toEqual([
      'src/kernel/time.ts', 'src/report/metrics.ts', 'src/report/timeline.ts', 'src/study/cuts.ts', 'src/scenario/index.ts',
    ]);
  });
});

describe('src/index.ts is browser-safe', () => {
  it('nothing it reaches, directly or through other modules, imports a Node built-in', () => {
    const seen = new Set<string>();
    const nodeImports: string[] = [];
    const visit = (rel: string): void => {
      if (seen.has(rel)) return;
      seen.add(rel);
      for (const spec of importSpecifiers(readFileSync(join(ROOT, rel), 'utf8'))) {
        if (spec.startsWith('node:')) nodeImports.push(`${rel} -> ${spec}`);
        const to = landsAt(join(ROOT, rel), spec);
        if (to !== null && to.endsWith('.ts')) visit(to);
      }
    };
    visit('src/index.ts');
    expect(seen.has('src/kernel/sim.ts') && seen.has('src/scenario/parse.ts')).toBe(true);
    expect(nodeImports, `the web bundle would need Node:\n${nodeImports.join('\n')}`).toEqual([]);
  });
});
