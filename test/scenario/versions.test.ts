// cluster.versions: the stated default, each version-dependent default, bad versions (exit 2 with the list), the report, a sweep over versions.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError, KUBERNETES_VERSIONS, parseScenarioText } from '../../src/scenario/index.ts';
import { parseVary, sweepPoints } from '../../src/study/sweep.ts';
import { hasim, tempDir, write } from '../check/helpers.ts';

const S = 1_000_000;
const parse = (text: string, sets?: string[]) => parseScenarioText(`name: v\nduration: 10s\n${text}`, 'v.yaml', { sets });

describe('version profiles', () => {
  it('default to Kubernetes 1.32 and etcd 3.5: grace 50 s, pre-vote on, scheduler releases', () => {
    const sc = parse('');
    expect(sc.cluster.versions).toEqual({ kubernetes: '1.32', etcd: '3.5' });
    expect(sc.params.nodeLifecycle.gracePeriod).toBe(50 * S);
    expect(sc.params.etcd.preVote).toBe(true);
    expect(sc.params.kubeScheduler.releaseOnCancel).toBe(true);
    expect(sc.params.kubeControllerManager.releaseOnCancel).toBe(false);
  });

  it('choose each version-dependent default from the table', () => {
    expect(parse('cluster: { versions: { kubernetes: "1.31" } }').params.nodeLifecycle.gracePeriod).toBe(40 * S);
    expect(parse('cluster: { versions: { kubernetes: "1.33" } }').params.nodeLifecycle.gracePeriod).toBe(50 * S);
    expect(parse('cluster: { versions: { etcd: "3.4" } }').params.etcd.preVote).toBe(false);
    expect(parse('cluster: { versions: { etcd: "3.6" } }').params.etcd.preVote).toBe(true);
  });

  it('let explicit params win over the version default', () => {
    const sc = parse('cluster: { versions: { kubernetes: "1.28", etcd: "3.4" } }\nparams: { nodeLifecycle: { gracePeriod: 45s }, etcd: { preVote: true } }');
    expect(sc.params.nodeLifecycle.gracePeriod).toBe(45 * S);
    expect(sc.params.etcd.preVote).toBe(true);
  });

  it('read an unquoted YAML number as the version it was meant to be (1.30 parses as 1.3)', () => {
    expect(parse('cluster: { versions: { kubernetes: 1.30, etcd: 3.4 } }').cluster.versions).toEqual({ kubernetes: '1.30', etcd: '3.4' });
    expect(parse('', ['cluster.versions.kubernetes=1.28']).cluster.versions.kubernetes).toBe('1.28');
  });

  it('reject an unsupported version, naming the field and the supported list', () => {
    let err: unknown;
    try {
      parse('cluster: { versions: { kubernetes: "1.12" } }');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const text = (err as InputError).message;
    expect(text).toContain('cluster.versions.kubernetes');
    for (const v of KUBERNETES_VERSIONS) expect(text).toContain(`"${v}"`);
  });

  it('hasim run: a bad version exits 2 with the list; the text and JSON reports show the versions', async () => {
    const dir = tempDir();
    const bad = write(dir, 'bad.yaml', 'name: b\nduration: 5s\ncluster: { versions: { etcd: "2.3" } }\n');
    const r = await hasim(['run', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"3.4", "3.5", "3.6"');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const good = write(dir, 'good.yaml', 'name: g\nduration: 5s\ncluster: { workers: 0, versions: { kubernetes: "1.29", etcd: "3.4" } }\n');
    const ok = await hasim(['run', good, '--json', join(dir, 'r.json')]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Kubernetes 1.29 / etcd 3.4');
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).versions).toEqual({ kubernetes: '1.29', etcd: '3.4' });
  });
});

describe('sweep over string values', () => {
  it('takes a comma list: --vary cluster.versions.kubernetes=1.28,1.32', () => {
    const v = parseVary('cluster.versions.kubernetes=1.28,1.30,1.32');
    expect(v).toEqual({ path: 'cluster.versions.kubernetes', kind: 'list', values: ['1.28', '1.30', '1.32'] });
    const points = sweepPoints([v], []);
    expect(points.map((p) => p.key)).toEqual(['cluster.versions.kubernetes=1.28', 'cluster.versions.kubernetes=1.30', 'cluster.versions.kubernetes=1.32']);
    // Each point's --set keeps the text as written (1.30 stays "1.30").
    expect(parse('', points[1]!.sets).cluster.versions.kubernetes).toBe('1.30');
    expect(parseVary('cluster.topology=stacked,external').values).toEqual(['stacked', 'external']);
  });

  it('rejects an empty item and duplicates', () => {
    expect(() => parseVary('cluster.versions.kubernetes=1.28,,1.32')).toThrow(/empty value/);
    expect(() => parseVary('cluster.versions.kubernetes=1.28,1.28')).toThrow(/twice/);
  });

  it('hasim sweep runs one point per version', async () => {
    const dir = tempDir();
    const file = write(dir, 's.yaml', 'name: s\nduration: 30s\ncluster: { workers: 0 }\nfaults: [ { at: 5s, kill: "kube-scheduler:leader" } ]\n');
    const r = await hasim(['sweep', file, '--vary', 'cluster.versions.kubernetes=1.28,1.32', '--runs', '2', '--workers', '1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s*1\.28\s+2\s/m);
    expect(r.stdout).toMatch(/^\s*1\.32\s+2\s/m);
  });
});
