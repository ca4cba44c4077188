// ReplicaSet controller (kube-controller-manager): keeps the Deployment's pod count at desired, from what it lists.
import type { Ctx } from '../../kernel/actor.ts';
import type { ApiList } from '../api.ts';
import type { Controller } from './controller.ts';
import { deletePods } from './evict.ts';
import { Api, BINDINGS_PREFIX, DEPLOYMENT, lastSegment, podKey, PODS_PREFIX, type Bindings, type PodObject } from '../objects.ts';

const SYNC_US = 1_000_000;
/** More pods than this in one sync are announced as one line, not one per pod. */
const NOTE_LIMIT = 10;

export class ReplicaSetController implements Controller {
  private busy = false;
  private syncs = 0;

  constructor(private readonly ctx: Ctx, private readonly api: Api, private readonly desired: number) {}

  start(): void {
    this.ctx.setTimer('ctl:rs', SYNC_US, undefined, { routine: true });
  }

  timer(name: string): void {
    if (name !== 'ctl:rs') return;
    this.ctx.setTimer('ctl:rs', SYNC_US, undefined, { routine: true });
    if (this.busy) return;
    this.busy = true;
    // Bindings first: a binding then names a pod that existed, so a pod missing from the later list is gone.
    this.api.list(BINDINGS_PREFIX, (bindings) => {
      if (!bindings) return void (this.busy = false);
      this.api.list(PODS_PREFIX, (pods) => {
        this.busy = false;
        if (pods) this.reconcile(bindings, pods);
      });
    });
  }

  private reconcile(bindings: ApiList, pods: ApiList): void {
    this.syncs++;
    const nodeOf = new Map<string, string>();
    for (const b of bindings.items) for (const p of (b.value as Bindings).pods) nodeOf.set(p, lastSegment(b.key));
    const names = pods.items.map((p) => lastSegment(p.key));
    const diff = names.length - this.desired;
    if (diff < 0) this.create(-diff, names.length);
    else if (diff > 0) this.deleteExtras(diff, pods, nodeOf);
  }

  private create(n: number, have: number): void {
    const quiet = n > NOTE_LIMIT;
    if (quiet) this.ctx.emit('pod', { created: n, note: `ReplicaSet ${DEPLOYMENT}: creating ${n} pods (${have} of ${this.desired} exist)` });
    for (let i = 0; i < n; i++) {
      const pod = `${DEPLOYMENT}-${this.ctx.random.int(0, 36 ** 5).toString(36).padStart(5, '0')}`;
      const value: PodObject = { deployment: DEPLOYMENT, phase: 'Pending' };
      this.api.call({ verb: 'create', key: podKey(pod), value }, (r) => {
        if (r.status !== 200 || quiet) return;
        this.ctx.emit('pod', { pod, created: true, note: `ReplicaSet ${DEPLOYMENT} created pod ${pod} (${have} of ${this.desired} existed)` });
      });
    }
  }

  /** controller.ActivePods ranking: unscheduled before scheduled, Pending before Running, then by name. */
  private deleteExtras(n: number, pods: ApiList, nodeOf: Map<string, string>): void {
    const ranked = pods.items.map((p) => ({ pod: lastSegment(p.key), node: nodeOf.get(lastSegment(p.key)) ?? null, running: (p.value as PodObject).phase === 'Running' }));
    ranked.sort((a, b) => Number(a.node !== null) - Number(b.node !== null) || Number(a.running) - Number(b.running) || (a.pod < b.pod ? 1 : -1));
    const victims = ranked.slice(0, n);
    this.ctx.emit('pod', { extras: n, note: `ReplicaSet ${DEPLOYMENT}: ${pods.items.length} pods for ${this.desired} replicas, deleting ${n}` });
    deletePods(this.ctx, this.api, victims, () => {});
  }
}
