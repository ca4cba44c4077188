// The errors the command line turns into exit codes, for code below it (check/, study/) to throw without importing cli/.

/** A usage problem: printed as one paragraph on stderr, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A file could not be written: one line naming the path, exit code 4 (cli/output.ts EXIT_IO). */
export class IoError extends Error {
  override name = 'IoError';
}

function why(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOSPC': return 'no space left on the device';
    case 'ENOENT': case 'ENOTDIR': return 'the folder does not exist';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a folder';
    case 'EROFS': return 'read-only file system';
    default: return e.code ?? String(e.message).split('\n')[0];
  }
}

/** `err` from writing `path` as an IoError that names the path and the reason in words. */
export function ioError(path: string, err: unknown): IoError {
  return err instanceof IoError ? err : new IoError(`hasim: cannot write ${path}: ${why(err)}.`);
}
