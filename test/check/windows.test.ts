// Windowed expectations: after/until on every kind, the `for:` duration form, `recovers`, and bad windows (exit 2).
import { describe, expect, it } from 'vitest';
import { evaluateTemporal, type TemporalExpectation } from '../../src/check/temporal.ts';
import { resolveAnchor } from '../../src/check/anchors.ts';
import type { Observation } from '../../src/kernel/trace.ts';
import { hasim, scenario, tempDir, write } from './helpers.ts';
import { observation } from '../observations.ts';

const S = 1_000_000;
const obs = (at: number, kind: string, subject: string, detail: Record<string, unknown>): Observation => observation(at * S, kind, subject, detail);
const lead = (at: number, member: string, leading: boolean) => obs(at, 'leader', member, { group: 'etcd', leading, cause: leading ? 'won' : 'lost', term: 1 });
const write1 = (at: number, ok: boolean) => obs(at, 'probe', 'client', { op: 'write', ok, latencyMs: 1 });

/** etcd-1 leads at 1 s; fault 0 (with for: 10s) kills it at 10 s; writes fail 11–14 s; etcd-2 leads at 11.5 s; fault 0 ends at 20 s. */
const RUN: Observation[] = [
  lead(1, 'm1/etcd', true),
  write1(2, true),
  obs(10, 'fault', 'kill etcd:leader', { verb: 'kill', index: 0, phase: 'begin' }),
  obs(10, 'process', 'm1/etcd', { state: 'down', cause: 'fault' }),
  write1(11, false),
  lead(11.5, 'm2/etcd', true),
  write1(12, false),
  write1(14, false),
  write1(15, true),
  obs(20, 'fault', 'kill etcd:leader', { verb: 'kill', index: 0, phase: 'end' }),
];

function run(list: Partial<TemporalExpectation>[], times = { readyUs: 2 * S, windowFromUs: 2 * S }) {
  return evaluateTemporal(list.map((e, index) => ({ index, ...e }) as TemporalExpectation), RUN, 30 * S, () => null, times);
}

describe('windows on temporal expectations', () => {
  it('always/never judge only inside after…until', () => {
    const [whole, before, afterRecovery] = run([
      { kind: 'always', condition: 'leaders.etcd.led == 1' },
      { kind: 'always', condition: 'leaders.etcd.led == 1', until: 'fault:0' },
      { kind: 'never', condition: 'api.write.ok == 0', after: '15s', until: 'fault:0.end' },
    ]);
    expect(whole).toMatchObject({ pass: false, shown: 'false at 10.000s: leaders.etcd.led = 0' });
    expect(before!.pass).toBe(true);
    expect(afterRecovery).toMatchObject({ pass: true, shown: 'never held from 15s (15.000s) to 20.000s (1 checks)' });
  });

  it('never … for D allows a stretch of at most D and reports the longest', () => {
    const [ok, tooLong] = run([
      { kind: 'never', condition: 'api.write.ok == 0', for: 4 * S },
      { kind: 'never', condition: 'api.write.ok == 0', for: 3.5 * S },
    ]);
    expect(ok).toEqual({ pass: true, value: 4, shown: 'true for at most 4.000s at a stretch' });
    expect(tooLong).toEqual({ pass: false, value: 4, shown: 'true for 4.000s from 11.000s to 15.000s (at most 3.500s): api.write.ok = 0' });
  });

  it('a stretch still open when the window closes is cut at the window end', () => {
    const [cut] = run([{ kind: 'always', condition: 'api.write.ok == 1', for: 2 * S, until: '13s' }]);
    expect(cut).toEqual({ pass: true, value: 2, shown: 'false for at most 2.000s at a stretch' });
  });

  it('recovers needs the condition to fail after the anchor and come back', () => {
    const [recovered, nothing, tooSlow] = run([
      { kind: 'recovers', condition: 'leaders.etcd.led == 1', after: 'fault:0', within: 5 * S },
      { kind: 'recovers', condition: 'leaders.etcd.led == 1', after: '5s', within: 4 * S },
      { kind: 'recovers', condition: 'api.write.ok == 1', after: 'fault:0', within: 4 * S },
    ]);
    expect(recovered).toEqual({ pass: true, value: 1.5, shown: 'false at 10.000s, true again at 11.500s, 1.500s after fault:0' });
    expect(nothing).toMatchObject({ pass: false, shown: 'never false within 4.000s after 5s (5.000s): there was nothing to recover from' });
    expect(tooSlow).toMatchObject({ pass: false, shown: 'false at 11.000s, not true again within 4.000s after fault:0 (10.000s): api.write.ok = 0' });
  });

  it('eventually passes at once when it holds at the anchor; recovers does not', () => {
    const [ev, rec] = run([
      { kind: 'eventually', condition: 'api.write.ok == 1', after: '5s', within: 10 * S },
      { kind: 'recovers', condition: 'api.write.ok == 1', after: '5s', within: 20 * S },
    ]);
    expect(ev).toMatchObject({ pass: true, value: 0 });
    expect(rec).toMatchObject({ pass: true, value: 10 });
  });

  it('eventually … until uses the anchor as the deadline', () => {
    const [late, inTime] = run([
      { kind: 'eventually', condition: 'api.write.ok == 1 and leaders.etcd.led == 1', after: 'fault:0', until: '14s' },
      { kind: 'eventually', condition: 'api.write.ok == 1 and leaders.etcd.led == 1', after: 'fault:0', until: '15s' },
    ]);
    expect(late).toMatchObject({ pass: false, shown: 'not within 4.000s after fault:0 (10.000s): api.write.ok = 0, leaders.etcd.led = 1' });
    expect(inTime).toMatchObject({ pass: true, value: 5 });
  });

  it('eventually … stays: once it holds it must keep holding (until `until`, or to the end)', () => {
    const [stayed, slipped, untilOk] = run([
      { kind: 'eventually', condition: 'api.write.ok == 1 and leaders.etcd.led == 1', after: 'fault:0', within: 10 * S, stays: true },
      { kind: 'eventually', condition: 'api.write.ok == 1', after: '5s', within: 10 * S, stays: true },
      { kind: 'eventually', condition: 'api.write.ok == 1', after: '5s', within: 2 * S, until: '10s', stays: true },
    ]);
    expect(stayed).toEqual({ pass: true, value: 5, shown: 'held at 15.000s, 5.000s after fault:0, and stayed to the end' });
    expect(slipped).toEqual({ pass: false, value: 0, shown: 'held at 5s (5.000s), but did not stay: false again at 11.000s: api.write.ok = 0' });
    expect(untilOk).toMatchObject({ pass: true, shown: 'held at 5s (5.000s), and stayed until 10s' });
  });

  it('lastFault is the start of the last fault, not its heal', () => {
    expect(resolveAnchor('lastFault', RUN, { endUs: 30 * S, readyUs: null })).toEqual({ at: 10 * S });
    expect(resolveAnchor('fault:0.end', RUN, { endUs: 30 * S, readyUs: null })).toEqual({ at: 20 * S });
    expect(resolveAnchor('ready', RUN, { endUs: 30 * S, readyUs: 2 * S })).toEqual({ at: 2 * S });
  });

  it('the default window of always/never is the measurement window', () => {
    const [fromReady] = run([{ kind: 'always', condition: 'leaders.etcd.led == 1', until: '9s' }], { readyUs: 2 * S, windowFromUs: 2 * S });
    expect(fromReady!.pass).toBe(true);
    const [fromStart] = evaluateTemporal([{ index: 0, kind: 'always', condition: 'leaders.etcd.led == 1', until: '9s' }], [obs(0, 'process', 'm1/etcd', { state: 'up' }), lead(0.1, 'm1/etcd', false), ...RUN], 30 * S, () => null);
    expect(fromStart!.pass).toBe(false);
  });
});

describe('windowed metric bounds and bad windows', () => {
  it('a metric bound with after/until is measured over that window', async () => {
    const dir = tempDir();
    const file = write(dir, 'w.yaml', scenario('w', `  - { metric: downtime.apiWrite.longestSeconds, max: 0, until: fault:0 }
  - { metric: availability.apiWrite, min: 1, after: 19s }
  - { never: "leaders.etcd.count >= 2", after: ready }
`));
    const r = await hasim(['check', file, '--golden-dir', dir]);
    expect(r.stdout).toMatch(/downtime\.apiWrite\.longestSeconds\s+<= 0 until fault:0\s+0\s+PASS/);
    expect(r.stdout).toMatch(/availability\.apiWrite\s+>= 1 after 19s\s+1\s+PASS/);
    expect(r.code).toBe(0);
  });

  it.each([
    ['{ always: "leaders.etcd.led == 1", after: 15s, until: 5s }', 'expect[0].until', 'the window ends (5s = 5s) before it starts (15s = 15s)'],
    ['{ never: "leaders.etcd.led == 0", after: fault:0, until: fault:0 }', 'expect[0].until', 'before it starts'],
    ['{ never: "leaders.etcd.led == 0", after: afterwards }', 'expect[0].after', 'unknown anchor "afterwards"'],
    ['{ never: "leaders.etcd.led == 0", after: fault:3 }', 'expect[0].after', 'fault:3 names no fault'],
    ['{ never: "leaders.etcd.led == 0", after: fault:0.end }', 'expect[0].after', 'faults[0] has no end'],
    ['{ sometimes: "leaders.etcd.led == 0", for: 5s }', 'expect[0].for', 'only allowed with always or never'],
    ['{ recovers: "leaders.etcd.led == 1" }', 'expect[0].within', 'required field is missing'],
    ['{ always: "leaders.etcd.led == 1", stays: true }', 'expect[0].stays', 'only allowed with eventually'],
  ])('exits 2 on %s', async (line, field, message) => {
    const dir = tempDir();
    const file = write(dir, 'bad.yaml', scenario('bad', `  - ${line}\n`));
    const r = await hasim(['check', file, '--golden-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(field);
    expect(r.stderr).toContain(message);
  });
});
