// bin/hasim.mjs starts node again with a larger young generation, keeps the exit status, and stays one process when told.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(process.cwd(), 'bin', 'hasim.mjs');

function hasim(args: string[], env: Record<string, string> = {}) {
  const clean = { ...process.env };
  delete clean['NODE_OPTIONS'];
  delete clean['HASIM_NO_RESPAWN'];
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...clean, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

describe('bin/hasim.mjs', () => {
  it('runs the command with 85 MB semi-spaces, unless HASIM_NO_RESPAWN=1 or the node options give a size', () => {
    expect(hasim(['--version']).out).toContain('young generation 85 MB semi-spaces');
    expect(hasim(['--version'], { HASIM_NO_RESPAWN: '1' }).out).toContain("young generation V8's default semi-spaces");
    expect(hasim(['--version'], { NODE_OPTIONS: '--max-semi-space-size=32' }).out).toContain('young generation 32 MB semi-spaces');
  });

  it('passes the exit status and the error message of the command through', () => {
    const r = hasim(['run', 'no-such-scenario.yaml']);
    expect(r.status).toBe(2);
    expect(r.err).toContain('no-such-scenario.yaml');
    expect(r.err).not.toContain('internal error');
  });

  it('asks for the semi-space of the young generation study workers ask for (the flag overrides theirs)', () => {
    const pool = readFileSync(join(process.cwd(), 'src', 'study', 'pool.ts'), 'utf8');
    const workerMb = Number(/const WORKER_YOUNG_GENERATION_MB = (\d+);/.exec(pool)?.[1]);
    const bin = readFileSync(BIN, 'utf8');
    const semiMb = Number(/export const SEMI_SPACE_MB = (\d+);/.exec(bin)?.[1]);
    // V8: young generation = two semi-spaces and a new large-object space of one semi-space each.
    expect(semiMb).toBe(Math.floor(workerMb / 3));
  });
});
