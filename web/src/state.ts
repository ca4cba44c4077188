// The cluster as the page draws it at one instant: observations (src/kernel/observations.ts) folded up to time t.
import { LEADER_GROUPS, type LeaderGroup, type Observation } from '../../src/index.ts';
import { readBackend, readLease, readNode, readPod, readReady, readVip } from './readers.ts';

export type Group = LeaderGroup;
export const GROUPS: readonly Group[] = LEADER_GROUPS;
export type ProcessState = 'up' | 'down' | 'stopping' | 'paused' | 'backoff';

export interface Since {
  since: number;
}
export interface ProcView extends Since { state: ProcessState; cause: string }
export interface EtcdView extends Since { member: string; role: string; term: number; leader: string | null }
export interface BeliefView extends Since { group: Group; leading: boolean; term: number | null; cause: string }
export interface FlagView extends Since { ok: boolean; text: string }
export interface ActiveFault extends Since { index: number; verb: string; text: string; targets: string[] }

export interface ViewState {
  /** Observations folded in. */
  count: number;
  machines: Record<string, FlagView>;
  processes: Record<string, ProcView>;
  /** etcd members' raft view, by process id. */
  etcd: Record<string, EtcdView>;
  /** Who believes it leads which group, by process id. */
  beliefs: Record<string, BeliefView>;
  network: { partition: string[][] | null; cuts: string[]; isolated: string[] };
  /** Faults with a `for` that began and have not ended, by index. */
  faults: Record<number, ActiveFault>;
  /** LB machine → backend machine → UP/DOWN. */
  backends: Record<string, Record<string, FlagView>>;
  vip: { holder: string | null; since: number } | null;
  /** Lease objects (kube-scheduler, kube-controller-manager): the holder written in them. */
  leases: Record<string, { holder: string | null; since: number }>;
  nodes: Record<string, FlagView>;
  /** Nodes carrying the unreachable NoExecute taint, by node name (set by the node lifecycle controller). */
  taints: Record<string, number>;
  pods: Record<string, { node: string | null; phase: string; since: number }>;
  apiservers: Record<string, FlagView>;
  /** Leader-election components whose requests to the API fail (component-api), by process id. */
  componentApi: Record<string, FlagView>;
  /** Stale leader actions seen so far (stale-action), per group. */
  staleActions: Record<string, number>;
  violations: number;
  /** When each group first had a leader (the start-up election is not an outage). */
  firstLed: Partial<Record<Group, number>>;
}

export function emptyState(): ViewState {
  return {
    count: 0, machines: {}, processes: {}, etcd: {}, beliefs: {},
    network: { partition: null, cuts: [], isolated: [] },
    faults: {}, backends: {}, vip: null, leases: {}, nodes: {}, taints: {}, pods: {}, apiservers: {}, componentApi: {}, staleActions: {},
    violations: 0, firstLed: {},
  };
}

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const PROCESS_STATES = new Set(['up', 'down', 'stopping', 'paused', 'backoff']);
const isGroup = (g: unknown): g is Group => g === 'etcd' || g === 'kube-scheduler' || g === 'kube-controller-manager';

/** Fold one observation into `s` (mutates). Unknown kinds and fields are ignored, as the contract asks. */
export function apply(s: ViewState, o: Observation): void {
  s.count++;
  const d = o.detail as Record<string, unknown>;
  const at = o.at;
  switch (o.kind) {
    case 'process': {
      const state = str(d['state']);
      if (!PROCESS_STATES.has(state)) break;
      const prev = s.processes[o.subject];
      // "backoff" keeps the cause of the exit it follows.
      const cause = state === 'backoff' ? `restart in ${num(d['restartInSeconds']) ?? '?'}s after: ${prev?.cause ?? ''}` : str(d['cause']);
      s.processes[o.subject] = { state: state as ProcessState, cause, since: at };
      if (state === 'down') {
        // A dead process believes nothing (as the report's leader tracker counts it); its raft view is gone.
        const b = s.beliefs[o.subject];
        if (b?.leading) s.beliefs[o.subject] = { ...b, leading: false, cause: `went down: ${cause}`, since: at };
        delete s.etcd[o.subject];
      }
      break;
    }
    case 'machine':
      s.machines[o.subject] = { ok: d['state'] === 'up', text: str(d['cause']), since: at };
      break;
    case 'fault': {
      const index = num(d['index']) ?? -1;
      if (d['phase'] === 'end') delete s.faults[index];
      else if (d['forSeconds'] !== undefined) {
        const targets = Array.isArray(d['targets']) ? d['targets'].map(String) : [];
        s.faults[index] = { index, verb: str(d['verb']), text: str(d['text'], o.subject), targets, since: at };
      }
      break;
    }
    case 'network': {
      const part = Array.isArray(d['partition']) ? (d['partition'] as unknown[]).map((g) => (Array.isArray(g) ? g.map(String) : [])) : null;
      const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
      s.network = { partition: part, cuts: list(d['cuts']), isolated: list(d['isolated']) };
      break;
    }
    case 'leader': {
      if (!isGroup(d['group'])) break;
      s.beliefs[o.subject] = { group: d['group'], leading: d['leading'] === true, term: num(d['term']), cause: str(d['cause']), since: at };
      if (d['leading'] === true) s.firstLed[d['group']] ??= at;
      break;
    }
    case 'etcd':
      s.etcd[o.subject] = {
        member: str(d['member'], o.subject), role: str(d['role'], 'follower'), term: num(d['term']) ?? 0,
        leader: typeof d['leader'] === 'string' ? d['leader'] : null, since: at,
      };
      break;
    // Probes are not folded here: they belong to the time they were sent (probes.ts, Lanes.probes).
    case 'invariant':
      s.violations++;
      break;
    default:
      applyControlPlane(s, o);
  }
}

/** The control-plane kinds (readers.ts reads the shapes their models emit). */
function applyControlPlane(s: ViewState, o: Observation): void {
  const at = o.at;
  switch (o.kind) {
    case 'lb-backend': {
      const b = readBackend(o);
      if (b) (s.backends[b.lb] ??= {})[b.backend] = { ok: b.up, text: b.text, since: at };
      break;
    }
    case 'vip': {
      const v = readVip(o);
      if (v !== undefined && (v !== null || s.vip?.holder === machineOf(o.subject))) s.vip = { holder: v, since: at };
      break;
    }
    case 'lease': {
      const l = readLease(o);
      if (l) s.leases[l.name] = { holder: l.holder, since: at };
      break;
    }
    case 'node': {
      const n = readNode(o);
      if (n) s.nodes[n.node] = { ok: n.ready, text: n.text, since: at };
      const node = typeof o.detail['node'] === 'string' ? o.detail['node'] : null;
      // The controller removes the taint with the Ready-again write (nodelifecycle.ts), or in master disruption mode.
      if (node !== null && (o.detail['taint'] === false || (n?.ready === true))) delete s.taints[node];
      if (node !== null && o.detail['taint'] === true) s.taints[node] = at;
      break;
    }
    case 'pod': {
      const p = readPod(o);
      if (p === null) break;
      if (p.gone) delete s.pods[p.pod];
      else s.pods[p.pod] = { node: p.node, phase: p.phase, since: at };
      break;
    }
    case 'apiserver': {
      const r = readReady(o);
      if (r) s.apiservers[o.subject] = { ok: r.ready, text: r.text, since: at };
      break;
    }
    case 'component-api':
      s.componentApi[o.subject] = { ok: o.detail['ok'] === true, text: '', since: at };
      break;
    case 'stale-action': {
      const g = typeof o.detail['group'] === 'string' ? o.detail['group'] : '';
      s.staleActions[g] = (s.staleActions[g] ?? 0) + 1;
      break;
    }
  }
}

export function machineOf(id: string): string {
  const slash = id.indexOf('/');
  return slash < 0 ? id : id.slice(0, slash);
}

/** Whether a process runs (leads only if so): no observation yet counts as running. */
export function isRunning(s: ViewState, id: string): boolean {
  const p = s.processes[id];
  return p === undefined || p.state === 'up' || p.state === 'stopping';
}

/** Members that lead `group` now: they believe it and are running (not paused, not down), as the report counts. */
export function leadersOf(s: ViewState, group: Group): string[] {
  const out: string[] = [];
  for (const [id, b] of Object.entries(s.beliefs)) if (b.group === group && b.leading && isRunning(s, id)) out.push(id);
  return out.sort();
}
