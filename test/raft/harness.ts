// In-test network for raft step tests: N RaftNodes, a message queue, cuts, crashes and restarts.
import { RaftNode, newDurable, type Entry, type NodeId, type RaftConfig, type RaftDurable, type RaftMessage, type ReadState, type Ready } from '../../src/raft/index.ts';

import { mulberry32 } from '../kernel/prng.ts';

export { mulberry32 };

export function randIntFrom(rng: () => number): (n: number) => number {
  return (n) => Math.floor(rng() * n);
}

export interface ClusterOptions {
  n: number;
  electionTicks?: number;
  heartbeatTicks?: number;
  preVote?: boolean;
  checkQuorum?: boolean;
  seed?: number;
  maxSizePerMsg?: number;
  compactAfter?: number;
}

/** The replicated state machine of one member: data of every applied entry, in index order. */
interface Machine {
  values: unknown[];
}

/** Called for every entry a member applies (index, term, data) — checkers hook in here. */
export type ApplyHook = (id: NodeId, e: Entry) => void;

export class Cluster {
  readonly ids: NodeId[];
  readonly nodes = new Map<NodeId, RaftNode>();
  readonly durables = new Map<NodeId, RaftDurable>();
  readonly machines = new Map<NodeId, Machine>();
  readonly readStates = new Map<NodeId, ReadState[]>();
  readonly cfgs = new Map<NodeId, RaftConfig>();
  queue: RaftMessage[] = [];
  /** Directed links that drop everything: "from->to". */
  readonly cut = new Set<string>();
  /** Extra drop rule (e.g. random loss); return true to drop. */
  dropFilter: (m: RaftMessage) => boolean = () => false;
  onApply: ApplyHook = () => {};
  /** Ready handed out but not yet advanced, per node (a write in flight to the disk). */
  private readonly inFlight = new Map<NodeId, Ready>();
  private readonly rngs = new Map<NodeId, () => number>();

  constructor(readonly opts: ClusterOptions) {
    this.ids = Array.from({ length: opts.n }, (_, i) => i + 1);
    for (const id of this.ids) {
      this.cfgs.set(id, {
        id,
        peers: this.ids,
        electionTicks: opts.electionTicks ?? 10,
        heartbeatTicks: opts.heartbeatTicks ?? 1,
        preVote: opts.preVote ?? true,
        checkQuorum: opts.checkQuorum ?? true,
        ...(opts.maxSizePerMsg !== undefined ? { maxSizePerMsg: opts.maxSizePerMsg } : {}),
        ...(opts.compactAfter !== undefined ? { compactAfter: opts.compactAfter } : {}),
      });
      this.durables.set(id, newDurable());
      this.rngs.set(id, mulberry32((opts.seed ?? 1) * 7919 + id));
      this.readStates.set(id, []);
      this.start(id);
    }
  }

  node(id: NodeId): RaftNode {
    const n = this.nodes.get(id);
    if (n === undefined) throw new Error(`node ${id} is down`);
    return n;
  }

  isUp(id: NodeId): boolean {
    return this.nodes.has(id);
  }

  upIds(): NodeId[] {
    return this.ids.filter((id) => this.nodes.has(id));
  }

  private start(id: NodeId): void {
    const d = this.durables.get(id)!;
    this.nodes.set(id, new RaftNode(this.cfgs.get(id)!, d, randIntFrom(this.rngs.get(id)!)));
    // The member's state machine restarts from its snapshot, as etcd restores its KV.
    const snap = d.snapshot;
    this.machines.set(id, { values: snap.index === 0 ? [] : [...(snap.data as unknown[])] });
  }

  /** Power loss: volatile state and any unpersisted Ready are gone; the durable object stays. */
  crash(id: NodeId): void {
    this.nodes.delete(id);
    this.inFlight.delete(id);
  }

  restart(id: NodeId): void {
    if (this.nodes.has(id)) this.crash(id);
    this.start(id);
  }

  isolate(id: NodeId): void {
    for (const other of this.ids) if (other !== id) this.cutBoth(id, other);
  }

  cutBoth(a: NodeId, b: NodeId): void {
    this.cut.add(`${a}->${b}`);
    this.cut.add(`${b}->${a}`);
  }

  heal(): void {
    this.cut.clear();
  }

  // ---- the Ready cycle, in two halves so that tests can crash in between ----

  /** Take a Ready from `id` (the write starts). Returns false if nothing was ready. */
  captureReady(id: NodeId): boolean {
    const n = this.node(id);
    if (this.inFlight.has(id) || !n.hasReady()) return false;
    this.inFlight.set(id, n.ready());
    return true;
  }

  /** The write finished: advance, apply, then send the messages. */
  completeReady(id: NodeId): boolean {
    const rd = this.inFlight.get(id);
    if (rd === undefined) return false;
    this.inFlight.delete(id);
    const n = this.node(id);
    n.advance();
    const m = this.machines.get(id)!;
    if (rd.snapshotToApply !== undefined) m.values = [...(rd.snapshotToApply.data as unknown[])];
    for (const e of rd.committed) {
      if (e.index !== m.values.length + 1) throw new Error(`node ${id} applies ${e.index} after ${m.values.length}`);
      m.values.push(e.data);
      this.onApply(id, e);
    }
    this.readStates.get(id)!.push(...rd.readStates);
    this.queue.push(...rd.messages);
    return true;
  }

  hasInFlight(id: NodeId): boolean {
    return this.inFlight.has(id);
  }

  /** Run full Ready cycles on one node until it has nothing more to say. */
  processReady(id: NodeId): void {
    this.completeReady(id);
    while (this.captureReady(id)) this.completeReady(id);
  }

  /** Deliver queue[i] (if its link is up and its target is running). */
  deliver(i = 0): RaftMessage | undefined {
    const [m] = this.queue.splice(i, 1);
    if (m === undefined) return undefined;
    const lost = this.cut.has(`${m.from}->${m.to}`) || !this.nodes.has(m.to) || this.dropFilter(m);
    // etcd's transport reports the outcome of a snapshot send to the leader (ReportSnapshot).
    if (m.type === 'MsgSnap' && this.nodes.has(m.from)) this.node(m.from).reportSnapshot(m.to, !lost);
    if (lost) return undefined;
    this.node(m.to).step(m);
    return m;
  }

  /** Process Readies and deliver messages FIFO until the network is quiet. */
  stabilize(maxMessages = 100_000): void {
    for (let k = 0; ; k++) {
      for (const id of this.upIds()) this.processReady(id);
      if (this.queue.length === 0) return;
      if (k > maxMessages) throw new Error('network did not settle');
      this.deliver(0);
    }
  }

  /** One tick on every running node, then let the network settle. */
  tick(times = 1): void {
    for (let t = 0; t < times; t++) {
      for (const id of this.upIds()) this.node(id).tick();
      this.stabilize();
    }
  }

  /** Tick until pred holds; returns the number of ticks taken, or throws after maxTicks. */
  tickUntil(pred: () => boolean, maxTicks: number): number {
    for (let t = 0; t <= maxTicks; t++) {
      if (pred()) return t;
      this.tick();
    }
    throw new Error(`condition not reached within ${maxTicks} ticks`);
  }

  /** Running leaders, highest term first. */
  leaders(): NodeId[] {
    return this.upIds()
      .filter((id) => this.node(id).role === 'leader')
      .sort((a, b) => this.node(b).term - this.node(a).term);
  }

  /** The leader of the highest term among running nodes, if any. */
  leader(): NodeId | undefined {
    return this.leaders()[0];
  }

  /** Tick until some leader exists; returns its id. */
  electLeader(maxTicks = 100): NodeId {
    this.tickUntil(() => this.leader() !== undefined && this.settledLeader(), maxTicks);
    return this.leader()!;
  }

  /** Every running node follows the same leader. */
  settledLeader(): boolean {
    const l = this.leader();
    return l !== undefined && this.upIds().every((id) => this.node(id).leader === l);
  }

  applied(id: NodeId): unknown[] {
    return this.machines.get(id)!.values;
  }
}

/** Run a lone node's Ready cycles (persist instantly) and return every message it sent. */
export function drain(n: RaftNode): RaftMessage[] {
  const out: RaftMessage[] = [];
  while (n.hasReady()) {
    const rd = n.ready();
    n.advance();
    out.push(...rd.messages);
  }
  return out;
}

/** A standalone node of a `peers`-member cluster, for tests that craft messages by hand. */
export function lone(
  id: NodeId,
  peers: NodeId[],
  opts: Partial<RaftConfig> = {},
  durable: RaftDurable = newDurable(),
  randInt: (n: number) => number = () => 0,
): RaftNode {
  const cfg: RaftConfig = { id, peers, electionTicks: 10, heartbeatTicks: 1, preVote: false, checkQuorum: false, ...opts };
  return new RaftNode(cfg, durable, randInt);
}

/** Build a message with defaults for the fields a test does not care about. */
export function msg(m: Partial<RaftMessage> & Pick<RaftMessage, 'type' | 'from' | 'to' | 'term'>): RaftMessage {
  return m;
}
