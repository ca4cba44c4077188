// The suite leaves nothing behind: no child process and no namespace after a failed case or a Ctrl-C.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NetnsLab } from '../../src/validate/netns.ts';
import { withSupervisor } from '../../src/validate/procs.ts';
import { addSbinToPath, runCase } from '../../src/validate/runner.ts';
import type { ValidationCase } from '../../src/validate/types.ts';

addSbinToPath();

/** Running (a zombie left to an init that does not reap counts as gone: it has exited). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function namespaces(): string {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
}

describe('clean-up', () => {
  it('a case that throws after starting processes in and out of namespaces leaves none of them behind', async () => {
    const made: { pids: number[]; namespaces: string[] } = { pids: [], namespaces: [] };
    const failing: ValidationCase = {
      id: 'broken', title: 'starts things, then fails', needs: [],
      run: () => withSupervisor(async (sup) => {
        made.pids.push(sup.spawn('sleeper', 'sleep', ['1000']).pid!);
        const lab = new NetnsLab(sup);
        const host = lab.addHost();
        made.pids.push(sup.spawn('sleeper-ns', 'sleep', ['1000'], { netns: host.ns }).pid!);
        made.namespaces.push(...sup.namespaces);
        await new Promise((r) => setTimeout(r, 200));
        expect(made.pids.every(alive)).toBe(true);
        expect(namespaces()).toContain(host.ns);
        throw new Error('deliberate failure in the middle of a case');
      }),
    };
    const result = await runCase(failing, { trials: 1, modelTrials: 1, log: () => undefined });
    expect(result.status).toBe('fail');
    expect(result.message).toContain('deliberate failure');
    expect(made.pids.length).toBe(2);
    expect(made.pids.filter(alive)).toEqual([]);
    expect(made.namespaces.length).toBe(2);
    const left = namespaces();
    for (const ns of made.namespaces) expect(left).not.toContain(ns);
  });

  it('Ctrl-C (SIGINT) stops every child and removes every namespace before the suite exits', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/sigint-child.ts', import.meta.url));
    const proc = spawn(process.execPath, ['--import', 'tsx', fixture], { stdio: ['ignore', 'pipe', 'pipe'] });
    const made = await new Promise<{ pids: number[]; namespaces: string[] }>((resolve, reject) => {
      let out = '';
      proc.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!));
      });
      proc.once('exit', (code) => reject(new Error(`fixture exited early (${code})`)));
    });
    expect(made.pids.every(alive)).toBe(true);
    expect(made.namespaces.length).toBe(2);
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(made.pids.filter(alive)).toEqual([]);
    const left = namespaces();
    for (const ns of made.namespaces) expect(left).not.toContain(ns);
  }, 30_000);
});
