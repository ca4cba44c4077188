// Who leads a group right now, folded from the trace: the one source the role selectors (etcd:leader, …) read.
import type { Sim } from '../kernel/sim.ts';

/**
 * The processes that say they lead `group`, with the term they gave (0 where the group has no
 * terms), in the order they started leading. A `leader` observation with leading: false, or the
 * process going down, removes it. Callers still check the process is running: a frozen or
 * partitioned leader keeps believing.
 */
export function trackLeading(sim: Sim, group: string): ReadonlyMap<string, number> {
  const leading = new Map<string, number>();
  sim.trace.listen((o) => {
    if (o.kind === 'leader' && o.detail['group'] === group) {
      if (o.detail['leading'] === true) leading.set(o.subject, o.detail.term ?? 0);
      else leading.delete(o.subject);
    } else if (o.kind === 'process' && o.detail['state'] === 'down') {
      leading.delete(o.subject);
    }
  });
  return leading;
}

/** The VIP's holder (the keepalived process that last claimed it and has not given it up). */
export function trackVipHolder(sim: Sim): () => string | undefined {
  let holder: string | undefined;
  sim.trace.listen((o) => {
    if (o.kind !== 'vip') return;
    if (o.detail['holder'] !== null) holder = o.subject;
    else if (holder === o.subject) holder = undefined;
  });
  return () => holder;
}
