// The lesson path: lessons.yaml validates, and every step of every lesson's tour anchors in seed 1 of its scenario.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateTourOfRun } from '../../src/check/tour.ts';
import { runScenario } from '../../src/cluster/run.ts';
import { InputError } from '../../src/scenario/index.ts';
import { parseLessons } from '../../src/scenario/lessons.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const scenarioFile = (name: string) => join(ROOT, 'scenarios', `${name}.yaml`);
const tourSteps = (name: string): number | undefined => (existsSync(scenarioFile(name)) ? loadScenarioFile(scenarioFile(name)).tour.length : undefined);
const LESSONS = parseLessons(readFileSync(join(ROOT, 'lessons.yaml'), 'utf8'), 'lessons.yaml', tourSteps);

const REQUIRED = ['etcd-quorum', 'losing-quorum', 'health-checks', 'vip-pair', 'leases-failover', 'split-brain', 'stacked-vs-external', 'worker-failure', 'rolling-upgrade', 'no-leader-election'];

describe('lessons.yaml', () => {
  it('holds the required lessons in order from the basics to the hard cases', () => {
    expect(LESSONS.map((l) => l.id)).toEqual(REQUIRED);
  });

  it('rejects unknown scenarios, scenarios without a tour and repeated ids, naming the field', () => {
    const bad = `lessons:
  - { id: a, title: A, scenarios: [kill-etcd-leader, nope], understand: x }
  - { id: a, title: B, scenarios: [baseline], understand: y }
`;
    expect(() => parseLessons(bad, 'l.yaml', tourSteps)).toThrow(InputError);
    try {
      parseLessons(bad, 'l.yaml', tourSteps);
    } catch (err) {
      expect((err as InputError).message).toBe('l.yaml: lessons[1].id: "a" is also the id of lessons[0]');
    }
    const missing = 'lessons:\n  - { id: a, title: A, scenarios: [kill-etcd-leader, nope, baseline], understand: x }\n';
    expect(() => parseLessons(missing, 'l.yaml', tourSteps)).toThrow(
      'l.yaml: lessons[0].scenarios[1]: no scenario named "nope"\nl.yaml: lessons[0].scenarios[2]: scenario "baseline" has no tour',
    );
  });
});

describe('every lesson tour anchors in seed 1', () => {
  for (const name of [...new Set(LESSONS.flatMap((l) => l.scenarios))]) {
    it(name, () => {
      const scenario = loadScenarioFile(scenarioFile(name));
      const { report, run } = runScenario(scenario, { seed: 1 });
      const outcome = evaluateTourOfRun(scenario.tour, report, run.sim.trace.observations);
      expect(outcome.shown).toMatch(/^\d+ steps?, /);
      expect(outcome.pass).toBe(true);
      expect(outcome.steps.every((s) => s.at !== null)).toBe(true);
    });
  }
});
