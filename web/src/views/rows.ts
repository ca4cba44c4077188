// The rows of the timeline — availability strips, leader lanes, one lane per process — and how to explain each mark.
import { fmtTime, machinesOf } from '../../../src/index.ts';
import { explainHolder, explainLease, explainNetwork, explainProcess, explainStrip } from '../explain.ts';
import { holderMachine } from '../readers.ts';
import type { LoadSample } from '../loadlanes.ts';
import { Track, type Seg } from '../track.ts';
import { etcdName, SHORT } from '../names.ts';
import { LOAD_NOTE } from './loadbars.ts';
import { GROUPS } from '../state.ts';
import type { Store } from '../store.ts';

export interface Row {
  kind: 'section' | 'strip' | 'holder' | 'process' | 'note' | 'load';
  label: string;
  /** Second label column (the component of a process lane). */
  sub: string;
  track: Track;
  /** Key drawn where the track has no data (before its first segment). */
  fallback: string | null;
  /** Maps a segment's key to the key drawn (not-simulated processes show their machine's power). */
  keyOf: (seg: Seg) => string;
  /** Text drawn inside a wide segment. */
  textOf: (seg: Seg) => string;
  explain: (seg: Seg) => string;
  /** First row of a machine's group (a separator is drawn above it). */
  first?: boolean;
  /** Instants marked on the lane (stale leader actions), with their hover text. */
  marks?: { at: number; text: string }[];
  /** A load lane's samples (kind 'load'): drawn as CPU bars, not as coloured segments. */
  samples?: readonly LoadSample[];
}

/** Worker kubelet lanes shown; the others are summed up in one note row. */
const MAX_WORKER_LANES = 6;
const EMPTY = new Track();
const HOLDER_LABEL = { etcd: 'etcd raft leader', 'kube-scheduler': 'scheduler', 'kube-controller-manager': 'controller-mgr' } as const;
const LEASE_LABEL = { etcd: '', 'kube-scheduler': 'scheduler', 'kube-controller-manager': 'controller-mgr' } as const;
const same = (s: Seg) => s.key;

function section(label: string): Row {
  return { kind: 'section', label, sub: '', track: EMPTY, fallback: null, keyOf: same, textOf: () => '', explain: () => '' };
}

const stripText = (s: Seg) => (s.key === 'fail' ? 'failing' : s.key === 'hang' ? 'no answer' : s.key === 'none' ? 'no leader' : '');

export function buildRows(store: Store, compact: boolean): Row[] {
  const scenario = store.scenario;
  if (!scenario) return [];
  const L = store.lanes;
  const members = [...store.simulated];
  const modelled = (component: string) => members.some((id) => id.endsWith(`/${component}`));
  const read = L.probes.read.track;
  const write = L.probes.write.track;
  const probes = read.segs.length > 0 || write.segs.length > 0 || members.some((id) => id.startsWith('client/'));
  const rows: Row[] = [section('Availability')];
  rows.push(
    { kind: 'strip', label: 'API reads', sub: 'kubectl get', track: read, fallback: probes ? null : 'notsim', keyOf: same, textOf: stripText, explain: (s) => explainStrip('read', s) },
    { kind: 'strip', label: 'API writes', sub: 'kubectl apply', track: write, fallback: probes ? null : 'notsim', keyOf: same, textOf: stripText, explain: (s) => explainStrip('write', s) },
    { kind: 'strip', label: 'etcd quorum', sub: 'has a leader', track: L.quorum, fallback: modelled('etcd') ? null : 'notsim', keyOf: same, textOf: stripText, explain: (s) => explainStrip('quorum', s) },
    { kind: 'strip', label: 'network', sub: 'partitions', track: L.network, fallback: 'ok', keyOf: same, textOf: (s) => (s.key === 'split' ? 'split' : ''), explain: explainNetwork },
  );
  rows.push(section('Leaders'));
  for (const g of GROUPS) {
    const record = L.leaseRecords.get(g);
    if (g !== 'etcd' && record) {
      rows.push({
        kind: 'holder', label: LEASE_LABEL[g], sub: 'Lease names', track: record, fallback: null,
        keyOf: same,
        textOf: (s) => (s.key.startsWith('holder:') ? s.key.slice(7) : s.key === 'none' ? 'released' : ''),
        explain: (s) => explainLease(g, s),
      });
    }
    const marks = L.stale.filter((x) => x.group === g).map((x) => ({
      at: x.at,
      text: `Stale action: ${holderMachine(x.identity)} (identity ${x.identity}) wrote as ${g} leader while the Lease named ${holderMachine(x.leaseHolder)}. Kubernetes leases do not fence: the write was accepted.`,
    }));
    rows.push({
      kind: 'holder', label: g === 'etcd' ? HOLDER_LABEL[g] : '', sub: g === 'etcd' ? '' : 'believes it leads', track: L.holders.get(g)!,
      fallback: modelled(g) ? null : 'notsim',
      keyOf: (s) => (s.key === 'one' ? `holder:${s.text}` : s.key),
      textOf: (s) => (s.key === 'one' ? (g === 'etcd' ? etcdName(s.text, scenario.cluster.topology) ?? s.text : s.text.split('/')[0]!) : s.key === 'none' ? 'no leader' : s.key === 'dual' ? (g === 'etcd' ? 'TWO leaders' : 'TWO act') : s.key === 'noapi' ? `${s.text.split('/')[0]!}: no API` : ''),
      explain: (s) => explainHolder(g, s),
      marks,
    });
  }
  if (compact) return rows;
  loadRows(store, rows);
  workerRows(store, rows);
  rows.push(section('Processes'));
  let workers = 0;
  for (const m of machinesOf(scenario.cluster)) {
    if (m.role === 'worker' && ++workers > MAX_WORKER_LANES) continue;
    const ids = m.components.map((c) => `${m.name}/${c}`);
    for (const id of store.lanes.processes.keys()) if (id.startsWith(`${m.name}/`) && !ids.includes(id)) ids.push(id);
    ids.forEach((id, i) => rows.push(processRow(store, id, i === 0, etcdName(id, scenario.cluster.topology))));
  }
  if (workers > MAX_WORKER_LANES) {
    rows.push({ ...section(`… and ${workers - MAX_WORKER_LANES} more workers (not drawn)`), kind: 'note' });
  }
  return rows;
}

/** One lane per apiserver with CPU, 429s and (on hover) APF seats and queues, only when the scenario has load. */
function loadRows(store: Store, rows: Row[]): void {
  const lanes = store.lanes.load.lanes;
  if (!store.scenario?.load && lanes.size === 0) return;
  rows.push(section('Apiserver load'));
  rows.push({ ...section(LOAD_NOTE), kind: 'note' });
  const ids = [...lanes.keys()].sort((a, b) => a.localeCompare(b));
  for (const id of ids) {
    const lane = lanes.get(id)!;
    rows.push({
      kind: 'load', label: id.split('/')[0]!, sub: 'apiserver CPU', track: lane.track, fallback: null, keyOf: same, textOf: () => '',
      explain: (s) => (s.key === 'sample' ? s.text : `${id.split('/')[0]!} kube-apiserver from ${fmtTime(s.from)}: ${s.text}.`),
      samples: lane.samples,
    });
  }
}

/** Node readiness per worker (as the API records it) and the Deployment's running pods against desired. */
function workerRows(store: Store, rows: Row[]): void {
  const scenario = store.scenario!;
  const workers = machinesOf(scenario.cluster).filter((m) => m.role === 'worker').map((m) => m.name);
  if (workers.length === 0) return;
  const L = store.lanes;
  const modelled = workers.some((w) => store.simulated.has(`${w}/kubelet`));
  rows.push(section('Nodes and workloads'));
  if (L.desiredPods > 0) {
    rows.push({
      kind: 'strip', label: 'pods running', sub: `desired ${L.desiredPods}`, track: L.workload, fallback: modelled ? null : 'notsim',
      keyOf: same, textOf: (s) => /^(\d+ of \d+)/.exec(s.text)?.[1] ?? '',
      explain: (s) => `From ${fmtTime(s.from)} to ${fmtTime(s.to)}: ${s.text}.`,
    });
  }
  for (const w of workers.slice(0, MAX_WORKER_LANES)) {
    rows.push({
      kind: 'strip', label: w, sub: 'node', track: L.nodes.get(w) ?? EMPTY, fallback: modelled ? 'ready' : 'notsim',
      keyOf: same, textOf: (s) => (s.key === 'ready' ? '' : s.key === 'tainted' ? 'tainted' : s.key === 'notready' ? 'NotReady' : s.key === 'off' ? 'off' : ''),
      explain: (s) => `${w} ${s.key === 'ready' && s.text === '' ? 'Ready (nodes start Ready)' : s.text} from ${fmtTime(s.from)} to ${fmtTime(s.to)}.`,
    });
  }
}

function processRow(store: Store, id: string, first: boolean, member: string | null): Row {
  const [machine, component] = id.split('/') as [string, string];
  const simulated = store.simulated.has(id);
  const machineTrack = store.lanes.machines.get(machine) ?? EMPTY;
  const track = simulated ? store.lanes.processes.get(id) ?? EMPTY : machineTrack;
  const keyOf = simulated ? same : (s: Seg) => (s.key === 'off' ? 'off' : 'notsim');
  return {
    kind: 'process', label: first ? machine : '', sub: member ?? SHORT[component] ?? component, track, first,
    fallback: 'notsim', keyOf,
    textOf: (s) => {
      const k = keyOf(s);
      if (k === 'notsim') return component === 'kubelet' ? 'no process of its own: restarts static pods' : 'not simulated';
      const term = /term (\d+)/.exec(s.text);
      return k === 'leader' || k === 'follower' || k === 'candidate' ? `${k}${term ? ` t${term[1]}` : ''}` : k === 'up' ? '' : k;
    },
    explain: (s) => explainProcess(id, simulated ? s : { ...s, key: keyOf(s) }, member),
  };
}
