// Messages between the page and the simulation worker (structured-cloned plain data).
import type { InputIssue, Observation, Report, Scenario } from '../../src/index.ts';
import type { RunSource } from './config.ts';

/** A packet on the wire: [from process, to process, message type, sent at µs, arrives at µs]. */
export type Flight = [string, string, string, number, number];

export type ToWorker =
  | { type: 'run'; runId: number; source: RunSource; messages: boolean }
  | { type: 'stop'; runId: number }
  /** Packets sent in [from, to] (the page draws them at slow speeds). */
  | { type: 'flights'; runId: number; from: number; to: number };

export type FromWorker =
  /** The scenario did not validate: the same message `hasim run` prints, and its issues as data. */
  | { type: 'invalid'; runId: number; message: string; issues: InputIssue[] }
  /** The run is built; `simulated` lists the processes that have a model (the others are drawn greyed). */
  | { type: 'started'; runId: number; scenario: Scenario; seed: number; simulated: string[] }
  /** Simulated up to `now`: the observations since the previous chunk. */
  | { type: 'chunk'; runId: number; now: number; observations: Observation[]; events: number }
  | { type: 'flights'; runId: number; from: number; to: number; flights: Flight[] }
  | { type: 'done'; runId: number; report: Report }
  /** A bug, not bad input: shown as such. */
  | { type: 'crashed'; runId: number; message: string };
