// Cases 1–3: a real 3-member etcd cluster and the model under the same fault (SIGKILL, SIGTERM, isolation of the leader).
import { etcdModelTrial, type EtcdFault, type ModelNetwork } from './etcd-model.ts';
import { BECAME_LEADER, lineTimeMs, measureFsyncUs, RealEtcd, STEPPED_DOWN, Writer, type EtcdSettings } from './etcd-real.ts';
import { nowMs, phaseMs, sleep, withSupervisor, type Supervisor } from './procs.ts';
import type { CaseContext, CaseOutcome, MetricSamples, ValidationCase } from './types.ts';

/** etcd 3.4's defaults for the timers; snapshots out of the way (case 4 sets its own). */
export const settings = (preVote: boolean): EtcdSettings => ({ heartbeatMs: 100, electionMs: 1000, preVote, snapshotCount: 100_000 });
/** A put every 10 ms, alternating between the two members that survive. */
const WRITE_INTERVAL_MS = 10;
/** Failed writes are counted over this long after the fault (SIGTERM: expect none). */
const FAILED_WINDOW_MS = 1000;
/** Loopback and veth pairs: one-way delays of tens of µs (the model's network for these cases). */
export const LOOPBACK = { latencyUs: 50, jitterUs: 25 };

interface RealTrials {
  newLeader: number[];
  writeGap: number[];
  stepDown: number[];
  failed: number[];
  /** Isolation: how long the leader had led when cut, modulo the election timeout (s); see leaderPhaseS. */
  leaderPhase: number[];
}

const empty = (): RealTrials => ({ newLeader: [], writeGap: [], stepDown: [], failed: [], leaderPhase: [] });

/** The name of the isolate case's pairing metric (also read back from a recorded run). */
export const LEADER_PHASE = 'cut at leader age mod election timeout (s)';

/**
 * The real leader's age at `t0` modulo the election timeout, from its last "became leader" line
 * (etcd's own timestamp): the phase of its check-quorum cycle, which the model run of the same
 * trial number is given. null when the line is missing (the trial then fails: it cannot be paired).
 */
function leaderPhaseMs(etcd: RealEtcd, lead: number, t0: number, electionMs: number): number | null {
  const line = etcd.child(lead).lines.filter((l) => l.atMs <= t0 && BECAME_LEADER.test(l.text)).at(-1);
  if (!line) return null;
  const age = t0 - lineTimeMs(line);
  return ((age % electionMs) + electionMs) % electionMs;
}

/** etcd 3.4 pkg/osutil HandleInterrupts: the first line a member logs on SIGTERM, before its leadership transfer. */
const RECEIVED_SIGNAL = /received signal; shutting down/;

async function realTrials(sup: Supervisor, cfg: EtcdSettings, fault: EtcdFault, ctx: CaseContext): Promise<RealTrials> {
  const etcd = await RealEtcd.create(sup, cfg, { netns: fault === 'isolate' });
  const out = empty();
  for (let t = 0; t < ctx.trials; t++) {
    const lead = await etcd.waitStable(30_000);
    await sleep(800); // a restarted member is back in the leader's replicate state
    const survivors = [0, 1, 2].filter((i) => i !== lead);
    const writer = fault === 'isolate' ? null : new Writer(etcd, survivors, WRITE_INTERVAL_MS);
    writer?.start();
    // The fault lands at a uniformly random phase of the leader's heartbeat.
    await sleep(300 + phaseMs(cfg.heartbeatMs));
    let t0: number;
    if (fault === 'isolate') {
      t0 = nowMs();
      etcd.isolate(lead);
      const phase = leaderPhaseMs(etcd, lead, t0, cfg.electionMs);
      if (phase === null) throw new Error(`trial ${t + 1}: no "became leader" line from the leader before the cut`);
      out.leaderPhase.push(phase / 1000);
    } else {
      t0 = sup.signal(etcd.child(lead), fault === 'kill' ? 'SIGKILL' : 'SIGTERM');
    }
    const next = await etcd.nextLeader(t0, lead, 15_000);
    if (!next) throw new Error(`trial ${t + 1}: no surviving member became leader within 15 s of the ${fault}`);
    // SIGTERM: a transfer of about a millisecond, timed on etcd's own clock at both ends (the old
    // leader's "received signal" line to the new leader's "became leader"). Against the suite's
    // clock the start was off by up to a millisecond: etcd logged the signal before the suite sent it.
    const signalled = fault === 'stop' ? await etcd.child(lead).waitLine(RECEIVED_SIGNAL, t0, 2000) : null;
    out.newLeader.push((lineTimeMs(next.line) - (signalled ? lineTimeMs(signalled) : t0)) / 1000);
    if (fault === 'isolate') {
      const down = await etcd.child(lead).waitLine(STEPPED_DOWN, t0, 10_000);
      if (!down) throw new Error(`trial ${t + 1}: the isolated leader did not step down within 10 s`);
      out.stepDown.push((lineTimeMs(down) - t0) / 1000);
      etcd.heal(lead);
    }
    if (writer) {
      await sleep(Math.max(0, t0 + FAILED_WINDOW_MS - nowMs()));
      for (let w = 0; w < 40 && !writer.records.some((r) => r.ok && r.sentMs >= t0); w++) await sleep(100);
      await writer.stop();
      const after = writer.records.filter((r) => r.sentMs >= t0);
      const firstOk = after.filter((r) => r.ok).sort((a, b) => a.doneMs - b.doneMs)[0];
      if (firstOk) out.writeGap.push((firstOk.doneMs - t0) / 1000);
      out.failed.push(after.filter((r) => !r.ok && r.sentMs < t0 + FAILED_WINDOW_MS).length);
      await etcd.child(lead).exited;
      etcd.start(lead);
    }
    const cut = fault === 'isolate' ? ` (cut at leader age mod ${cfg.electionMs} ms = ${out.leaderPhase.at(-1)!.toFixed(3)} s; stepped down after ${out.stepDown.at(-1)!.toFixed(3)} s)` : '';
    ctx.log(`  trial ${t + 1}/${ctx.trials}: new leader after ${out.newLeader.at(-1)!.toFixed(3)} s${cut}`);
  }
  return out;
}

/**
 * Model runs, seeds 1…trials. `leaderPhasesS[N − 1]` (isolation): run N cuts its leader at real
 * trial N's phase of the check-quorum cycle; runs beyond the real trials keep the fault at 6 s.
 */
export function modelTrials(cfg: EtcdSettings, net: ModelNetwork, fault: EtcdFault, trials: number, leaderPhasesS: readonly number[] = []): RealTrials {
  const out = empty();
  for (let seed = 1; seed <= trials; seed++) {
    const phaseS = fault === 'isolate' ? leaderPhasesS[seed - 1] : undefined;
    const m = etcdModelTrial(cfg, net, fault, seed, WRITE_INTERVAL_MS, FAILED_WINDOW_MS, phaseS === undefined ? undefined : Math.round(phaseS * 1e6));
    if (m.newLeaderS !== null) out.newLeader.push(m.newLeaderS);
    if (m.writeGapS !== null) out.writeGap.push(m.writeGapS);
    if (m.stepDownS !== null) out.stepDown.push(m.stepDownS);
    if (m.leaderPhaseS !== null) out.leaderPhase.push(m.leaderPhaseS);
    out.failed.push(m.failedWrites);
  }
  return out;
}

async function runEtcd(cfg: EtcdSettings, fault: EtcdFault, ctx: CaseContext): Promise<{ real: RealTrials; model: RealTrials; notes: string[] }> {
  return withSupervisor(async (sup) => {
    const fsyncUs = measureFsyncUs(sup.tempDir('fsync', '/dev/shm'));
    const real = await realTrials(sup, cfg, fault, ctx);
    const net = { ...LOOPBACK, fsyncUs };
    const model = modelTrials(cfg, net, fault, ctx.modelTrials, real.leaderPhase);
    const notes = [`heartbeat ${cfg.heartbeatMs} ms, election ${cfg.electionMs} ms, pre-vote ${cfg.preVote ? 'on' : 'off'}; model network ${net.latencyUs}±${net.jitterUs} µs, fsync ${fsyncUs} µs (measured on the data folder)`];
    return { real, model, notes };
  });
}

const ETCD_NEEDS = [{ binary: 'etcd', pkg: 'etcd-server' }, { binary: 'etcdctl', pkg: 'etcd-client' }];

function killCase(preVote: boolean): ValidationCase {
  return {
    id: preVote ? 'etcd-kill-prevote' : 'etcd-kill',
    title: `etcd: SIGKILL the leader of 3, pre-vote ${preVote ? 'on' : 'off'}`,
    needs: ETCD_NEEDS,
    async run(ctx): Promise<CaseOutcome> {
      const { real, model, notes } = await runEtcd(settings(preVote), 'kill', ctx);
      const metrics: MetricSamples[] = [
        { name: 'new leader (s)', unit: 's', real: real.newLeader, model: model.newLeader, gated: true },
        { name: 'write gap (s)', unit: 's', real: real.writeGap, model: model.writeGap, gated: true },
      ];
      return { metrics, notes };
    },
  };
}

/**
 * The transfer is three raft messages (MsgTimeoutNow, MsgVote, MsgVoteResp) and two fsyncs of the
 * HardState (the candidate's before it sends its votes, the voter's before it answers) — all in
 * the model. Over its 50 µs links that is 0.1–0.2 ms. Real etcd logs the signal, "leadership
 * transfer starting" and MsgTimeoutNow in the same millisecond and the new leader 1–2 ms later
 * (log times are whole milliseconds, so a difference of two of them is ±1 ms); its own peer
 * round-trip metric (etcd_network_peer_round_trip_time_seconds) read 0.2–0.5 ms on this machine:
 * each message crosses rafthttp's goroutines and an HTTP stream and waits for the raft and
 * raftNode goroutines of a Go process on two busy cores, which the model's link setting does not
 * carry. No protocol step is missing; not tuned.
 */
const TRANSFER_KNOWN = 'a fraction of a millisecond per raft message between Go processes (etcd\'s own peer round trip: 0.2–0.5 ms here) against the model\'s 50 µs links: real 1–2 ms, model 0.1–0.2 ms, within the 1 ms log resolution';

export const etcdSigterm: ValidationCase = {
  id: 'etcd-sigterm',
  title: 'etcd: SIGTERM the leader of 3 (leadership transfer)',
  needs: ETCD_NEEDS,
  async run(ctx) {
    const { real, model, notes } = await runEtcd(settings(true), 'stop', ctx);
    return {
      metrics: [
        // Milliseconds on loopback: the real side is timed by etcd's log timestamps, 1 ms apart.
        { name: 'transfer (s)', unit: 's', real: real.newLeader, model: model.newLeader, gated: true, resolutionS: 0.001, known: TRANSFER_KNOWN },
        // Not required to be zero: raft drops a proposal that reaches a leader in transfer
        // (etcd-io/raft stepLeader, leadTransferee set), so a put forwarded to it in that
        // millisecond fails at its client deadline — 1 and 2 of 20 real trials in two runs on 2026-11-29, and the
        // model's runs whose write falls in the window.
        { name: `failed writes in ${FAILED_WINDOW_MS / 1000} s`, unit: 'count', real: real.failed, model: model.failed, gated: false },
      ],
      notes,
    };
  },
};

export const etcdIsolate: ValidationCase = {
  id: 'etcd-isolate',
  title: 'etcd: isolate the leader (namespaces, link down)',
  needs: [...ETCD_NEEDS, { binary: 'ip', pkg: 'iproute2' }],
  async run(ctx) {
    const { real, model, notes } = await runEtcd(settings(true), 'isolate', ctx);
    return {
      metrics: [
        { name: 'old leader steps down (s)', unit: 's', real: real.stepDown, model: model.stepDown, gated: true },
        { name: 'majority elects (s)', unit: 's', real: real.newLeader, model: model.newLeader, gated: true },
        // Not a result: the pairing (model run N is cut at real trial N's phase; the rest at 6 s).
        { name: LEADER_PHASE, unit: 's', real: real.leaderPhase, model: model.leaderPhase, gated: false },
      ],
      notes,
    };
  },
};

export const etcdKillPrevote = killCase(true);
export const etcdKill = killCase(false);
