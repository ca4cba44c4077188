// The memory budget of a command-line run: a stop check the kernel asks every million events or so.
// (The model reads no memory itself; a run stopped by it reports the time it reached, marked truncated.)

/** Heap a single run may use before it is stopped with a truncated report (Node's own limit is about 4 GB here). */
export const MEMORY_BUDGET_BYTES = 2 * 1024 ** 3;

/** A RunOptions.stopCheck that stops a run whose JavaScript heap passes `bytes`. */
export function memoryBudget(bytes = MEMORY_BUDGET_BYTES): () => string | null {
  return () => {
    const used = process.memoryUsage().heapUsed;
    return used > bytes ? `the run passed its memory budget (${Math.round(used / 1024 ** 2)} MiB of heap, budget ${Math.round(bytes / 1024 ** 2)} MiB)` : null;
  };
}
