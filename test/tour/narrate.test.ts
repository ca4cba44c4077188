// `hasim run --narrate`: tour steps placed in the timeline at their resolved times, questions with answers.
import { describe, expect, it } from 'vitest';
import { hasim, tempDir, write } from '../check/helpers.ts';

const SCENARIO = `name: narrate
duration: 30s
cluster: { topology: stacked, masters: 3, workers: 0 }
faults:
  - { at: 10s, kill: "etcd:leader" }
tour:
  - { at: 0s, text: "three *members*, one \`leader\`", highlight: [lane:etcd] }
  - when: "leaders.etcd.led == 0"
    after: fault:0
    text: the leader is gone
    question: { prompt: "Will the survivors elect a new leader?", choices: [yes, no], answer: yes, explain: "two of three are a majority" }
  - { after: step:1, when: "leaders.etcd.led == 1", text: "a new leader" }
`;

describe('hasim run --narrate', () => {
  it('interleaves steps with the timeline in time order', async () => {
    const file = write(tempDir(), 'n.yaml', SCENARIO);
    const r = await hasim(['run', file, '--narrate']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const idx = (re: RegExp) => lines.findIndex((l) => re.test(l));
    const step1 = idx(/^\s+0\.000s  ▶ step 1\/3: three members, one `leader`$/);
    const firstLeader = idx(/became etcd leader \(term 1\)/);
    const crash = idx(/crashed \(fault: kill etcd:leader\)/);
    const step2 = idx(/^\s+10\.000s  ▶ step 2\/3: the leader is gone$/);
    const step3 = idx(/▶ step 3\/3: a new leader$/);
    const newLeader = idx(/became etcd leader \(term 2\)/);
    expect([step1, firstLeader, step2, crash, step3, newLeader].every((i) => i >= 0)).toBe(true);
    expect(step1).toBeLessThan(firstLeader);
    expect(step2).toBeLessThan(crash);
    expect(step3).toBeLessThan(newLeader);
    expect(lines[step3]!.trim().split('s')[0]).toBe(lines[newLeader]!.trim().split('s')[0]); // same instant
    expect(r.stdout).toContain('look at: lane:etcd');
    expect(r.stdout).toContain('predict: Will the survivors elect a new leader?');
    expect(r.stdout).toContain('answer: (a) — two of three are a majority');
    expect(r.stdout).not.toContain('Availability'); // the narration replaces the report
  });

  it('says so when a step never comes', async () => {
    const file = write(tempDir(), 'n.yaml', `${SCENARIO}  - { when: "leaders.etcd.count >= 2", text: "two leaders" }\n`);
    const r = await hasim(['run', file, '--narrate']);
    expect(r.stdout).toContain('WARNING: tour[3] never came in this run (when "leaders.etcd.count >= 2" never held at or after 0.000s)');
  });
});
