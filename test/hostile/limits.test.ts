// Absurd input that once crashed, hung or printed raw escapes: each is exit 2 with a message naming the file.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../../src/cli/terminal.ts';
import { InputError } from '../../src/scenario/errors.ts';
import { parseScenarioText } from '../../src/scenario/parse.ts';
import { hasim, tempDir, write } from '../check/helpers.ts';

const SCENARIO = 'name: l\nduration: 5s\ncluster: { topology: stacked, masters: 1, workers: 0 }\n';

function messageOf(text: string, file = 'x.yaml'): string {
  try {
    parseScenarioText(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('expected an InputError');
}

const bomb = (): string => {
  const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
  for (const [prev, name] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g']] as const) {
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
  }
  return `${SCENARIO}${lines.join('\n')}\n`;
};

describe('limits checked while parsing', () => {
  it('a YAML alias bomb', () => {
    expect(messageOf(bomb())).toBe('x.yaml: malformed YAML: its aliases (*name) expand to too much data (at most 100 alias expansions)');
  });

  it('YAML and JSON nested absurdly deep', () => {
    expect(messageOf(`${SCENARIO}params: ${'['.repeat(5000)}${']'.repeat(5000)}\n`)).toMatch(/^x\.yaml: malformed YAML: nested more than 64 levels deep$/);
    expect(messageOf(`{"a": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`, 'x.json')).toMatch(/^x\.json: malformed JSON at line 1, column \d+: nested more than 64 levels deep$/);
  });

  it('a text over 256 KiB is refused before parsing', () => {
    expect(messageOf(`${SCENARIO}description: "${'x'.repeat(2 << 20)}"\n`)).toMatch(/^x\.yaml: the text is \d+ KiB; a scenario may be at most 256 KiB$/);
    // Malformed as well as too big: had it been parsed first, the message would be the YAML error.
    expect(messageOf(`${SCENARIO}description: "${'x'.repeat(2 << 20)}\n`)).toMatch(/^x\.yaml: the text is \d+ KiB; a scenario may be at most 256 KiB$/);
  });

  it('an expect condition 5,000 parentheses deep, and one of 100 comparisons', async () => {
    const dir = tempDir();
    const deep = write(dir, 'deep.yaml', `${SCENARIO}expect:\n  - { always: "${'('.repeat(5000)}etcd.leadersInTerm <= 1${')'.repeat(5000)}" }\n`);
    const r = await hasim(['run', deep]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${deep}: expect[0].always: the condition is 10023 characters long; at most 4000`);
    const nested = write(dir, 'nested.yaml', `${SCENARIO}expect:\n  - { always: "${'('.repeat(1000)}etcd.leadersInTerm <= 1${')'.repeat(1000)}" }\n`);
    const n = await hasim(['run', nested]);
    expect(n.code).toBe(2);
    expect(n.stderr).toContain(`${nested}: expect[0].always: parentheses nested more than 32 deep`);
    const wide = write(dir, 'wide.yaml', `${SCENARIO}expect:\n  - { always: "${Array(100).fill('etcd.leadersInTerm <= 1').join(' and ')}" }\n`);
    const w = await hasim(['run', wide]);
    expect(w.code).toBe(2);
    expect(w.stderr).toContain('more than 64 comparisons');
  });

  it('20,000 unknown keys: refused with a message of at most 21 lines', () => {
    // How fast is for `hasim bench`, not for a timed test (a loaded CI machine made this one flaky).
    const keys = Array.from({ length: 20_000 }, (_, i) => `  k${i}: 1`).join('\n');
    const msg = messageOf(`${SCENARIO}params:\n${keys}\n`);
    expect(msg.split('\n')).toHaveLength(21);
    expect(msg).toContain('x.yaml: params.k0: unknown field');
    expect(msg).toContain('x.yaml: … and 19980 more problems');
  });

  it('the duration limit names a duration that it accepts', () => {
    const msg = messageOf('name: t\nduration: 104249991d\n');
    const limit = /at most about (\d+)d/.exec(msg)![1]!;
    expect(() => parseScenarioText(`name: t\nduration: ${limit}d\n`, 'x.yaml')).not.toThrow();
  });
});

describe('command-line limits', () => {
  it('--seed beyond the schema range, huge --runs and --shard', async () => {
    const dir = tempDir();
    const file = write(dir, 'l.yaml', SCENARIO);
    const seed = await hasim(['run', file, '--seed', '18446744073709551616']);
    expect(seed.code).toBe(2);
    expect(seed.stderr).toContain('--seed is at most 9007199254740991');
    const runs = await hasim(['compare', file, '--runs', '1000000000']);
    expect(runs.code).toBe(2);
    expect(runs.stderr).toContain('--runs is at most 100000');
    const shard = await hasim(['compare', file, '--runs', '10', '--shard', '1/99999999999999']);
    expect(shard.code).toBe(2);
  });

  it('hasim help frob exits 2', async () => {
    const r = await hasim(['help', 'frob']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "frob"');
  });

  it('/dev/zero is refused after a bounded read', async () => {
    const r = await hasim(['run', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('/dev/zero: the file is larger than 256 KiB, the most a scenario may be (is it a scenario file?)\n');
  });
});

describe('terminal output', () => {
  it('escape codes in a scenario name are printed escaped by run, check and compare', async () => {
    const dir = tempDir();
    const file = write(dir, 'esc.yaml', SCENARIO.replace('name: l', 'name: "t\\e]0;pwned\\a\\e[2J\\r\\u009b1m"'));
    for (const argv of [['run', file], ['check', file, '--golden-dir', join(dir, 'g')], ['compare', file, '--runs', '1', '--workers', '1']]) {
      const r = await hasim(argv);
      expect(r.code, argv[0]).toBe(0);
      expect(r.stdout, argv[0]).not.toMatch(/[\u001b\u0007\r\u009b]/);
      expect(r.stdout, argv[0]).toContain('t\\u001b]0;pwned\\u0007');
    }
  });

  it('terminalSafe keeps newlines and tabs and escapes the rest', () => {
    expect(terminalSafe('a\tb\nc\u001b[31md\u202ee')).toBe('a\tb\nc\\u001b[31md\\u202ee');
  });
});
