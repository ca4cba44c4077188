// The URL hash reproduces the run: every field round-trips, and malformed parts become messages, never exceptions.
import { describe, expect, it } from 'vitest';
import { defaultConfig, faultText, parseFaultText, type RunConfig } from '../../web/src/config.ts';
import { decodeHash, encodeHash } from '../../web/src/url.ts';

describe('URL hash', () => {
  it('round-trips a config with text, seed, topology, sets, faults, time and speed', () => {
    const cfg: RunConfig = {
      scenario: 'kill-etcd-leader',
      text: 'name: é ✓ "quoted" <b>x</b>\nduration: 10s\n# & = ? # %\n',
      seed: 42,
      topology: 'external',
      sets: ['params.leaderElection.leaseDuration=20s', 'params.haproxy.fall=2'],
      faults: [
        { at: '12.345s', kill: 'etcd-2' },
        { at: '3s', partition: [['master-1', 'lb-1'], ['master-2']] },
        { at: '20s', heal: 'all' },
        { at: '1s', pause: 'master-1/kube-scheduler', for: '5s' },
        { at: '2s', latency: { between: ['master-1', 'master-2'], add: '200ms' } },
      ],
    };
    const hash = encodeHash({ cfg, t: 31_204_000, speed: 100, compare: true });
    const { state, errors } = decodeHash(hash, 'baseline');
    expect(errors).toEqual([]);
    expect(state).toEqual({ cfg, t: 31_204_000, speed: 100, compare: true });
    expect(encodeHash(state)).toBe(hash);
  });

  it('a bare hash means the default scenario, as written', () => {
    expect(decodeHash('', 'baseline').state).toEqual({ cfg: defaultConfig('baseline'), t: null, speed: null, compare: false });
  });

  it('reads the readable fault form', () => {
    expect(parseFaultText('30s kill etcd:leader')).toEqual({ at: '30s', kill: 'etcd:leader' });
    expect(parseFaultText('30s isolate master-1 for 20s')).toEqual({ at: '30s', isolate: 'master-1', for: '20s' });
    expect(faultText({ at: '3s', partition: [['a', 'b'], ['c']] })).toBe('3s partition a,b|c');
  });

  it('reports malformed parts as sentences and keeps the rest', () => {
    const { state, errors } = decodeHash('#scenario=baseline&seed=abc&topology=ring&fault=whenever&fault={oops&t=-3&text=%%%&bogus=1', 'x');
    expect(state.cfg.scenario).toBe('baseline');
    expect(state.cfg.seed).toBeNull();
    expect(errors).toEqual([
      'URL: text: expected the scenario text in base64url, got something that does not decode',
      'URL: seed: expected an integer ≥ 0, got "abc"',
      'URL: topology: expected stacked or external, got "ring"',
      'URL: fault 1: expected a fault like "12.5s kill master-1", got "whenever"',
      'URL: fault 2: expected a fault like "12.5s kill master-1", got "{oops"',
      'URL: t: expected a number ≥ 0, got "-3"',
      'URL: unknown parameter "bogus" (ignored)',
    ]);
  });
});
