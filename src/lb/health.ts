// The rise/fall health counter shared by haproxy server checks and keepalived vrrp_script tracking.
//
// haproxy src/check.c set_server_check_status(), and keepalived vrrp_script_child_thread(), keep one
// integer `health` in [0, rise + fall - 1]: the target counts as good while health >= rise.
//   failure: health--, and anything below rise collapses to 0 (bad);
//   success: health++, and reaching rise jumps to rise + fall - 1 (fully good).
// So a fully good target turns bad after `fall` consecutive failures, and a bad one turns good
// after `rise` consecutive successes; a single failure while rising starts the count again.

export interface RiseFall {
  rise: number;
  fall: number;
}

/** The top of the counter: a target that has just passed (or kept passing) its checks. */
export function fullHealth(rf: RiseFall): number {
  return rf.rise + rf.fall - 1;
}

/**
 * haproxy's start-up value (cfgparse.c: "up, but will fall down at first failure"): a server
 * starts UP with health = rise, so its first failed check marks it DOWN. keepalived's INIT script
 * starts at rise - 1 ("one success is enough") — see vrrp-script.ts.
 */
export function startHealth(rf: RiseFall): number {
  return rf.rise;
}

/** The counter after one check result. */
export function stepHealth(health: number, passed: boolean, rf: RiseFall): number {
  const top = fullHealth(rf);
  if (passed) {
    if (health >= top) return top;
    const next = health + 1;
    return next >= rf.rise ? top : next;
  }
  if (health <= 0) return 0;
  const next = health - 1;
  return next < rf.rise ? 0 : next;
}

export function isGood(health: number, rf: RiseFall): boolean {
  return health >= rf.rise;
}

/**
 * The counter sits at the extreme of its verdict (fully good, or 0): no verdict change is under
 * way. Between them, the next results will either flip the verdict or confirm it (fast-forward
 * waits for that).
 */
export function healthSettled(health: number, good: boolean, rf: RiseFall): boolean {
  return health === (good ? fullHealth(rf) : 0);
}
