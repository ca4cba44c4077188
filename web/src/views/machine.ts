// What one machine box says: its processes as labelled pills, and per role its backends, node status, pods or probes.
import { fmtTime } from '../../../src/index.ts';
import { isRunning, machineOf, type ViewState } from '../state.ts';
import type { Store } from '../store.ts';
import type { Box } from './layout.ts';
import { etcdName, SHORT } from '../names.ts';
import { swatch } from './palette.ts';
import { describeSample, sampleAt } from '../loadlanes.ts';
import { probeNow } from '../probes.ts';
import { deadWhy, leaseHolderOf, namedInLease } from '../truth.ts';

export interface Pill {
  id: string;
  key: string;
  name: string;
  status: string;
  title: string;
}

export interface Line {
  text: string;
  /** Swatch key of the little square before the text, or null. */
  key: string | null;
  title: string;
}

/**
 * A process's pill at cursor t. A running apiserver of a load scenario also says its CPU and whether it
 * sent 429s, from the sample its load lane draws at t (so the pill and the lane under the cursor agree).
 */
export function pillOf(id: string, s: ViewState, store: Store, t: number): Pill {
  const pill = processPill(id, s, store);
  if (pill.key !== 'up' || !id.endsWith('/kube-apiserver')) return pill;
  const sample = sampleAt(store.lanes.load.lanes.get(id), t);
  if (!sample) return pill;
  const status = `CPU ${Math.round(sample.utilisation * 100)}%${sample.rejected > 0 ? ' · 429s' : ''}`;
  return { ...pill, status, title: `${pill.title} ${describeSample(id, sample)}` };
}

function processPill(id: string, s: ViewState, store: Store): Pill {
  const component = id.slice(id.indexOf('/') + 1);
  const member = store.scenario ? etcdName(id, store.scenario.cluster.topology) : null;
  const name = member ?? SHORT[component] ?? component;
  const machineUp = s.machines[machineOf(id)]?.ok ?? true;
  if (!store.simulated.has(id) && !s.processes[id] && component === 'kubelet' && machineUp) {
    return {
      id, key: 'notsim', name, status: 'restarts pods',
      title: `${id}: not a process of its own in the model, but what it does for this master is: it restarts a static pod that exits (crash, lost leader election) after a back-off of 10 s, doubling. A scenario's kill of a static pod is not restarted (as if its manifest were removed); start brings it back. Faults on the kubelet itself change nothing in this version.`,
    };
  }
  if (!store.simulated.has(id) && !s.processes[id]) {
    return machineUp
      ? { id, key: 'notsim', name, status: 'not simulated', title: `${id}: not simulated yet (no model for ${component} in this version). Clicking still adds a fault to the scenario.` }
      : { id, key: 'off', name, status: 'machine off', title: `${id}: its machine is powered off.` };
  }
  const p = s.processes[id];
  const state = p?.state ?? 'up';
  const since = p ? ` since ${fmtTime(p.since)}` : '';
  const why = p?.cause ? ` (${p.cause})` : '';
  const killed = state === 'down' && /^fault: (kill|stop)\b/.test(p?.cause ?? '') && !/kubelet/.test(component)
    ? ' A scenario\'s kill or stop takes the process down for good (as if its static-pod manifest were removed): the kubelet does not restart it until a start fault. A process that exits on its own is restarted by the kubelet after a back-off.'
    : '';
  if (state !== 'up') return { id, key: state, name, status: swatch(state).label, title: `${id} is ${swatch(state).label}${since}${why}.${killed}` };
  const e = s.etcd[id];
  if (e) {
    const status = e.role === 'leader' ? `★ leader · t${e.term}` : `${swatch(e.role).label} · t${e.term}`;
    const knows = e.leader ? `it follows ${e.leader}` : 'it knows no leader: writes through it are rejected';
    return { id, key: e.role, name, status, title: `${member ?? id} is raft ${e.role} in term ${e.term}; ${e.role === 'leader' ? 'it orders every write' : knows}.` };
  }
  const b = s.beliefs[id];
  if (b?.leading && isRunning(s, id)) {
    if (b.group !== 'etcd' && store.scenario?.params.leaderElection.enabled === false) {
      return { id, key: 'dual', name, status: 'acts (no election)', title: `Leader election is off (--leader-elect=false): ${id} and every other copy act at once; no Lease is held.` };
    }
    const reachLeader = s.componentApi[id];
    if (b.group !== 'etcd' && reachLeader && !reachLeader.ok) {
      return { id, key: 'noapi', name, status: '★ leader, API unreachable', title: `${id} believes it leads ${b.group}, but its requests to the API fail since ${fmtTime(reachLeader.since)}: it can neither renew the Lease nor act, so ${b.group} counts as unavailable until it gives up at its renew deadline and a standby takes over.` };
    }
    if (namedInLease(s, id) || b.group === 'etcd') {
      return { id, key: 'leader', name, status: '★ Lease holder', title: `The ${b.group} Lease names ${machineOf(id)}, and ${id} acts as leader${b.term !== null ? ` (term ${b.term})` : ''}.` };
    }
    const named = leaseHolderOf(s, b.group);
    return {
      id, key: 'dual', name, status: named ? '⚠ stale leader' : 'believes it leads',
      title: named
        ? `${id} still believes it leads ${b.group}, but the Lease names ${named}: it acts until its own renew deadline runs out (Kubernetes leases do not fence a stale leader).`
        : `${id} believes it leads ${b.group}; no Lease write naming it has committed yet${s.leases[b.group] ? '' : ' (or leader election is off: every copy acts)'}.`,
    };
  }
  if (namedInLease(s, id)) {
    return { id, key: 'up', name, status: 'named in Lease', title: `The ${component} Lease still names ${machineOf(id)}, but ${id} does not act as leader (it restarted, or is waiting to renew).` };
  }
  const reach = s.componentApi[id];
  if (reach && !reach.ok) return { id, key: 'stopping', name, status: 'API unreachable', title: `${id} runs but its requests to the API fail since ${fmtTime(reach.since)}: it cannot renew its Lease or act.` };
  const ready = s.apiservers[id];
  if (ready && !ready.ok) return { id, key: 'stopping', name, status: 'not ready', title: `${id} runs but /readyz fails since ${fmtTime(ready.since)}${ready.text ? `: ${ready.text}` : ''}; the load balancer stops sending to it after its failed checks.` };
  if (ready?.ok && component === 'kube-apiserver') return { id, key: 'up', name, status: 'ready', title: `${id} is running and /readyz passes (its etcd answers).` };
  return { id, key: 'up', name, status: b ? 'standby' : 'running', title: `${id} is running${since}${why}${b ? `; it is a ${b.group} standby, waiting for the lease` : ''}.` };
}

/** The extra lines under the pills: LB backends, node readiness and pods, the client's probes. */
export function linesOf(box: Box, s: ViewState, store: Store, t: number): Line[] {
  switch (box.role) {
    case 'lb':
    case 'etcd-lb': {
      const backends = s.backends[box.name];
      const dead = deadWhy(s, box.name, 'haproxy');
      if (backends && dead) {
        return [{ text: `backends: unknown (${dead})`, key: 'off', title: `${box.name}: ${dead}, so it checks and forwards nothing; the last states it saw (${Object.entries(backends).map(([b, f]) => `${b} ${f.ok ? 'UP' : 'DOWN'}`).join(', ')}) no longer mean anything.` }];
      }
      if (!backends) return [{ text: 'backends: not simulated', key: 'notsim', title: 'haproxy is not simulated yet: its backend states are unknown.' }];
      return Object.entries(backends).sort().map(([b, f]) => ({
        text: `→ ${b} ${f.ok ? 'UP' : 'DOWN'}`, key: f.ok ? 'ok' : 'fail',
        title: `${box.name} sends ${f.ok ? '' : 'no '}traffic to ${b}: health check ${f.ok ? 'passes (UP)' : 'failed (DOWN)'} since ${fmtTime(f.since)}${f.text ? ` — ${f.text}` : ''}.`,
      }));
    }
    case 'worker':
      return [nodeLine(box.name, s, store), podLine(box.name, s, store)];
    case 'client':
      return (['read', 'write'] as const).map((op) => {
        const p = probeNow(store.lanes.probes[op], t);
        const what = op === 'read' ? 'reads' : 'writes';
        if (!p) return { text: `API ${what}: no probe yet`, key: null, title: 'The synthetic kubectl client probes the API through the load balancer every second.' };
        return { text: `API ${what}: ${p.value}`, key: p.key, title: `The ${op} probe sent last: ${p.text}.` };
      });
    case 'more': {
      const hidden = box.hidden ?? [];
      const notReady = hidden.filter((w) => s.nodes[w] && !s.nodes[w]!.ok).length;
      return [
        { text: `${hidden.length} more workers`, key: null, title: `${hidden[0]} … ${hidden[hidden.length - 1]} are not drawn one by one.` },
        { text: `${notReady} NotReady`, key: notReady > 0 ? 'fail' : 'ok', title: 'Workers among them whose node is NotReady.' },
      ];
    }
    default:
      return [];
  }
}

function nodeLine(name: string, s: ViewState, store: Store): Line {
  const n = s.nodes[name];
  const off = s.machines[name]?.ok === false;
  if (!n && !store.simulated.has(`${name}/kubelet`)) return { text: 'node: status not simulated', key: 'notsim', title: 'The node lifecycle is not simulated for this machine.' };
  const ready = n ? n.ok : true;
  const since = n ? ` since ${fmtTime(n.since)}${n.text ? ` (${n.text})` : ''}` : ' (nodes start Ready)';
  const tainted = s.taints[name] !== undefined;
  if (ready) {
    return {
      text: off ? 'node Ready (in the API)' : 'node Ready', key: off ? 'off' : 'ok',
      title: off
        ? `${name} is powered off, but the API still records it Ready${since}: the node lifecycle controller marks it NotReady only after it misses its node Lease renewals for the grace period.`
        : `The API records ${name} Ready${since}. Its kubelet renews its node Lease every 10 s; the node lifecycle controller (the controller-manager leader) marks it NotReady when renewals stop, and can mark nothing while it cannot reach the API.`,
    };
  }
  return {
    text: `node NotReady${tainted ? ', tainted' : ''}`, key: 'fail',
    title: `The API records ${name} NotReady${since}.${tainted ? ` It carries the unreachable NoExecute taint since ${fmtTime(s.taints[name]!)}: its pods are evicted when their toleration runs out.` : ''}${off ? ' The machine is powered off: its pods are not running, whatever the API lists.' : ' Its pods keep running on it until they are evicted.'}`,
  };
}

function podLine(name: string, s: ViewState, store: Store): Line {
  const pods = Object.values(s.pods).filter((p) => p.node === name);
  if (!store.simulated.has(`${name}/kubelet`)) return { text: 'pods: not simulated', key: 'notsim', title: 'Pods are not simulated for this machine.' };
  if (s.machines[name]?.ok === false) {
    return { text: `pods: ${pods.length} gone with the machine`, key: 'fail', title: `${name} is powered off: its ${pods.length} pod(s) are not running, though the API still lists them until they are evicted.` };
  }
  const running = pods.filter((p) => /running/i.test(p.phase)).length;
  return {
    text: pods.length === 0 ? 'pods: none yet' : `pods: ${running} running${pods.length > running ? `, ${pods.length - running} other` : ''}`, key: running > 0 ? 'ok' : null,
    title: pods.length === 0 ? `No pod runs on ${name} yet: the scheduler leader binds pods, then the kubelet starts them.` : `${name} runs ${running} pod(s) (the Deployment wants ${store.lanes.desiredPods} in all).`,
  };
}
