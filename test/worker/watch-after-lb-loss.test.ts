// A kubelet whose pod watch rode through a load balancer or to an apiserver machine that went down still sees the pods bound to it afterwards.
import { describe, expect, it } from 'vitest';
import { loose } from '../observations.ts';
import { obs, runWith } from '../etcd/helpers.ts';

/**
 * lb-1 holds the VIP and every kubelet's watch goes through it; it loses power for good at 30 s and
 * lb-2 takes the VIP. worker-1 dies at 40 s: its 4 pods are evicted about 350 s later and bound to
 * worker-2 and worker-3, whose watches were opened through lb-1 (watch timeouts are 5–10 min).
 */
const SCENARIO = `name: t
duration: 460s
cluster:
  topology: stacked
  masters: 3
  workers: 3
  loadBalancer: { count: 2, vip: keepalived }
faults:
  - { at: 30s, kill: "vip:holder", scope: machine }
  - { at: 40s, kill: worker-1 }
`;

/** The same, but what goes down is a master for 5 s (a quick reboot): haproxy's connection to it is dead, the apiserver back at once. */
const REBOOT = SCENARIO.replace('{ at: 30s, kill: "vip:holder", scope: machine }', '{ at: 30s, kill: master-1, for: 5s }');

/** Binding to running takes the watch delivery plus the container start (2 s): far less than this. */
const START_WITHIN_S = 15;

describe('pod watch after the load balancer it rode on died', () => {
  it('replacement pods start within seconds of being bound, not when the old watch times out', () => {
    // Before the fix, lb-2 relayed the kubelets' lease renewals on the same connection while their watches
    // waited, dead, on lb-1 until their deadline: in seed 1 a replacement had not started 70 s after it was bound.
    expectPromptStarts(SCENARIO);
  });

  it('the same after the apiserver machine a watch was pinned to rebooted', () => {
    // Before the fix, the renewals reached master-1's new apiserver on the old haproxy connection while
    // the watch on its previous life waited out its deadline.
    expectPromptStarts(REBOOT);
  });
});

function expectPromptStarts(yaml: string): void {
  for (const seed of [1, 2, 3]) {
    const run = runWith(yaml, seed);
    const scheduled = new Map<string, number>();
    for (const o of obs(run, 'pod', (x) => loose(x)['scheduled'] === true && x.at > 60e6)) scheduled.set(String(loose(o)['pod']), o.at / 1e6);
    expect(scheduled.size, `seed ${seed}: replacements bound`).toBe(4);
    for (const [pod, at] of scheduled) {
      const started = obs(run, 'pod', (x) => loose(x)['pod'] === pod && loose(x)['running'] === true);
      expect(started.length, `seed ${seed}: ${pod} started`).toBe(1);
      expect(started[0]!.at / 1e6 - at, `seed ${seed}: ${pod} bound at ${at} s`).toBeLessThan(START_WITHIN_S);
    }
  }
}
