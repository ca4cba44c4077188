// ReplicaSet controller (kube-controller-manager): keeps the Deployment's pod count at desired, from its informers.
import type { Ctx } from '../../kernel/actor.ts';
import type { ApiList } from '../api.ts';
import type { Controller } from './controller.ts';
import { deletePods } from './evict.ts';
import { Api, BINDINGS_PREFIX, DEPLOYMENT, lastSegment, podKey, PODS_PREFIX, type Bindings, type PodObject } from '../objects.ts';

const SYNC_US = 1_000_000;
/** controller_utils.go ExpectationsTimeout: expectations not observed by then are given up. */
const EXPECTATIONS_TIMEOUT_US = 300_000_000;
/** More pods than this in one sync are announced as one line, not one per pod. */
const NOTE_LIMIT = 10;

export class ReplicaSetController implements Controller {
  private busy = false;
  private syncs = 0;
  /**
   * ControllerExpectations: pods this controller created or deleted that its informer has not shown yet;
   * until it has (or the timeout passes), a sync would count stale numbers, so it waits.
   */
  private readonly expectCreate = new Set<string>();
  private readonly expectDelete = new Set<string>();
  private expectSince = 0;
  /** The informer lists of the last sync, if it found the count right: the same lists again need nothing. */
  private idleOn: [ApiList, ApiList] | null = null;

  constructor(private readonly ctx: Ctx, private readonly api: Api, private readonly desired: number) {}

  start(): void {
    this.api.inform(BINDINGS_PREFIX);
    // The pod event handlers enqueue the ReplicaSet (addPod, deletePod); a queued key is not queued twice.
    this.api.onChange(PODS_PREFIX, () => {
      if (!this.ctx.hasTimer('ctl:rs-queue')) this.ctx.setTimer('ctl:rs-queue', 0);
    });
    this.ctx.setTimer('ctl:rs', SYNC_US, undefined, { routine: true });
  }

  timer(name: string): void {
    if (name === 'ctl:rs') this.ctx.setTimer('ctl:rs', SYNC_US, undefined, { routine: true });
    else if (name !== 'ctl:rs-queue') return;
    if (this.busy) return;
    this.busy = true;
    // Bindings first: a binding then names a pod that existed, so a pod missing from the later list is gone.
    this.api.list(BINDINGS_PREFIX, (bindings) => {
      if (!bindings) return void (this.busy = false);
      this.api.list(PODS_PREFIX, (pods) => {
        this.busy = false;
        if (!pods || (this.idleOn?.[0] === bindings && this.idleOn[1] === pods)) return;
        this.idleOn = null;
        this.reconcile(bindings, pods);
      });
    });
  }

  private reconcile(bindings: ApiList, pods: ApiList): void {
    const expecting = this.expectCreate.size + this.expectDelete.size > 0;
    if (expecting && !this.satisfied(new Set(pods.items.map((p) => lastSegment(p.key))))) return;
    this.syncs++;
    const diff = pods.items.length - this.desired;
    if (diff < 0) this.create(-diff, pods.items.length);
    else if (diff > 0) {
      const nodeOf = new Map<string, string>();
      for (const b of bindings.items) for (const p of (b.value as Bindings).pods) nodeOf.set(p, lastSegment(b.key));
      this.deleteExtras(diff, pods, nodeOf);
    } else this.idleOn = [bindings, pods];
  }

  /** SatisfiedExpectations: every create seen in the informer, every delete gone from it (or the expectations expired). */
  private satisfied(present: Set<string>): boolean {
    for (const pod of this.expectCreate) if (present.has(pod)) this.expectCreate.delete(pod);
    for (const pod of this.expectDelete) if (!present.has(pod)) this.expectDelete.delete(pod);
    if (this.expectCreate.size + this.expectDelete.size === 0) return true;
    if (this.ctx.now() - this.expectSince <= EXPECTATIONS_TIMEOUT_US) return false;
    this.expectCreate.clear();
    this.expectDelete.clear();
    return true;
  }

  private create(n: number, have: number): void {
    this.expectSince = this.ctx.now();
    const quiet = n > NOTE_LIMIT;
    if (quiet) this.ctx.emit('pod', { created: n, note: `ReplicaSet ${DEPLOYMENT}: creating ${n} pods (${have} of ${this.desired} exist)` });
    for (let i = 0; i < n; i++) {
      const pod = `${DEPLOYMENT}-${this.ctx.random.int(0, 36 ** 5).toString(36).padStart(5, '0')}`;
      const value: PodObject = { deployment: DEPLOYMENT, phase: 'Pending' };
      this.expectCreate.add(pod);
      this.api.call({ verb: 'create', key: podKey(pod), value }, (r) => {
        // A failed create will never be observed (CreationObserved on error).
        if (r.status !== 200) this.expectCreate.delete(pod);
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
    this.expectSince = this.ctx.now();
    for (const v of victims) this.expectDelete.add(v.pod);
    deletePods(this.ctx, this.api, victims, () => {}, (pod) => this.expectDelete.delete(pod));
  }
}
