// The restart back-off is the caller's (the cluster build passes the kubelet's); the kernel holds no policy of its own.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Sim } from '../../src/kernel/sim.ts';
import { SECOND } from '../../src/kernel/time.ts';
import type { Link } from '../../src/kernel/link.ts';
import { proc, startAt, timesOf } from './harness.ts';

const LINK: Link = { delay: () => 1000 };

describe('restart back-off from the caller', () => {
  it('restarts a failing process on the back-off it was given: first wait, doubling, cap', () => {
    const sim = new Sim({ seed: 1, link: LINK, restartBackoff: { initialUs: SECOND, maxUs: 3 * SECOND, resetUs: 100 * SECOND } });
    const p = proc(sim, 'm/a', { start: (ctx) => ctx.exit(1, 'crash at start') }, { restartOnExit: true });
    startAt(sim, p);
    sim.run({ untilUs: 11 * SECOND });
    // Down at 0, then up after 1 s, 2 s, 3 s, 3 s (capped) of back-off.
    expect(timesOf(sim, 'm/a', 'up')).toEqual([0, 1, 3, 6, 9].map((s) => s * SECOND));
  });

  it('refuses a process that restarts on exit when no back-off was given', () => {
    const sim = new Sim({ seed: 1, link: LINK });
    expect(() => proc(sim, 'm/a', {}, { restartOnExit: true })).toThrow(/restarts on exit.*no restartBackoff/);
    expect(() => proc(sim, 'm/b', {})).not.toThrow();
  });
});

describe('kernel imports', () => {
  it('src/kernel/ imports no other folder of src/ (net/ comes in through the Link the run injects)', () => {
    const dir = fileURLToPath(new URL('../../src/kernel/', import.meta.url));
    const outside: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const m of text.matchAll(/\bfrom\s+['"]([^'"]+)['"]/g)) if (m[1]!.startsWith('..')) outside.push(`${file}: ${m[1]}`);
    }
    expect(outside).toEqual([]);
  });
});
