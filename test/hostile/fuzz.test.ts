// Seeded, time-bounded fuzzing: random mutations of the shipped scenarios and random --set paths thrown at the
// parser and a short run (in-process), plus a few real CLI spawns: only exit 0/1/2/4, no stack trace, no stray file.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { validateExpectations } from '../../src/check/validate.ts';
import { runScenario } from '../../src/cluster/run.ts';
import { evaluate } from '../../src/check/expect.ts';
import { InputError } from '../../src/scenario/errors.ts';
import { readScenarioFile } from '../../src/scenario/load.ts';
import { parseScenarioText, readScenarioData, validateScenario } from '../../src/scenario/parse.ts';
import { tempDir } from '../check/helpers.ts';
import { below, mulberry32 } from '../kernel/prng.ts';

const SEED = 15;
const BUDGET_MS = 40_000;
const FILES = readdirSync('scenarios').filter((f) => f.endsWith('.yaml')).sort();
const ORIGINALS = FILES.map((f) => readScenarioData(readScenarioFile(join('scenarios', f)), f) as Record<string, unknown>);

const VALUES: unknown[] = [
  -1, 0, 1, 2.5, 7, 1e9, 1e308, -0, '', 'x', '1us', '0s', '-5s', '1ms', '10s', '99999999999d', '1e400s', 'NaNs', null, true, false,
  [], {}, [[]], '\u001b]0;pwned\u0007', '__proto__', 'constructor', 'master-99', 'etcd:leader', 'master-1', 'lb-1', 'zone-1',
  { at: '1s', kill: 'master-1' }, { random: { targets: 'machines', mtbf: '1s', mttr: '1ms' } }, 'leaders.etcd.count <= 1', '((((',
];
const NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'bogus', 'name', 'duration', 'faults',
  'cluster', 'params', 'expect', 'masters', 'pods', 'workers', 'seed', 'seeds', '0', '1', '99', 'at', 'for', 'kill', 'random'];

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[below(rng, xs.length)]!;

/** Every container in `data` with the path to it. */
function containers(data: unknown, path: string[] = [], out: [string[], Record<string, unknown> | unknown[]][] = []) {
  if (typeof data !== 'object' || data === null) return out;
  out.push([path, data as Record<string, unknown>]);
  for (const [k, v] of Object.entries(data)) containers(v, [...path, k], out);
  return out;
}

/** One random change: replace, delete or add a field somewhere (own properties, defineProperty: __proto__ stays data). */
function mutate(rng: Rng, data: Record<string, unknown>): void {
  const [, node] = pick(rng, containers(data));
  const keys = Object.keys(node);
  const op = below(rng, 3);
  const key = op === 2 || keys.length === 0 ? (Array.isArray(node) ? String(node.length) : pick(rng, NAMES)) : pick(rng, keys);
  if (op === 1 && keys.length > 0) delete (node as Record<string, unknown>)[key];
  else Object.defineProperty(node, key, { value: structuredClone(pick(rng, VALUES)), enumerable: true, writable: true, configurable: true });
}

function randomSet(rng: Rng): string {
  const depth = 1 + below(rng, 4);
  const path = Array.from({ length: depth }, () => pick(rng, NAMES)).join('.');
  const v = pick(rng, VALUES);
  return `${path}=${typeof v === 'string' ? v : JSON.stringify(v)}`;
}

const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort().join();

/** Parse, validate and (when valid) run a mutant briefly; anything but an InputError is a failure. */
function attempt(raw: unknown, sets: string[], asText: string | null): 'invalid' | 'ran' {
  try {
    const scenario = asText === null ? validateScenario(raw, 'fuzz.yaml', { sets }) : parseScenarioText(asText, 'fuzz.yaml', { sets });
    validateExpectations(scenario, 'fuzz.yaml');
    const short = { ...scenario, duration: Math.min(scenario.duration, 20_000_000) };
    const { report, run } = runScenario(short, { eventBudget: 200_000 });
    evaluate(report, short.expect, run.sim.trace.observations);
    return 'ran';
  } catch (err) {
    if (err instanceof InputError) {
      expect(err.message).not.toMatch(/\n\s+at /);
      return 'invalid';
    }
    throw new Error(`not an InputError for sets ${JSON.stringify(sets)} and ${asText ?? JSON.stringify(raw).slice(0, 2000)}: ${(err as Error).stack}`);
  }
}

describe('fuzz', () => {
  it(`mutated scenarios and random --set paths give a result or an InputError (seed ${SEED}, ≤ ${BUDGET_MS / 1000} s)`, () => {
    const rng = mulberry32(SEED);
    const t0 = Date.now();
    const tally = { invalid: 0, ran: 0 };
    let i = 0;
    for (; Date.now() - t0 < BUDGET_MS && i < 2000; i++) {
      const raw = structuredClone(pick(rng, ORIGINALS));
      const changes = below(rng, 3);
      for (let c = 0; c < changes; c++) mutate(rng, raw);
      const sets = below(rng, 2) === 0 ? [randomSet(rng)] : [];
      const asText = below(rng, 4) === 0 ? stringify(raw) : null;
      tally[attempt(raw, sets, asText)]++;
      expect(Object.getOwnPropertyNames(Object.prototype).sort().join(), `iteration ${i}`).toBe(PROTO_KEYS);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    }
    console.log(`fuzz: ${i} mutants, ${tally.ran} ran, ${tally.invalid} refused`);
    expect(i).toBeGreaterThan(20);
    expect(tally.invalid).toBeGreaterThan(0);
    expect(tally.ran).toBeGreaterThan(0);
  });

  it('real CLI runs of mutants exit 0, 1, 2 or 4 with no stack trace and write only into their output folder', () => {
    const rng = mulberry32(SEED + 1);
    const hasim = join(process.cwd(), 'bin', 'hasim.mjs');
    for (let n = 0; n < 4; n++) {
      const dir = tempDir();
      mkdirSync(join(dir, 'out'));
      const raw = structuredClone(pick(rng, ORIGINALS));
      raw['duration'] = '20s';
      mutate(rng, raw);
      if (n % 2 === 0) raw['name'] = pick(rng, ['../../../escape', '..', 'a/b', '\u001b[2Jx']);
      writeFileSync(join(dir, 'm.yaml'), stringify(raw));
      const argv = n === 3
        ? ['check', 'm.yaml', '--golden-dir', 'out/golden', '--shrink-dir', 'out/shrunk', '--update', '--junit', 'out/j.xml']
        : ['run', 'm.yaml', '--json', 'out/r.json', '--trace', 'out/t.jsonl', '--set', randomSet(rng)];
      const r = spawnSync(process.execPath, [hasim, ...argv], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      expect([0, 1, 2, 4], `${argv.join(' ')}: ${r.stderr}`).toContain(r.status);
      expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
      expect(r.stdout + r.stderr).not.toMatch(/\u001b/);
      const stray = readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => relative(dir, join(e.parentPath, e.name)))
        .filter((p) => p !== 'm.yaml' && !p.startsWith('out/'));
      expect(stray).toEqual([]);
    }
  });
});
