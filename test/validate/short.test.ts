// A short validation run (real etcd, haproxy, keepalived beside the model): a model change that breaks agreement fails here.
import { describe, expect, it } from 'vitest';
import { CASES, formatText } from '../../src/validate/index.ts';
import { addSbinToPath, missingBinaries, missingMessage, runCase } from '../../src/validate/runner.ts';
import type { CaseResult } from '../../src/validate/types.ts';

/** Real trials per case: a few, so the whole file stays within ~3 minutes on a loaded 2-core machine. */
const REAL_TRIALS: Record<string, number> = {
  'etcd-kill-prevote': 3, 'etcd-kill': 2, 'etcd-sigterm': 2, 'etcd-isolate': 3, 'etcd-snapshot': 2, haproxy: 2, keepalived: 3,
};
/** Model runs per case: many more (they are cheap) so the sampled-median rule sees the model's spread. */
const MODEL_RUNS: Record<string, number> = { 'etcd-snapshot': 15 };
const DEFAULT_MODEL_RUNS = 30;

describe('hasim validate, short run (sampled-median rule)', () => {
  it('every case agrees with the real binaries (or is skipped with a reason)', async () => {
    addSbinToPath();
    const missing = missingBinaries(CASES);
    // CI installs them (.ci/run); a developer without them gets the packages to install, not a silent skip.
    expect(missing, missingMessage(missing)).toEqual([]);
    const results: CaseResult[] = [];
    for (const c of CASES) {
      results.push(await runCase(c, { trials: REAL_TRIALS[c.id] ?? 2, modelTrials: MODEL_RUNS[c.id] ?? DEFAULT_MODEL_RUNS, log: () => undefined }, 'sampled-median'));
    }
    const table = formatText(results);
    if (process.env['HASIM_VALIDATE_PRINT']) console.log(table);
    for (const r of results.filter((x) => x.status === 'skip')) console.warn(`hasim validate: ${r.id} skipped: ${r.message}`);
    expect(results.filter((r) => r.status === 'fail').map((r) => r.id), table).toEqual([]);
  }, 280_000);
});
