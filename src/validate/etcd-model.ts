// The model side of the etcd cases: a scenario object with the real cluster's settings, one run per seed, the same measures.
import { Run } from '../cluster/run.ts';
import { EtcdLoad } from '../etcd/loadgen.ts';
import { streamFor } from '../kernel/random.ts';
import type { Observation, ObservationOf } from '../kernel/observations.ts';
import { validateScenario } from '../scenario/index.ts';
import type { EtcdSettings } from './etcd-real.ts';

export type EtcdFault = 'kill' | 'stop' | 'isolate';

/** What one model run measured, in seconds after the fault (null: never happened in the run). */
export interface EtcdModelTrial {
  newLeaderS: number | null;
  writeGapS: number | null;
  stepDownS: number | null;
  /** Writes to surviving members sent within the failure window after the fault that failed. */
  failedWrites: number;
}

export interface ModelNetwork {
  latencyUs: number;
  jitterUs: number;
  fsyncUs: number;
}

const FAULT_AT_S = 6;
const MEMBERS = ['etcd-1/etcd', 'etcd-2/etcd', 'etcd-3/etcd'];

/**
 * Three external etcd members and one master (the smallest cluster the scenario language allows;
 * its apiserver adds a light lease load), the fault aimed at `etcd:leader` as the real case does.
 */
export function etcdScenario(cfg: EtcdSettings, net: ModelNetwork, fault: EtcdFault, seed: number) {
  return validateScenario({
    name: `validate-etcd-${fault}`,
    seed,
    duration: `${FAULT_AT_S + 8}s`,
    cluster: { topology: 'external', masters: 1, etcdMembers: 3, workers: 0, pods: 0, loadBalancer: { count: 0 } },
    params: {
      etcd: { heartbeatInterval: `${cfg.heartbeatMs}ms`, electionTimeout: `${cfg.electionMs}ms`, preVote: cfg.preVote, fsync: `${net.fsyncUs}us` },
      network: { latency: `${net.latencyUs}us`, jitter: `${net.jitterUs}us` },
    },
    faults: [{ at: `${FAULT_AT_S}s`, [fault]: 'etcd:leader' }],
  }, 'hasim validate (etcd scenario)');
}

function leaderObs(o: Observation): o is ObservationOf<'leader'> {
  return o.kind === 'leader' && o.detail['group'] === 'etcd';
}

/** Run one seed and measure as the real case does: a put every `writeIntervalMs` to the members in turn. */
export function etcdModelTrial(cfg: EtcdSettings, net: ModelNetwork, fault: EtcdFault, seed: number, writeIntervalMs: number, failedWindowMs: number): EtcdModelTrial {
  const sc = etcdScenario(cfg, net, fault, seed);
  const run = new Run(sc, {
    seed,
    traceHash: false,
    extend: (b) => b.sim.addProcess({
      machine: 'client', component: 'etcd-load',
      // At a random phase of the write interval, as the real writer is to the signal: writes on a
      // grid through the fault instant would send one exactly as the leadership transfer starts.
      make: () => new EtcdLoad({
        targets: MEMBERS, intervalUs: writeIntervalMs * 1000, timeoutUs: 2_000_000,
        firstAfterUs: 1 + streamFor(seed, 'validate:write-phase').below(writeIntervalMs * 1000),
      }),
    }),
  });
  run.advance(sc.duration);
  const faultUs = FAULT_AT_S * 1_000_000;
  const all = run.sim.trace.observations;
  let oldLeader: string | null = null;
  for (const o of all) {
    if (o.at >= faultUs) break;
    if (leaderObs(o) && o.detail['leading'] === true) oldLeader = o.subject;
    else if (leaderObs(o) && o.subject === oldLeader) oldLeader = null;
  }
  const after = all.filter((o) => o.at >= faultUs);
  const next = after.find((o) => leaderObs(o) && o.detail['leading'] === true && o.subject !== oldLeader);
  const down = after.find((o) => leaderObs(o) && o.detail['leading'] === false && o.subject === oldLeader);
  const writes = after.filter((o): o is ObservationOf<'etcd-load'> => o.kind === 'etcd-load' && o.detail.target !== oldLeader)
    .map((o) => ({ sentUs: o.at - o.detail.latencyUs, doneUs: o.at, ok: o.detail['ok'] === true }))
    .filter((w) => w.sentUs >= faultUs);
  const firstOk = writes.filter((w) => w.ok).sort((a, b) => a.doneUs - b.doneUs)[0];
  const s = (us: number | undefined) => (us === undefined ? null : (us - faultUs) / 1e6);
  return {
    newLeaderS: s(next?.at),
    writeGapS: s(firstOk?.doneUs),
    stepDownS: s(down?.at),
    failedWrites: writes.filter((w) => !w.ok && w.sentUs < faultUs + failedWindowMs * 1000).length,
  };
}
