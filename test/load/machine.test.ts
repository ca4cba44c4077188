// A machine's CPU and disk shared by its processes (load/machine.ts), the audit log's bytes (load/audit.ts) and their scenario fields.
import { describe, expect, it } from 'vitest';
import type { Ctx } from '../../src/kernel/actor.ts';
import { auditEventBytes, DEFAULT_AUDIT } from '../../src/load/audit.ts';
import { LANE_TIMER, MachineResources, type MachineLane } from '../../src/load/machine.ts';
import { InputError } from '../../src/scenario/errors.ts';
import { parseScenarioText } from '../../src/scenario/parse.ts';
import { proc, startAt, world } from '../kernel/harness.ts';

/** A process on machine m whose lane routes its timer; `done` records [process, local time] per finished job. */
function laneProc(sim: ReturnType<typeof world>, id: string, machine: MachineResources, threads: number, lanes: Map<string, MachineLane>, done: [string, number][]) {
  return proc(sim, id, {
    start(ctx: Ctx) {
      lanes.set(id, machine.attach(ctx, threads));
    },
    timer(ctx: Ctx, name: string) {
      if (name === LANE_TIMER) lanes.get(id)!.onTimer(name);
      else if (name.startsWith('job:')) lanes.get(id)!.runCpu(Number(name.slice(4)), () => done.push([ctx.self, ctx.now()]));
    },
  });
}

describe('MachineResources: one CPU shared by the processes of a machine', () => {
  it("etcd's job arriving mid-way slows the apiserver's jobs: their timer is re-armed, each completion lands in its owner's own handler", () => {
    const sim = world({}, ['m']);
    const machine = new MachineResources(2, { writeBytesPerUs: 200, fsyncBaseUs: 1_000 });
    const lanes = new Map<string, MachineLane>();
    const done: [string, number][] = [];
    const api = laneProc(sim, 'm/api', machine, 2, lanes, done);
    const etcd = laneProc(sim, 'm/etcd', machine, 1, lanes, done);
    startAt(sim, api);
    startAt(sim, etcd);
    sim.at(0, 'jobs', () => {
      api.setTimer('job:1000', 0);
      api.setTimer('job:1000 ', 0);
    });
    // Two apiserver jobs of 1000 µs alone would finish at 1000. At 500 etcd's 300 µs job makes three
    // runnable threads on two cores (2/3 each): etcd finishes at 950, the apiserver's at 1150.
    sim.at(500, 'etcd job', () => etcd.setTimer('job:300', 0));
    sim.run({ untilUs: 5_000 });
    expect(done.filter(([p]) => p === 'm/etcd').map(([, t]) => t)).toEqual([950]);
    const apiTimes = done.filter(([p]) => p === 'm/api').map(([, t]) => t);
    expect(apiTimes).toHaveLength(2);
    for (const t of apiTimes) expect(Math.abs(t - 1150)).toBeLessThanOrEqual(1);
  });

  it("a process that goes down loses its jobs, and the others speed up at once", () => {
    const sim = world({}, ['m']);
    const machine = new MachineResources(1, { writeBytesPerUs: 200, fsyncBaseUs: 1_000 });
    const lanes = new Map<string, MachineLane>();
    const done: [string, number][] = [];
    const a = laneProc(sim, 'm/a', machine, 1, lanes, done);
    const b = laneProc(sim, 'm/b', machine, 1, lanes, done);
    startAt(sim, a);
    startAt(sim, b);
    sim.at(0, 'jobs', () => {
      a.setTimer('job:1000', 0);
      b.setTimer('job:1000', 0);
    });
    sim.at(500, 'crash a', () => {
      sim.lifecycle.kill(a, 'test');
      machine.processDown('m/a', sim.now);
    });
    sim.run({ untilUs: 5_000 });
    // Each ran at 1/2 until 500 (250 done); b alone needs 750 more.
    expect(done).toEqual([['m/b', 1_250]]);
  });
});

describe('MachineResources: one FIFO disk', () => {
  it("an fsync waits behind a write another process queued; a power loss drops what was queued", () => {
    const machine = new MachineResources(2, { writeBytesPerUs: 20, fsyncBaseUs: 1_000 });
    const sim = world({}, ['m']);
    const ctxs: Ctx[] = [];
    for (const id of ['m/api', 'm/etcd']) startAt(sim, proc(sim, id, { start: (ctx) => void ctxs.push(ctx) }));
    const api = machine.attach(ctxs[0]!, 2);
    const etcd = machine.attach(ctxs[1]!, 1);
    expect(etcd.fsync(1_000)).toBe(1_000);
    api.write(2_000_000); // 2 MB at 20 MB/s: 100 ms, queued behind that fsync
    expect(etcd.fsync(1_000)).toBe(1_000 + 100_000 + 1_000);
    machine.powerLost(0);
    expect(etcd.fsync(1_000)).toBe(1_000);
  });
});

describe('audit log bytes per request', () => {
  it('follow the level: None nothing, Metadata the event, Request adds a write body, RequestResponse the response too', () => {
    const at = (level: typeof DEFAULT_AUDIT.level) => ({ ...DEFAULT_AUDIT, level });
    expect(auditEventBytes(at('None'), 'list', 500)).toBe(0);
    expect(auditEventBytes(at('Metadata'), 'list', 500)).toBe(1024);
    expect(auditEventBytes(at('Request'), 'get', 0)).toBe(1024);
    expect(auditEventBytes(at('Request'), 'update', 0)).toBe(1024 + 2048);
    expect(auditEventBytes(at('RequestResponse'), 'update', 0)).toBe(1024 + 2 * 2048);
    expect(auditEventBytes(at('RequestResponse'), 'list', 500)).toBe(1024 + 500 * 2048);
  });
});

describe('scenario fields load.machines.disk and load.audit', () => {
  const HEAD = 'name: t\nduration: 30s\ncluster: { topology: stacked, masters: 3 }\n';
  it('default to a 200 MB/s disk and no audit log; bad values are named by their path', () => {
    const sc = parseScenarioText(`${HEAD}load: { clients: [] }\n`, 'x.yaml');
    expect(sc.load).toMatchObject({ machines: { disk: { writeMBPerSecond: 200 } }, audit: { level: 'None', eventBytes: 1024, objectBytes: 2048 } });
    let msg = '';
    try {
      parseScenarioText(`${HEAD}load:\n  machines: { disk: { writeMBPerSecond: 0 } }\n  audit: { level: Everything, objectBytes: -1 }\n`, 'x.yaml');
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      msg = (err as Error).message;
    }
    expect(msg).toContain('x.yaml: load.machines.disk.writeMBPerSecond: must be greater than 0 (got 0)');
    expect(msg).toContain('x.yaml: load.audit.level: unknown audit level "Everything"; known: None, Metadata, Request, RequestResponse');
    expect(msg).toContain('x.yaml: load.audit.objectBytes: must be at least 0 (got -1)');
  });
});

describe('MachineLane CPU accounting', () => {
  it("a restarted process's busy time starts again from zero (its utilisation samples start afresh)", () => {
    const sim = world({}, ['m']);
    const machine = new MachineResources(1, { writeBytesPerUs: 200, fsyncBaseUs: 1_000 });
    let ctx: Ctx | null = null;
    const p = proc(sim, 'm/api', { start: (c) => void (ctx = c) });
    startAt(sim, p);
    const first = machine.attach(ctx!, 1);
    first.runCpu(500, () => undefined);
    sim.run({ untilUs: 1_000 });
    expect(first.busyCoreMicros()).toBeCloseTo(500, 6);
    const again = machine.attach(ctx!, 1);
    expect(again.busyCoreMicros()).toBe(0);
  });
});
