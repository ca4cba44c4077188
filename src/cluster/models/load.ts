// The load model: a scenario's `load:` section turned into load-client actors, apiserver capacity and haproxy balance settings.
import type { CapacityConfig } from '../../control/capacity.ts';
import { LoadClient, type LoadClientConfig } from '../../control/load-client.ts';
import type { AuditLevel } from '../../load/audit.ts';
import type { BalanceMode } from '../../load/balance.ts';
import { clientDefaultsFor, type ClientKind, type RequestClassName } from '../../load/classes.ts';
import type { LoadLimits } from '../../report/load.ts';
import { controlPlaneEndpoint, type Scenario } from '../../scenario/index.ts';
import type { Model } from './types.ts';

/** client-go's default per-request timeout is none; load clients give up after kube-apiserver's --request-timeout (60 s). */
const CLIENT_TIMEOUT_US = 60_000_000;
/** How often each apiserver reports its utilisation, in-flight and 429s (one observation per apiserver). */
const SAMPLE_US = 5_000_000;

/** The apiserver's capacity settings, or undefined when the scenario has no load (nothing changes then). */
export function capacityOf(sc: Scenario, requestTimeoutUs: number): CapacityConfig | undefined {
  const load = sc.load;
  if (!load) return undefined;
  return {
    cores: load.machines.cores,
    maxRequestsInflight: load.apf.maxRequestsInflight,
    maxMutatingRequestsInflight: load.apf.maxMutatingRequestsInflight,
    goawayChance: load.goawayChance,
    requestTimeoutUs,
    audit: { ...load.audit, level: load.audit.level as AuditLevel },
    sampleUs: SAMPLE_US,
  };
}

/** The N+1 question's limits (`load.limits`), for the report's verdict; null when the scenario asks none. */
export function loadLimitsOf(sc: Scenario): LoadLimits | null {
  const limits = sc.load?.limits;
  return limits ? { p99WriteMs: limits.p99WriteLatency / 1000, rejectedFraction: limits.rejectedFraction } : null;
}

/** haproxy `balance` of the apiserver backend: only set when the scenario has load (roundrobin otherwise). */
export function balanceOf(sc: Scenario): BalanceMode | undefined {
  return sc.load ? (sc.load.balance as BalanceMode) : undefined;
}

function clientConfig(sc: Scenario, c: NonNullable<Scenario['load']>['clients'][number]): LoadClientConfig {
  const kind = c.kind as ClientKind;
  const defaults = clientDefaultsFor(kind) ?? { qps: -1, burst: 0 };
  return {
    name: c.name, endpoint: controlPlaneEndpoint(sc.cluster), kind, count: c.count,
    qps: c.qps ?? defaults.qps, burst: c.burst ?? defaults.burst, arrivals: c.arrivals,
    requests: c.requests.map((r) => ({ class: r.class as RequestClassName, perSecond: r.perSecond ?? 0, objects: r.objects ?? 0 })),
    timeoutUs: CLIENT_TIMEOUT_US,
  };
}

export const loadModel: Model = {
  component: null,
  actor: () => null,
  setup(b) {
    const load = b.scenario.load;
    if (!load) return;
    for (const c of load.clients) {
      const cfg = clientConfig(b.scenario, c);
      b.sim.addProcess({ machine: 'client', component: `load-${c.name}`, make: () => new LoadClient(cfg) });
    }
  },
};
