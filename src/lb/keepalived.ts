// keepalived: VRRP v2 between the load balancers, moving one virtual address (the VIP) to the MASTER.
import type { Actor, Ctx, Msg } from '../kernel/actor.ts';
import { TCP_SYN, TCP_SYNACK } from '../kernel/sim.ts';
import { SECOND } from '../kernel/time.ts';
import { VrrpScript, type VrrpScriptConfig } from './vrrp-script.ts';

export interface KeepalivedConfig {
  /** The other keepalived processes: adverts go to each of them (unicast peers). */
  peers: string[];
  /** Base priority (kubeadm example: 101 on the first LB, 100 on the others). */
  priority: number;
  /** Stands for the primary IP address: the higher one wins a tie of equal priorities (RFC 3768 §6.4.3). */
  address: number;
  advertIntUs: number;
  preempt: boolean;
  /** The virtual address, and the local process packets to it reach while this instance is MASTER. */
  vip: string;
  vipTarget: string;
  script: VrrpScriptConfig | null;
}

/** A VRRP advertisement. Priority 0: the MASTER is shutting down (backups take over after the skew). */
export type VrrpAdvert = { type: 'vrrp.advert'; priority: number; address: number };

/** VRRPv2 skew (keepalived vrrp.h VRRP_TIMER_SKEW): (256 − priority)/256 s, in integer µs. */
export function skewUs(priority: number): number {
  return Math.floor(((256 - priority) * SECOND) / 256);
}

/** keepalived VRRP_MS_DOWN_TIMER: 3 × advert_int + skew. */
export function masterDownUs(advertIntUs: number, priority: number): number {
  return 3 * advertIntUs + skewUs(priority);
}

const DOWN_TIMER = 'master-down';
const ADVERT_TIMER = 'advert';
const GARP_TIMER = 'garp';
/** keepalived.conf(5) garp_master_delay: a second set of gratuitous ARPs 5 s after becoming MASTER. */
export const GARP_MASTER_DELAY_US = 5 * SECOND;

/**
 * One keepalived instance. Starts BACKUP; becomes MASTER when no advert from a MASTER of higher or
 * equal priority arrives for the master-down interval; as MASTER it claims the VIP (gratuitous ARP)
 * and advertises every advert_int. Observations: `vip` on becoming and on leaving MASTER,
 * `vrrp-script` when the tracked script moves the priority.
 */
export class Keepalived implements Actor {
  private state: 'BACKUP' | 'MASTER' = 'BACKUP';
  /** The master-down timer was last armed by a priority-0 advert (the MASTER resigned), for the note. */
  private resigned = false;
  readonly script: VrrpScript | null;

  constructor(readonly cfg: KeepalivedConfig) {
    this.script = cfg.script && new VrrpScript(cfg.script, (ctx, failed, note) => this.scriptChanged(ctx, failed, note));
  }

  get isMaster(): boolean {
    return this.state === 'MASTER';
  }

  /** Base priority shifted by the tracked script's weight (kept within 1..254). */
  get priority(): number {
    return clampPriority(this.cfg.priority + (this.script?.weight ?? 0));
  }

  start(ctx: Ctx): void {
    ctx.setTimer(DOWN_TIMER, masterDownUs(this.cfg.advertIntUs, this.priority));
    this.script?.start(ctx);
  }

  unsettled(): string | null {
    return this.script?.unsettled() ?? null;
  }

  message(ctx: Ctx, from: string, msg: Msg): void {
    if (msg.type === 'vrrp.advert') {
      const advert = msg as unknown as VrrpAdvert;
      if (this.state === 'MASTER') this.masterReceive(ctx, from, advert);
      else this.backupReceive(ctx, advert);
    } else if (msg.type === TCP_SYNACK) {
      this.script?.onSynack(ctx, msg['id'] as number);
    }
  }

  timer(ctx: Ctx, name: string): void {
    if (name === DOWN_TIMER) {
      if (this.state === 'BACKUP') this.becomeMaster(ctx);
    } else if (name === GARP_TIMER) {
      // Repairs ARP caches that a competing MASTER's announcement overwrote meanwhile.
      if (this.state === 'MASTER') ctx.claimAddress(this.cfg.vip, this.cfg.vipTarget);
    } else if (name === ADVERT_TIMER) {
      if (this.state !== 'MASTER') return;
      this.advertise(ctx, this.priority);
      ctx.setTimer(ADVERT_TIMER, this.cfg.advertIntUs, undefined, { routine: true });
    } else {
      this.script?.timer(ctx, name);
    }
  }

  refused(ctx: Ctx, _to: string, msg: Msg): void {
    if (msg.type === TCP_SYN) this.script?.onRefused(ctx, msg);
  }

  /** Graceful stop: a MASTER sends a priority-0 advert so that a backup takes over after its skew. */
  stop(ctx: Ctx): void {
    if (this.state === 'MASTER') {
      this.advertise(ctx, 0);
      this.leaveMaster(ctx, 'keepalived stopped (sent a priority 0 advert)');
    }
    ctx.exit(0, 'keepalived stopped');
  }

  /**
   * RFC 3768 §6.4.2 as keepalived vrrp_state_backup() does it: priority 0 → take over after the
   * skew; an advert of higher or equal priority (or any, without preempt) resets the master-down
   * timer; a lower one is discarded, so a higher-priority backup takes over when the timer runs out.
   */
  private backupReceive(ctx: Ctx, advert: VrrpAdvert): void {
    if (advert.priority === 0) {
      this.resigned = true;
      ctx.setTimer(DOWN_TIMER, skewUs(this.priority));
    } else if (!this.cfg.preempt || advert.priority >= this.priority) {
      this.resigned = false;
      ctx.setTimer(DOWN_TIMER, masterDownUs(this.cfg.advertIntUs, this.priority));
    }
  }

  /** keepalived vrrp_state_master_rx(): yield to a higher priority (or equal with a higher address). */
  private masterReceive(ctx: Ctx, from: string, advert: VrrpAdvert): void {
    const mine = this.priority;
    const higher = advert.priority > mine || (advert.priority === mine && advert.address > this.cfg.address);
    if (advert.priority !== 0 && higher) {
      ctx.cancelTimer(ADVERT_TIMER);
      ctx.setTimer(DOWN_TIMER, masterDownUs(this.cfg.advertIntUs, mine));
      this.leaveMaster(ctx, `heard ${machineOf(from)} advertise priority ${advert.priority} (ours ${mine})`);
      return;
    }
    // A lower-priority MASTER (or one shutting down) is out there: advertise now to settle it, and
    // re-announce the VIP (vrrp_garp_lower_prio_repeat defaults to vrrp_garp_repeat) — a healed split brain.
    this.advertise(ctx, mine);
    if (advert.priority !== 0) ctx.claimAddress(this.cfg.vip, this.cfg.vipTarget);
  }

  /** keepalived vrrp_state_master_tx(): send the advert first, then take the addresses (gratuitous ARP). */
  private becomeMaster(ctx: Ctx): void {
    this.state = 'MASTER';
    const priority = this.priority;
    this.advertise(ctx, priority);
    ctx.claimAddress(this.cfg.vip, this.cfg.vipTarget);
    ctx.setTimer(ADVERT_TIMER, this.cfg.advertIntUs, undefined, { routine: true });
    ctx.setTimer(GARP_TIMER, GARP_MASTER_DELAY_US);
    const why = this.resigned
      ? `the MASTER resigned (priority 0 advert) ${skewUs(priority) / SECOND}s ago`
      : `no advert from a stronger peer for ${masterDownUs(this.cfg.advertIntUs, priority) / SECOND}s`;
    this.resigned = false;
    ctx.emit('vip', {
      holder: ctx.machine, state: 'MASTER', priority,
      note: `${ctx.machine} became VRRP MASTER (priority ${priority}) and took the VIP: ${why}`,
    });
  }

  private leaveMaster(ctx: Ctx, why: string): void {
    this.state = 'BACKUP';
    ctx.cancelTimer(GARP_TIMER);
    ctx.emit('vip', { holder: null, state: 'BACKUP', priority: this.priority, note: `${ctx.machine} left VRRP MASTER: ${why}` });
  }

  private advertise(ctx: Ctx, priority: number): void {
    const advert: VrrpAdvert = { type: 'vrrp.advert', priority, address: this.cfg.address };
    for (const peer of this.cfg.peers) ctx.send(peer, advert);
  }

  private scriptChanged(ctx: Ctx, failed: boolean, note: string): void {
    const priority = this.priority;
    const before = clampPriority(this.cfg.priority + (failed ? 0 : this.script!.cfg.weight));
    ctx.emit('vrrp-script', {
      script: this.script!.cfg.name, state: failed ? 'failed' : 'ok', priority,
      note: `${note}: priority ${before} → ${priority}`,
    });
  }
}

/** VRRP priorities 1..254 (255 is the address owner, 0 means "shutting down"). */
function clampPriority(p: number): number {
  return Math.max(1, Math.min(254, p));
}

function machineOf(process: string): string {
  const slash = process.indexOf('/');
  return slash < 0 ? process : process.slice(0, slash);
}
