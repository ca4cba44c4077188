// Readers of the control-plane observation kinds, for exactly the shapes the models emit (and nothing else).
//
// Shapes read, with the function that emits each:
//   lb-backend  subject lb-1/haproxy, { backend: 'master-2/kube-apiserver', state: 'UP'|'DOWN', reason, note? }   (src/lb/checks.ts)
//   vip         subject lb-2/keepalived, { holder: 'lb-2' | null, state: 'MASTER'|'BACKUP', priority, note }     (src/lb/keepalived.ts)
//   lease       subject the apiserver that committed it, { group, holder: client-go identity 'master-1_0a1b2c3d' or '' } (src/control/apiserver.ts)
//   node        subject the node lifecycle controller, { node: 'worker-1', ready: boolean, note } or { node, taint: boolean, note }
//               (src/control/controllers/nodelifecycle.ts writeNode)
//   pod         { pod, node, running: boolean } (src/worker/kubelet.ts) or { pod, node, evicted: true } (nodelifecycle.ts eviction);
//               the scheduler's and ReplicaSet's pod observations ({ pod, node, scheduled }, { pod, created }, counts) change no pod's phase
//   apiserver   subject master-1/kube-apiserver, { ready: true } or { ready: false, cause } on change (src/control/apiserver.ts)
import type { Observation } from '../../src/index.ts';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const machine = (id: string): string => id.split('/')[0]!;
const note = (d: Record<string, unknown>): string => str(d['note']) ?? '';

export function readBackend(o: Observation): { lb: string; backend: string; up: boolean; text: string } | null {
  const d = o.detail as Record<string, unknown>;
  const backend = str(d['backend']);
  if (backend === null || (d['state'] !== 'UP' && d['state'] !== 'DOWN')) return null;
  return { lb: machine(o.subject), backend: machine(backend), up: d['state'] === 'UP', text: note(d) || (str(d['reason']) ?? '') };
}

/** The machine holding the VIP after this observation; null when this subject dropped it; undefined if unreadable. */
export function readVip(o: Observation): string | null | undefined {
  const holder = (o.detail as Record<string, unknown>)['holder'];
  if (holder === null) return null;
  return str(holder) === null ? undefined : machine(String(holder));
}

export function readLease(o: Observation): { name: string; holder: string | null } | null {
  const d = o.detail as Record<string, unknown>;
  const name = str(d['group']);
  if (name === null || typeof d['holder'] !== 'string') return null;
  return { name, holder: str(d['holder']) };
}

/** The machine of a client-go identity ("master-1_0a1b2c3d") or of a process id. */
export function holderMachine(identity: string): string {
  return identity.split(/[_/]/)[0]!;
}

/** A Ready/NotReady write of the node lifecycle controller (a taint write has no `ready`: null). */
export function readNode(o: Observation): { node: string; ready: boolean; text: string } | null {
  const d = o.detail as Record<string, unknown>;
  const node = str(d['node']);
  if (node === null || typeof d['ready'] !== 'boolean') return null;
  return { node, ready: d['ready'], text: note(d) };
}

/** A pod starting or stopping on a node: the kubelet's running flag, or an eviction. Other pod observations: null. */
export function readPod(o: Observation): { pod: string; node: string | null; phase: string; gone: boolean } | null {
  const d = o.detail as Record<string, unknown>;
  const pod = str(d['pod']);
  const gone = d['evicted'] === true || d['running'] === false;
  if (pod === null || (!gone && d['running'] !== true)) return null;
  const node = str(d['node']);
  return { pod, node: node === null ? null : machine(node), phase: gone ? 'Deleted' : 'Running', gone };
}

/** An apiserver's readiness as its etcd health check last stored it. */
export function readReady(o: Observation): { ready: boolean; text: string } | null {
  const d = o.detail as Record<string, unknown>;
  if (typeof d['ready'] !== 'boolean') return null;
  return { ready: d['ready'], text: str(d['cause']) ?? '' };
}
