// Shared by the check tests: temp scenario directories and running `hasim` in-process with captured output.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'hasim-check-'));
}

export function write(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Run `hasim <argv>` in this process; returns the exit code and what it printed. */
export async function hasim(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** A small stacked cluster (3 masters, no workers) whose etcd leader is killed at 10 s. */
export function scenario(name: string, expect: string, extra = ''): string {
  return `name: ${JSON.stringify(name)}
duration: 20s
seeds: [1, 2]
cluster: { topology: stacked, masters: 3, workers: 0 }
faults:
  - { at: 10s, kill: "etcd:leader" }
${extra}expect:
${expect}
`;
}
