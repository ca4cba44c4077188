// Which observations a command-line run keeps in memory: what its expectations, tour and shrinking read, nothing else.
// Everything else has already been folded into the metrics by their listener, so a 10-day run stays flat in memory.
import type { Observation } from '../kernel/trace.ts';
import type { Scenario } from '../scenario/index.ts';
import { STATE_KINDS } from './state.ts';

/**
 * The predicate for RunOptions.keepObservations: fault observations always (shrinking and `after:` anchors read
 * them); the kinds CheckState reads when the scenario has temporal expectations or a tour (its `when` conditions);
 * and every observation when a metric bound has an `after:`/`until:` window, since check/expect.ts measures it
 * by replaying the whole trace over the window.
 */
export function observationsToKeep(scenario: Scenario): boolean | ((obs: Observation) => boolean) {
  if (scenario.expect.some((e) => e.kind === 'bound' && (e.after !== undefined || e.until !== undefined))) return true;
  const state = scenario.tour.length > 0 || scenario.expect.some((e) => e.kind !== 'bound');
  return state ? (o) => o.kind === 'fault' || STATE_KINDS.has(o.kind) : (o) => o.kind === 'fault';
}
