// The simulation worker: builds a Run from a scenario and advances it in chunks, posting observations as it goes.
/// <reference lib="webworker" />
import { InputError, Session } from '../../src/index.ts';
import { buildScenario } from './config.ts';
import { FlightLog } from './flights.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
/** Wall time one chunk may compute before it is posted (the driver's business, never the model's). */
const CHUNK_WALL_MS = 20;
let current = -1;
/** The packets of the current run, for the page's window requests. */
let log: FlightLog | null = null;

function post(msg: FromWorker): void {
  scope.postMessage(msg);
}

/** Yield to the worker's event loop (so a newer request can cancel this run) without timer clamping. */
function yieldNow(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(0);
  });
}

async function start(runId: number, req: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  let run: Session;
  try {
    const { scenario, seed } = buildScenario(req.source);
    run = new Session(scenario, { seed });
    post({ type: 'started', runId, scenario, seed, simulated: run.processes().map((p) => p.id) });
  } catch (err) {
    if (err instanceof InputError) post({ type: 'invalid', runId, message: err.message, issues: [...err.issues] });
    else post({ type: 'crashed', runId, message: String((err as Error).stack ?? err) });
    return;
  }
  if (req.messages) {
    const mine = (log = new FlightLog());
    run.onTransmit((from, to, type, sentAt, arriveAt) => mine.add(from, to, type, sentAt, arriveAt));
  } else log = null;
  let posted = 0;
  let stepUs = 50_000;
  try {
    while (!run.done) {
      const t0 = performance.now();
      do {
        run.advance(run.nowUs + stepUs);
        // Grow the step while the simulation is cheap, shrink it when it is busy.
        stepUs = performance.now() - t0 < CHUNK_WALL_MS / 4 ? Math.min(stepUs * 2, 60_000_000) : Math.max(Math.round(stepUs / 2), 1000);
      } while (!run.done && performance.now() - t0 < CHUNK_WALL_MS);
      post({ type: 'chunk', runId, now: run.nowUs, observations: run.observations(posted), events: run.eventsProcessed });
      posted = run.observationCount;
      await yieldNow();
      if (current !== runId) return;
    }
    const report = run.finish();
    post({ type: 'chunk', runId, now: run.nowUs, observations: run.observations(posted), events: run.eventsProcessed });
    post({ type: 'done', runId, report });
  } catch (err) {
    post({ type: 'crashed', runId, message: String((err as Error).stack ?? err) });
  }
}

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  if (msg.type === 'flights') {
    if (msg.runId === current && log) post({ type: 'flights', runId: msg.runId, from: msg.from, to: msg.to, flights: log.window(msg.from, msg.to) });
    return;
  }
  if (msg.type === 'stop') {
    if (current === msg.runId) current = -1;
    return;
  }
  current = msg.runId;
  void start(msg.runId, msg);
};
