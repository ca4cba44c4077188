// Output files of the hasim command: checked before a long job starts, staged in a temporary file beside the
// target and renamed into place only when complete, every write checked; failures are an IoError (exit 4).
import { accessSync, closeSync, constants, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { IoError, ioError } from '../errors.ts';
import { printOut } from './terminal.ts';

/** Exit code of an output (I/O) failure; 0 ok, 1 expectation failed, 2 bad input, 3 internal error. */
export const EXIT_IO = 4;

export { IoError, ioError };

/** Whether `path` exists and is not a regular file (a device such as /dev/null, a pipe): written in place. */
function isSpecial(path: string): boolean {
  try {
    const s = statSync(path);
    if (s.isDirectory()) throw new IoError(`hasim: cannot write ${path}: is a folder.`);
    return !s.isFile();
  } catch (err) {
    if (err instanceof IoError) throw err;
    return false;
  }
}

/** Check that `path` can be written (its folder exists and is writable; it is not a folder). Throws IoError. */
export function checkOutputPath(path: string): void {
  if (path === '-') return;
  if (isSpecial(path)) {
    try {
      accessSync(path, constants.W_OK);
    } catch (err) {
      throw ioError(path, err);
    }
    return;
  }
  const dir = dirname(path);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new IoError(`hasim: cannot write ${path}: the folder ${dir} does not exist.`);
  try {
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw ioError(path, err);
  }
}

let counter = 0;

/** An output being written: a temporary file beside the target (or the device itself), renamed on commit. */
export class StagedFile {
  private fd: number | null;
  private readonly temp: string | null;
  /** The target is a device or pipe, written in place. */
  readonly special: boolean;
  private chunks: string[] = [];
  private size = 0;

  constructor(readonly path: string) {
    checkOutputPath(path);
    this.special = isSpecial(path);
    this.temp = this.special ? null : join(dirname(path), `.${basename(path)}.${process.pid}.${++counter}.tmp`);
    try {
      this.fd = openSync(this.temp ?? path, 'w');
    } catch (err) {
      throw ioError(path, err);
    }
  }

  /** Append a line (buffered; flushed every MiB). */
  line(text: string): void {
    this.chunks.push(text);
    this.size += text.length + 1;
    if (this.size > 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.chunks.length === 0 || this.fd === null) return;
    const buf = Buffer.from(`${this.chunks.join('\n')}\n`);
    this.chunks = [];
    this.size = 0;
    try {
      let done = 0;
      while (done < buf.length) done += writeSync(this.fd, buf, done);
    } catch (err) {
      this.abort();
      throw ioError(this.path, err);
    }
  }

  /** Finish writing; the file appears under its name only when every byte was written. */
  commit(): void {
    this.flush();
    if (this.fd === null) return;
    try {
      closeSync(this.fd);
      this.fd = null;
      if (this.temp !== null) renameSync(this.temp, this.path);
    } catch (err) {
      this.abort();
      throw ioError(this.path, err);
    }
  }

  /** Drop what was written (the target is left as it was). */
  abort(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // already failing: the first error is the one reported
      }
      this.fd = null;
    }
    if (this.temp !== null) {
      try {
        unlinkSync(this.temp);
      } catch {
        // gone already
      }
    }
  }
}

/** Write `text` to `target` (- is stdout) whole or not at all. Throws IoError. */
export function writeOutputFile(target: string, text: string): void {
  if (target === '-') {
    printOut(text);
    return;
  }
  const file = new StagedFile(target);
  file.line(text.replace(/\n$/, ''));
  file.commit();
}

/**
 * Several outputs of one command that succeed or fail together: each is staged, and none is renamed into place
 * until all are written, so a failure leaves no output (not even a finished trace) behind.
 */
export class OutputSet {
  private readonly staged: StagedFile[] = [];

  /** Check every path before the work starts. */
  constructor(paths: readonly (string | undefined)[]) {
    const named = paths.filter((p): p is string => p !== undefined && p !== '-');
    for (const p of named) checkOutputPath(p);
  }

  stream(path: string): StagedFile {
    const file = new StagedFile(path);
    this.staged.push(file);
    return file;
  }

  text(target: string, text: string): void {
    if (target === '-') {
      printOut(text);
      return;
    }
    this.stream(target).line(text.replace(/\n$/, ''));
  }

  commit(): void {
    try {
      // Devices first (their writes can still fail), then the renames of the staged files.
      for (const f of this.staged) if (f.special) f.commit();
      for (const f of this.staged) if (!f.special) f.commit();
    } catch (err) {
      this.abort();
      throw err;
    }
  }

  abort(): void {
    for (const f of this.staged) f.abort();
  }

  /** Run `work` (which stages outputs); commit them if it returns, drop them if it throws. */
  runSync<T>(work: () => T): T {
    try {
      const result = work();
      this.commit();
      return result;
    } catch (err) {
      this.abort();
      throw err;
    }
  }

  /** runSync for asynchronous work. */
  async run<T>(work: () => T | Promise<T>): Promise<T> {
    try {
      const result = await work();
      this.commit();
      return result;
    } catch (err) {
      this.abort();
      throw err;
    }
  }
}
