// Tolerant readers of the control-plane observation kinds whose detail shapes observations.ts does not fix yet.
//
// Shapes read (as src/lb and src/control emit them today; the alternatives after "or" are accepted too):
//   lb-backend  subject lb-1/haproxy   { backend: 'master-2/kube-apiserver', state: 'UP'|'DOWN', reason, note }   (or server/target, up: boolean)
//   vip         subject lb-2/keepalived { holder: 'lb-2' | null, state: 'MASTER'|'BACKUP', note }   (or holding: boolean)
//   lease       subject the apiserver that committed it { group: 'kube-scheduler', holder: 'master-1_0a1b2c3d' (client-go identity) | '' }
//   node        subject the reporting controller, { node: 'worker-1', ready: boolean, note }   (or subject worker-1; state/condition: 'Ready'|'NotReady'|'Unknown')
//   pod         { pod, node, running: boolean } (kubelet) or { pod, node, evicted: true } (eviction)   (or subject the pod, phase: 'Running'|…|'Deleted')
//   apiserver   subject master-1/kube-apiserver { ready: boolean, cause? }   (or readyz: 'ok'|'failing')   — not emitted yet
import type { Observation } from '../../src/kernel/trace.ts';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const machine = (id: string): string => id.split('/')[0]!;

function flag(v: unknown, yes: readonly string[], no: readonly string[]): boolean | null {
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') return null;
  const s = v.toLowerCase();
  if (yes.includes(s)) return true;
  if (no.includes(s)) return false;
  return null;
}

function because(d: Record<string, unknown>): string {
  return str(d['note']) ?? str(d['cause']) ?? str(d['reason']) ?? '';
}

export function readBackend(o: Observation): { lb: string; backend: string; up: boolean; text: string } | null {
  const d = o.detail as Record<string, unknown>;
  const backend = str(d['backend']) ?? str(d['server']) ?? str(d['target']);
  const up = flag(d['state'] ?? d['up'] ?? d['status'], ['up', 'true'], ['down', 'false', 'maint']);
  if (backend === null || up === null) return null;
  return { lb: machine(o.subject), backend: machine(backend), up, text: because(d) };
}

/** The machine holding the VIP after this observation; null when this subject dropped it; undefined if unreadable. */
export function readVip(o: Observation): string | null | undefined {
  const d = o.detail as Record<string, unknown>;
  if ('holder' in d) return d['holder'] === null ? null : str(d['holder']) === null ? undefined : machine(String(d['holder']));
  const holds = flag(d['state'] ?? d['holding'] ?? d['master'], ['master', 'true'], ['backup', 'fault', 'false', 'init']);
  if (holds === null) return undefined;
  return holds ? machine(o.subject) : null;
}

export function readLease(o: Observation): { name: string; holder: string | null } | null {
  const d = o.detail as Record<string, unknown>;
  const name = str(d['group']) ?? str(d['name']) ?? str(d['lease']) ?? o.subject;
  const raw = 'holder' in d ? d['holder'] : d['holderIdentity'];
  if (raw === undefined) return null;
  return { name, holder: str(raw) };
}

/** The machine of a client-go identity ("master-1_0a1b2c3d") or of a process id. */
export function holderMachine(identity: string): string {
  return identity.split(/[_/]/)[0]!;
}

export function readNode(o: Observation): { node: string; ready: boolean; text: string } | null {
  const d = o.detail as Record<string, unknown>;
  const ready = flag(d['ready'] ?? d['state'] ?? d['condition'], ['ready', 'true'], ['notready', 'unknown', 'false']);
  if (ready === null) return null;
  // The node lifecycle controller reports about a node it is not: the node is in `detail.node`.
  return { node: str(d['node']) ?? machine(o.subject), ready, text: because(d) };
}

export function readPod(o: Observation): { pod: string; node: string | null; phase: string; gone: boolean } | null {
  const d = o.detail as Record<string, unknown>;
  // src/worker emits { pod, node, running } from kubelets and { pod, node, evicted } on eviction.
  const phase = str(d['phase']) ?? str(d['state'])
    ?? (d['evicted'] === true ? 'Deleted' : d['running'] === true ? 'Running' : d['running'] === false ? 'Deleted' : null);
  const pod = str(d['pod']) ?? o.subject;
  if (phase === null || (d['pod'] === undefined && d['phase'] === undefined && d['state'] === undefined)) return null;
  const node = str(d['node']);
  return { pod, node: node === null ? null : machine(node), phase, gone: /^(deleted|gone|removed)$/i.test(phase) };
}

export function readReady(o: Observation): { ready: boolean; text: string } | null {
  const d = o.detail as Record<string, unknown>;
  const ready = flag(d['ready'] ?? d['readyz'] ?? d['healthy'], ['ok', 'true', 'ready'], ['failing', 'false', 'fail', 'notready']);
  if (ready === null) return null;
  return { ready, text: because(d) };
}
