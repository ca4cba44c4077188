// keepalived vrrp_script tracking: a periodic local check whose rise/fall result shifts the VRRP priority.
import type { Ctx, Msg } from '../kernel/actor.ts';
import { TCP_SYN } from '../kernel/sim.ts';
import { SECOND } from '../kernel/time.ts';
import { fullHealth, healthSettled, isGood, stepHealth } from './health.ts';

export interface VrrpScriptConfig {
  /** The script's name in notes (`check_apiserver` in the kubeadm example). */
  name: string;
  /** The local process it probes with a TCP connect (the script's curl). */
  target: string;
  intervalUs: number;
  /** A probe that gets no answer within this fails (curl --max-time 2). */
  timeoutUs: number;
  rise: number;
  fall: number;
  /** Added to the priority while the script is failed (kubeadm example: -2). */
  weight: number;
}

/** kubeadm docs/ha-considerations.md: `interval 3, weight -2, fall 10, rise 2`, curl --max-time 2. */
export const KUBEADM_SCRIPT: Omit<VrrpScriptConfig, 'target'> = {
  name: 'check_apiserver',
  intervalUs: 3 * SECOND,
  timeoutUs: 2 * SECOND,
  rise: 2,
  fall: 10,
  weight: -2,
};

const RUN_TIMER = 'script';
const TIMEOUT_TIMER = 'script-timeout';

/** A script result changed the priority: `failed` after `fall` failures, ok after `rise` successes. */
export type ScriptChange = (ctx: Ctx, failed: boolean, note: string) => void;

export class VrrpScript {
  /** keepalived vrrp_init_script: an INIT script starts at rise - 1 ("one success is enough"). */
  private health: number;
  /** null while INIT: the script counts neither way until its first result. */
  private ok: boolean | null = null;
  private runId = 0;
  private seq = 0;
  private failures = 0;
  private lastError = '';

  constructor(readonly cfg: VrrpScriptConfig, private readonly onChange: ScriptChange) {
    this.health = cfg.rise - 1;
  }

  /** For fast-forward: a health counter between its extremes is on its way to a verdict. */
  unsettled(): string | null {
    if (this.ok !== null && healthSettled(this.health, this.ok, this.cfg)) return null;
    return `vrrp_script ${this.cfg.name} health ${this.health}/${fullHealth(this.cfg)}`;
  }

  /** The priority shift now in force. */
  get weight(): number {
    return this.ok === false ? this.cfg.weight : 0;
  }

  /** keepalived runs a script at once on start (thread_add_event), then every interval. */
  start(ctx: Ctx): void {
    ctx.setTimer(RUN_TIMER, 0, undefined, { routine: true });
  }

  timer(ctx: Ctx, name: string): boolean {
    if (name === RUN_TIMER) {
      ctx.setTimer(RUN_TIMER, this.cfg.intervalUs, undefined, { routine: true });
      if (this.runId === 0) this.run(ctx);
      return true;
    }
    if (name === TIMEOUT_TIMER) {
      if (this.runId !== 0) this.result(ctx, false, `no answer from ${this.cfg.target} within ${this.cfg.timeoutUs / SECOND}s`);
      return true;
    }
    return false;
  }

  onSynack(ctx: Ctx, id: number): boolean {
    if (id === 0 || id !== this.runId) return false;
    this.result(ctx, true, '');
    return true;
  }

  onRefused(ctx: Ctx, msg: Msg): boolean {
    if (msg.type !== TCP_SYN || msg['id'] !== this.runId || this.runId === 0) return false;
    this.result(ctx, false, `${this.cfg.target}: connection refused`);
    return true;
  }

  private run(ctx: Ctx): void {
    this.runId = ++this.seq;
    ctx.send(this.cfg.target, { type: TCP_SYN, id: this.runId });
    ctx.setTimer(TIMEOUT_TIMER, this.cfg.timeoutUs);
  }

  private result(ctx: Ctx, passed: boolean, error: string): void {
    this.runId = 0;
    ctx.cancelTimer(TIMEOUT_TIMER);
    if (passed) this.failures = 0;
    else {
      this.failures++;
      this.lastError = error;
    }
    this.health = stepHealth(this.health, passed, this.cfg);
    const ok = isGood(this.health, this.cfg);
    if (ok === this.ok) return;
    const wasInit = this.ok === null;
    this.ok = ok;
    if (ok && wasInit) return; // INIT → good: the priority does not move
    const note = ok
      ? `${this.cfg.name} succeeded ${this.cfg.rise} times`
      : `${this.cfg.name} failed ${this.failures} time${this.failures === 1 ? '' : 's'} (${this.lastError})`;
    this.onChange(ctx, !ok, note);
  }
}
