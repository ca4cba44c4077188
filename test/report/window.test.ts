// The measurement window: a run with no fault shows no downtime once the cluster is ready, whatever the timings.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/cluster/run.ts';
import { parseScenarioText } from '../../src/scenario/index.ts';

const parseScenario = (text: string) => parseScenarioText(text, 'test.yaml');

/** The platform team's kubeadm flags (issue 21), or the upstream defaults. */
const TEAM = `
params:
  leaderElection: { leaseDuration: 30s, renewDeadline: 20s, retryPeriod: 4s }
  etcd: { heartbeatInterval: 250ms, electionTimeout: 2500ms }
  haproxy: { inter: 3s, fall: 2, rise: 2 }
  nodeLifecycle: { gracePeriod: 40s }
`;

function scenario(topology: string, params: string, measure = ''): string {
  return `name: quiet\nduration: 40s\ncluster: { topology: ${topology}, masters: 3, workers: 0, pods: 0 }\n${params}\n${measure}\n`;
}

describe('measurement window', () => {
  for (const [label, params] of [['team timings', TEAM], ['default timings', '']] as const) {
    for (const topology of ['stacked', 'external']) {
      it(`no fault → no downtime once ready (${label}, ${topology}, seeds 1–30)`, () => {
        for (let seed = 1; seed <= 30; seed++) {
          const { report } = runScenario(parseScenario(scenario(topology, params)), { seed });
          expect(report.bootstrapSeconds, `seed ${seed}`).not.toBeNull();
          expect(report.window.from).toBe('ready');
          expect(report.window.fromSeconds).toBe(report.bootstrapSeconds);
          expect(report.downtime.apiWrite.totalSeconds, `seed ${seed}`).toBe(0);
          expect(report.downtime.apiRead.totalSeconds, `seed ${seed}`).toBe(0);
          expect(report.availability.apiWrite, `seed ${seed}`).toBe(1);
          expect(report.leaders.etcd.leaderlessSeconds, `seed ${seed}`).toBe(0);
        }
      });
    }
  }

  it('measure.from: start counts the bootstrap (team timings show it as downtime on some seed)', () => {
    let sawBootstrapDowntime = false;
    for (let seed = 1; seed <= 12 && !sawBootstrapDowntime; seed++) {
      const { report } = runScenario(parseScenario(scenario('stacked', TEAM, 'measure: { from: start }')), { seed });
      expect(report.window).toEqual({ fromSeconds: 0, toSeconds: 40, from: 'start' });
      if (report.downtime.apiWrite.totalSeconds > 0) sawBootstrapDowntime = true;
    }
    expect(sawBootstrapDowntime).toBe(true);
  });

  it('a fault before the cluster is ready starts the window at the fault', () => {
    const text = `${scenario('stacked', TEAM)}faults:\n  - { at: 500ms, kill: etcd-1 }\n`;
    const { report } = runScenario(parseScenario(text), { seed: 1 });
    expect(report.window.from).toBe('fault');
    expect(report.window.fromSeconds).toBe(0.5);
  });
});
