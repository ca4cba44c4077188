// Real etcd: a 3-member cluster the suite starts (loopback or namespaces), its leader seen in logs and status, and a write loop.
import { execFile } from 'node:child_process';
import { closeSync, existsSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { NetnsLab } from './netns.ts';
import { freePorts, nowMs, sleep, type Child, type Line, type Supervisor } from './procs.ts';

export interface EtcdSettings {
  heartbeatMs: number;
  electionMs: number;
  preVote: boolean;
  /** --snapshot-count (etcd 3.4 default 100000). */
  snapshotCount: number;
}

interface Member {
  name: string;
  ns: string | null;
  ip: string;
  clientPort: number;
  peerPort: number;
  dataDir: string;
  child: Child | null;
}

/** etcd's raft log (zap, etcd 3.4): "<id> became leader at term N". */
export const BECAME_LEADER = /became leader at term/;
/** The old leader's check-quorum step-down (etcd-io/raft stepLeader, MsgCheckQuorum). */
export const STEPPED_DOWN = /stepped down to follower since quorum is not active|became follower at term/;

export interface Status {
  memberId: string;
  leader: string;
  raftIndex: number;
  appliedIndex: number;
}

/** Three members; with a lab each runs in its own namespace (for isolation), else all on 127.0.0.1. */
export class RealEtcd {
  readonly members: Member[] = [];
  private lab: NetnsLab | null = null;

  private constructor(private readonly sup: Supervisor, private readonly cfg: EtcdSettings) {}

  static async create(sup: Supervisor, cfg: EtcdSettings, opts: { netns: boolean }): Promise<RealEtcd> {
    const e = new RealEtcd(sup, cfg);
    const base = sup.tempDir('etcd', existsSync('/dev/shm') ? '/dev/shm' : undefined);
    const ports = await freePorts(6);
    if (opts.netns) e.lab = new NetnsLab(sup);
    for (let i = 0; i < 3; i++) {
      const host = e.lab?.addHost();
      e.members.push({
        name: `m${i + 1}`, ns: host?.ns ?? null, ip: host?.ip ?? '127.0.0.1',
        clientPort: host ? 2379 : ports[2 * i]!, peerPort: host ? 2380 : ports[2 * i + 1]!,
        dataDir: join(base, `m${i + 1}`), child: null,
      });
    }
    for (let i = 0; i < 3; i++) e.start(i);
    await e.waitStable(20_000);
    return e;
  }

  clientUrl(i: number): string {
    const m = this.members[i]!;
    return `http://${m.ip}:${m.clientPort}`;
  }

  start(i: number): Child {
    const m = this.members[i]!;
    const cluster = this.members.map((x) => `${x.name}=http://${x.ip}:${x.peerPort}`).join(',');
    const args = [
      '--name', m.name, '--data-dir', m.dataDir,
      '--listen-peer-urls', `http://${m.ip}:${m.peerPort}`, '--initial-advertise-peer-urls', `http://${m.ip}:${m.peerPort}`,
      '--listen-client-urls', this.clientUrl(i), '--advertise-client-urls', this.clientUrl(i),
      '--initial-cluster', cluster, '--initial-cluster-state', 'new', '--initial-cluster-token', `hasim-validate-${process.pid}`,
      '--heartbeat-interval', String(this.cfg.heartbeatMs), '--election-timeout', String(this.cfg.electionMs),
      '--snapshot-count', String(this.cfg.snapshotCount), '--logger', 'zap', '--log-outputs', 'stderr',
      ...(this.cfg.preVote ? ['--pre-vote'] : []),
    ];
    m.child = this.sup.spawn(`etcd-${m.name}`, 'etcd', args, m.ns ? { netns: m.ns } : {});
    return m.child;
  }

  /** SIGKILL every member and wait for them (the folders go at clean-up). */
  async stopAll(): Promise<void> {
    for (const m of this.members) if (m.child) await this.sup.stop(m.child);
  }

  child(i: number): Child {
    return this.members[i]!.child!;
  }

  isolate(i: number): void {
    this.lab!.isolate(i);
  }

  heal(i: number): void {
    this.lab!.heal(i);
  }

  /** /v3/maintenance/status of member i (etcdctl inside the namespace when the member is in one). */
  async status(i: number, timeoutMs = 1000): Promise<Status | null> {
    const m = this.members[i]!;
    try {
      const j = m.ns ? await this.etcdctlStatus(i, timeoutMs) : await (await fetch(`${this.clientUrl(i)}/v3/maintenance/status`, {
        method: 'POST', body: '{}', signal: AbortSignal.timeout(timeoutMs),
      })).json() as Record<string, unknown>;
      const header = j['header'] as Record<string, unknown>;
      return {
        memberId: String(header['member_id']), leader: String(j['leader'] ?? '0'),
        raftIndex: Number(j['raftIndex'] ?? 0), appliedIndex: Number(j['raftAppliedIndex'] ?? 0),
      };
    } catch {
      return null;
    }
  }

  private etcdctlStatus(i: number, timeoutMs: number): Promise<Record<string, unknown>> {
    const m = this.members[i]!;
    const args = ['netns', 'exec', m.ns!, 'etcdctl', `--endpoints=${this.clientUrl(i)}`, `--command-timeout=${timeoutMs}ms`, 'endpoint', 'status', '-w', 'json'];
    return new Promise((resolve, reject) => execFile('ip', args, { timeout: timeoutMs + 2000 }, (err, out) => {
      if (err) return reject(err);
      const st = (JSON.parse(out.replace(/:(\d{15,})/g, ':"$1"')) as { Status: Record<string, unknown> }[])[0]!.Status;
      resolve({ header: st['header'], leader: st['leader'], raftIndex: st['raftIndex'], raftAppliedIndex: st['raftAppliedIndex'] });
    }));
  }

  /** Wait until every running member answers and all name the same leader; returns its index. */
  async waitStable(timeoutMs: number): Promise<number> {
    const deadline = nowMs() + timeoutMs;
    while (nowMs() < deadline) {
      const running = this.members.map((m, i) => (m.child?.alive ? i : -1)).filter((i) => i >= 0);
      const st = await Promise.all(running.map((i) => this.status(i)));
      if (st.every((s) => s !== null) && st.length > 0) {
        const leaders = new Set(st.map((s) => s!.leader));
        const lead = st.findIndex((s) => s!.memberId === s!.leader);
        if (leaders.size === 1 && lead >= 0 && !leaders.has('0')) return running[lead]!;
      }
      await sleep(50);
    }
    const exited = this.members.filter((m) => m.child && !m.child.alive).map((m) => `${m.name}: ${m.child!.lines.slice(-2).map((l) => l.text).join(' | ')}`);
    throw new Error(`etcd did not settle on a leader within ${timeoutMs / 1000} s${exited.length ? ` (exited: ${exited.join('; ')})` : ''}`);
  }

  /** The first "became leader" line of any member except `except` at or after `sinceMs`. */
  async nextLeader(sinceMs: number, except: number, timeoutMs: number): Promise<{ index: number; line: Line } | null> {
    const waits = this.members.flatMap((m, i) => (i === except || !m.child ? [] : [m.child.waitLine(BECAME_LEADER, sinceMs, timeoutMs)
      .then((line) => (line ? { index: i, line } : Promise.reject(new Error('none'))))]));
    // The first member to log it; the others' waits end at their timeout, unobserved.
    return Promise.any(waits).catch(() => null);
  }
}

/** When etcd wrote a line: its zap `ts` (ms precision, on the suite clock), else its arrival. */
export function lineTimeMs(line: Line): number {
  const m = /"ts":"([^"]+)"/.exec(line.text);
  const t = m ? Date.parse(m[1]!) : NaN;
  return Number.isFinite(t) ? t - performance.timeOrigin : line.atMs;
}

export interface WriteRecord {
  sentMs: number;
  doneMs: number;
  ok: boolean;
  target: number;
}

/** A put every `intervalMs` to the given members in turn (each request its own, deadline `timeoutMs`). */
export class Writer {
  readonly records: WriteRecord[] = [];
  private timer: ReturnType<typeof setInterval> | null = null; // wall-clock ok
  private seq = 0;
  private pending = new Set<Promise<void>>();

  constructor(private readonly etcd: RealEtcd, private targets: number[], private readonly intervalMs: number, private readonly timeoutMs = 2000) {}

  start(): void {
    this.timer = setInterval(() => this.put(), this.intervalMs); // wall-clock ok: writes to a real etcd
  }

  private put(): void {
    const id = ++this.seq;
    const target = this.targets[id % this.targets.length]!;
    const sentMs = nowMs();
    const key = Buffer.from(`/validate/${id % 100}`).toString('base64');
    const value = Buffer.from(String(id)).toString('base64');
    const p = fetch(`${this.etcd.clientUrl(target)}/v3/kv/put`, { method: 'POST', body: JSON.stringify({ key, value }), signal: AbortSignal.timeout(this.timeoutMs) })
      .then(async (r) => {
        const body = await r.json() as Record<string, unknown>;
        return r.ok && body['error'] === undefined && body['header'] !== undefined;
      })
      .catch(() => false)
      .then((ok) => { this.records.push({ sentMs, doneMs: nowMs(), ok, target }); });
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.pending]);
  }
}

/** Median time (µs) of a 4 KiB write + fsync in `dir`: the model's `etcd.fsync` for the same disk. */
export function measureFsyncUs(dir: string, samples = 30): number {
  const file = join(dir, 'fsync-probe');
  const fd = openSync(file, 'w');
  const buf = Buffer.alloc(4096, 1);
  const times: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const t = nowMs();
      writeSync(fd, buf);
      fsyncSync(fd);
      times.push((nowMs() - t) * 1000);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  times.sort((a, b) => a - b);
  return Math.max(1, Math.round(times[times.length >> 1]!));
}
