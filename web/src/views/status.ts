// The "right now" line above the cluster: who leads each group, who holds each Lease and the VIP, whether the API works.
import { leadersOf, type ViewState } from '../state.ts';
import type { Store } from '../store.ts';
import { el } from './dom.ts';
import { etcdName } from '../names.ts';
import { holderMachine } from '../readers.ts';
import { swatch } from './palette.ts';

interface Chip {
  label: string;
  value: string;
  key: string | null;
  title: string;
}

function chips(s: ViewState, store: Store): Chip[] {
  const simulated = [...store.simulated];
  const has = (c: string) => simulated.some((id) => id.endsWith(`/${c}`));
  const topology = store.scenario?.cluster.topology ?? 'stacked';
  const out: Chip[] = [];
  const etcd = leadersOf(s, 'etcd');
  if (!has('etcd')) out.push({ label: 'etcd leader', value: 'not simulated', key: 'notsim', title: 'etcd has no model in this version.' });
  else {
    const term = Math.max(0, ...Object.values(s.etcd).map((e) => e.term));
    out.push(etcd.length > 0
      ? { label: 'etcd leader', value: `${etcd.map((id) => etcdName(id, topology) ?? id).join(' + ')} (term ${term})`, key: 'leader', title: 'The raft leader orders every write; a majority of members must be reachable.' }
      : s.firstLed.etcd === undefined
        ? { label: 'etcd leader', value: 'none yet (first election)', key: 'pre-candidate', title: 'The members have just started: the first one whose election timeout runs out asks for votes.' }
        : { label: 'etcd leader', value: 'NONE — writes rejected', key: 'none', title: 'Without a raft leader etcd rejects writes and linearizable reads: an election is under way, or no majority can reach each other.' });
  }
  for (const g of ['kube-scheduler', 'kube-controller-manager'] as const) {
    const lease = s.leases[g];
    if (!has(g)) {
      out.push({ label: g, value: 'not simulated', key: 'notsim', title: `${g} has no model in this version.` });
      continue;
    }
    const l = leadersOf(s, g);
    const value = l.length === 0 ? 'no leader' : l.map((id) => id.split('/')[0]).join(' + ');
    const leaseNote = lease ? ` The Lease object in etcd names ${lease.holder ? `${holderMachine(lease.holder)} (identity ${lease.holder})` : 'nobody (released)'}.` : '';
    out.push({ label: `${g} lease`, value: l.length > 1 ? `${value} (TWO!)` : value, key: l.length === 1 ? 'leader' : l.length > 1 ? 'dual' : 'none', title: `Who acts as ${g} now.${leaseNote}` });
  }
  if (store.scenario?.cluster.loadBalancer.vip === 'keepalived') {
    out.push({ label: 'VIP', value: s.vip?.holder ?? (has('keepalived') ? 'nobody' : 'not simulated'), key: s.vip?.holder ? 'ok' : has('keepalived') ? 'fail' : 'notsim', title: 'The keepalived virtual IP the clients connect to.' });
  }
  for (const op of ['read', 'write'] as const) {
    const p = s.probes[op];
    out.push({ label: `API ${op}s`, value: p ? (p.ok ? 'ok' : 'FAILING') : 'no probe yet', key: p ? (p.ok ? 'ok' : 'fail') : null, title: p?.error ? `last error: ${p.error}` : 'kubectl probes through the load balancer, every second.' });
  }
  return out;
}

const shown = new WeakMap<HTMLElement, string>();

export function renderStatus(host: HTMLElement, s: ViewState, store: Store): void {
  const list = chips(s, store);
  const key = list.map((c) => `${c.label}=${c.value}=${c.key}=${c.title}`).join('|');
  if (shown.get(host) === key) return; // unchanged: leave the DOM alone
  shown.set(host, key);
  host.replaceChildren(...list.map((c) => {
    const sw = c.key ? el('span', { class: 'sw' }) : null;
    if (sw && c.key) sw.style.background = swatch(c.key).fill.startsWith('url') ? '' : swatch(c.key).fill;
    if (sw && c.key) sw.dataset['key'] = c.key;
    return el('span', { class: 'chip', title: c.title }, sw, el('span', { class: 'k' }, `${c.label}: `), el('b', {}, c.value));
  }));
}
