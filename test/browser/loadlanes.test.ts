// The load lanes' fold (web/src/loadlanes.ts) and their pixel bars (web/src/views/loadbars.ts), from hand-built observations and one real run.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/cluster/run.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import { Lanes } from '../../web/src/lanes.ts';
import { LoadLanes, type LoadSample } from '../../web/src/loadlanes.ts';
import { loadBars } from '../../web/src/views/loadbars.ts';
import { observation } from '../observations.ts';
import { ROOT } from './harness.ts';

const S = 1_000_000;
const API = 'master-1/kube-apiserver';
const load = (at: number, utilisation: number, rejected = 0, subject = API) =>
  observation(at, 'apiserver-load', subject, { utilisation, inFlight: 3, waiting: 1, served: 100, rejected });
const proc = (at: number, state: string, extra: Record<string, unknown> = {}, subject = API) =>
  observation(at, 'process', subject, { state, cause: 'test', ...extra });

describe('LoadLanes', () => {
  it('places each sample over the period it measured: since the previous sample, or since the process started', () => {
    const l = new LoadLanes();
    for (const o of [proc(0, 'up'), load(5 * S, 0.5), load(10 * S, 0.9, 4)]) l.add(o);
    const lane = l.lanes.get(API)!;
    expect(lane.samples.map((s) => [s.from, s.at, s.utilisation, s.rejected])).toEqual([[0, 5 * S, 0.5, 0], [5 * S, 10 * S, 0.9, 4]]);
    expect(lane.track.at(7 * S)!.text).toBe(
      "master-1 kube-apiserver CPU 90% of the machine's cores from 5s to 10s; at 10s: 3 requests executing in APF seats, 1 waiting in APF queues; in the period it answered 100 requests and rejected 4 with 429 Too Many Requests.",
    );
  });

  it('a stopped apiserver has no samples: its lane says so, and a restart begins a new period', () => {
    const l = new LoadLanes();
    for (const o of [proc(0, 'up'), load(5 * S, 0.5), proc(7 * S, 'down'), proc(20 * S, 'up'), load(25 * S, 0.7)]) l.add(o);
    l.extend(30 * S);
    const lane = l.lanes.get(API)!;
    expect(lane.samples.map((s) => [s.from, s.at])).toEqual([[0, 5 * S], [20 * S, 25 * S]]);
    expect(lane.track.segs.map((s) => [s.from, s.to, s.key])).toEqual([
      [0, 5 * S, 'sample'], [5 * S, 7 * S, 'pending'], [7 * S, 20 * S, 'down'], [20 * S, 25 * S, 'sample'], [25 * S, 30 * S, 'pending'],
    ]);
  });

  it('a pause is not a restart: the sample after it covers the time since the last one', () => {
    const l = new LoadLanes();
    for (const o of [proc(0, 'up'), load(5 * S, 0.5), proc(6 * S, 'paused'), proc(9 * S, 'up', { resumed: true }), load(10 * S, 0.2)]) l.add(o);
    expect(l.lanes.get(API)!.samples.map((s) => s.from)).toEqual([0, 5 * S]);
  });

  it('no load observations, no lanes (a scenario without load draws none)', () => {
    const l = new Lanes();
    l.add(proc(0, 'up'));
    l.add(proc(3 * S, 'down'));
    expect(l.load.any).toBe(false);
  });

  it('folds a real n-plus-one run into the per-server 429s and CPU the report prints', () => {
    const { report, run } = runScenario(loadScenarioFile(`${ROOT}scenarios/n-plus-one.yaml`), { seed: 1 });
    const lanes = new Lanes();
    for (const o of run.sim.trace.observations) lanes.add(o);
    const after = report.load!.phases.find((p) => p.name === 'after')!;
    const fromUs = after.fromSeconds * S;
    for (const a of after.apiservers) {
      // The report counts a sample in the phase where it was taken.
      const samples = lanes.load.lanes.get(a.name)!.samples.filter((s) => s.at >= fromUs);
      expect(samples.reduce((n, s) => n + s.rejected, 0)).toBe(a.rejected429);
      expect(Math.max(...samples.map((s) => s.utilisation))).toBe(a.peakUtilisation);
    }
    expect([...lanes.load.lanes.keys()].sort()).toEqual(['master-1/kube-apiserver', 'master-2/kube-apiserver', 'master-3/kube-apiserver']);
  });
});

describe('loadBars', () => {
  const sample = (from: number, at: number, utilisation: number, rejected = 0): LoadSample => ({ from, at, utilisation, inFlight: 0, waiting: 0, served: 0, rejected });

  it('one bar per sample where they are wide; merged below a pixel, keeping the highest CPU and every 429', () => {
    const samples = [sample(0, 5, 0.2), sample(5, 10, 1, 3), sample(10, 10.25, 0.4), sample(10.25, 10.5, 0.97, 2), sample(10.5, 10.75, 0.1, 1), sample(10.75, 11, 0.3)];
    const x = (t: number) => t * 2;
    expect(loadBars(samples, x, [0, 11], [0, 22])).toEqual([
      { a: 0, b: 10, utilisation: 0.2, rejected: 0 },
      { a: 10, b: 20, utilisation: 1, rejected: 3 },
      { a: 20, b: 21, utilisation: 0.97, rejected: 2 },
      { a: 21, b: 22, utilisation: 0.3, rejected: 1 },
    ]);
  });

  it('cuts bars to the view and skips samples outside it', () => {
    const samples = [sample(0, 5, 0.2), sample(5, 10, 0.5), sample(10, 15, 0.9)];
    const x = (t: number) => (t - 6) * 10;
    expect(loadBars(samples, x, [6, 12], [0, 60]).map((b) => [b.a, b.b, b.utilisation])).toEqual([[0, 40, 0.5], [40, 60, 0.9]]);
  });
});

describe('429 changes under "What happened"', () => {
  it('lists when an apiserver starts and stops sending 429s, and steps there; other samples are routine', () => {
    const l = new Lanes();
    const obs = [proc(0, 'up'), load(5 * S, 0.5), load(10 * S, 1, 7), load(15 * S, 1, 9), load(20 * S, 0.6), load(25 * S, 0.6)];
    for (const o of obs) l.add(o);
    const said = l.events.filter((e) => e.kind === 'apiserver-load').map((e) => [e.at, e.text]);
    expect(said).toEqual([
      [10 * S, 'started answering 429 Too Many Requests: 7 in 5s–10s'],
      [20 * S, 'sent no 429s in 15s–20s (9 in the period before)'],
    ]);
    expect(l.steps).toEqual([0, 10 * S, 20 * S]);
  });
});
