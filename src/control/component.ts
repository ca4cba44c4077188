// kube-scheduler and kube-controller-manager: leader election, the work a leader does, and how each exits.
import type { Actor, Ctx, Msg } from '../kernel/actor.ts';
import { HttpClient } from '../net/http.ts';
import { workKey, type ApiRequestBody, type LeaderGroup } from './api.ts';
import { LeaderElector } from './leaderelection.ts';
import { Informers } from './informers.ts';
import type { Controller, ControllerFactory } from './controllers/controller.ts';
import { Api } from './objects.ts';

export interface ComponentConfig {
  group: LeaderGroup;
  endpoint: string;
  electionEnabled: boolean;
  leaseDurationUs: number;
  renewDeadlineUs: number;
  retryPeriodUs: number;
  /** kube-scheduler: true (k/k #100305); kube-controller-manager: false (it exits without releasing). */
  releaseOnCancel: boolean;
  /** client-go's leader fast path (Kubernetes ≥ 1.30). */
  fastPath: boolean;
  /** The controllers this component runs while it leads (ReplicaSet, node lifecycle; the scheduler's binder). */
  controllers?: ControllerFactory;
}

/** How often a leader's controllers write (each write is an "action" the fencing checker judges). */
const WORK_PERIOD_US = 1_000_000;
const WORK_TIMEOUT_US = 5_000_000;

export class LeaderComponent implements Actor {
  private ctx!: Ctx;
  private api!: HttpClient;
  private elector: LeaderElector | null = null;
  private identity = '';
  private leading = false;
  private reachable: boolean | null = null;
  private controller: Controller | null = null;
  informers: Informers | null = null;

  constructor(private readonly cfg: ComponentConfig) {}

  start(ctx: Ctx): void {
    this.ctx = ctx;
    this.api = new HttpClient(ctx);
    // client-go identity: hostname + "_" + a new UUID per process.
    this.identity = `${ctx.machine}_${ctx.random.int(0, 0x7fffffff).toString(16).padStart(8, '0')}`;
    if (!this.cfg.electionEnabled) {
      this.startLeading('leader election disabled (--leader-elect=false): acts at once');
      return;
    }
    this.elector = new LeaderElector(ctx, this.api, {
      group: this.cfg.group, identity: this.identity, endpoint: this.cfg.endpoint,
      leaseDurationUs: this.cfg.leaseDurationUs, renewDeadlineUs: this.cfg.renewDeadlineUs,
      retryPeriodUs: this.cfg.retryPeriodUs, releaseOnCancel: this.cfg.releaseOnCancel, fastPath: this.cfg.fastPath,
    }, {
      startedLeading: () => this.startLeading('acquired the lease'),
      stoppedLeading: (reason) => this.lost(reason),
      apiReachable: (ok) => this.noteReachable(ok),
    });
    this.elector.run();
  }

  message(_ctx: Ctx, _from: string, msg: Msg): void {
    this.api.onMessage(msg);
  }

  timer(ctx: Ctx, name: string, data: unknown): void {
    if (this.api.onTimer(name, data)) return;
    if (this.elector?.timer(name)) return;
    if (this.informers?.timer(name, data)) return;
    if (name.startsWith('ctl:')) {
      if (this.leading) this.controller?.timer(name, data);
      return;
    }
    if (name === 'work' && this.leading) {
      ctx.setTimer('work', WORK_PERIOD_US, undefined, { routine: true });
      this.work();
    }
  }

  refused(_ctx: Ctx, _to: string, msg: Msg): void {
    this.api.onRefused(msg);
  }

  unsettled(): string | null {
    return this.elector?.unsettled() ?? (this.leading ? this.controller?.unsettled?.() ?? null : null);
  }

  /** SIGTERM: the scheduler releases its lease (ReleaseOnCancel); the controller-manager just exits. */
  stop(ctx: Ctx): void {
    const wasLeading = this.leading;
    this.leading = false;
    ctx.cancelTimer('work');
    const finish = (): void => {
      if (wasLeading) {
        ctx.emit('leader', { group: this.cfg.group, leading: false, cause: this.cfg.releaseOnCancel ? 'stopped; released the lease' : 'stopped without releasing the lease' });
      }
      ctx.exit(0, 'stopped (SIGTERM)');
    };
    if (this.elector) this.elector.cancel(finish);
    else finish();
  }

  private startLeading(cause: string): void {
    this.leading = true;
    this.ctx.emit('leader', { group: this.cfg.group, leading: true, cause, identity: this.identity });
    this.ctx.setTimer('work', WORK_PERIOD_US, undefined, { routine: true });
    if (this.cfg.controllers) {
      this.informers = new Informers(this.ctx, this.api, this.cfg.endpoint, WORK_TIMEOUT_US);
      const api = new Api(this.api, this.cfg.endpoint, WORK_TIMEOUT_US, { group: this.cfg.group, identity: this.identity }, this.informers);
      this.controller = this.cfg.controllers(this.ctx, api);
      this.controller.start();
    }
  }

  /** OnStoppedLeading: both components log "leaderelection lost" and exit(1); the kubelet restarts them. */
  private lost(reason: string): void {
    this.leading = false;
    this.ctx.emit('leader', { group: this.cfg.group, leading: false, cause: reason });
    this.ctx.exit(1, `leaderelection lost: ${reason}`);
  }

  /** A leader's controller write, tagged with who acts (the apiserver reports it to the fencing checker). */
  private work(): void {
    const body: ApiRequestBody = {
      verb: 'put', key: workKey(this.cfg.group), value: { by: this.identity },
      actor: { group: this.cfg.group, identity: this.identity }, action: true,
    };
    this.api.request(this.cfg.endpoint, { method: 'PUT', path: '/work', body }, WORK_TIMEOUT_US, (resp) => {
      this.noteReachable(resp.status !== 0 && resp.status < 500);
    });
  }

  private noteReachable(ok: boolean): void {
    if (ok === this.reachable) return;
    this.reachable = ok;
    this.ctx.emit('component-api', { group: this.cfg.group, ok });
  }
}
