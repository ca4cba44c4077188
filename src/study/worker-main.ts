// A study worker thread: receives the variants once, then runs (variant, seed) jobs and posts their records back.
import { parentPort } from 'node:worker_threads';
import type { Scenario } from '../scenario/index.ts';
import { runRecord, scenarioOf, type VariantSpec } from './record.ts';
import type { ToWorker, FromWorker } from './pool.ts';

const port = parentPort;
if (port === null) throw new Error('worker-main.ts must run in a worker thread');

let scenarios: (Scenario | undefined)[] = [];
let variants: VariantSpec[] = [];
let file = '';

/** Variants are validated on first use (a sweep's skipped points are never run). */
function scenario(index: number): Scenario {
  return (scenarios[index] ??= scenarioOf(variants[index]!, file));
}

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'init') {
    variants = msg.variants;
    file = msg.file;
    scenarios = [];
    return;
  }
  let reply: FromWorker;
  try {
    reply = { id: msg.id, record: runRecord(variants[msg.variant]!, scenario(msg.variant), msg.seed) };
  } catch (err) {
    reply = { id: msg.id, error: (err as Error).stack ?? String(err) };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true });
