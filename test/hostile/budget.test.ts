// Budgets that end a run with a truncated report instead of a crash: the stop check (memory) and the event budget.
import { describe, expect, it } from 'vitest';
import { memoryBudget } from '../../src/cli/budget.ts';
import { runScenario } from '../../src/cluster/run.ts';
import { renderText } from '../../src/report/text.ts';
import { parseScenarioText } from '../../src/scenario/index.ts';

const LONG = parseScenarioText('name: long\nduration: 3h\ncluster: { topology: stacked, masters: 3, workers: 0 }\n', 'long.yaml');

describe('run budgets', () => {
  it('a stop check that says stop ends the run at the next check, truncated, with its reason in the report', () => {
    let asked = 0;
    const { report } = runScenario(LONG, { seed: 1, keepObservations: false, stopCheck: () => (++asked >= 1 ? 'the test says stop' : null) });
    expect(asked).toBe(1);
    expect(report.truncated).toBe(true);
    expect(report.truncatedReason).toBe('the test says stop');
    expect(report.eventsProcessed).toBe(2 ** 20);
    expect(report.durationSeconds).toBeLessThan(3 * 3600);
    expect(renderText(report, [])).toContain('WARNING: the run stopped early: the test says stop');
  });

  it('the event budget names itself', () => {
    const { report } = runScenario(LONG, { seed: 1, keepObservations: false, eventBudget: 50_000 });
    expect(report.truncated).toBe(true);
    expect(report.truncatedReason).toBe('the run hit its event budget (50000 events)');
  });

  it('the memory budget stops a heap above it and lets one below it run', () => {
    expect(memoryBudget(1)()).toMatch(/^the run passed its memory budget \(\d+ MiB of heap, budget 0 MiB\)$/);
    expect(memoryBudget(1e15)()).toBeNull();
  });
});
