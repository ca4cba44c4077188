// kube-scheduler's work while it leads: bind pending pods to Ready, untainted workers, fewest pods first.
import type { Ctx } from '../../kernel/actor.ts';
import type { ApiList } from '../api.ts';
import type { Controller } from './controller.ts';
import { unbind } from './evict.ts';
import { PodView, type NodeBinding } from './pod-view.ts';
import { Api, bindingsKey, BINDINGS_PREFIX, lastSegment, NODES_PREFIX, PODS_PREFIX, type Bindings, type NodeObject } from '../objects.ts';

const SYNC_US = 1_000_000;
const NOTE_LIMIT = 10;

interface Slot {
  node: string;
  count: number;
}

export class PodScheduler implements Controller {
  private busy = false;
  private readonly view = new PodView();

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
        const view = this.view;
        view.update(bindings, pods);
        if (view.pending.length === 0 && view.gone.length === 0) return fail();
        this.api.list(NODES_PREFIX, (nodes) => {
          if (!nodes) return fail();
          this.schedule(nodes);
        });
      });
    });
  }

  private schedule(nodes: ApiList): void {
    this.dropDeleted(this.view.gone);
    const { current, pending } = this.view;
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
  private dropDeleted(gone: PodView['gone']): void {
    for (const [node, pods] of gone) unbind(this.ctx, this.api, node, new Set(pods), 2);
  }

  /** One compare-and-swap per node (the binding subresource, batched). */
  private bind(plan: Map<string, string[]>, current: ReadonlyMap<string, NodeBinding>, total: number): void {
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
