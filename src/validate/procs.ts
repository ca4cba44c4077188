// The suite's child processes and network namespaces: spawn, read log lines with arrival times, and clean up.
import { streamFor } from '../kernel/random.ts';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** A log line and the wall-clock time (ms, the suite's clock) it reached the suite. */
export interface Line {
  atMs: number;
  text: string;
}

export class Child {
  readonly lines: Line[] = [];
  exitedAtMs: number | null = null;
  readonly exited: Promise<void>;
  private listeners = new Set<(l: Line) => void>();

  constructor(readonly name: string, readonly proc: ChildProcess) {
    for (const stream of [proc.stdout, proc.stderr]) {
      let buf = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const atMs = performance.now(); // wall-clock ok
        buf += chunk;
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = { atMs, text: buf.slice(0, nl) };
          buf = buf.slice(nl + 1);
          this.lines.push(line);
          for (const fn of this.listeners) fn(line);
        }
      });
    }
    this.exited = new Promise((resolve) => proc.once('exit', () => {
      this.exitedAtMs = performance.now(); // wall-clock ok
      resolve();
    }));
    proc.once('error', () => undefined);
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  get alive(): boolean {
    return this.exitedAtMs === null && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** The first line matching `re` that arrived at or after `sinceMs`, waiting up to `timeoutMs`. */
  waitLine(re: RegExp, sinceMs: number, timeoutMs: number): Promise<Line | null> {
    const old = this.lines.find((l) => l.atMs >= sinceMs && re.test(l.text));
    if (old) return Promise.resolve(old);
    return new Promise((resolve) => {
      const done = (l: Line | null) => {
        clearTimeout(timer);
        this.listeners.delete(fn);
        resolve(l);
      };
      const fn = (l: Line) => { if (l.atMs >= sinceMs && re.test(l.text)) done(l); };
      const timer = setTimeout(() => done(null), timeoutMs); // wall-clock ok
      timer.unref();
      this.listeners.add(fn);
    });
  }

  /** Lines since `sinceMs` matching `re`, already arrived. */
  linesSince(re: RegExp, sinceMs: number): Line[] {
    return this.lines.filter((l) => l.atMs >= sinceMs && re.test(l.text));
  }
}

/**
 * Owns everything a case starts. `cleanupSync` SIGKILLs every child still alive, deletes every
 * namespace and temporary folder; it is synchronous so a signal or exit handler can run it.
 */
export class Supervisor {
  readonly children = new Set<Child>();
  readonly namespaces: string[] = [];
  private readonly dirs: string[] = [];

  spawn(name: string, cmd: string, args: string[], opts: { netns?: string; env?: Record<string, string> } = {}): Child {
    const [file, argv] = opts.netns ? ['ip', ['netns', 'exec', opts.netns, cmd, ...args]] : [cmd, args];
    const proc = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
    const child = new Child(name, proc);
    this.children.add(child);
    return child;
  }

  /** Send `signal`; returns the wall-clock time (ms) just before it was sent. */
  signal(child: Child, signal: NodeJS.Signals): number {
    const atMs = performance.now(); // wall-clock ok
    if (child.alive) child.proc.kill(signal);
    return atMs;
  }

  /** SIGKILL and wait until the child has exited (at most 5 s). */
  async stop(child: Child): Promise<void> {
    this.signal(child, 'SIGKILL');
    await Promise.race([child.exited, sleep(5000)]);
    this.children.delete(child);
  }

  /** A fresh folder under `base` (default the OS temp folder), removed at clean-up. */
  tempDir(label: string, base = tmpdir()): string {
    const dir = mkdtempSync(join(base, `hasim-validate-${label}-`));
    this.dirs.push(dir);
    return dir;
  }

  /** Run `ip …` (or another admin command) synchronously; throws with its stderr on failure. */
  run(cmd: string, args: string[]): string {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  addNamespace(name: string): void {
    this.run('ip', ['netns', 'add', name]);
    this.namespaces.push(name);
  }

  cleanupSync(): void {
    for (const c of this.children) if (c.alive && c.pid !== undefined) {
      try { process.kill(c.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    this.children.clear();
    for (const ns of this.namespaces.splice(0).reverse()) {
      try { this.run('ip', ['netns', 'del', ns]); } catch { /* already gone */ }
    }
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }

  /** Kill everything and wait for the children to be reaped, then remove namespaces and folders. */
  async cleanup(): Promise<void> {
    const waits = [...this.children].map((c) => Promise.race([c.exited, sleep(5000)]));
    for (const c of this.children) if (c.alive) c.proc.kill('SIGKILL');
    await Promise.all(waits);
    this.cleanupSync();
  }
}

/** Every live supervisor, so Ctrl-C, SIGTERM or an exit cleans up whatever is running. */
const live = new Set<Supervisor>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function cleanupAll(): void {
  for (const s of live) s.cleanupSync();
}

function onSignal(sig: NodeJS.Signals): void {
  cleanupAll();
  process.stderr.write(`\nhasim validate: ${sig}: stopped every child process and removed every namespace.\n`);
  process.exit(130);
}

/** The handlers are in place only while something is running, so a host process (a test runner) keeps its own otherwise. */
function setHandlers(on: boolean): void {
  if (on) {
    process.on('exit', cleanupAll);
    for (const sig of SIGNALS) process.on(sig, onSignal);
  } else {
    process.off('exit', cleanupAll);
    for (const sig of SIGNALS) process.off(sig, onSignal);
  }
}

/** Run `fn` with a fresh supervisor; everything it started is gone when this resolves or rejects. */
export async function withSupervisor<T>(fn: (s: Supervisor) => Promise<T>): Promise<T> {
  const sup = new Supervisor();
  if (live.size === 0) setHandlers(true);
  live.add(sup);
  try {
    return await fn(sup);
  } finally {
    await sup.cleanup();
    live.delete(sup);
    if (live.size === 0) setHandlers(false);
  }
}

/** The real side runs on the wall clock: it waits for and times real processes. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms)); // wall-clock ok
}

export function nowMs(): number {
  return performance.now(); // wall-clock ok
}

/**
 * Where in a heartbeat / check / advert cycle a real fault lands: a uniform draw from a seeded stream (not
 * an unseeded source), so a validation run picks the same phases each time it is run.
 */
const phases = streamFor('hasim-validate', 'fault-phase');
export function phaseMs(cycleMs: number): number {
  return phases.float() * cycleMs;
}

/** `count` distinct free TCP ports on 127.0.0.1 (bound to port 0, noted, closed). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<import('node:net').Server>((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => resolve(srv));
  })));
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}
