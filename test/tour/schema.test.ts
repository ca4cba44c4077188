// Tours in scenario files: parsing, normalization, markup, and the exit-2 messages for bad tours.
import { describe, expect, it } from 'vitest';
import { InputError, markupPlain, markupSpans, parseScenarioText } from '../../src/scenario/index.ts';
import { hasim, tempDir, write } from '../check/helpers.ts';

const base = (tour: string, cluster = '{ topology: stacked, masters: 3 }') => `name: t
duration: 60s
cluster: ${cluster}
faults:
  - { at: 10s, kill: etcd-1, for: 20s }
tour:
${tour}`;

function problems(text: string): string[] {
  try {
    parseScenarioText(text, 'x.yaml');
  } catch (err) {
    if (err instanceof InputError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  return [];
}

describe('tour schema', () => {
  it('normalizes steps: anchors default to start + 0, answers by text become indices', () => {
    const s = parseScenarioText(base(`  - { at: 5s, text: "look at *this*", highlight: [master-1/etcd, lane:etcd, backend:lb-1/master-2] }
  - when: "leaders.etcd.led == 0"
    after: fault:0
    text: gone
    question: { prompt: "what now?", choices: [a, b, c], answer: b, explain: because }
  - { after: step:1, text: later }`), 'x.yaml');
    expect(s.tour).toEqual([
      { index: 0, after: 'start', at: 5_000_000, when: null, text: 'look at *this*', highlight: ['master-1/etcd', 'lane:etcd', 'backend:lb-1/master-2'], question: null },
      { index: 1, after: 'fault:0', at: 0, when: 'leaders.etcd.led == 0', text: 'gone', highlight: [], question: { prompt: 'what now?', choices: ['a', 'b', 'c'], answer: 1, explain: 'because' } },
      { index: 2, after: 'step:1', at: 0, when: null, text: 'later', highlight: [], question: null },
    ]);
  });

  it('a scenario without a tour has an empty one', () => {
    expect(parseScenarioText('name: t\nduration: 10s\n', 'x.yaml').tour).toEqual([]);
  });

  it('rejects an unknown variable, an answer not among the choices, and names the field', () => {
    expect(problems(base(`  - { when: "leaders.etcd.lead == 0", text: x }
  - { at: 1s, text: y, question: { prompt: p, choices: [a, b], answer: c, explain: e } }
  - { at: 1s, text: y, question: { prompt: p, choices: [a, b], answer: 2, explain: e } }`))).toEqual([
      'tour[0].when: unknown variable "leaders.etcd.lead" (did you mean leaders.etcd.led?)',
      'tour[1].question.answer: expected one of the choices ("a", "b") or an index below 2, got "c"',
      'tour[2].question.answer: expected one of the choices ("a", "b") or an index below 2, got index 2',
    ]);
  });

  it('rejects unknown highlight targets, bad anchors and times beyond the run', () => {
    expect(problems(base(`  - { at: 0s, text: a, highlight: [master-4, vip, lane:pods, backend:lb-1/worker-1, "etcd:leader", master-1/etcd] }
  - { after: step:3, text: b }
  - { after: fault:2, text: c }
  - { at: 61s, text: d }
  - { after: fault:0, at: 51s, text: e }`))).toEqual([
      'tour[0].highlight[0]: unknown highlight "master-4" (a machine like master-1, a process like master-1/etcd, lane:<name>, backend:lb-1/master-2 or vip)',
      'tour[0].highlight[1]: this cluster has no VIP (cluster.loadBalancer.vip: keepalived)',
      'tour[0].highlight[2]: unknown lane "pods" (lanes: etcd, kube-scheduler, kube-controller-manager, quorum, api-read, api-write, network, faults, nodes)',
      'tour[0].highlight[3]: lb-1 has no backend "worker-1" (its backends are the masters)',
      'tour[0].highlight[4]: "etcd:leader" is resolved only when a fault fires; highlight a machine or process by name',
      'tour[1].after: step:3 must name an earlier step (this is step 1)',
      'tour[2].after: fault:2 names no fault (the scenario has 1 fault)',
      'tour[3].at: 1m1s is after the end of the run (duration: 1m)',
      'tour[4].at: 1m1s is after the end of the run (duration: 1m)',
    ]);
    expect(problems(base('  - { text: f }'))).toEqual(['tour[0]: a step needs an anchor: at, when, after or a combination']);
  });

  it('accepts names of either topology, so that --topology does not break a tour', () => {
    const tour = '  - { at: 0s, text: a, highlight: [master-1/etcd, etcd-2] }';
    expect(problems(base(tour))).toEqual([]);
    expect(problems(base(tour, '{ topology: external, masters: 3 }'))).toEqual([]);
    expect(problems(base('  - { at: 0s, text: a, highlight: [master-1/haproxy] }'))).toEqual([
      'tour[0].highlight[0]: unknown highlight "master-1/haproxy" (a machine like master-1, a process like master-1/etcd, lane:<name>, backend:lb-1/master-2 or vip)',
    ]);
  });

  it('accepts the VIP with keepalived', () => {
    expect(problems(base('  - { at: 0s, text: a, highlight: [vip, lb-2/keepalived] }', '{ topology: stacked, masters: 3, loadBalancer: { count: 2, vip: keepalived } }'))).toEqual([]);
  });

  it('hasim run exits 2 with the file and field path', async () => {
    const file = write(tempDir(), 'bad.yaml', base('  - { at: 0s, text: a, highlight: [master-9] }'));
    const r = await hasim(['run', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: tour[0].highlight[0]: unknown highlight "master-9"`);
  });
});

describe('tour markup', () => {
  it('knows emphasis and code, and nothing else', () => {
    expect(markupSpans('a *b* `c*d` <i>e</i> * f')).toEqual([
      { kind: 'text', text: 'a ' }, { kind: 'em', text: 'b' }, { kind: 'text', text: ' ' }, { kind: 'code', text: 'c*d' }, { kind: 'text', text: ' <i>e</i> * f' },
    ]);
    expect(markupPlain('the *leader* `etcd-1`')).toBe('the leader `etcd-1`');
  });
});

describe('hasim schema', () => {
  it('describes the tour: steps with anchors, text, highlights and a question', async () => {
    const { scenarioJsonSchema } = await import('../../src/scenario/index.ts');
    const tour = (scenarioJsonSchema() as { properties: Record<string, { items?: { properties?: Record<string, { properties?: object }> } }> }).properties['tour']!;
    expect(Object.keys(tour.items!.properties!)).toEqual(['at', 'when', 'after', 'text', 'highlight', 'question']);
    expect(Object.keys(tour.items!.properties!['question']!.properties!)).toEqual(['prompt', 'choices', 'answer', 'explain']);
  });
});
