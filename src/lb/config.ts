// haproxy configuration as the model sees it: backends, check kind and the timing knobs (all µs).
import { MS, SECOND } from '../kernel/time.ts';
import type { BalanceMode } from '../load/balance.ts';

/**
 * How a backend is health-checked:
 * `readyz` / `healthz`: `option httpchk GET /readyz|/healthz` + `http-check expect status 200`;
 * `tcp`: a plain connect (also what kubeadm's `ssl-hello-chk` amounts to — an apiserver that
 * lost etcd still passes); `etcd-health`: etcd's `/health` expecting `{"health":"true"}`.
 */
export type CheckKind = 'readyz' | 'healthz' | 'tcp' | 'etcd-health';

export interface HaproxyConfig {
  /** Backend process ids, in `server` line order (round-robin follows it). */
  backends: string[];
  check: CheckKind;
  /** `inter`: delay from the end of one check to the start of the next. */
  interUs: number;
  /** `fastinter`: the check interval while a server is between its verdicts (default: inter). */
  fastinterUs?: number;
  /** `downinter`: the check interval while a server is fully DOWN (default: inter). */
  downinterUs?: number;
  /** Consecutive failures that take a fully healthy server DOWN. */
  fall: number;
  /** Consecutive successes that bring a DOWN server back UP. */
  rise: number;
  /** `timeout server`: inactivity on the server side of a proxied connection. */
  timeoutServerUs: number;
  /** `timeout connect`: how long a new connection to a backend may take. */
  timeoutConnectUs: number;
  /**
   * `timeout check`. Unset (haproxy's default): "inter also serves as a timeout for health checks",
   * bounding the whole check. Set: the connect gets min(timeout connect, inter), the response this.
   */
  timeoutCheckUs?: number;
  /** `retries`: further connection attempts after a failed one. */
  retries: number;
  /** `option redispatch`: the last retry goes to another server. */
  redispatch: boolean;
  /** `balance` for new connections; unset is haproxy's default, roundrobin (load/balance.ts). */
  balance?: BalanceMode;
}

/**
 * haproxy doc/configuration.txt defaults (inter 2000 ms, fall 3, rise 2) and the kubeadm example
 * (kubernetes/kubeadm docs/ha-considerations.md): timeout connect 5s, timeout server 20s,
 * retries 1, option redispatch. Its `timeout check 10s` is left unset here (see timeoutCheckUs).
 */
export const HAPROXY_DEFAULTS: Omit<HaproxyConfig, 'backends' | 'check'> = {
  interUs: 2 * SECOND,
  fall: 3,
  rise: 2,
  timeoutServerUs: 20 * SECOND,
  timeoutConnectUs: 5 * SECOND,
  retries: 1,
  redispatch: true,
};

export function haproxyConfig(c: Pick<HaproxyConfig, 'backends' | 'check'> & Partial<HaproxyConfig>): HaproxyConfig {
  const cfg: HaproxyConfig = { ...HAPROXY_DEFAULTS, ...c };
  if (cfg.backends.length === 0) throw new Error('haproxy needs at least one backend');
  if (cfg.interUs <= 0 || cfg.fall < 1 || cfg.rise < 1) throw new Error('haproxy: inter must be > 0, fall and rise ≥ 1');
  return cfg;
}

/**
 * The delay before a server's next check — haproxy src/server.c srv_getinter(): `inter` at full health,
 * `downinter` (else inter) when DOWN at health 0, `fastinter` (else inter) in between.
 */
export function checkInterUs(cfg: HaproxyConfig, health: number, up: boolean): number {
  if (health === cfg.rise + cfg.fall - 1) return cfg.interUs;
  if (!up && health === 0) return cfg.downinterUs ?? cfg.interUs;
  return cfg.fastinterUs ?? cfg.interUs;
}

/** haproxy stream.c: after a connection error, wait min(timeout connect, 1 s) before retrying the same server. */
export function turnAroundUs(cfg: HaproxyConfig): number {
  return Math.min(cfg.timeoutConnectUs, 1000 * MS);
}

/** What one check of this kind does, in words (for notes). */
export function checkLabel(kind: CheckKind): string {
  switch (kind) {
    case 'readyz':
      return '/readyz';
    case 'healthz':
      return '/healthz';
    case 'tcp':
      return 'TCP connect';
    case 'etcd-health':
      return 'etcd /health';
  }
}
