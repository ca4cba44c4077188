// The cut-sets worker: `hasim cuts --max-failures 2` of the scenario on screen, both topologies, one set after another.
/// <reference lib="webworker" />
import {
  type CutsOptions, cutVariants, InputError, outcomes, readScenarioData, runRecord, scenarioOf, TOPOLOGIES, type TopologyCuts,
} from '../../src/index.ts';
import type { RunSource } from './config.ts';

export type ToCuts = { type: 'cuts'; id: number; source: RunSource };
export type FromCuts =
  | { type: 'progress'; id: number; done: number; total: number }
  | { type: 'done'; id: number; topologies: Record<string, TopologyCuts>; options: CutsOptions }
  | { type: 'failed'; id: number; message: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;
/** What the CLI does by default, with a smaller cap: a browser tab should not run for minutes. */
const OPTIONS: CutsOptions = { maxFailures: 2, forUs: 60e6, atUs: 30e6, domain: 'machine', cap: 120 };
let current = -1;

async function cuts(msg: ToCuts): Promise<void> {
  const post = (m: FromCuts) => scope.postMessage(m);
  try {
    const raw = readScenarioData(msg.source.text, msg.source.label);
    const { plans, variants } = cutVariants(raw, msg.source.label, TOPOLOGIES, msg.source.sets, OPTIONS);
    const records = [];
    for (const v of variants) {
      records.push(runRecord(v, scenarioOf(v, msg.source.label), plans[0]!.base.seed));
      post({ type: 'progress', id: msg.id, done: records.length, total: variants.length });
      await new Promise((r) => setTimeout(r, 0)); // let a newer request in
      if (current !== msg.id) return;
    }
    const topologies: Record<string, TopologyCuts> = {};
    let offset = 0;
    for (const p of plans) {
      topologies[p.topology] = outcomes(p, records.slice(offset, offset + p.sets.length + 1), OPTIONS);
      offset += p.sets.length + 1;
    }
    post({ type: 'done', id: msg.id, topologies, options: OPTIONS });
  } catch (err) {
    post({ type: 'failed', id: msg.id, message: err instanceof InputError ? err.message : String((err as Error).stack ?? err) });
  }
}

scope.onmessage = (e: MessageEvent<ToCuts>) => {
  current = e.data.id;
  void cuts(e.data);
};
