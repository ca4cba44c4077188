// Hover texts: one plain sentence for any mark on the page ("etcd-2 lost quorum: writes are rejected").
import { fmtTime } from '../../src/index.ts';
import type { FaultMark } from './lanes.ts';
import type { Seg } from './track.ts';

const span = (s: Seg): string => `from ${fmtTime(s.from)} to ${fmtTime(s.to)}`;

const WITHOUT_LEADER: Record<string, string> = {
  etcd: 'writes are rejected and linearizable reads fail (no quorum)',
  'kube-scheduler': 'new and replacement pods are not scheduled',
  'kube-controller-manager': 'no controller acts: dead nodes are not noticed, lost replicas are not replaced',
};

/** A process lane (`member` is the etcd member name when the process is one). */
export function explainProcess(id: string, s: Seg, member: string | null): string {
  const who = member ? `${member} (${id})` : id;
  const why = s.text ? ` — ${s.text}` : '';
  switch (s.key) {
    case 'up':
      return `${who} was running ${span(s)}${why}.`;
    case 'down':
      return `${who} was down ${span(s)}${why}.`;
    case 'stopping':
      return `${who} was shutting down gracefully ${span(s)}${why}.`;
    case 'paused':
      return `${who} was frozen ${span(s)}: no timers fire and messages wait${why}.`;
    case 'backoff':
      return `${who} had exited and waited for its kubelet to restart it ${span(s)}${why}.`;
    case 'leader':
      return member ? `${who} was the raft leader ${span(s)}${why}.` : `${who} held its lease and acted as leader ${span(s)}.`;
    case 'follower':
      return /no leader/.test(s.text)
        ? `${member ?? id} lost quorum ${span(s)}: it knows no leader, so writes through it are rejected.`
        : `${who} was a raft follower ${span(s)}${why}.`;
    case 'candidate':
      return `${member ?? id} lost quorum and campaigned for votes ${span(s)}: writes are rejected${why}.`;
    case 'pre-candidate':
      return `${member ?? id} lost its leader and ran a pre-vote ${span(s)}: writes are rejected${why}.`;
    case 'off':
      return `${id.split('/')[0]} was powered off ${span(s)}${why}.`;
    case 'notready':
      return `${who} ran but its /readyz failed ${span(s)}${why}: its etcd did not answer, so the load balancer takes it out.`;
    case 'noapi':
      return `${who} ran but could not reach a working apiserver ${span(s)}: it cannot renew its Lease or act.`;
    case 'notsim':
      return `${id} is not simulated yet (no model for this component): it is drawn but never changes.`;
    default:
      return `${who}: ${s.key} ${span(s)}${why}.`;
  }
}

export function explainHolder(group: string, s: Seg): string {
  if (s.key === 'none') return `${group} had no leader ${span(s)}: ${WITHOUT_LEADER[group] ?? 'nobody acts'}.`;
  if (s.key === 'dual') {
    return group === 'etcd'
      ? `Two members believed they led etcd ${span(s)} (${s.text}), in different terms: the raft term fences the old one (a majority rejects its term), so only the newer leader commits writes.`
      : `Two members believed they led ${group} ${span(s)} (${s.text}): a Kubernetes Lease does not fence a stale leader, so both act until the old one's renew deadline runs out.`;
  }
  if (s.key === 'noapi') return `${s.text} still believed it led ${group} ${span(s)}, but could not reach a working apiserver: it could neither renew the Lease nor act, so the report counts ${group} unavailable here.`;
  return group === 'etcd' ? `${s.text} was the etcd raft leader ${span(s)}.` : `${s.text} believed it led ${group} and acted ${span(s)}.`;
}

export function explainLease(group: string, s: Seg): string {
  if (s.key === 'none') return `The ${group} Lease named nobody ${span(s)} (released by its holder).`;
  return `The ${group} Lease object in etcd named ${s.key.slice(7)} ${span(s)} (identity ${s.text}): the last committed Lease write. Who acts is the next lane.`;
}

export function explainStrip(which: 'read' | 'write' | 'quorum', s: Seg): string {
  if (which === 'quorum') {
    return s.key === 'ok'
      ? `etcd had a leader and quorum ${span(s)}: ${s.text}.`
      : `etcd had no leader ${span(s)}: writes are rejected (an election is under way, or no majority of members can reach each other).`;
  }
  const what = which === 'read' ? 'API reads (kubectl get through the load balancer)' : 'API writes (kubectl apply through the load balancer)';
  if (s.key === 'hang') return `${what} sent ${span(s)} waited for an answer: ${s.text}.`;
  return s.key === 'ok' ? `${what} sent ${span(s)} succeeded (${s.text}).` : `${what} sent ${span(s)} failed${s.text ? `: ${s.text}` : ''}.`;
}

export function explainFault(f: FaultMark): string {
  return f.to === null ? `At ${fmtTime(f.from)} the scenario injected: ${f.text}.` : `Fault ${span({ from: f.from, to: f.to, key: '', text: '' })}: ${f.text}.`;
}

export function explainNetwork(s: Seg): string {
  return s.key === 'split' ? `The network was split ${span(s)}: ${s.text}.` : `Every machine could reach every other ${span(s)}.`;
}
