// A FIFO disk for one machine: writes and fsyncs served one at a time, so an fsync waits behind queued writes.
//
// Why this shape: etcd's raft loop calls WAL Save + fsync for each Ready (etcd server/storage/wal
// wal.go Save → sync), and the whole cluster's commit latency includes that fsync; anything else
// writing to the same device (a stacked apiserver's audit log, container logs, image pulls) lands in
// the same device queue ahead of it. The device is one server in arrival order (no elevator, no
// parallel NVMe queues, no page-cache write-back): an assumption stated in docs/design/load.md.
//
// Default figures are ASSUMPTIONS, not measurements: a 1 ms fsync on an idle SSD and 200 MB/s
// sustained writes. etcd's performance guidance asks for a wal_fsync_duration_seconds p99 under
// 10 ms (as quoted in Red Hat KB 6970109, "How to use fio to check etcd disk performance"); the
// defaults sit well inside that when the disk is idle.

/** An fsync may carry its own service time (the member's disk settings, which a fault can slow). */
export type DiskOp = { kind: 'write'; bytes: number } | { kind: 'fsync'; serviceUs?: number };

export interface DiskConfig {
  /** Sustained write throughput, bytes per µs (200 MB/s = 200). Assumption. */
  writeBytesPerUs: number;
  /** Service time of an fsync with nothing else queued, µs. Assumption. */
  fsyncBaseUs: number;
}

export const DEFAULT_DISK: DiskConfig = Object.freeze({ writeBytesPerUs: 200, fsyncBaseUs: 1_000 });

export interface CompletedOp {
  id: string;
  kind: DiskOp['kind'];
  submittedAtUs: number;
  startedAtUs: number;
  completedAtUs: number;
  /** Queueing plus service: for an fsync this is the fsync latency etcd would observe. */
  latencyUs: number;
}

export class FifoDisk {
  private readonly pending: CompletedOp[] = [];
  /** When the last accepted op completes: the device is busy until then. */
  private busyUntilUs: number;
  private lastUs: number;
  private busyUs = 0;

  constructor(readonly config: DiskConfig = DEFAULT_DISK, startUs = 0) {
    if (!(config.writeBytesPerUs > 0) || !(config.fsyncBaseUs >= 0)) throw new Error('FifoDisk: throughput must be positive and fsync time not negative');
    this.busyUntilUs = startUs;
    this.lastUs = startUs;
  }

  /** Service time of one op, whole µs (rounded up so the kernel's integer clock never runs ahead). */
  serviceUs(op: DiskOp): number {
    return op.kind === 'fsync' ? Math.ceil(op.serviceUs ?? this.config.fsyncBaseUs) : Math.ceil(op.bytes / this.config.writeBytesPerUs);
  }

  /** Queue an op; in FIFO its completion time is known now and returned. */
  submit(id: string, op: DiskOp, nowUs: number): number {
    if (nowUs < this.lastUs) throw new Error(`FifoDisk: time went backwards (${nowUs} < ${this.lastUs})`);
    if (op.kind === 'write' && !(op.bytes >= 0)) throw new Error(`FifoDisk: write ${id} has negative size`);
    const startedAtUs = Math.max(nowUs, this.busyUntilUs);
    const service = this.serviceUs(op);
    const completedAtUs = startedAtUs + service;
    this.busyUntilUs = completedAtUs;
    this.busyUs += service;
    this.pending.push({ id, kind: op.kind, submittedAtUs: nowUs, startedAtUs, completedAtUs, latencyUs: completedAtUs - nowUs });
    this.lastUs = nowUs;
    return completedAtUs;
  }

  /** Power loss: what was queued and not yet written is gone; the device is idle from nowUs. */
  drop(nowUs: number): void {
    this.advance(Math.max(nowUs, this.lastUs));
    for (const op of this.pending) this.busyUs -= op.completedAtUs - Math.max(op.startedAtUs, this.lastUs);
    this.pending.length = 0;
    this.busyUntilUs = this.lastUs;
  }

  /** Ops accepted and not yet reported complete. */
  queueDepth(): number {
    return this.pending.length;
  }

  nextCompletionUs(): number | null {
    return this.pending[0]?.completedAtUs ?? null;
  }

  /** Report the ops that completed by nowUs, in completion order. */
  advance(nowUs: number): CompletedOp[] {
    if (nowUs < this.lastUs) throw new Error(`FifoDisk: time went backwards (${nowUs} < ${this.lastUs})`);
    this.lastUs = nowUs;
    let n = 0;
    while (n < this.pending.length && this.pending[n]!.completedAtUs <= nowUs) n++;
    return this.pending.splice(0, n);
  }

  /** Device-busy µs accepted so far (including work still queued); for utilisation over a window. */
  busyMicros(): number {
    return this.busyUs;
  }
}
