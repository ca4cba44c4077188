// Load balancers as operators run them: per-LB backend variables, detection time per fault, fastinter/downinter, timeouts.
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/check/expect.ts';
import { runScenario } from '../../src/cluster/run.ts';
import { checkInterUs, haproxyConfig } from '../../src/lb/config.ts';
import { parseScenarioText } from '../../src/scenario/index.ts';
import { hasim, tempDir, write } from '../check/helpers.ts';

const S = 1_000_000;

function partition(haproxy: string, expect = ''): string {
  return `name: lb-op
duration: 60s
cluster: { topology: stacked, masters: 3, workers: 0, pods: 0, loadBalancer: { count: 2, vip: keepalived } }
params:
  haproxy: { inter: 3s, fall: 2, rise: 2${haproxy} }
faults:
  - { at: 20s, isolate: master-2, for: 30s }
expect:
${expect || '  - { metric: faults.0.lbDetectionSeconds, max: 60 }'}
`;
}

describe('haproxy srv_getinter', () => {
  it('uses inter at full health, downinter when DOWN at 0, fastinter in between', () => {
    const cfg = haproxyConfig({ backends: ['a'], check: 'readyz', interUs: 3 * S, fall: 2, rise: 2, fastinterUs: S / 2, downinterUs: 5 * S });
    expect(checkInterUs(cfg, 3, true)).toBe(3 * S);
    expect(checkInterUs(cfg, 2, true)).toBe(S / 2);
    expect(checkInterUs(cfg, 1, false)).toBe(S / 2);
    expect(checkInterUs(cfg, 0, false)).toBe(5 * S);
    const plain = haproxyConfig({ backends: ['a'], check: 'readyz', interUs: 3 * S, fall: 2, rise: 2 });
    expect([checkInterUs(plain, 2, true), checkInterUs(plain, 0, false)]).toEqual([3 * S, 3 * S]);
  });
});

describe('per-LB backend state and detection time', () => {
  it('lb.<lb>.<machine>.up and lb.any: the isolated master leaves rotation on every LB; detection is measured per fault', () => {
    const scenario = parseScenarioText(partition('', [
      '  - { eventually: "lb.any.master-2.up == 0", within: 15s, after: fault:0 }',
      '  - { always: "lb.lb-1.master-1.up == 1 and lb.lb-2.master-3.up == 1", after: fault:0, until: fault:0.end }',
      '  - { recovers: "lb.all.master-2.up == 1", after: fault:0, until: end }',
      '  - { metric: faults.0.lbDetectionSeconds, max: 15 }',
    ].join('\n')), 'lb.yaml');
    const { report, run } = runScenario(scenario, { seed: 1 });
    const results = evaluate(report, scenario.expect, run.sim.trace.observations, scenario.params.probe.interval);
    expect(results.map((r) => [r.pass, r.shown])).toEqual(results.map((r) => [true, r.shown]));
    expect(report.lbDetection).toEqual([{ fault: 0, backend: 'master-2', seconds: results[0]!.value }]);
  });

  it('fastinter shortens detection (same seeds: common random numbers)', () => {
    const detection = (extra: string, seed: number): number => {
      const { report } = runScenario(parseScenarioText(partition(extra), 'lb.yaml'), { seed });
      return report.lbDetection[0]!.seconds!;
    };
    for (const seed of [1, 2, 3]) {
      expect(detection(', fastinter: 500ms', seed)).toBeLessThan(detection('', seed));
    }
  });

  it.each([
    ['{ always: "lb.lb-3.master-2.up == 1" }', 'expect[0].always: lb.lb-3.master-2.up: the cluster has no load balancer on lb-3 (they run on lb-1, lb-2)'],
    ['{ always: "lb.any.master-7.up == 1" }', 'master-7 is not a backend'],
    ['{ metric: faults.4.lbDetectionSeconds, max: 1 }', 'expect[0].metric: faults.4.lbDetectionSeconds: the scenario has 1 fault'],
  ])('exits 2 on %s', async (line, message) => {
    const dir = tempDir();
    const file = write(dir, 'lb.yaml', partition('', `  - ${line}`));
    const r = await hasim(['check', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe('loadBalancer.placement: masters', () => {
  const onMasters = (expect: string): string => `name: lb-on-masters
duration: 60s
cluster: { topology: stacked, masters: 3, workers: 0, pods: 0, loadBalancer: { count: 2, vip: keepalived, placement: masters } }
faults:
  - { at: 20s, kill: "vip:holder", scope: machine }
expect:
${expect}
`;

  it('runs haproxy and keepalived on master-1 and master-2; no lb machines', () => {
    const scenario = parseScenarioText(onMasters('  - { metric: invariants.violationCount, max: 0 }'), 'm.yaml');
    const { run } = runScenario(scenario, { seed: 1 });
    const ids = run.sim.processes.map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining(['master-1/haproxy', 'master-1/keepalived', 'master-2/haproxy', 'master-2/keepalived']));
    expect(ids.some((id) => id.startsWith('lb-'))).toBe(false);
    expect(ids).not.toContain('master-3/haproxy');
  });

  it('powering off the VIP holder takes its apiserver and its LB at once; the VIP moves and writes come back', () => {
    const scenario = parseScenarioText(onMasters([
      '  - { recovers: "api.write.ok == 1", after: fault:0, within: 15s }',
      '  - { eventually: "lb.master-2.master-1.up == 0", within: 15s, after: fault:0 }',
    ].join('\n')), 'm.yaml');
    const { report, run } = runScenario(scenario, { seed: 1 });
    const results = evaluate(report, scenario.expect, run.sim.trace.observations, scenario.params.probe.interval);
    expect(results.map((r) => [r.pass, r.shown])).toEqual(results.map((r) => [true, r.shown]));
    expect(run.sim.trace.observations.some((o) => o.kind === 'vip' && o.subject === 'master-2/keepalived' && o.detail['holder'] !== null)).toBe(true);
  });

  it('exits 2 on more load balancers than masters, and on a dedicated lb name', async () => {
    const dir = tempDir();
    const many = write(dir, 'many.yaml', 'name: m\nduration: 10s\ncluster: { masters: 3, loadBalancer: { count: 4, placement: masters } }\n');
    const r = await hasim(['check', many]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cluster.loadBalancer.count: with placement: masters, at most one load balancer per master (3), got 4');
    const lb = write(dir, 'lb.yaml', onMasters('  - { always: "lb.lb-1.master-2.up == 1" }'));
    expect((await hasim(['check', lb])).stderr).toContain('no load balancer on lb-1 (they run on master-1, master-2)');
  });
});
