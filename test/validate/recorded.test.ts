// Today's model against the real samples of a recorded full run (test/validate/fixtures/real-run.json): no binaries needed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOOPBACK, modelTrials, settings } from '../../src/validate/etcd-cases.ts';
import { judgeRecorded, type RecordedRun } from '../../src/validate/recorded.ts';
import { judge } from '../../src/validate/runner.ts';

const RUN = JSON.parse(readFileSync(new URL('./fixtures/real-run.json', import.meta.url), 'utf8')) as RecordedRun & { trials: string };

describe('the model against a recorded full validation run (median rule, ±20%)', () => {
  it('agrees on every gated metric the recording does not mark known', () => {
    const results = judgeRecorded(RUN, Number(RUN.trials));
    const unmapped = results.filter((r) => r.result === null).map((r) => `${r.caseId}: ${r.metric}`);
    expect(unmapped, 'every gated metric has a model side').toEqual([]);
    const failing = results.filter((r) => r.result && !r.result.pass && !r.result.known)
      .map((r) => `${r.caseId} ${r.metric}: real median ${r.result!.realSummary.p50.toFixed(4)}, model ${r.result!.modelSummary.p50.toFixed(4)}`);
    expect(failing).toEqual([]);
  }, 240_000);

  it('fails a model with a 1.5 s election timeout (which the sampled-median rule of the short live run lets through)', () => {
    const c = RUN.cases.find((x) => x.id === 'etcd-kill-prevote')!;
    const m = c.metrics.find((x) => x.name === 'new leader (s)')!;
    const net = { ...LOOPBACK, fsyncUs: 4 };
    expect(judge({ ...m, model: modelTrials(settings(true), net, 'kill', Number(RUN.trials)).newLeader }, 'median').pass).toBe(true);
    const slower = modelTrials({ ...settings(true), electionMs: 1500 }, net, 'kill', Number(RUN.trials)).newLeader;
    expect(judge({ ...m, model: slower }, 'median').pass).toBe(false);
  }, 120_000);
});
