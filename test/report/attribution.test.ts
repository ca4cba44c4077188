// Downtime attribution: on every shipped scenario the attributed seconds add up to the measured downtime.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/cluster/run.ts';
import { MECHANISMS } from '../../src/report/attribution-state.ts';
import type { Report } from '../../src/report/metrics.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';

const FILES = readdirSync('scenarios').filter((f) => f.endsWith('.yaml')).sort();

function attributed(r: Report, measure: string): number {
  return r.attribution.filter((a) => a.measure === measure).reduce((s, a) => s + a.seconds, 0);
}

function checkSums(r: Report, probeIntervalS: number): void {
  expect(Math.abs(attributed(r, 'apiWrite') - r.downtime.apiWrite.totalSeconds)).toBeLessThanOrEqual(probeIntervalS);
  expect(Math.abs(attributed(r, 'apiRead') - r.downtime.apiRead.totalSeconds)).toBeLessThanOrEqual(probeIntervalS);
  for (const [group, s] of Object.entries(r.leaders)) {
    expect(Math.abs(attributed(r, `leaderless ${group}`) - s.leaderlessSeconds), group).toBeLessThanOrEqual(probeIntervalS);
  }
  const lost = attributed(r, 'lostPodSeconds');
  if (r.availability.workloads === 1 || r.availability.workloads === null) expect(lost).toBe(0);
  else expect(lost).toBeGreaterThan(0);
  for (const a of r.attribution) {
    expect(a.seconds).toBeGreaterThan(0);
    expect(a.episodes).toBeGreaterThan(0);
  }
}

describe('downtime attribution', () => {
  it.each(FILES)('%s: attributed seconds add up to the measured downtime', (file) => {
    const scenario = loadScenarioFile(`scenarios/${file}`);
    const probeIntervalS = scenario.params.probe.interval / 1e6;
    const { report } = runScenario(scenario, { keepObservations: false, traceHash: false });
    checkSums(report, probeIntervalS);
    if (file === 'study-random-failures.yaml') {
      // fast-forward adds skipped probes in blocks: attribution must count them as downtime does
      checkSums(runScenario(scenario, { keepObservations: false, traceHash: false, fastForward: true }).report, probeIntervalS);
    }
  }, 120_000);

  it('names the mechanism: quorum loss, LB routing to a dead apiserver, the VIP moving', () => {
    const mechanisms = (file: string) => new Set(runScenario(loadScenarioFile(`scenarios/${file}`), { keepObservations: false }).report.attribution
      .filter((a) => a.measure === 'apiWrite').map((a) => a.mechanism));
    expect(mechanisms('lose-etcd-quorum.yaml')).toContain(MECHANISMS.quorumLost);
    expect(mechanisms('master-power-off.yaml')).toContain(MECHANISMS.lbDeadBackend);
    expect(mechanisms('lb-pair-with-vip.yaml')).toContain(MECHANISMS.vipMove);
    const quorum = runScenario(loadScenarioFile('scenarios/lose-etcd-quorum.yaml'), { keepObservations: false }).report.attribution;
    const lost = quorum.find((a) => a.measure === 'leaderless etcd' && a.mechanism === MECHANISMS.quorumLost)!;
    expect(lost.cause).toBe('kill etcd-2 + kill etcd-3');
  });
});
