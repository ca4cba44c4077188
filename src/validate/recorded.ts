// The model against real samples recorded by a full `hasim validate --json` run: no binaries, no noise on the real side.
import { LEADER_PHASE, LOOPBACK, modelTrials, settings } from './etcd-cases.ts';
import { NET, TIMINGS } from './haproxy-case.ts';
import { haproxyModelTrial } from './haproxy-model.ts';
import { keepalivedModelTrial } from './keepalived-case.ts';
import { judge } from './runner.ts';
import { snapshotModelTrial } from './snapshot-case.ts';
import type { MetricResult, MetricSamples } from './types.ts';

/** The part of a `hasim validate --json` file this reads. */
export interface RecordedRun {
  cases: { id: string; notes: string[]; metrics: MetricSamples[] }[];
}

/** The fsync time the recorded run measured (its note "fsync N µs"), for the model's etcd disk. */
function recordedFsyncUs(notes: string[]): number {
  const m = /fsync (\d+) µs/.exec(notes.join(' '));
  return m ? Number(m[1]) : 1;
}

/**
 * The model's samples for one case, by metric name, from seeds 1…runs (each case's own model side).
 * etcd-isolate: run N is cut at the recorded real trial N's leader phase (LEADER_PHASE), as in the live run.
 */
export function modelSamples(caseId: string, runs: number, notes: string[], recorded: readonly MetricSamples[] = []): Map<string, number[]> | null {
  const fsyncUs = recordedFsyncUs(notes);
  const seeds = Array.from({ length: runs }, (_, i) => i + 1);
  const present = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);
  switch (caseId) {
    case 'etcd-kill-prevote':
    case 'etcd-kill':
    case 'etcd-sigterm':
    case 'etcd-isolate': {
      const fault = caseId === 'etcd-sigterm' ? 'stop' : caseId === 'etcd-isolate' ? 'isolate' : 'kill';
      const phases = recorded.find((x) => x.name === LEADER_PHASE)?.real ?? [];
      const m = modelTrials(settings(caseId !== 'etcd-kill'), { ...LOOPBACK, fsyncUs }, fault, runs, phases);
      return new Map([
        ['new leader (s)', m.newLeader], ['write gap (s)', m.writeGap], ['transfer (s)', m.newLeader],
        ['failed writes in 1 s', m.failed], ['old leader steps down (s)', m.stepDown], ['majority elects (s)', m.newLeader],
        [LEADER_PHASE, m.leaderPhase],
      ]);
    }
    case 'etcd-snapshot': {
      const t = seeds.map((s) => snapshotModelTrial(fsyncUs, s));
      return new Map([
        ['catch-up after restart (s)', present(t.map((x) => x.catchUpS))],
        ['snapshot received (s)', present(t.map((x) => x.receivedS))],
        ['caught up by snapshot (1 = yes)', t.map((x) => (x.snapshot ? 1 : 0))],
      ]);
    }
    case 'haproxy': {
      const t = seeds.map((s) => haproxyModelTrial(TIMINGS, NET, s));
      return new Map([
        ['DOWN, killed (s)', present(t.map((x) => x.refusedDownS))], ['DOWN, black-holed (s)', present(t.map((x) => x.blackholeDownS))],
        ['UP, restarted (s)', present(t.map((x) => x.restartUpS))], ['UP, link back (s)', present(t.map((x) => x.healUpS))],
      ]);
    }
    case 'keepalived':
      return new Map([['VIP to the BACKUP (s)', present(seeds.map(keepalivedModelTrial))]]);
    default:
      return null;
  }
}

/**
 * Judge today's model against each recorded gated metric by the full run's median rule. The model
 * side is deterministic (seeds 1…runs), so the verdict is too: no false alarms from noise. A metric
 * the recording marks known is judged but reported as known, as in the full run.
 */
export function judgeRecorded(run: RecordedRun, runs: number): { caseId: string; result: MetricResult | null; metric: string }[] {
  const out: { caseId: string; result: MetricResult | null; metric: string }[] = [];
  for (const c of run.cases) {
    const samples = modelSamples(c.id, runs, c.notes, c.metrics);
    for (const m of c.metrics.filter((x) => x.gated)) {
      const model = samples?.get(m.name);
      out.push({ caseId: c.id, metric: m.name, result: model ? judge({ ...m, model }, 'median') : null });
    }
  }
  return out;
}
