// `hasim run --narrate`: the scenario's tour steps interleaved with the run's notable timeline, as printable notes.
import { markupPlain, type StepTime, type TourStep } from '../scenario/index.ts';
import type { Report } from './metrics.ts';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const MARGIN = ' '.repeat(15);

/** A step's lines: its text, what to look at, and its question with the answer and explanation. */
function stepLines(step: TourStep, number: number, total: number, atSeconds: number | null): string[] {
  const when = atSeconds === null ? `  ${'never'.padStart(11)}` : `  ${atSeconds.toFixed(3).padStart(10)}s`;
  const out = [`${when}  ▶ step ${number}/${total}: ${markupPlain(step.text)}`];
  if (step.highlight.length > 0) out.push(`${MARGIN}  look at: ${step.highlight.join(', ')}`);
  const q = step.question;
  if (q) {
    out.push(`${MARGIN}  predict: ${markupPlain(q.prompt)}`);
    q.choices.forEach((c, i) => out.push(`${MARGIN}    (${LETTERS[i] ?? i}) ${markupPlain(c)}`));
    out.push(`${MARGIN}  answer: (${LETTERS[q.answer] ?? q.answer}) — ${markupPlain(q.explain)}`);
  }
  return out;
}

/**
 * The narrated timeline: every notable event of the report, with each tour step placed at its resolved time
 * (before the events of the same instant, so the note introduces what happens). Steps that never came are listed
 * at the end, saying why.
 */
export function renderNarration(report: Report, tour: readonly TourStep[], times: readonly StepTime[]): string {
  const out = [`${report.scenario} — seed ${report.seed}, ${report.topology}, ${report.durationSeconds}s simulated, trace ${report.traceHash ?? 'not hashed'}`, ''];
  const placed = times
    .filter((t): t is Extract<StepTime, { at: number }> => t.at !== null)
    .map((t) => ({ step: tour[t.index]!, atSeconds: t.at / 1e6 }))
    .sort((a, b) => a.atSeconds - b.atSeconds || a.step.index - b.step.index);
  let next = 0;
  const total = tour.length;
  const flushSteps = (uptoSeconds: number): void => {
    while (next < placed.length && placed[next]!.atSeconds <= uptoSeconds) {
      const p = placed[next++]!;
      out.push(...stepLines(p.step, p.step.index + 1, total, p.atSeconds));
    }
  };
  for (const e of report.events) {
    flushSteps(e.at);
    out.push(`  ${e.at.toFixed(3).padStart(10)}s  ${e.subject.padEnd(30)} ${e.detail}`);
  }
  flushSteps(Infinity);
  for (const t of times) {
    if (t.at === null) out.push('', `WARNING: tour[${t.index}] never came in this run (${t.missing}):`, ...stepLines(tour[t.index]!, t.index + 1, total, null));
  }
  if (tour.length === 0) out.push('', 'This scenario has no tour; the timeline above is the whole story.');
  return out.join('\n');
}
