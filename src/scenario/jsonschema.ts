// The JSON Schema of scenario files (`hasim schema`), generated from the zod schema in its input (YAML) form.
import { z } from 'zod';
import { ScenarioSchema } from './schema.ts';

/**
 * JSON Schema (draft 2020-12) of what users write: durations are strings with a pattern, defaults are shown,
 * and each fault has exactly one verb. Cross-field rules (lease timings, targets, metrics) are not expressible
 * here; they are enforced by the loader.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ScenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
