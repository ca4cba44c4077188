// Exported YAML reproduces the run: it parses back to the same scenario and gives the same traceHash.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/cluster/run.ts';
import { Session } from '../../src/index.ts';
import { InputError, parseScenarioText } from '../../src/scenario/index.ts';
import { buildScenario, exportYaml, makeFault, type RunSource } from '../../web/src/config.ts';

const NAME = 'kill-etcd-leader';
const TEXT = readFileSync(new URL(`../../scenarios/${NAME}.yaml`, import.meta.url), 'utf8');

function source(over: Partial<RunSource> = {}): RunSource {
  return { text: TEXT, label: `scenarios/${NAME}.yaml`, seed: null, topology: null, sets: [], faults: [], ...over };
}

const edited = source({
  seed: 5,
  topology: 'external',
  sets: ['params.leaderElection.leaseDuration=20s', 'params.etcd.electionTimeout=1500ms'],
  faults: [makeFault(12_345_400, 'kill', 'etcd-2'), makeFault(40_000_000, 'partition', [['etcd-1', 'master-1']]), makeFault(50_000_000, 'heal', 'all')],
});

describe('YAML export', () => {
  it('parses back to the scenario the page runs (faults, overrides and topology included)', () => {
    const built = buildScenario(edited);
    const back = parseScenarioText(exportYaml(edited, 'abc'), 'exported.yaml');
    expect({ ...back, seed: 0, seeds: [] }).toEqual({ ...built.scenario, seed: 0, seeds: [] });
    expect(back.seed).toBe(5);
    expect(back.faults[2]).toMatchObject({ at: 12_345_000, verb: 'kill', target: 'etcd-2' });
    expect(exportYaml(edited)).toMatch(/at: 12\.345s/);
  });

  it('the export runs with the same traceHash as the page', () => {
    const built = buildScenario(edited);
    const page = runScenario(built.scenario, { seed: built.seed }).report.traceHash;
    const back = parseScenarioText(exportYaml(edited), 'exported.yaml');
    expect(runScenario(back).report.traceHash).toBe(page);
  });

  it('refuses to export a scenario that does not validate', () => {
    expect(() => exportYaml(source({ sets: ['params.leaderElection.leaseDuration=5s'] }))).toThrow(InputError);
  });
});

describe('the worker drives the run in chunks', () => {
  it('chunked advancing gives the same traceHash as one run (the CLI)', () => {
    const { scenario, seed } = buildScenario(edited);
    const whole = runScenario(scenario, { seed }).report;
    const run = new Session(scenario, { seed });
    run.onTransmit(() => {});
    let step = 50_000;
    while (!run.done) {
      run.advance(run.nowUs + step);
      step = Math.min(step * 3, 7_000_000);
    }
    const chunked = run.finish();
    expect(chunked.traceHash).toBe(whole.traceHash);
    expect({ ...chunked, wallMs: 0 }).toEqual({ ...whole, wallMs: 0 });
  });
});
