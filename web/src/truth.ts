// Readings of the state at the cursor that several views share, so the status line, pills and hovers cannot disagree.
import { holderMachine } from './readers.ts';
import { machineOf, type ViewState } from './state.ts';

/** The machine the Lease record names now (from the committed Lease writes), or null (none yet, or released). */
export function leaseHolderOf(s: ViewState, group: string): string | null {
  const l = s.leases[group];
  return l?.holder ? holderMachine(l.holder) : null;
}

/** Whether the Lease record names this process (master-3/kube-scheduler for the kube-scheduler Lease naming master-3). */
export function namedInLease(s: ViewState, id: string): boolean {
  const component = id.slice(id.indexOf('/') + 1);
  return leaseHolderOf(s, component) === machineOf(id);
}

/** Why a machine's processes cannot answer: powered off, or the process itself is down or frozen; null if it can. */
export function deadWhy(s: ViewState, machine: string, component: string | null): string | null {
  if (s.machines[machine]?.ok === false) return 'powered off';
  if (component === null) return null;
  const p = s.processes[`${machine}/${component}`];
  if (p?.state === 'down' || p?.state === 'backoff') return `${component} is down`;
  if (p?.state === 'paused') return `${component} is frozen`;
  return null;
}

/** Who holds the VIP, and whether that holder is alive to answer on it (a powered-off holder cannot say it let go). */
export function vipNow(s: ViewState): { holder: string | null; alive: boolean; why: string } {
  const holder = s.vip?.holder ?? null;
  if (holder === null) return { holder, alive: false, why: '' };
  // A crashed keepalived leaves the address on the interface (haproxy still answers on it); a machine that is
  // off or cut off from everyone does not answer at all.
  const why = s.machines[holder]?.ok === false ? 'powered off' : s.network.isolated.includes(holder) ? 'isolated' : null;
  return { holder, alive: why === null, why: why ?? '' };
}
