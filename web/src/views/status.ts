// The "right now" line above the cluster: who leads each group, who holds each Lease and the VIP, whether the API works.
import { leadersOf, type ViewState } from '../state.ts';
import type { Store } from '../store.ts';
import { el } from './dom.ts';
import { etcdName } from '../names.ts';
import { swatch } from './palette.ts';
import { probeNow } from '../probes.ts';
import { leaseHolderOf, vipNow } from '../truth.ts';

interface Chip {
  label: string;
  value: string;
  key: string | null;
  title: string;
}

function chips(s: ViewState, store: Store, t: number): Chip[] {
  const simulated = [...store.simulated];
  const has = (c: string) => simulated.some((id) => id.endsWith(`/${c}`));
  const topology = store.scenario?.cluster.topology ?? 'stacked';
  const out: Chip[] = [];
  const etcd = leadersOf(s, 'etcd');
  if (!has('etcd')) out.push({ label: 'etcd leader', value: 'not simulated', key: 'notsim', title: 'etcd has no model in this version.' });
  else {
    const term = Math.max(0, ...Object.values(s.etcd).map((e) => e.term));
    // Each leader with its own term: an old leader cut off in term 1 beside the new one in term 2 is not one "term 2".
    const named = etcd.map((id) => `${etcdName(id, topology) ?? id} (term ${s.etcd[id]?.term ?? term})`);
    out.push(etcd.length > 0
      ? {
        label: 'etcd leader', value: named.join(' + '), key: etcd.length > 1 ? 'dual' : 'leader',
        title: etcd.length > 1
          ? 'Two members believe they lead, in different terms: only the one in the higher term can commit (a majority answers it); the old one is fenced by the term and its writes fail.'
          : 'The raft leader orders every write; a majority of members must be reachable.',
      }
      : s.firstLed.etcd === undefined
        ? { label: 'etcd leader', value: 'none yet (first election)', key: 'pre-candidate', title: 'The members have just started: the first one whose election timeout runs out asks for votes.' }
        : { label: 'etcd leader', value: 'NONE — writes rejected', key: 'none', title: 'Without a raft leader etcd rejects writes and linearizable reads: an election is under way, or no majority can reach each other.' });
  }
  for (const g of ['kube-scheduler', 'kube-controller-manager'] as const) {
    if (!has(g)) {
      out.push({ label: g, value: 'not simulated', key: 'notsim', title: `${g} has no model in this version.` });
      continue;
    }
    if (store.scenario?.params.leaderElection.enabled === false) {
      const acting = leadersOf(s, g).map((id) => id.split('/')[0]!);
      out.push({ label: `${g}`, value: `election off: ${acting.length} act at once`, key: acting.length > 1 ? 'dual' : 'leader', title: `Leader election is off (--leader-elect=false): ${acting.join(', ') || 'nobody'} act(s) at once; no Lease is held.` });
      continue;
    }
    out.push(leaseChip(s, g));
  }
  if (store.scenario?.cluster.loadBalancer.vip === 'keepalived') {
    const v = vipNow(s);
    out.push(v.holder === null
      ? { label: 'VIP', value: has('keepalived') ? 'nobody' : 'not simulated', key: has('keepalived') ? 'fail' : 'notsim', title: 'No keepalived claims the virtual IP the clients connect to.' }
      : v.alive
        ? { label: 'VIP', value: v.holder, key: 'ok', title: `The keepalived virtual IP the clients connect to is on ${v.holder}.` }
        : { label: 'VIP', value: `${v.holder}? (${v.why})`, key: 'fail', title: `The virtual IP was last claimed by ${v.holder}, which is ${v.why}: packets to the VIP go nowhere until another keepalived misses its adverts and takes it over.` });
  }
  for (const op of ['read', 'write'] as const) {
    const p = probeNow(store.lanes.probes[op], t);
    out.push({ label: `API ${op}s`, value: p ? p.value : 'no probe yet', key: p ? p.key : null, title: p ? `The ${op} probe sent last: ${p.text}.` : 'kubectl probes through the load balancer, every second.' });
  }
  return out;
}

/** The Lease record's holder, and anyone else who still believes it leads (a stale leader: leases do not fence). */
function leaseChip(s: ViewState, g: 'kube-scheduler' | 'kube-controller-manager'): Chip {
  const named = leaseHolderOf(s, g);
  const believers = leadersOf(s, g).map((id) => id.split('/')[0]!);
  const stale = believers.filter((m) => m !== named);
  const value = named === null ? (s.leases[g] ? 'released' : 'none yet') : named;
  const extra = stale.length > 0 ? ` — ${stale.join(', ')} also believes it leads (stale)` : believers.length === 0 && named !== null ? ' — nobody acting' : '';
  const key = stale.length > 0 ? 'dual' : named !== null && believers.length > 0 ? 'leader' : 'none';
  const title = `The Lease object in etcd names ${named ?? 'nobody'}${s.leases[g]?.holder ? ` (identity ${s.leases[g]!.holder})` : ''}. `
    + (stale.length > 0 ? `${stale.join(', ')} has not noticed yet and keeps acting until its own renew deadline: Kubernetes leases do not fence a stale leader.` : 'Who believes it leads agrees with the Lease.');
  return { label: `${g} Lease`, value: `${value}${extra}`, key, title };
}

const shown = new WeakMap<HTMLElement, string>();

export function renderStatus(host: HTMLElement, s: ViewState, store: Store, t: number): void {
  const list = chips(s, store, t);
  const key = list.map((c) => `${c.label}=${c.value}=${c.key}=${c.title}`).join('|');
  if (shown.get(host) === key) return; // unchanged: leave the DOM alone
  shown.set(host, key);
  host.replaceChildren(...list.map((c) => {
    const sw = c.key ? el('span', { class: 'sw' }) : null;
    if (sw && c.key) sw.style.background = swatch(c.key).fill.startsWith('url') ? '' : swatch(c.key).fill;
    if (sw && c.key) sw.dataset['key'] = c.key;
    return el('span', { class: 'chip', title: c.title, 'data-chip': c.label, 'data-key': c.key ?? '' }, sw, el('span', { class: 'k' }, `${c.label}: `), el('b', {}, c.value));
  }));
}
