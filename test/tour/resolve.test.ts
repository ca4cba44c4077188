// Where tour steps land: anchors, conditions over the run's state, missing anchors and order, and `hasim check`'s tour row.
import { describe, expect, it } from 'vitest';
import { evaluateTour, resolveTour } from '../../src/check/tour.ts';
import type { Observation } from '../../src/kernel/trace.ts';
import type { TourStep } from '../../src/scenario/index.ts';
import { hasim, tempDir, write } from '../check/helpers.ts';
import { observation } from '../observations.ts';

const S = 1_000_000;
const obs = (at: number, kind: string, subject: string, detail: Record<string, unknown>): Observation => observation(at * S, kind, subject, detail);
const lead = (at: number, member: string, leading: boolean) => obs(at, 'leader', member, { group: 'etcd', leading, cause: 'x' });

/** etcd-1 leads at 1 s; fault 0 kills it at 10 s; etcd-2 leads at 11.5 s. */
const RUN: Observation[] = [
  lead(1, 'm1/etcd', true),
  obs(10, 'fault', 'kill', { verb: 'kill', index: 0, phase: 'begin', text: 'kill' }),
  lead(10, 'm1/etcd', false),
  lead(11.5, 'm2/etcd', true),
];

const step = (index: number, s: Partial<TourStep>): TourStep => ({ index, after: 'start', at: 0, when: null, text: 't', highlight: [], question: null, ...s });

describe('resolveTour', () => {
  it('resolves times, conditions after anchors, and earlier steps as anchors', () => {
    const steps = [
      step(0, { at: 2 * S }),
      step(1, { when: 'leaders.etcd.led == 0', after: 'fault:0' }),
      step(2, { when: 'leaders.etcd.led == 1', after: 'step:1' }),
      step(3, { when: 'leaders.etcd.led == 1' }), // holds from 1 s: the first instant at or after the anchor
      step(4, { after: 'lastFault', at: 500_000 }),
    ];
    expect(resolveTour(steps, RUN, 30 * S).map((s) => s.at)).toEqual([2 * S, 10 * S, 11.5 * S, 1 * S, 10.5 * S]);
  });

  it('a step whose anchor never happens is reported, and so is a step out of order', () => {
    const never = evaluateTour([step(0, { at: S }), step(1, { when: 'leaders.etcd.count >= 2' })], RUN, 30 * S);
    expect(never.pass).toBe(false);
    expect(never.shown).toBe('tour[1]: when "leaders.etcd.count >= 2" never held at or after 0.000s');
    const late = evaluateTour([step(0, { at: 40 * S })], RUN, 30 * S);
    expect(late.shown).toBe('tour[0]: 40.000s is after the end of the run (30.000s)');
    const order = evaluateTour([step(0, { at: 12 * S }), step(1, { after: 'fault:0' })], RUN, 30 * S);
    expect(order.shown).toBe('tour[1] comes at 10.000s, before tour[0] at 12.000s; list the steps in the order they happen');
    const chained = evaluateTour([step(0, { when: 'leaders.etcd.count >= 2' }), step(1, { after: 'step:0' })], RUN, 30 * S);
    expect(chained.steps[1]).toEqual({ index: 1, at: null, missing: 'anchor step:0: tour[0] never came' });
    const ok = evaluateTour([step(0, { at: S }), step(1, { after: 'fault:0' })], RUN, 30 * S);
    expect(ok).toMatchObject({ pass: true, shown: '2 steps, 1.000s … 10.000s' });
  });
});

const scenario = (tour: string) => `name: tour-check
duration: 20s
cluster: { topology: stacked, masters: 3, workers: 0 }
faults:
  - { at: 10s, kill: "etcd:leader" }
tour:
${tour}`;

describe('hasim check and tours', () => {
  it('passes a tour whose steps all come, fails one whose anchor never happens', async () => {
    const dir = tempDir();
    const good = write(dir, 'good.yaml', scenario('  - { at: 1s, text: a }\n  - { after: fault:0, when: "leaders.etcd.led == 1", text: b }\n'));
    const r1 = await hasim(['check', good, '--golden-dir', dir]);
    expect(r1.stdout).toMatch(/tour-check\s+1\s+tour\s+every step anchored, in order\s+2 steps, 1\.000s … 1\d\.\d{3}s\s+PASS/);
    expect(r1.code).toBe(0);
    const bad = write(dir, 'bad.yaml', scenario('  - { when: "leaders.etcd.count >= 2", text: never }\n'));
    const r2 = await hasim(['check', bad, '--golden-dir', dir]);
    expect(r2.stdout).toMatch(/tour\s+every step anchored, in order\s+tour\[0\]: when "leaders.etcd.count >= 2" never held at or after 0.000s\s+FAIL/);
    expect(r2.code).toBe(1);
  });
});
