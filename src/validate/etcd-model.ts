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
  /** How long the old leader had led at the fault, modulo the election timeout (s): its phase in the check-quorum cycle. */
  leaderPhaseS: number | null;
}

export interface ModelNetwork {
  latencyUs: number;
  jitterUs: number;
  fsyncUs: number;
}

const FAULT_AT_S = 6;
const FAULT_AT_US = FAULT_AT_S * 1_000_000;
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

/** The etcd leader at `atUs` and when it became leader (from the run's observations so far). */
function leaderAt(all: readonly Observation[], atUs: number): { subject: string; sinceUs: number } | null {
  let cur: { subject: string; sinceUs: number } | null = null;
  for (const o of all) {
    if (o.at > atUs) break;
    if (leaderObs(o) && o.detail['leading'] === true) cur = { subject: o.subject, sinceUs: o.at };
    else if (leaderObs(o) && o.subject === cur?.subject) cur = null;
  }
  return cur;
}

const mod = (x: number, m: number) => ((x % m) + m) % m;

/**
 * Run one seed and measure as the real case does: a put every `writeIntervalMs` to the members in turn.
 * `leaderPhaseUs` (isolation only): cut the leader when it has led for this long modulo the
 * election timeout — the real trial's phase, so real trial N and model run N are paired. The
 * leader's check-quorum runs every election timeout counted from becoming leader (etcd 3.4
 * raft/raft.go tickHeartbeat, electionElapsed zeroed by reset() in becomeLeader), and an isolated
 * leader steps down at the first check with no follower heard since the previous one, so this
 * phase decides between a step-down 1 and 2 election timeouts after the cut. Without it the fault
 * lands at 6 s, at whatever phase the seed's first election left.
 */
export function etcdModelTrial(cfg: EtcdSettings, net: ModelNetwork, fault: EtcdFault, seed: number, writeIntervalMs: number, failedWindowMs: number, leaderPhaseUs?: number): EtcdModelTrial {
  const sc = etcdScenario(cfg, net, fault, seed);
  const paired = leaderPhaseUs !== undefined;
  const run = new Run(paired ? { ...sc, faults: [] } : sc, {
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
  let faultUs = FAULT_AT_US;
  if (paired) {
    run.advance(FAULT_AT_US);
    const lead = leaderAt(run.sim.trace.observations, FAULT_AT_US);
    // The first instant from 6 s on at which the leader has led for leaderPhaseUs modulo the timeout.
    if (lead) faultUs += mod(leaderPhaseUs - (FAULT_AT_US - lead.sinceUs), cfg.electionMs * 1000);
    run.inject({ ...sc.faults[0]!, at: faultUs });
  }
  run.advance(sc.duration);
  const all = run.sim.trace.observations;
  const old = leaderAt(all, faultUs - 1);
  const oldLeader = old?.subject ?? null;
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
    leaderPhaseS: old ? mod(faultUs - old.sinceUs, cfg.electionMs * 1000) / 1e6 : null,
  };
}
