// The scheduler's view of the bindings and pods lists: who is bound where, which pods wait, which bindings name deleted pods — kept up to date list by list.
import type { ApiList } from '../api.ts';
import { diffLists } from './list-diff.ts';
import { lastSegment, type Bindings } from '../objects.ts';

type Item = ApiList['items'][number];

/** A node's bindings object as the scheduler last listed it. */
export interface NodeBinding {
  pods: string[];
  rv: number;
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Upstream the kube-scheduler works from a queue of pending pods that its informers' event handlers
 * fill; here a pass reads the lists, and this view follows them by what changed between two lists
 * (list-diff.ts) instead of rebuilding sets of every pod and binding: in a 5,000-node cluster the pods
 * or bindings change several times a minute while evictions run, and a rebuild cost milliseconds.
 */
export class PodView {
  private bindings: ApiList | null = null;
  private pods: ApiList | null = null;
  /** Per node, its bindings. */
  readonly current = new Map<string, NodeBinding>();
  private readonly exists = new Set<string>();
  /** Per pod, the nodes whose bindings name it (one, but two schedulers without leader election can race). */
  private readonly boundOn = new Map<string, Set<string>>();
  private readonly unbound = new Set<string>();
  private readonly missingOn = new Map<string, string[]>();
  /** Existing pods no binding names, in the pod list's order (by name). */
  pending: readonly string[] = [];
  /** Per node (in name order), the pods its bindings name that no longer exist. */
  gone: readonly (readonly [string, string[]])[] = [];

  /** Bring the view to these lists (bindings listed before pods: a bound pod missing from the pods is gone). */
  update(bindings: ApiList, pods: ApiList): void {
    if (bindings === this.bindings && pods === this.pods) return;
    const nodes = new Set<string>();
    const podsTouched = new Set<string>();
    if (bindings !== this.bindings) {
      diffLists(this.bindings?.items ?? [], bindings.items, {
        removed: (b) => this.unbindNode(lastSegment(b.key), nodes, podsTouched),
        added: (b) => this.bindNode(b, nodes, podsTouched),
        replaced: (a, b) => {
          this.unbindNode(lastSegment(a.key), nodes, podsTouched);
          this.bindNode(b, nodes, podsTouched);
        },
      });
      this.bindings = bindings;
    }
    if (pods !== this.pods) {
      diffLists(this.pods?.items ?? [], pods.items, {
        removed: (p) => { const name = lastSegment(p.key); this.exists.delete(name); podsTouched.add(name); },
        added: (p) => { const name = lastSegment(p.key); this.exists.add(name); podsTouched.add(name); },
        replaced: () => {},
      });
      this.pods = pods;
    }
    for (const pod of podsTouched) {
      const on = this.boundOn.get(pod);
      if (this.exists.has(pod) && on === undefined) this.unbound.add(pod);
      else this.unbound.delete(pod);
      for (const node of on ?? []) nodes.add(node);
    }
    for (const node of nodes) {
      const missing = (this.current.get(node)?.pods ?? []).filter((p) => !this.exists.has(p));
      if (missing.length > 0) this.missingOn.set(node, missing);
      else this.missingOn.delete(node);
    }
    this.pending = [...this.unbound].sort(byName);
    this.gone = [...this.missingOn].sort((a, b) => byName(a[0], b[0]));
  }

  private bindNode(item: Item, nodes: Set<string>, podsTouched: Set<string>): void {
    const node = lastSegment(item.key);
    const list = (item.value as Bindings).pods;
    this.current.set(node, { pods: list, rv: item.resourceVersion });
    nodes.add(node);
    for (const pod of list) {
      let on = this.boundOn.get(pod);
      if (on === undefined) this.boundOn.set(pod, (on = new Set()));
      on.add(node);
      podsTouched.add(pod);
    }
  }

  private unbindNode(node: string, nodes: Set<string>, podsTouched: Set<string>): void {
    const was = this.current.get(node);
    if (was === undefined) return;
    this.current.delete(node);
    nodes.add(node);
    for (const pod of was.pods) {
      const on = this.boundOn.get(pod);
      on?.delete(node);
      if (on?.size === 0) this.boundOn.delete(pod);
      podsTouched.add(pod);
    }
  }
}
