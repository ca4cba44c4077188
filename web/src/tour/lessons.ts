// The lesson path in the page: lessons.yaml bundled as text at build time, parsed with the CLI's validator.
/// <reference types="vite/client" />
import { type Lesson, parseLessons } from '../../../src/index.ts';
import { LIBRARY } from '../library.ts';
import source from '../../../lessons.yaml?raw';

function load(): Lesson[] {
  try {
    // test/tour/lessons.test.ts checks the tours; here it is enough that the scenarios are in the library.
    return parseLessons(source, 'lessons.yaml', (name) => (name in LIBRARY ? 1 : undefined));
  } catch {
    return [];
  }
}

export const LESSONS: readonly Lesson[] = load();

/** The lesson (and its number, from 1) a scenario belongs to, if any. */
export function lessonOf(scenario: string): { lesson: Lesson; number: number } | null {
  const i = LESSONS.findIndex((l) => l.scenarios.includes(scenario));
  return i < 0 ? null : { lesson: LESSONS[i]!, number: i + 1 };
}
