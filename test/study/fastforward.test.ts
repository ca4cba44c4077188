// Fast-forward changes nothing a study measures (SPEC §6): the same seeds with it on and off.
//
// A jump removes a stretch of steady state; the model then meets the next fault at a different
// (equally arbitrary) phase of the timers whose period drifts with latency and jitter, so a
// single failover can take a few hundred ms more or less. What must hold: a run with no fault
// reports exactly the same metrics; a fault still happens at its run time and every consequence
// (lease expiry, NotReady, eviction) still takes the time upstream logic gives; and over many seeds
// the distributions of the study metrics agree.
import { beforeAll, describe, expect, it } from 'vitest';
import { Run } from '../../src/cluster/run.ts';
import type { Report } from '../../src/report/metrics.ts';
import { obs, scenario } from '../etcd/helpers.ts';
import { loose } from '../observations.ts';

function report(yaml: string, seed: number, fastForward: boolean): { run: Run; report: Report } {
  const run = new Run(scenario(yaml), { seed, fastForward });
  const r = run.finish();
  expect(r.invariants.violations, `seed ${seed} fast-forward ${fastForward}`).toEqual([]);
  return { run, report: r };
}

/** What a study reads from a report (no trace hash, event count or wall time). */
function measured(r: Report) {
  return {
    availability: r.availability,
    downtime: r.downtime,
    leaders: r.leaders,
    failovers: r.failovers,
    nodes: r.nodes,
    pods: r.pods,
    durationSeconds: r.durationSeconds,
  };
}

describe('fast-forward', () => {
  it('is deterministic: the same seed gives the same trace hash and report', () => {
    const yaml = 'name: t\nduration: 40m\ncluster: { masters: 3 }\nfaults: [ { random: { targets: masters, mtbf: 20m, mttr: 5m } } ]\n';
    const a = report(yaml, 7, true).report;
    const b = report(yaml, 7, true).report;
    expect(a.fastForward.jumps).toBeGreaterThan(0);
    expect({ ...a, wallMs: 0 }).toEqual({ ...b, wallMs: 0 });
  });

  it('reports exactly the same metrics for a run without faults, with a tenth of the events or fewer', () => {
    for (const seed of [1, 2, 3]) {
      const yaml = 'name: t\nduration: 20m\ncluster: { masters: 3, workers: 3, loadBalancer: { count: 2, vip: keepalived } }\n';
      const off = report(yaml, seed, false).report;
      const on = report(yaml, seed, true).report;
      expect(measured(on), `seed ${seed}`).toEqual(measured(off));
      expect(on.fastForward.skippedSeconds).toBeGreaterThan(0.9 * 1200 - 60);
      expect(on.eventsProcessed * 10).toBeLessThan(off.eventsProcessed);
    }
  });

  it('applies a fault at its run time and lets a scheduler failover take what client-go gives', () => {
    const yaml = 'name: t\nduration: 30m\ncluster: { masters: 3 }\nfaults: [ { at: 20m, kill: "kube-scheduler:leader" } ]\n';
    for (let seed = 1; seed <= 10; seed++) {
      const { run, report: on } = report(yaml, seed, true);
      expect(on.fastForward.skippedSeconds, `seed ${seed}`).toBeGreaterThan(1000);
      const fault = obs(run, 'fault', (o) => loose(o)['phase'] === 'begin' && loose(o)['verb'] === 'kill');
      expect(fault.map((o) => o.at)).toEqual([1_200_000_000]);
      const f = on.failovers.filter((x) => x.group === 'kube-scheduler');
      expect(f.length, `seed ${seed}`).toBe(1);
      expect(f[0]!.lostAt).toBe(1200);
      // k8s-ha-facts §3: leader crash with default flags ⇒ 13–23.8 s.
      expect(f[0]!.gapSeconds!).toBeGreaterThanOrEqual(13);
      expect(f[0]!.gapSeconds!).toBeLessThanOrEqual(23.8);
    }
  });

  it('never jumps while a consequence is on its way: a lease takeover, an LB backend going DOWN', () => {
    const yaml = 'name: t\nduration: 25m\ncluster: { masters: 3, workers: 0 }\nfaults:\n  - { at: 10m, kill: "kube-scheduler:leader" }\n  - { at: 20m, kill: master-3 }\n';
    for (let seed = 1; seed <= 8; seed++) {
      const { run, report: on } = report(yaml, seed, true);
      // Each jump starts at (its stamp − its length); none may start inside a transient.
      const starts = obs(run, 'fast-forward').map((o) => o.at / 1e6 - Number(loose(o)['seconds']));
      expect(starts.length, `seed ${seed}`).toBeGreaterThanOrEqual(2);
      const takeover = on.failovers.find((f) => f.group === 'kube-scheduler' && f.lostAt >= 600)!;
      const down = obs(run, 'lb-backend', (o) => loose(o)['backend'] === 'master-3/kube-apiserver' && loose(o)['state'] === 'DOWN');
      expect(down.length, `seed ${seed}`).toBe(1);
      const windows: [number, number][] = [[600, takeover.recoveredAt!], [1200, down[0]!.at / 1e6]];
      for (const t of starts) for (const [a, b] of windows) expect(t < a || t > b, `seed ${seed}: jump from ${t} s inside [${a}, ${b}]`).toBe(true);
    }
  });

  it('jumps through a kubelet back-off, and the restart still comes exactly its back-off later', () => {
    // Two of three external etcd hosts down for 15 min: no quorum, every apiserver fails liveness
    // and is restarted with back-off (10 s, 20 s, 40 s, … up to 5 min) until quorum returns.
    const yaml = 'name: t\nduration: 30m\ncluster: { topology: external, masters: 3, workers: 0 }\nfaults:\n  - { at: 5m, kill: etcd-1, for: 15m }\n  - { at: 5m, kill: etcd-2, for: 15m }\n';
    for (let seed = 1; seed <= 3; seed++) {
      const { run, report: on } = report(yaml, seed, true);
      const procs = obs(run, 'process', (o) => o.subject.endsWith('/kube-apiserver'));
      const jumps = obs(run, 'fast-forward');
      let checked = 0;
      let jumpedThrough = 0;
      for (const b of procs.filter((o) => loose(o)['state'] === 'backoff')) {
        const up = procs.find((o) => o.subject === b.subject && o.at > b.at && loose(o)['state'] === 'up');
        if (up === undefined) continue;
        // The restart was scheduled backoff seconds ahead in model time; it keeps its run time.
        expect(up.at - b.at, `seed ${seed} ${b.subject} at ${b.at / 1e6} s`).toBe(Number(loose(b)['restartInSeconds']) * 1e6);
        checked++;
        if (jumps.some((j) => j.at > b.at && j.at < up.at)) jumpedThrough++;
      }
      expect(checked, `seed ${seed}`).toBeGreaterThanOrEqual(6);
      expect(jumpedThrough, `seed ${seed}: no jump inside any back-off`).toBeGreaterThan(0);
      // Against the same seed event by event: the outage costs the same to within seconds.
      const off = report(yaml, seed, false).report;
      expect(Math.abs(on.downtime.apiWrite.totalSeconds - off.downtime.apiWrite.totalSeconds), `seed ${seed}`).toBeLessThan(15);
    }
  });

  it('waits for slow consequences: a powered-off worker still goes NotReady after 40–55 s and loses its pods after 340–357 s', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const killAt = 600 + seed * 1.7;
      const yaml = `name: t\nduration: 30m\ncluster: { workers: 3, pods: 6 }\nfaults: [ { at: ${killAt}s, kill: worker-2 } ]\n`;
      const { run, report: on } = report(yaml, seed, true);
      expect(on.fastForward.jumps, `seed ${seed}`).toBeGreaterThan(0);
      const nr = obs(run, 'node', (o) => loose(o)['node'] === 'worker-2' && loose(o)['ready'] === false);
      expect(nr.length).toBe(1);
      const notReady = nr[0]!.at / 1e6 - killAt;
      expect(notReady).toBeGreaterThanOrEqual(40);
      expect(notReady).toBeLessThanOrEqual(55.5);
      const ev = obs(run, 'pod', (o) => loose(o)['evicted'] === true).map((o) => o.at / 1e6 - killAt);
      expect(ev.length).toBe(2);
      for (const t of ev) {
        expect(t).toBeGreaterThanOrEqual(340);
        expect(t).toBeLessThanOrEqual(357);
      }
      expect(on.pods.minRunning).toBe(4);
      // The pods' time share spans the jumps: the same as event by event.
      const off = report(yaml, seed, false).report;
      expect(Math.abs(on.availability.workloads! - off.availability.workloads!)).toBeLessThan(0.003);
    }
  });
});

// ---- the same distributions over many seeds ----

const SEEDS = 40;
// As in the compare-1k benchmark: no workers (the shortest quiet window), every machine failing.
const STUDY = 'name: t\nduration: 30m\ncluster: { masters: 3, workers: 0 }\nfaults: [ { random: { targets: machines, mtbf: 30m, mttr: 5m } } ]\n';

const AVAILABILITY_KEYS = ['apiWrite', 'apiRead', 'etcdQuorum', 'scheduler', 'controllerManager'];

/** Per-run values a study summarises. */
function values(r: Report): Record<string, number> {
  const count = (g: string) => r.failovers.filter((f) => f.group === g).length;
  return {
    apiWrite: r.availability.apiWrite!,
    apiRead: r.availability.apiRead!,
    etcdQuorum: r.availability.etcdQuorum!,
    scheduler: r.availability.scheduler!,
    controllerManager: r.availability.controllerManager!,
    writeDowntime: r.downtime.apiWrite.totalSeconds,
    etcdFailovers: count('etcd'),
    schedulerFailovers: count('kube-scheduler'),
  };
}

/**
 * Paired by seed: both runs see the same fault schedule, so their difference is noise around 0.
 * Agreement: the mean difference is within 3 standard errors of 0 (plus a floor for metrics with
 * no spread at all) and, for availabilities, within `maxDiff` in absolute terms.
 */
function agree(off: number[], on: number[], maxDiff = Number.POSITIVE_INFINITY): { ok: boolean; text: string } {
  const n = off.length;
  const d = off.map((x, i) => on[i]! - x);
  const mean = d.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const se = sd / Math.sqrt(n);
  const mOff = off.reduce((a, b) => a + b, 0) / n;
  const mOn = on.reduce((a, b) => a + b, 0) / n;
  const ok = Math.abs(mean) <= 3 * se + 1e-6 && Math.abs(mOn - mOff) <= maxDiff;
  return { ok, text: `off ${mOff.toFixed(5)} on ${mOn.toFixed(5)} diff ${mean.toExponential(2)} ± ${se.toExponential(2)} (SE)` };
}

describe('fast-forward over many seeds', () => {
  const off: Record<string, number>[] = [];
  const on: Record<string, number>[] = [];
  let eventsOff = 0;
  let eventsOn = 0;
  beforeAll(() => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const a = report(STUDY, seed, false).report;
      const b = report(STUDY, seed, true).report;
      off.push(values(a));
      on.push(values(b));
      eventsOff += a.eventsProcessed;
      eventsOn += b.eventsProcessed;
    }
  }, 300_000);

  it('gives the same availability, downtime and failover counts in distribution, with far fewer events', () => {
    const lines: string[] = [];
    for (const key of Object.keys(off[0]!)) {
      // Availabilities: also within 0.5 percentage point.
      const r = agree(off.map((v) => v[key]!), on.map((v) => v[key]!), AVAILABILITY_KEYS.includes(key) ? 0.005 : undefined);
      lines.push(`${key.padEnd(20)} ${r.text}`);
      expect(r.ok, `${key}: ${r.text}`).toBe(true);
    }
    expect(eventsOn * 5).toBeLessThan(eventsOff);
    console.log(`fast-forward on vs off, ${SEEDS} seeds of 30 min (every machine MTBF 30 min, MTTR 5 min), events ${eventsOff} → ${eventsOn}\n${lines.join('\n')}`);
  });

  it('the agreement check can fail: a fast-forward that left skipped probes uncounted would be caught', () => {
    const broken: number[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const run = new Run(scenario(STUDY), { seed, fastForward: true });
      run.metrics.skip = () => {};
      broken.push(run.finish().availability.apiWrite!);
    }
    const r = agree(off.map((v) => v.apiWrite!), broken, 0.005);
    expect(r.ok, r.text).toBe(false);
  });
});
