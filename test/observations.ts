// Observations as tests see them: kinds a kernel test invents, details read without narrowing on the kind first.
import type { Ctx } from '../src/kernel/actor.ts';
import type { Observation } from '../src/kernel/observations.ts';

/** Any observation, typed loosely (every typed Observation is one). */
export interface LooseObservation {
  at: number;
  kind: string;
  subject: string;
  detail: Record<string, unknown>;
}

/** The detail of an observation whose kind the test has not narrowed. */
export function loose(o: Observation | LooseObservation): Record<string, unknown> {
  return o.detail;
}

/** A hand-built observation (synthetic traces may hold kinds or fields nothing emits, to test that readers skip them). */
export function observation(at: number, kind: string, subject: string, detail: Record<string, unknown>): Observation {
  return { at, kind, subject, detail } as unknown as Observation;
}

/** Emit a kind of the test's own (kernel tests' actors), outside the models' typed contract. */
export function emitAny(ctx: Ctx, kind: string, detail: Record<string, unknown> = {}, subject?: string): void {
  (ctx.emit as (k: string, d: Record<string, unknown>, s?: string) => void).call(ctx, kind, detail, subject);
}
