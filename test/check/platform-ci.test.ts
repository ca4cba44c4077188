// The platform team's file (examples/platform-team-ci.yaml) and the example CI workflow that runs it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { hasim, tempDir } from './helpers.ts';

const WORKFLOW = 'examples/ci/github-actions.yml';

/** The workflow's `hasim check` arguments, and the file its publish step reads. */
function workflow(): { args: string[]; published: string } {
  const doc = parseYaml(readFileSync(WORKFLOW, 'utf8')) as { jobs: Record<string, { steps: { run?: string; with?: Record<string, string> }[] }> };
  const steps = Object.values(doc.jobs).flatMap((j) => j.steps);
  const line = steps.map((s) => s.run ?? '').find((r) => r.includes('hasim check'));
  expect(line, 'a step runs hasim check').toBeDefined();
  const args = line!.trim().split(/\s+/);
  const publish = steps.find((s) => s.with?.['report_paths'] !== undefined);
  expect(publish, 'a step publishes JUnit').toBeDefined();
  return { args: args.slice(args.indexOf('check')), published: publish!.with!['report_paths']! };
}

describe('example CI workflow', () => {
  it('runs the platform team file in both topologies and publishes the JUnit file it writes', () => {
    const { args, published } = workflow();
    expect(args).toContain('examples/platform-team-ci.yaml');
    expect(args[args.indexOf('--topology') + 1]).toBe('stacked,external');
    expect(args[args.indexOf('--junit') + 1]).toBe(published);
  });

  it('its hasim check line passes (4 of the 50 seeds here, to keep npm test short) with one suite per topology', async () => {
    const { args } = workflow();
    const dir = tempDir();
    const junit = join(dir, 'junit.xml');
    const argv = args.map((a, i) => (args[i - 1] === '--junit' ? junit : a));
    const r = await hasim([...argv, '--seeds', '1..4', '--golden-dir', join(dir, 'golden')]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('No failures.');
    expect(r.code).toBe(0);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuite name="platform-team-ci \[stacked\]"[^>]*tests="28" failures="0"/);
    expect(xml).toMatch(/<testsuite name="platform-team-ci \[external\]"[^>]*tests="28" failures="0"/);
    expect(xml).toContain('name="seed 3: recovers leaders.kube-scheduler.count == 1 within 45s after fault:0"');
  });
});
