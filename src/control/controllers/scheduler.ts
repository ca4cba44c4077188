// kube-scheduler's work while it leads: bind pending pods to Ready, untainted workers, fewest pods first.
import type { Ctx } from '../../kernel/actor.ts';
import type { ApiList } from '../api.ts';
import type { Controller } from './controller.ts';
import { unbind } from './evict.ts';
import { Api, bindingsKey, BINDINGS_PREFIX, lastSegment, NODES_PREFIX, PODS_PREFIX, type Bindings, type NodeObject } from '../objects.ts';

const SYNC_US = 1_000_000;
const NOTE_LIMIT = 10;

interface Slot {
  node: string;
  count: number;
}

/**
 * What a pass derives from the bindings and pods lists alone: who is bound where, which pods wait,
 * and which bindings name deleted pods. The informer hands out the same list object until its store
 * changes, so most passes (a node's status changed, not a pod or binding) reuse it.
 */
interface PodView {
  bindings: ApiList;
  pods: ApiList;
  current: Map<string, { pods: string[]; rv: number }>;
  /** Unbound pods, in the pod list's order. */
  pending: string[];
  /** Per node, the bound pods that no longer exist. */
  gone: Map<string, string[]>;
}

export class PodScheduler implements Controller {
  private busy = false;
  private view: PodView | null = null;

  constructor(private readonly ctx: Ctx, private readonly api: Api) {}

  start(): void {
    this.api.inform(NODES_PREFIX, BINDINGS_PREFIX, PODS_PREFIX);
    this.ctx.setTimer('ctl:sched', SYNC_US, undefined, { routine: true });
  }

  /**
   * One pass. Lists are read from informers (local and synchronous), bindings before pods so that a
   * bound pod missing from the later pod list is gone; the node list is read only when a pass needs
   * it: to unbind deleted pods or to place pending ones. (The kube-scheduler works from its queue of
   * pending pods; a pass with none costs it nothing, and here a cached view makes that cheap too.)
   */
  timer(name: string): void {
    if (name !== 'ctl:sched') return;
    this.ctx.setTimer('ctl:sched', SYNC_US, undefined, { routine: true });
    if (this.busy) return;
    this.busy = true;
    const fail = (): void => void (this.busy = false);
    this.api.list(BINDINGS_PREFIX, (bindings) => {
      if (!bindings) return fail();
      this.api.list(PODS_PREFIX, (pods) => {
        if (!pods) return fail();
        const view = this.viewOf(bindings, pods);
        if (view.pending.length === 0 && view.gone.size === 0) return fail();
        this.api.list(NODES_PREFIX, (nodes) => {
          if (!nodes) return fail();
          this.schedule(nodes, view);
        });
      });
    });
  }

  private viewOf(bindings: ApiList, pods: ApiList): PodView {
    const cached = this.view;
    if (cached !== null && cached.bindings === bindings && cached.pods === pods) return cached;
    const bound = new Set<string>();
    const current = new Map<string, { pods: string[]; rv: number }>();
    for (const b of bindings.items) {
      const list = (b.value as Bindings).pods;
      current.set(lastSegment(b.key), { pods: list, rv: b.resourceVersion });
      for (const p of list) bound.add(p);
    }
    const exists = new Set(pods.items.map((p) => lastSegment(p.key)));
    const gone = new Map<string, string[]>();
    for (const [node, b] of current) {
      const missing = b.pods.filter((p) => !exists.has(p));
      if (missing.length > 0) gone.set(node, missing);
    }
    const pending = [...exists].filter((p) => !bound.has(p));
    return (this.view = { bindings, pods, current, pending, gone });
  }

  private schedule(nodes: ApiList, view: PodView): void {
    this.dropDeleted(view.gone);
    const { current, pending } = view;
    const slots: Slot[] = [];
    for (const n of nodes.items) {
      const node = n.value as NodeObject;
      const name = lastSegment(n.key);
      if (node.ready && node.unreachableSince === null) slots.push({ node: name, count: current.get(name)?.pods.length ?? 0 });
    }
    if (pending.length === 0 || slots.length === 0) return void (this.busy = false);
    slots.sort(bySpread);
    const plan = new Map<string, string[]>();
    for (const pod of pending) {
      const s = slots[0]!;
      plan.set(s.node, [...(plan.get(s.node) ?? []), pod]);
      s.count++;
      // Keep the slots ordered: the one that grew moves back past those now smaller.
      for (let i = 0; i + 1 < slots.length && bySpread(slots[i]!, slots[i + 1]!) > 0; i++) [slots[i], slots[i + 1]] = [slots[i + 1]!, slots[i]!];
    }
    this.bind(plan, current, pending.length);
  }

  /**
   * A binding that names a deleted pod goes with it. Upstream a pod's node is a field of the pod
   * (spec.nodeName, set by the binding subresource), so deleting the pod unbinds it; here bindings are
   * a list per node, and a pod deleted while a scheduler was binding it (two schedulers and three
   * ReplicaSet controllers without leader election) would stay bound and run forever. Bindings were
   * listed before pods: a bound pod missing from the later pod list is gone.
   */
  private dropDeleted(gone: Map<string, string[]>): void {
    for (const [node, pods] of gone) unbind(this.ctx, this.api, node, new Set(pods), 2);
  }

  /** One compare-and-swap per node (the binding subresource, batched). */
  private bind(plan: Map<string, string[]>, current: Map<string, { pods: string[]; rv: number }>, total: number): void {
    let left = plan.size;
    const quiet = total > NOTE_LIMIT;
    if (quiet) this.ctx.emit('pod', { scheduled: total, note: `scheduling ${total} pods on ${plan.size} workers` });
    for (const [node, pods] of plan) {
      const cur = current.get(node);
      const value: Bindings = { pods: [...(cur?.pods ?? []), ...pods] };
      const op = cur ? { verb: 'update' as const, key: bindingsKey(node), value, resourceVersion: cur.rv } : { verb: 'create' as const, key: bindingsKey(node), value };
      this.api.call(op, (r) => {
        if (--left === 0) this.busy = false;
        if (r.status !== 200 || quiet) return;
        for (const pod of pods) this.ctx.emit('pod', { pod, node, scheduled: true, note: `pod ${pod} scheduled on ${node}` });
      });
    }
  }
}

function bySpread(a: Slot, b: Slot): number {
  return a.count - b.count || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0);
}
