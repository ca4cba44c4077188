// Temporal expectations on small synthetic observation lists (no simulation).
import { describe, expect, it } from 'vitest';
import { evaluateTemporal, type TemporalExpectation } from '../../src/check/temporal.ts';
import type { Observation } from '../../src/kernel/trace.ts';
import { observation } from '../observations.ts';

const S = 1_000_000;
const obs = (at: number, kind: string, subject: string, detail: Record<string, unknown>): Observation => observation(at * S, kind, subject, detail);
const lead = (at: number, member: string, leading: boolean, term?: number, group = 'etcd') =>
  obs(at, 'leader', member, { group, leading, cause: leading ? 'won' : 'lost', ...(term === undefined ? {} : { term }) });

/** etcd-1 leads at 1 s; killed at 10 s (fault 0); etcd-2 leads at 11.5 s; write probes fail 10–12 s. */
const RUN: Observation[] = [
  obs(0, 'process', 'm1/etcd', { state: 'up', cause: 'boot' }),
  lead(1, 'm1/etcd', true, 1),
  obs(2, 'probe', 'client', { op: 'write', ok: true, latencyMs: 1 }),
  obs(10, 'fault', 'kill etcd:leader', { verb: 'kill', index: 0, phase: 'begin', text: 'kill' }),
  obs(10, 'process', 'm1/etcd', { state: 'down', cause: 'fault', crash: true }),
  obs(11, 'probe', 'client', { op: 'write', ok: false, latencyMs: 1000 }),
  lead(11.5, 'm2/etcd', true, 2),
  obs(12, 'probe', 'client', { op: 'write', ok: true, latencyMs: 2 }),
  obs(20, 'fault', 'start etcd:killed', { verb: 'start', index: 1, phase: 'begin', text: 'start' }),
  obs(20, 'process', 'm1/etcd', { state: 'up', cause: 'fault' }),
];

function run(list: TemporalExpectation[], observations = RUN, metrics: Record<string, number> = {}) {
  return evaluateTemporal(list.map((e, index) => ({ ...e, index })), observations, 30 * S, (m) => metrics[m] ?? null);
}

const e = (kind: 'always' | 'never' | 'sometimes', condition: string) => ({ index: 0, kind, condition }) as TemporalExpectation;
const ev = (condition: string, within: number, after = 'lastFault') => ({ index: 0, kind: 'eventually', condition, within: within * S, after }) as TemporalExpectation;

describe('always / never / sometimes', () => {
  it('always holds, or names the first time it did not', () => {
    const [ok, bad] = run([e('always', 'leaders.etcd.count <= 1'), e('always', 'api.write.ok == 1 or leaders.etcd.led == 0')]);
    expect(ok).toMatchObject({ pass: true });
    expect(ok!.shown).toMatch(/^held throughout/);
    // Not judged before the first probe (api.write.ok unknown); at 11 s the write failed but nobody led (true);
    // at 11.5 s etcd-2 leads while the last write still failed.
    expect(bad).toEqual({ pass: false, value: null, shown: 'false at 11.500s: api.write.ok = 0, leaders.etcd.led = 1' });
  });

  it('never and sometimes see the leaderless moment between kill and re-election', () => {
    const [never, sometimes, notYet] = run([
      e('never', 'leaders.etcd.led == 0 and api.write.ok == 1'),
      e('sometimes', 'api.write.ok == 0 and leaders.etcd.led == 0'),
      e('sometimes', 'leaders.etcd.count >= 2'),
    ]);
    // At 10 s the leader is gone while the last probe (2 s) still succeeded.
    expect(never).toEqual({ pass: false, value: null, shown: 'true at 10.000s: leaders.etcd.led = 0, api.write.ok = 1' });
    expect(sometimes).toEqual({ pass: true, value: null, shown: 'true at 11.000s: api.write.ok = 0, leaders.etcd.led = 0' });
    expect(notYet).toEqual({ pass: false, value: null, shown: 'never held; at the end: leaders.etcd.count = 1' });
  });

  it('counts leaders per etcd term (election safety)', () => {
    const dual = [...RUN, lead(25, 'm3/etcd', true, 2)];
    const [one, count] = run([e('always', 'etcd.leadersInTerm <= 1'), e('sometimes', 'leaders.etcd.count == 2')], dual);
    expect(one).toEqual({ pass: false, value: null, shown: 'false at 25.000s: etcd.leadersInTerm = 2' });
    expect(count!.pass).toBe(true);
  });

  it('reads report metrics as constants', () => {
    const [fault] = run([e('sometimes', 'availability.apiWrite < 1')], RUN, { 'availability.apiWrite': 0.98 });
    expect(fault).toMatchObject({ pass: true, shown: 'true at 0.000s: availability.apiWrite = 0.98' });
  });

  it('evaluates a state once per instant, not between observations of the same time', () => {
    // At 10 s the process goes down and at the same instant another member leads: never two, never zero.
    const swap = [lead(1, 'a/etcd', true, 1), lead(5, 'a/etcd', false, 1), lead(5, 'b/etcd', true, 2)];
    const [never0] = run([e('never', 'leaders.etcd.led == 0 and etcd.leadersInTerm == 1')], swap);
    expect(never0!.pass).toBe(true);
  });
});

describe('eventually', () => {
  it('measures from the anchor', () => {
    const [fromFault0, fromStart, atAnchor] = run([ev('leaders.etcd.led == 1 and api.write.ok == 1', 5, 'fault:0'), ev('leaders.etcd.led == 1', 5, 'start'), ev('leaders.etcd.led == 1', 1)]);
    expect(fromFault0).toEqual({ pass: true, value: 2, shown: 'held at 12.000s, 2.000s after fault:0' });
    expect(fromStart).toEqual({ pass: true, value: 1, shown: 'held at 1.000s, 1.000s after start' });
    expect(atAnchor).toEqual({ pass: true, value: 0, shown: 'held at lastFault (20.000s)' });
  });

  it('fails when the window closes first, with the state inside the window', () => {
    const [late] = run([ev('api.write.ok == 1 and leaders.etcd.led == 1', 1.5, 'fault:0')]);
    expect(late).toEqual({ pass: false, value: null, shown: 'not within 1.500s after fault:0 (10.000s): api.write.ok = 0, leaders.etcd.led = 1' });
  });

  it('fails when the run ends inside the window', () => {
    const [ended] = run([ev('leaders.etcd.count == 2', 30)]);
    expect(ended).toEqual({ pass: false, value: null, shown: 'not within 30.000s after lastFault (20.000s) (the run ended 10.000s after it); at the end: leaders.etcd.count = 1' });
  });

  it('fails without its anchor', () => {
    const [none, noFault] = run([ev('leaders.etcd.led == 1', 5), ev('leaders.etcd.led == 1', 5, 'fault:7')], RUN.filter((o) => o.kind !== 'fault'));
    expect(none).toEqual({ pass: false, value: null, shown: 'cannot evaluate: no fault fired' });
    expect(noFault).toEqual({ pass: false, value: null, shown: 'cannot evaluate: faults[7] never fired' });
  });
});
