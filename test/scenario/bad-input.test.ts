// Bad scenario input: every case must name the file, the field path and what was expected.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/scenario/errors.ts';
import { findJsonSyntaxError } from '../../src/scenario/json.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import { parseScenarioText } from '../../src/scenario/parse.ts';

const FILE = 'scenarios/x.yaml';
const HEAD = 'name: t\nduration: 120s\n';

/** The InputError message for `text`, failing the test if it parses. */
function errorOf(text: string, sets?: string[], file = FILE): string {
  try {
    parseScenarioText(text, file, { sets });
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).name).toBe('InputError');
    return (err as Error).message;
  }
  throw new Error(`expected an InputError for:\n${text}`);
}

type Case = [title: string, text: string, expected: string[], sets?: string[]];

const cases: Case[] = [
  ['malformed YAML', 'name: [a\n', [`${FILE}: malformed YAML at line 2, column 1: `]],
  ['duplicate key', 'name: a\nname: b\nduration: 1s\n', [`${FILE}: malformed YAML at line 2, column 1: Map keys must be unique`]],
  ['top-level list', '- name: a\n- name: b\n', [`${FILE}: expected a mapping at the top level (name: …, duration: …), got a list`]],
  ['top-level scalar', 'hello\n', [`${FILE}: expected a mapping at the top level (name: …, duration: …), got "hello"`]],
  ['empty text', '   \n', [`${FILE}: the file is empty`]],
  ['only comments', '# a scenario\n', [`${FILE}: the file is empty`]],
  ['missing name and duration', 'seed: 2\n', [`${FILE}: name: required field is missing (expected a string)`, `${FILE}: duration: required field is missing (expected a positive duration like "30s")`]],
  ['wrong type: masters as string', `${HEAD}cluster: { masters: "3" }\n`, [`${FILE}: cluster.masters: expected a number, got "3"`]],
  ['wrong type: float masters', `${HEAD}cluster: { masters: 2.5 }\n`, [`${FILE}: cluster.masters: expected an integer, got 2.5`]],
  ['wrong type: boolean', `${HEAD}params: { etcd: { preVote: yes } }\n`, [`${FILE}: params.etcd.preVote: expected true or false, got "yes"`]],
  ['wrong type: section is a list', `${HEAD}params: [1]\n`, [`${FILE}: params: expected a mapping, got a list`]],
  ['unknown enum value', `${HEAD}cluster: { topology: stackd }\n`, [`${FILE}: cluster.topology: expected one of stacked, external, got "stackd"`]],
  ['unit-less duration', 'name: t\nduration: 120\n', [`${FILE}: duration: expected a positive duration like "30s", got 120`]],
  ['duration that is not one', `${HEAD}faults:\n  - { at: 10s, kill: master-1 }\n  - { at: 20s, kill: master-2 }\n  - { at: soon, kill: master-3 }\n`, [`${FILE}: faults[2].at: expected a duration like "30s", got "soon"`]],
  ['negative duration', `${HEAD}faults:\n  - { at: -5s, kill: master-1 }\n`, [`${FILE}: faults[0].at: expected a non-negative duration like "30s", got "-5s"`]],
  ['zero period', `${HEAD}params: { haproxy: { inter: 0s } }\n`, [`${FILE}: params.haproxy.inter: expected a positive duration like "30s", got "0s"`]],
  ['unknown verb', `${HEAD}faults:\n  - { at: 10s, explode: master-1 }\n`, [`${FILE}: faults[0].explode: unknown verb or field "explode"; verbs: kill, stop, start, pause, resume, partition, isolate, cut, heal, latency, loss, clock, disk, random`]],
  ['misspelt verb', `${HEAD}faults:\n  - { at: 10s, kil: master-1 }\n`, [`${FILE}: faults[0].kil: unknown verb or field "kil" (did you mean kill?)`]],
  ['two verbs in one fault', `${HEAD}faults:\n  - { at: 10s, kill: master-1, stop: master-2 }\n`, [`${FILE}: faults[0]: expected exactly one verb (kill, stop, start, pause, resume, partition, isolate, cut, heal, latency, loss, clock, disk, random), got kill and stop`]],
  ['no verb', `${HEAD}faults:\n  - { at: 10s }\n`, [`${FILE}: faults[0]: expected exactly one verb`, 'got none']],
  ['fault without at', `${HEAD}faults:\n  - { kill: master-1 }\n`, [`${FILE}: faults[0].at: required field is missing`]],
  ['scope on a network verb', `${HEAD}faults:\n  - { at: 1s, isolate: master-1, scope: machine }\n`, [`${FILE}: faults[0].scope: only kill, stop, start, pause, resume take a scope, not isolate`]],
  ['unknown field (typo)', `${HEAD}params:\n  leaderElection: { leaseDuraton: 30s }\n`, [`${FILE}: params.leaderElection.leaseDuraton: unknown field (did you mean leaseDuration?)`]],
  ['unknown top-level field', `${HEAD}fault: []\n`, [`${FILE}: fault: unknown field (did you mean faults?)`]],
  ['unknown target', `${HEAD}faults:\n  - { at: 10s, kill: master-7 }\n`, [`${FILE}: faults[0].kill: unknown target "master-7" (machines: master-1..3, lb-1, worker-1..3, client; etcd members: etcd-1..3; processes like master-1/kube-apiserver; zones: zone-1; roles: etcd:leader, etcd:follower, kube-scheduler:leader, kube-controller-manager:leader, vip:holder, <component>:killed)`]],
  ['misspelt role selector', `${HEAD}faults:\n  - { at: 10s, kill: "etcd:leder" }\n`, [`${FILE}: faults[0].kill: unknown target "etcd:leder"`, 'did you mean etcd:leader?']],
  ['process on the wrong machine', `${HEAD}faults:\n  - { at: 10s, kill: worker-1/etcd }\n`, [`${FILE}: faults[0].kill: unknown target "worker-1/etcd" (worker-1 runs kubelet)`]],
  ['process where a machine is needed', `${HEAD}faults:\n  - { at: 10s, isolate: master-1/etcd }\n`, [`${FILE}: faults[0].isolate: "master-1/etcd" is a process; expected a machine or a zone (for instance master-1)`]],
  ['unknown target inside a partition', `${HEAD}faults:\n  - { at: 10s, partition: [[master-1], [master-9]] }\n`, [`${FILE}: faults[0].partition[1][0]: unknown target "master-9"`]],
  ['unknown target in a cut', `${HEAD}faults:\n  - { at: 10s, cut: { from: master-1, to: [lb-2] } }\n`, [`${FILE}: faults[0].cut.to[0]: unknown target "lb-2"`]],
  ['unknown target in latency', `${HEAD}faults:\n  - { at: 10s, latency: { between: [master-1, nobody], add: 200ms } }\n`, [`${FILE}: faults[0].latency.between[1]: unknown target "nobody"`]],
  ['disk on a machine without etcd', `${HEAD}faults:\n  - { at: 10s, disk: { target: worker-1, fsync: 500ms } }\n`, [`${FILE}: faults[0].disk.target: "worker-1" runs no etcd member; expected an etcd member like etcd-1`]],
  ['vip:holder without a VIP', `${HEAD}faults:\n  - { at: 10s, kill: "vip:holder" }\n`, [`${FILE}: faults[0].kill: vip:holder needs a VIP (cluster.loadBalancer.vip: keepalived)`]],
  ['fault after the end', `${HEAD}faults:\n  - { at: 130s, kill: master-1 }\n`, [`${FILE}: faults[0].at: 2m10s is after the end of the run (duration: 2m)`]],
  ['leaseDuration not above renewDeadline', `${HEAD}params:\n  leaderElection: { leaseDuration: 10s }\n`, [`${FILE}: params.leaderElection.leaseDuration: must be greater than renewDeadline (10s), got 10s`]],
  ['renewDeadline not above 1.2 × retryPeriod', `${HEAD}params:\n  leaderElection: { renewDeadline: 2s }\n`, [`${FILE}: params.leaderElection.renewDeadline: must be greater than 1.2 × retryPeriod (2.4s), got 2s`]],
  ['per-component override breaks the rule', `${HEAD}params:\n  kubeControllerManager: { renewDeadline: 20s }\n`, [`${FILE}: params.kubeControllerManager.renewDeadline: must be less than leaseDuration (15s), got 20s (effective values for kube-controller-manager)`]],
  ['electionTimeout below 5 × heartbeat', `${HEAD}params:\n  etcd: { heartbeatInterval: 300ms }\n`, [`${FILE}: params.etcd.electionTimeout: must be at least 5 × heartbeatInterval (1.5s), got 1s`]],
  ['etcdMembers with stacked', `${HEAD}cluster: { etcdMembers: 5 }\n`, [`${FILE}: cluster.etcdMembers: only allowed with topology: external`]],
  ['VIP with one load balancer', `${HEAD}cluster: { loadBalancer: { vip: keepalived } }\n`, [`${FILE}: cluster.loadBalancer.vip: keepalived needs at least two load balancers to move the VIP between, got loadBalancer.count: 1`]],
  ['machine in two partition groups', `${HEAD}faults:\n  - { at: 10s, partition: [[master-1, master-2], [master-3, master-2]] }\n`, [`${FILE}: faults[0].partition[1][1]: master-2 is already in partition[0]; a machine can be in only one group`]],
  ['zone overlapping a partition group', `${HEAD}cluster: { zones: 2 }\nfaults:\n  - { at: 10s, partition: [[master-1], [zone-1]] }\n`, [`${FILE}: faults[0].partition[1][0]: "zone-1" includes master-1, which is already in partition[0]`]],
  ['unknown metric with suggestion', `${HEAD}expect:\n  - { metric: leaders.etcd.maxLeaderless, max: 2 }\n`, [`${FILE}: expect[0].metric: unknown metric "leaders.etcd.maxLeaderless" (did you mean leaders.etcd.maxLeaderlessSeconds?)`]],
  ['metric bound without min or max', `${HEAD}expect:\n  - { metric: availability.apiWrite }\n`, [`${FILE}: expect[0]: a metric expectation needs min, max or both`]],
  ['loss rate above 1', `${HEAD}faults:\n  - { at: 10s, loss: { between: all, rate: 1.5 } }\n`, [`${FILE}: faults[0].loss.rate: expected a fraction between 0 and 1, got 1.5`]],
  ['network loss above 1', `${HEAD}params: { network: { loss: 2 } }\n`, [`${FILE}: params.network.loss: expected a fraction between 0 and 1, got 2`]],
  ['negative eviction rate', `${HEAD}params: { nodeLifecycle: { nodeEvictionRate: -0.1 } }\n`,
    [`${FILE}: params.nodeLifecycle.nodeEvictionRate: expected a rate per second >= 0 (--node-eviction-rate), got -0.1`]],
  ['secondary eviction rate not a number', `${HEAD}params: { nodeLifecycle: { secondaryNodeEvictionRate: fast } }\n`,
    [`${FILE}: params.nodeLifecycle.secondaryNodeEvictionRate: expected a rate per second (--secondary-node-eviction-rate), got fast`]],
  ['fractional large-cluster threshold', `${HEAD}params: { nodeLifecycle: { largeClusterSizeThreshold: 2.5 } }\n`,
    [`${FILE}: params.nodeLifecycle.largeClusterSizeThreshold: expected a whole number of nodes (--large-cluster-size-threshold), got 2.5`]],
  ['unhealthy-zone threshold above 1', `${HEAD}params: { nodeLifecycle: { unhealthyZoneThreshold: 1.5 } }\n`,
    [`${FILE}: params.nodeLifecycle.unhealthyZoneThreshold: expected the NotReady share of a zone (--unhealthy-zone-threshold) between 0 and 1, got 1.5`]],
  ['masters = 0', `${HEAD}cluster: { masters: 0 }\n`, [`${FILE}: cluster.masters: must be at least 1, got 0`]],
  ['too many masters', `${HEAD}cluster: { masters: 11 }\n`, [`${FILE}: cluster.masters: must be at most 9, got 11`]],
  ['heal with something other than all', `${HEAD}faults:\n  - { at: 10s, heal: master-1 }\n`, [`${FILE}: faults[0].heal: expected "all" (heal removes every partition and cut), got "master-1"`]],
  ['latency between three machines', `${HEAD}faults:\n  - { at: 10s, latency: { between: [a, b, c], add: 1ms } }\n`, [`${FILE}: faults[0].latency.between: expected "all" or a pair of machines like ["master-1", "master-2"], got a list`]],
  ['clock rate zero', `${HEAD}faults:\n  - { at: 10s, clock: { target: master-1, rate: 0 } }\n`, [`${FILE}: faults[0].clock.rate: expected a clock rate > 0 (1 is real time), got 0`]],
  ['random verb unknown', `${HEAD}faults:\n  - { random: { targets: masters, mtbf: 30d, mttr: 1h, verb: explode } }\n`, [`${FILE}: faults[0].random.verb: expected one of kill, stop, pause, isolate, got "explode"`]],
  ['several problems, one per line', `${HEAD}cluster: { masters: 0, workers: -1 }\nparams: { probe: { interval: fast } }\n`, [
    `${FILE}: cluster.masters: must be at least 1, got 0\n${FILE}: cluster.workers: must be at least 0, got -1\n${FILE}: params.probe.interval: expected a positive duration like "30s", got "fast"`,
  ]],
  ['bad --set syntax (no =)', HEAD, [`${FILE}: --set "params.leaderElection.leaseDuration": expected path=value`], ['params.leaderElection.leaseDuration']],
  ['bad --set syntax (empty path)', HEAD, [`${FILE}: --set "=30s": the path before "=" is empty`], ['=30s']],
  ['bad --set syntax (empty segment)', HEAD, [`${FILE}: --set "params..x=1": empty field name in path "params..x"`], ['params..x=1']],
  ['--set into a scalar', HEAD, [`${FILE}: --set "name.first=x": name is a string, so it has no field "first"`], ['name.first=x']],
  ['--set on an unknown field', HEAD, [`${FILE}: params.leaderElection.leaseDuratin: unknown field (did you mean leaseDuration?) (from --set params.leaderElection.leaseDuratin=30s)`], ['params.leaderElection.leaseDuratin=30s']],
  ['--set with a bad value', HEAD, [`${FILE}: params.leaderElection.leaseDuration: expected a positive duration like "30s", got 30 (from --set params.leaderElection.leaseDuration=30)`], ['params.leaderElection.leaseDuration=30']],
  ['--set index out of range', `${HEAD}faults:\n  - { at: 1s, kill: master-1 }\n`, [`${FILE}: --set "faults.5.at=1s": faults has 1 entries; use an index from 0 to 1`], ['faults.5.at=1s']],
  // Hostile and absurd input (issue 15): bounded, refused before it can exhaust time or memory.
  ['--set through __proto__', HEAD, [`${FILE}: --set "__proto__.toString=1": "__proto__" is not a scenario field`], ['__proto__.toString=1']],
  ['--set through constructor.prototype', HEAD, [`${FILE}: --set "constructor.prototype.x=1": "constructor" is not a scenario field`], ['constructor.prototype.x=1']],
  ['a billion pods', `${HEAD}cluster: { pods: 1000000000 }\n`, [`${FILE}: cluster.pods: at most 20000 (the run holds every pod and its events in memory)`]],
  ['a 1us probe interval', `${HEAD}params: { probe: { interval: 1us } }\n`, [`${FILE}: params.probe.interval: expected at least 1ms (a timer below a millisecond`, 'got 1us']],
  ['microsecond etcd timers', `${HEAD}params: { etcd: { heartbeatInterval: 1us, electionTimeout: 5us } }\n`, [`${FILE}: params.etcd.heartbeatInterval: expected at least 1ms`, `${FILE}: params.etcd.electionTimeout: expected at least 1ms`]],
  ['random failures every microsecond', `${HEAD}faults:\n  - { random: { targets: machines, mtbf: 1us, mttr: 1us } }\n`, [`${FILE}: faults[0].random.mtbf: expected at least 1s`, `${FILE}: faults[0].random.mttr: expected at least 1ms`]],
  ['YAML alias bomb', `${HEAD}a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`, [`${FILE}: malformed YAML: its aliases (*name) expand to too much data`]],
  ['YAML nested 5,000 deep', `${HEAD}params: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, [`${FILE}: malformed YAML: nested more than 64 levels deep`]],
  ['duplicate key in YAML flow style', '{name: t, name: u, duration: 5s}\n', [`${FILE}: malformed YAML`, 'Map keys must be unique']],
  ['duration beyond what hasim counts', 'name: t\nduration: 104249991d\n', [`${FILE}: duration: duration "104249991d" is too large (at most about 104249d`]],
];

describe('bad scenario input', () => {
  it('has at least 25 distinct cases', () => {
    expect(new Set(cases.map((c) => c[0])).size).toBeGreaterThanOrEqual(25);
  });
  it.each(cases)('%s', (_title, text, expected, sets) => {
    const message = errorOf(text, sets);
    for (const part of expected) expect(message).toContain(part);
  });
  it('reports an --set problem once, without a stack trace in the message', () => {
    const message = errorOf(HEAD, ['nope']);
    expect(message.split('\n')).toHaveLength(1);
    expect(message).not.toMatch(/\bat .*\.ts:\d+/);
  });
});

describe('JSON input errors', () => {
  it('names line and column of malformed JSON', () => {
    const message = errorOf('{\n  "name": "t",\n  "duration": \n}\n', undefined, 'scenarios/x.json');
    expect(message).toBe('scenarios/x.json: malformed JSON at line 4, column 1: expected a value, found "}"');
  });
  it('names the field path of a JSON schema error', () => {
    const message = errorOf('{"name": "t", "duration": "10s", "cluster": {"masters": "three"}}', undefined, 'scenarios/x.json');
    expect(message).toBe('scenarios/x.json: cluster.masters: expected a number, got "three"');
  });
  it('rejects duplicate keys, as YAML does', () => {
    expect(errorOf('{"name": "a", "name": "b", "duration": "1s"}', undefined, 'x.json')).toBe('x.json: malformed JSON at line 1, column 15: duplicate key "name" (keys in a mapping must be unique)');
  });
  it('rejects a top-level JSON array', () => {
    expect(errorOf('[1, 2]', undefined, 'a.json')).toBe('a.json: expected a mapping at the top level (name: …, duration: …), got a list');
  });
});

describe('loadScenarioFile errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hasim-scenario-'));
  const load = (path: string) => {
    try {
      loadScenarioFile(path);
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      return (err as Error).message;
    }
    throw new Error('expected an InputError');
  };
  it('a missing file', () => {
    expect(load(join(dir, 'missing.yaml'))).toBe(`${join(dir, 'missing.yaml')}: no such file`);
  });
  it('a directory', () => {
    mkdirSync(join(dir, 'sub'));
    expect(load(join(dir, 'sub'))).toBe(`${join(dir, 'sub')}: is a directory, expected a scenario file`);
  });
  it('an empty file', () => {
    writeFileSync(join(dir, 'empty.yaml'), '');
    expect(load(join(dir, 'empty.yaml'))).toBe(`${join(dir, 'empty.yaml')}: the file is empty; expected a scenario (a mapping with name, duration, cluster, faults, …)`);
  });
  it('a binary file', () => {
    writeFileSync(join(dir, 'bin.yaml'), Buffer.from([0, 1, 2, 3]));
    expect(load(join(dir, 'bin.yaml'))).toContain('is not a text file');
  });
  it('a malformed file names the path it was given', () => {
    writeFileSync(join(dir, 'bad.yaml'), 'name: t\nduration: 1s\ncluster: { masters: x }\n');
    expect(load(join(dir, 'bad.yaml'))).toBe(`${join(dir, 'bad.yaml')}: cluster.masters: expected a number, got "x"`);
  });
});

describe('findJsonSyntaxError', () => {
  const table: [string, number, string][] = [
    ['{"a": }', 6, 'expected a value, found "}"'],
    ['{"a": 1,}', 8, 'expected a property name in double quotes, found "}"'],
    ["{'a': 1}", 1, 'expected a property name in double quotes'],
    ['{"a": 1', 7, 'expected "," or "}", found the end of the file'],
    ['[1 2]', 3, 'expected "," or "]", found "2"'],
    ['{"a": 1} x', 9, 'unexpected text after the end'],
  ];
  it.each(table)('%s', (text, offset, message) => {
    const found = findJsonSyntaxError(text);
    expect(found?.offset).toBe(offset);
    expect(found?.message).toContain(message);
  });
  it('accepts valid JSON', () => {
    expect(findJsonSyntaxError('{"a": [1, -2.5e3, true, null, "x\\n"], "b": {}}')).toBeNull();
  });
});
