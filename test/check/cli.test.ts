// `hasim check` in-process: exit codes 0/1/2, the table, golden traces, JUnit XML.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasim, scenario, tempDir, write } from './helpers.ts';

const PASSING = scenario('passes', [
  '  - { metric: leaders.etcd.changes, min: 1 }',
  '  - { always: "etcd.leadersInTerm <= 1 and leaders.etcd.count <= 1" }',
  '  - { eventually: "leaders.etcd.led == 1", within: 5s, after: "fault:0" }',
  '  - { sometimes: "leaders.etcd.led == 0" }',
].join('\n'));

describe('hasim check', () => {
  it('exits 0 when everything holds; a missing golden trace is reported, not failed', async () => {
    const dir = tempDir();
    write(dir, 'ok.yaml', PASSING);
    const r = await hasim(['check', dir, '--golden-dir', join(dir, 'golden')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^scenario\s+seed\s+assertion\s+bound\s+value\s+result$/);
    expect(lines.find((l) => l.includes('eventually leaders.etcd.led == 1'))).toMatch(/^passes\s+1\s+.*within 5s after fault:0\s+held at .* after fault:0\s+PASS$/);
    // Runs without a golden trace are not rows of the table, only counted in the summary.
    expect(r.stdout).not.toContain('no golden trace (run with --update)');
    expect(r.stdout).toContain("1 scenario, 2 runs: 10 passed, 0 failed, 2 without golden trace (not judged; 'hasim check --update' writes them)");
    expect(r.stdout).toMatch(/\npasses\s+eventually leaders\.etcd\.led == 1\s+within 5s after fault:0\s+2\/2\s+[\d.]+\s+[\d.]+\s+[\d.]+\n/);
  });

  it('exits 1 when an expectation fails', async () => {
    const dir = tempDir();
    const file = write(dir, 'fails.yaml', scenario('fails', '  - { never: "leaders.etcd.count == 0 and etcd.leadersInTerm == 1" }'));
    const r = await hasim(['check', file, '--golden-dir', join(dir, 'golden')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/fails\s+1\s+never leaders\.etcd\.count == 0 and etcd\.leadersInTerm == 1\s+true at 10\.000s: leaders\.etcd\.count = 0, etcd\.leadersInTerm = 1\s+FAIL/);
    expect(r.stdout).toContain(`FAIL fails seed 2: never leaders.etcd.count == 0 and etcd.leadersInTerm == 1 — got true at 10.000s`);
    expect(r.stdout).toContain(`  reproduce: hasim run ${file} --seed 2\n`);
    const only = await hasim(['check', file, '--golden-dir', join(dir, 'golden'), '--failures-only']);
    expect(only.stdout).not.toMatch(/PASS/);
    expect(only.stdout).toMatch(/fails\s+2\s+never .*FAIL/);
  });

  it('exits 2 on bad input, reports every bad file and runs nothing', async () => {
    const dir = tempDir();
    write(dir, 'a-ok.yaml', PASSING);
    write(dir, 'b-bad.yaml', scenario('bad', '  - { always: "leader.etcd.count <= 1" }'));
    write(dir, 'c-bad.yml', scenario('worse', '  - { eventually: "leaders.etcd.led == 1", within: 5s, after: "fault:4" }'));
    write(dir, 'notes.txt', 'not a scenario');
    const r = await hasim(['check', dir, join(dir, 'missing.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe([
      `${join(dir, 'missing.yaml')}: no such file or directory`,
      `${join(dir, 'b-bad.yaml')}: expect[0].always: unknown variable "leader.etcd.count" (did you mean leaders.etcd.count?)`,
      `${join(dir, 'c-bad.yml')}: expect[0].after: fault:4 names no fault (the scenario has 1 fault)`,
      'hasim check: 3 bad inputs; nothing was run.',
      '',
    ].join('\n'));
  });

  it('exits 2 on usage errors', async () => {
    expect((await hasim(['check'])).code).toBe(2);
    const r = await hasim(['check', '--bogus', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hasim check: Unknown option '--bogus'/);
    expect((await hasim(['check', '--help'])).stdout).toContain('--junit FILE');
  });

  it('writes golden traces with --update, then fails on a changed one with a readable diff', async () => {
    const dir = tempDir();
    const golden = join(dir, 'golden');
    const file = write(dir, 's.yaml', PASSING);
    const first = await hasim(['check', file, '--golden-dir', golden, '--update']);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('written (new)');
    const path = join(golden, 'passes', 'seed-1.txt');
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/^# hasim golden trace: passes, seed 1, stacked, 20s\n/);
    expect(text).toMatch(/\n\s+10\.000s {2}fault {7}kill etcd:leader {2}kill etcd:leader → master-\d\/etcd\n/);
    expect((await hasim(['check', file, '--golden-dir', golden])).stdout).toMatch(/golden trace\s+\S+seed-1\.txt\s+matches\s+PASS/);

    // Move the election after the kill by 0.2 s, and add a line that the run does not produce.
    const lines = text.split('\n');
    const i = lines.findIndex((l) => /became etcd leader \(term [2-9]\)/.test(l));
    const at = Number(/^\s*([\d.]+)s/.exec(lines[i]!)![1]);
    lines[i] = lines[i]!.replace(/^\s*[\d.]+s/, `${(at + 0.2).toFixed(3)}s`.padStart(10));
    lines.push('    15.000s  fault       heal all  heal every partition and cut');
    writeFileSync(path, lines.join('\n'));
    const r = await hasim(['check', file, '--golden-dir', golden]);
    expect(r.code).toBe(1);
    const subject = /leader\s+(\S+)\s+became/.exec(lines[i]!)![1];
    expect(r.stdout).toContain(`passes seed 1: golden trace differs from ${path}:\n` +
      `  ${subject} became etcd leader ${/\(term \d+\)/.exec(lines[i]!)![0]} at ${at.toFixed(3)}s (was ${(at + 0.2).toFixed(3)}s)\n` +
      '  gone: 15.000s heal all heal every partition and cut\n');

    const again = await hasim(['check', file, '--golden-dir', golden, '--update']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/rewritten \(1 moved \(-200ms\), 1 gone\)/);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('hasim run evaluates temporal assertions and rejects unknown variables', async () => {
    const dir = tempDir();
    const ok = write(dir, 'ok.yaml', PASSING);
    const r = await hasim(['run', ok]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/PASS {2}eventually leaders\.etcd\.led == 1 within 5s after fault:0 {2}— held at [\d.]+s, [\d.]+s after fault:0/);
    const failing = write(dir, 'fail.yaml', scenario('f', '  - { always: "leaders.etcd.led == 1 or etcd.leadersInTerm == 0" }'));
    expect((await hasim(['run', failing, '--quiet'])).code).toBe(1);
    const bad = write(dir, 'bad.yaml', scenario('b', '  - { sometimes: "api.writes.ok == 0" }'));
    const b = await hasim(['run', bad]);
    expect(b.code).toBe(2);
    expect(b.stderr).toBe(`${bad}: expect[0].sometimes: unknown variable "api.writes.ok" (did you mean api.write.ok?)\n`);
  });

  it('writes well-formed JUnit XML, escaping names and messages', async () => {
    const dir = tempDir();
    const file = write(dir, 'x.yaml', scenario('a<b & "c"', '  - { metric: leaders.etcd.changes, max: 0 }\n  - { metric: leaders.etcd.changes, min: 1 }'));
    const junit = join(dir, 'out', 'junit.xml');
    const r = await hasim(['check', file, '--golden-dir', join(dir, 'golden'), '--junit', junit]);
    expect(r.code).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    expectWellFormed(xml);
    expect(xml).toContain('<testsuite name="a&lt;b &amp; &quot;c&quot;"');
    expect(xml).toContain('tests="6" failures="2"');
    expect(xml).toMatch(/<testcase classname="a&lt;b &amp; &quot;c&quot;" name="seed 1: leaders.etcd.changes &lt;= 0" time="[\d.]+">\n\s+<failure message="expected leaders.etcd.changes &lt;= 0, got 1">reproduce: hasim run [^<]+ --seed 1<\/failure>/);
    expect(xml).not.toContain('golden trace');
    await hasim(['check', file, '--golden-dir', join(dir, 'golden'), '--junit', junit, '--junit-missing-goldens']);
    expect(readFileSync(junit, 'utf8')).toMatch(/name="seed 2: golden trace [^"]+"[^>]*><skipped message="no golden trace \(run with --update\)"\/><\/testcase>/);
  });
});

/** A small XML well-formedness check: balanced tags, quoted attributes, nothing unescaped in text or attributes. */
function expectWellFormed(xml: string): void {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  const body = xml.slice(xml.indexOf('\n') + 1);
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<&]*(?:&(?:amp|lt|gt|quot|apos);[^"<&]*)*")*)\s*(\/?)>/g;
  const stack: string[] = [];
  let last = 0;
  for (const m of body.matchAll(tag)) {
    const text = body.slice(last, m.index);
    expect(text, `text before ${m[0]}`).not.toMatch(/<|>|&(?!(?:amp|lt|gt|quot|apos);)/);
    last = m.index! + m[0].length;
    if (m[1]) expect(stack.pop()).toBe(m[2]);
    else if (!m[4]) stack.push(m[2]!);
  }
  expect(body.slice(last).trim()).toBe('');
  expect(stack).toEqual([]);
}
