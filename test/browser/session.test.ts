// The page's door into a run (src/index.ts Session): chunks of observations, process states, packets, click-to-break.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/cluster/run.ts';
import { parseScenarioText, Session, type Observation, type Scenario } from '../../src/index.ts';

const LABEL = 'scenarios/baseline.yaml';
const TEXT = readFileSync(new URL('../../scenarios/baseline.yaml', import.meta.url), 'utf8');
const baseline = (): Scenario => parseScenarioText(TEXT, LABEL);
/** The baseline with one scheduler stopped at 10 s, written in the file. */
const withStop = (): Scenario => parseScenarioText(`${TEXT}\nfaults:\n  - { at: 10s, stop: master-1/kube-scheduler }\n`, LABEL);

describe('Session', () => {
  it('observations read in chunks are the CLI run\'s observations, in order, and the report is the same', () => {
    const cli = runScenario(baseline(), { seed: 3 });
    const s = new Session(baseline(), { seed: 3 });
    const chunks: Observation[] = [];
    while (!s.done) {
      s.advance(s.nowUs + 4_000_000);
      chunks.push(...s.observations(chunks.length));
      expect(s.observationCount).toBe(chunks.length);
    }
    expect(chunks.length).toBeGreaterThan(100);
    expect(chunks).toEqual(cli.run.sim.trace.observations);
    expect(s.finish().traceHash).toBe(cli.report.traceHash);
  });

  it('lists the modelled processes with their state now', () => {
    const s = new Session(withStop(), { seed: 1 });
    const before = s.processes();
    expect(before.map((p) => p.id)).toContain('master-1/kube-scheduler');
    expect(before.find((p) => p.id === 'master-2/etcd')).toMatchObject({ machine: 'master-2', component: 'etcd' });
    s.advance(5_000_000);
    expect(s.processes().every((p) => p.status === 'running')).toBe(true);
    s.advance(15_000_000);
    expect(s.processes().find((p) => p.id === 'master-1/kube-scheduler')!.status).toBe('down');
  });

  it('reports packets to a listener without changing the trace', () => {
    const quiet = new Session(baseline(), { seed: 2 });
    const heard = new Session(baseline(), { seed: 2 });
    const packets: [string, string, string, number, number][] = [];
    heard.onTransmit((from, to, type, sentAtUs, arriveAtUs) => packets.push([from, to, type, sentAtUs, arriveAtUs]));
    quiet.advance(3_000_000);
    heard.advance(3_000_000);
    expect(packets.length).toBeGreaterThan(50);
    expect(packets.every(([, , , sent, arrive]) => sent <= arrive && sent <= 3_000_000)).toBe(true);
    expect(packets.some(([from, to]) => from === 'master-1/etcd' && to.endsWith('/etcd'))).toBe(true);
    expect(heard.observations()).toEqual(quiet.observations());
  });

  it('a fault injected while running acts from the time it is injected (click-to-break)', () => {
    const fault = withStop().faults[0]!;
    const s = new Session(baseline(), { seed: 1 });
    s.advance(12_000_000);
    s.inject(fault); // asked for 10 s, but the run is at 12 s: it fires now
    s.advance(13_000_000);
    const begun = s.observations().find((o) => o.kind === 'fault');
    expect(begun?.at).toBe(12_000_000);
    expect(begun?.detail['verb']).toBe('stop');
    expect(s.processes().find((p) => p.id === 'master-1/kube-scheduler')!.status).toBe('down');
  });
});
