// The lesson path (lessons.yaml): an ordered list of tours from the basics to the hard cases. Browser-safe.
import { z } from 'zod';
import { InputError, type InputIssue } from './errors.ts';
import { scenarioErrorMap, toInputIssues } from './issues.ts';
import { readScenarioData } from './parse.ts';

const text = z.string().trim().min(1, { error: 'expected some text, got an empty string' });

const LessonSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'expected a short id like etcd-quorum (lower case, digits, dashes)' }),
    title: text,
    scenarios: z.array(text).min(1, { error: 'a lesson needs at least one scenario' }).describe('scenario names (files in scenarios/), each with a tour'),
    understand: text.describe('what the learner should understand after the lesson'),
  })
  .strict();

export const LessonsSchema = z
  .object({ lessons: z.array(LessonSchema).min(1, { error: 'expected at least one lesson' }) })
  .strict()
  .superRefine((data, ctx) => {
    const seen = new Map<string, number>();
    data.lessons.forEach((l, i) => {
      const first = seen.get(l.id);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['lessons', i, 'id'], message: `"${l.id}" is also the id of lessons[${first}]` });
      else seen.set(l.id, i);
    });
  });

export type Lesson = z.output<typeof LessonSchema>;

/** Parse and validate the text of a lesson path; `tourSteps(name)` is how many tour steps scenario `name` has, or
 * undefined when there is no such scenario. Throws InputError naming the file and field. */
export function parseLessons(source: string, file: string, tourSteps: (scenario: string) => number | undefined): Lesson[] {
  const result = LessonsSchema.safeParse(readScenarioData(source, file), { reportInput: true, error: scenarioErrorMap });
  if (!result.success) throw new InputError(file, toInputIssues(result.error.issues, LessonsSchema));
  const issues: InputIssue[] = [];
  result.data.lessons.forEach((l, i) => {
    l.scenarios.forEach((name, j) => {
      const steps = tourSteps(name);
      const path = `lessons[${i}].scenarios[${j}]`;
      if (steps === undefined) issues.push({ path, message: `no scenario named "${name}"` });
      else if (steps === 0) issues.push({ path, message: `scenario "${name}" has no tour` });
    });
  });
  if (issues.length > 0) throw new InputError(file, issues);
  return result.data.lessons;
}
