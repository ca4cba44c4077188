// Timeline data built as observations arrive: state segments per process lane, holder lanes, strips, fault bands.
import { notable, type Observation } from '../../src/index.ts';
import { LoadLanes } from './loadlanes.ts';
import { ProbeStrip, readProbe } from './probes.ts';
import { holderMachine } from './readers.ts';
import { apply, emptyState, GROUPS, leadersOf, type Group, type ViewState } from './state.ts';
import { Track } from './track.ts';

export interface FaultMark {
  index: number;
  verb: string;
  text: string;
  from: number;
  /** null: an instantaneous fault (a line, not a band). */
  to: number | null;
}

export interface Notable {
  at: number;
  kind: string;
  subject: string;
  text: string;
}

export class Lanes {
  readonly processes = new Map<string, Track>();
  readonly machines = new Map<string, Track>();
  /** Who believes it leads each group (running members whose leader flag is set). */
  readonly holders = new Map<Group, Track>(GROUPS.map((g) => [g, new Track()]));
  /** What the Lease record names, per Lease (kube-scheduler, kube-controller-manager): only committed writes. */
  readonly leaseRecords = new Map<string, Track>();
  /** Per worker node: Ready / NotReady / tainted / powered off, as the API records it. */
  readonly nodes = new Map<string, Track>();
  /** Pods running on live machines against the Deployment's desired replicas. */
  readonly workload = new Track();
  /** The Deployment's replicas (cluster.pods), set when the run starts. */
  desiredPods = 0;
  private workloadReady = false;
  /** Leader actions committed while the Lease named someone else (stale-action observations). */
  readonly stale: { at: number; group: string; identity: string; leaseHolder: string }[] = [];
  /** API probes, placed at the time they were sent (probes.ts). */
  readonly probes = { read: new ProbeStrip(), write: new ProbeStrip() };
  readonly quorum = new Track();
  /** Per-apiserver load samples (scenarios with a `load:` section). */
  readonly load = new LoadLanes();
  readonly network = new Track();
  readonly faults: FaultMark[] = [];
  readonly events: Notable[] = [];
  /** Times worth stepping to (anything but routine probes), ascending. */
  readonly steps: number[] = [];
  private readonly s: ViewState = emptyState();
  private readonly openFaults = new Map<number, FaultMark>();
  private end = 0;

  add(o: Observation): void {
    apply(this.s, o);
    const loadChange = this.load.add(o);
    if (o.kind === 'apiserver-load') {
      // Samples are routine (every 5 s): only a change in 429s is listed and stepped to.
      if (loadChange) this.events.push({ at: o.at, kind: o.kind, subject: o.subject, text: loadChange });
      if (loadChange && this.steps[this.steps.length - 1] !== o.at) this.steps.push(o.at);
      return;
    }
    const s = this.s;
    const at = o.at;
    switch (o.kind) {
      case 'process':
      case 'etcd':
      case 'leader':
        this.processLane(o.subject, at);
        if (o.kind !== 'etcd') this.holderLanes(at);
        this.quorumStrip(at);
        break;
      case 'machine':
        track(this.machines, o.subject).set(at, s.machines[o.subject]!.ok ? 'up' : 'off', s.machines[o.subject]!.text);
        if (this.nodes.has(o.subject) || o.subject.startsWith('worker-')) this.nodeLane(o.subject, at);
        this.workloadLane(at);
        break;
      case 'node': {
        const node = typeof o.detail['node'] === 'string' ? o.detail['node'] : null;
        if (node !== null) this.nodeLane(node, at);
        break;
      }
      case 'pod':
        this.workloadLane(at);
        break;
      case 'probe': {
        const p = readProbe(o);
        if (!p) return;
        const strip = this.probes[p.op];
        strip.add(p.rec);
        const before = strip.previous(p.rec);
        // A step lands where the outcome changed, at the send time the strip draws it.
        if (before === null || before.ok !== p.rec.ok) insertStep(this.steps, p.rec.sent);
        return;
      }
      case 'network': {
        const n = s.network;
        const parts: string[] = [];
        if (n.partition) parts.push(`partition ${n.partition.map((g) => `[${g.join(', ')}]`).join(' | ')} | [everyone else]`);
        if (n.isolated.length > 0) parts.push(`isolated ${n.isolated.join(', ')}`);
        if (n.cuts.length > 0) parts.push(`cut ${n.cuts.join(', ')}`);
        this.network.set(at, parts.length > 0 ? 'split' : 'ok', parts.join('; '));
        break;
      }
      case 'fault':
        this.faultMark(o);
        break;
      case 'lease': {
        const g = String(o.detail['group'] ?? '');
        const l = s.leases[g];
        if (l) track(this.leaseRecords, g).set(at, l.holder ? `holder:${holderMachine(l.holder)}` : 'none', l.holder ?? '');
        break;
      }
      case 'stale-action':
        this.stale.push({ at, group: String(o.detail['group'] ?? ''), identity: String(o.detail['identity'] ?? ''), leaseHolder: String(o.detail['leaseHolder'] ?? '') });
        break;
      case 'apiserver':
        this.processLane(o.subject, at);
        break;
      case 'component-api':
        this.processLane(o.subject, at);
        this.holderLanes(at);
        break;
    }
    const ev = notable(o);
    if (ev) this.events.push({ at, kind: o.kind, subject: ev.subject, text: ev.detail });
    if (this.steps[this.steps.length - 1] !== at) this.steps.push(at);
  }

  private processLane(id: string, at: number): void {
    const s = this.s;
    const p = s.processes[id];
    const e = s.etcd[id];
    const b = s.beliefs[id];
    let key: string = p?.state ?? 'up';
    let text = p?.cause ?? '';
    if (key === 'up' && e) {
      key = e.role;
      text = `${e.role} in term ${e.term}${e.leader ? `, leader ${e.leader}` : ', no leader known'}`;
    } else if (key === 'up' && b?.leading) {
      key = 'leader';
      text = `leads ${b.group}`;
    } else if (key === 'up' && s.apiservers[id]?.ok === false) {
      key = 'notready';
      text = s.apiservers[id]!.text;
    } else if (key === 'up' && s.componentApi[id]?.ok === false) {
      key = 'noapi';
      text = 'its requests to the API fail';
    }
    track(this.processes, id).set(at, key, text);
  }

  private nodeLane(node: string, at: number): void {
    const s = this.s;
    const n = s.nodes[node];
    const off = s.machines[node]?.ok === false;
    const tainted = s.taints[node] !== undefined;
    const key = off && (!n || n.ok) ? 'off' : n && !n.ok ? (tainted ? 'tainted' : 'notready') : 'ready';
    const text = off && (!n || n.ok) ? 'powered off; the API still says Ready until the controller notices'
      : n && !n.ok ? `NotReady${tainted ? ', tainted unreachable:NoExecute (pods evicted after the toleration)' : ''}${n.text ? ` — ${n.text}` : ''}` : 'Ready';
    track(this.nodes, node).set(at, key, text);
  }

  private workloadLane(at: number): void {
    if (this.desiredPods === 0) return;
    const s = this.s;
    let running = 0;
    let listed = 0;
    for (const p of Object.values(s.pods)) {
      listed++;
      if (/running/i.test(p.phase) && p.node !== null && s.machines[p.node]?.ok !== false) running++;
    }
    // Before the Deployment first reaches its replicas the pods are being created: not an outage.
    if (running >= this.desiredPods) this.workloadReady = true;
    const key = !this.workloadReady ? 'starting' : running >= this.desiredPods ? (running > this.desiredPods ? 'extra' : 'ok') : running === 0 ? 'fail' : 'short';
    this.workload.set(at, key, `${running} of ${this.desiredPods} desired running${listed > running ? ` (${listed - running} more listed on dead or stopped nodes)` : ''}`);
  }

  private holderLanes(at: number): void {
    for (const g of GROUPS) {
      const leaders = leadersOf(this.s, g);
      const lane = this.holders.get(g)!;
      if (leaders.length === 0 && lane.segs.length === 0) continue;
      // A leader that cannot reach a working apiserver renews nothing and acts on nothing: the report counts
      // its group unavailable, and so does the lane.
      const cut = leaders.length === 1 && g !== 'etcd' && this.s.componentApi[leaders[0]!]?.ok === false;
      lane.set(at, leaders.length === 0 ? 'none' : leaders.length > 1 ? 'dual' : cut ? 'noapi' : 'one', leaders.join(', '));
    }
  }

  private quorumStrip(at: number): void {
    const lane = this.holders.get('etcd')!;
    const last = lane.segs[lane.segs.length - 1];
    if (!last) return;
    const leaders = leadersOf(this.s, 'etcd');
    const e = Object.values(this.s.etcd);
    const term = Math.max(0, ...e.map((x) => x.term));
    this.quorum.set(at, leaders.length > 0 ? 'ok' : 'none', leaders.length > 0 ? `leader ${leaders.join(', ')}, term ${term}` : 'no leader');
  }

  private faultMark(o: Observation): void {
    const d = o.detail as Record<string, unknown>;
    const index = typeof d['index'] === 'number' ? d['index'] : -1;
    if (d['phase'] === 'end') {
      const open = this.openFaults.get(index);
      if (open) open.to = o.at;
      this.openFaults.delete(index);
      return;
    }
    const hasFor = typeof d['forSeconds'] === 'number';
    const mark: FaultMark = { index, verb: String(d['verb'] ?? ''), text: String(d['text'] ?? o.subject), from: o.at, to: hasFor ? o.at : null };
    this.faults.push(mark);
    if (hasFor) this.openFaults.set(index, mark);
  }

  /** The data now reach `to`: open segments and bands stretch to it. */
  extend(to: number): void {
    this.end = to;
    for (const t of this.processes.values()) t.extend(to);
    for (const t of this.machines.values()) t.extend(to);
    for (const t of this.holders.values()) t.extend(to);
    for (const t of this.leaseRecords.values()) t.extend(to);
    for (const t of this.nodes.values()) t.extend(to);
    this.workload.extend(to);
    this.load.extend(to);
    for (const t of [this.quorum, this.network]) t.extend(to);
    this.probes.read.extend(to);
    this.probes.write.extend(to);
    for (const f of this.openFaults.values()) f.to = to;
  }

  get until(): number {
    return this.end;
  }
}

function insertStep(steps: number[], at: number): void {
  let i = steps.length;
  while (i > 0 && steps[i - 1]! > at) i--;
  if (steps[i - 1] !== at) steps.splice(i, 0, at);
}

function track<K>(map: Map<K, Track>, key: K): Track {
  let t = map.get(key);
  if (!t) map.set(key, (t = new Track()));
  return t;
}
