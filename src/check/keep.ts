// Which observations a command-line run keeps in memory: what its expectations and shrinking read, nothing else.
// Everything else has already been folded into the metrics by their listener, so a 10-day run stays flat in memory.
import type { Observation } from '../kernel/trace.ts';
import type { Scenario } from '../scenario/index.ts';
import { STATE_KINDS } from './state.ts';

/**
 * The predicate for RunOptions.keepObservations: fault observations always (shrinking and `after:` anchors read
 * them), and the kinds CheckState reads when the scenario has temporal expectations.
 */
export function observationsToKeep(scenario: Scenario): (obs: Observation) => boolean {
  const temporal = scenario.expect.some((e) => e.kind !== 'bound');
  return temporal ? (o) => o.kind === 'fault' || STATE_KINDS.has(o.kind) : (o) => o.kind === 'fault';
}
