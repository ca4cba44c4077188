#!/usr/bin/env node
// The hasim command: runs the TypeScript sources through tsx, so no build step is needed.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * A run allocates short-lived objects (messages, events, requests) at a high rate, and with V8's
 * default young generation (16 MB semi-spaces) many live just long enough to be copied and promoted:
 * a 5,000-node run spent about a sixth of its time in scavenges. A larger one is set where it can be,
 * at start-up, so the command starts itself once more with it. V8 applies the flag to every isolate of
 * the process, study workers included, where it overrides their resourceLimits; so it is the semi-space
 * of the young generation those ask for (src/study/pool.ts WORKER_YOUNG_GENERATION_MB, 256 MB: two
 * semi-spaces and a large-object space of the same size). HASIM_NO_RESPAWN=1, or a size given in the
 * node options, keeps one process.
 */
export const SEMI_SPACE_MB = 85;
const YOUNG_FLAG = `--max-semi-space-size=${SEMI_SPACE_MB}`;

function respawnWanted() {
  if (process.env.HASIM_NO_RESPAWN === '1') return false;
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  return !given.includes('--max-semi-space-size');
}

function respawn() {
  const child = spawn(process.execPath, [...process.execArgv, YOUNG_FLAG, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, HASIM_NO_RESPAWN: '1' },
  });
  // A terminal's Ctrl-C reaches both processes; a signal sent to this one alone is passed on.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forward = (sig) => child.kill(sig);
  for (const sig of signals) process.on(sig, forward);
  child.on('error', (err) => {
    process.stderr.write(`hasim: could not start node (${err.message})\n`);
    process.exitCode = 3;
  });
  child.on('exit', (code, signal) => {
    for (const sig of signals) process.off(sig, forward);
    if (signal !== null) process.kill(process.pid, signal);
    else process.exitCode = code ?? 3;
  });
}

if (respawnWanted()) {
  respawn();
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`hasim: internal error (a bug, please report it with the command you ran):\n${err?.stack ?? err}\n`);
    process.exitCode = 3;
  }
}
