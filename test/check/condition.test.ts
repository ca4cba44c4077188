// The condition language of temporal expectations: what parses, and the exact message for what does not.
import { describe, expect, it } from 'vitest';
import { holds, parseCondition, STATE_VARIABLES } from '../../src/scenario/condition.ts';

describe('parseCondition', () => {
  it.each([
    ['leaders.etcd.count <= 1', { kind: 'cmp', variable: 'leaders.etcd.count', op: '<=', value: 1 }],
    ['availability.apiWrite<1', { kind: 'cmp', variable: 'availability.apiWrite', op: '<', value: 1 }],
    ['nodes.notReady != -2.5e1', { kind: 'cmp', variable: 'nodes.notReady', op: '!=', value: -25 }],
    ['leaders.kube-scheduler.led == 1', { kind: 'cmp', variable: 'leaders.kube-scheduler.led', op: '==', value: 1 }],
  ])('parses %s', (text, ast) => {
    expect(parseCondition(text)).toEqual(ast);
  });

  it('binds and tighter than or, and honours parentheses', () => {
    const flat = parseCondition('api.read.ok == 1 or api.write.ok == 1 and lb.backendsUp >= 2');
    expect(flat.kind).toBe('or');
    const grouped = parseCondition('(api.read.ok == 1 or api.write.ok == 1) and lb.backendsUp >= 2');
    expect(grouped.kind).toBe('and');
  });

  it('knows every state variable', () => {
    for (const v of STATE_VARIABLES) expect(() => parseCondition(`${v} >= 0`)).not.toThrow();
    expect(STATE_VARIABLES).toContain('leaders.kube-controller-manager.count');
    expect(STATE_VARIABLES).toContain('etcd.leadersInTerm');
  });

  it.each([
    ['leader.etcd.count <= 1', 'unknown variable "leader.etcd.count" (did you mean leaders.etcd.count?)'],
    ['zzz > 1', 'unknown variable "zzz" (state variables: leaders.<group>.count, leaders.<group>.led, leaders.all.led, etcd.leadersInTerm, api.write.ok, api.read.ok, lb.backendsUp, lb.<lb>.<machine>.up, nodes.notReady; or a report metric)'],
    ['leaders.etcd.count = 1', 'unexpected "=" at column 20 (use == to compare)'],
    ['leaders.etcd.count <= 1 && api.write.ok == 1', 'unexpected "&&" at column 25 (use and / or)'],
    ['leaders.etcd.count', 'expected a comparison (< <= > >= == !=) after "leaders.etcd.count", got the end of the condition'],
    ['leaders.etcd.count <=', 'expected a number after "leaders.etcd.count <=", got the end of the condition'],
    ['leaders.etcd.count <= one', 'expected a number after "leaders.etcd.count <=", got "one"'],
    ['leaders.etcd.count <= 1 api.write.ok == 1', 'expected "and", "or" or the end of the condition, got "api.write.ok" at column 25'],
    ['(leaders.etcd.count <= 1', 'expected ")" to close the "(" at column 1, got the end of the condition'],
    ['leaders.etcd.count <= 1)', 'unbalanced ")" at column 24'],
    ['and leaders.etcd.count <= 1', 'expected a variable like leaders.etcd.count, got "and"'],
    ['   ', 'expected a condition like "leaders.etcd.count <= 1", got nothing'],
  ])('rejects %j', (text, message) => {
    expect(() => parseCondition(text)).toThrow(message);
    try {
      parseCondition(text);
    } catch (err) {
      expect((err as Error).message).toBe(message);
    }
  });
});

describe('holds', () => {
  const values: Record<string, number | null> = { 'api.write.ok': 1, 'api.read.ok': 0, 'availability.apiWrite': null };
  const lookup = (v: string): number | null => values[v] ?? null;
  it.each([
    ['api.write.ok == 1 and api.read.ok == 0', true],
    ['api.write.ok == 0 or api.read.ok == 1', false],
    ['api.write.ok == 0 or api.read.ok == 0', true],
    ['availability.apiWrite < 1', false],
    ['availability.apiWrite >= 1', false],
  ])('%s → %s', (text, want) => {
    expect(holds(parseCondition(text), lookup)).toBe(want);
  });
});
