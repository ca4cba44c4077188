// The tour panel: the current step's text (markup as elements, never HTML), highlights, question, and navigation.
import { markupSpans } from '../../../src/index.ts';
import type { TourController } from '../tour/controller.ts';
import { lessonOf } from '../tour/lessons.ts';
import { button, el } from './dom.ts';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const sec = (us: number): string => `${(us / 1e6).toFixed(3)} s`;

/** Tour text with *emphasis* and `code` as elements; every piece goes in as text. */
export function markupNodes(text: string): Node[] {
  return markupSpans(text).map((s) => (s.kind === 'text' ? document.createTextNode(s.text) : el(s.kind === 'em' ? 'em' : 'code', {}, s.text)));
}

export class TourView {
  private shown = '';

  constructor(private readonly host: HTMLElement, private readonly tour: TourController, private readonly scenarioName: () => string) {}

  /** Redraw when what the panel shows has changed. */
  render(): void {
    const t = this.tour;
    const times = t.stepTimes;
    const key = `${t.active}|${t.version}|${times === null}|${t.steps.length}|${this.scenarioName()}`;
    if (key === this.shown) return;
    this.shown = key;
    this.host.hidden = !t.active;
    if (!t.active) return this.host.replaceChildren();
    if (times === null) {
      this.host.replaceChildren(el('div', { class: 'tour-head' }, 'Tour'), el('div', { 'data-testid': 'tour-waiting' }, 'Computing the run… the tour starts when it is complete.'));
      return;
    }
    const step = t.steps[t.step];
    if (!step) return this.host.replaceChildren();
    const time = times[t.step];
    const lesson = lessonOf(this.scenarioName());
    this.host.replaceChildren(
      el('div', { class: 'tour-head' },
        el('span', { 'data-testid': 'tour-step' }, `Tour: step ${t.step + 1} of ${t.steps.length}`),
        el('span', {}, time && time.at !== null ? `at ${sec(time.at)}` : '')),
      time && time.at === null ? el('div', { class: 'missing', 'data-testid': 'tour-missing' }, `This step never comes in this run (${time.missing}); the tour was written for the scenario as shipped.`) : '',
      el('div', { class: 'tour-text', 'data-testid': 'tour-text' }, ...markupNodes(step.text)),
      step.highlight.length > 0 ? el('div', { class: 'chips', 'data-testid': 'tour-highlights' }, 'look at: ', ...step.highlight.flatMap((h, i) => [i > 0 ? ', ' : '', el('code', {}, h)])) : '',
      step.question ? this.question(step.question) : '',
      el('div', { class: 'nav' },
        button('◀ back', 'the previous step', () => t.back(), { 'data-testid': 'tour-back', ...(t.step === 0 ? { disabled: '' } : {}) }),
        button('play on ▶', 'play the run; it pauses at the next step', () => t.playOn(), { 'data-testid': 'tour-play' }),
        button('next step ▶|', 'jump to the next step', () => t.next(), { 'data-testid': 'tour-next', ...(t.step >= t.steps.length - 1 ? { disabled: '' } : {}) }),
        button('end tour', 'leave tour mode', () => t.stop(), { 'data-testid': 'tour-end' })),
      lesson && t.step === t.steps.length - 1
        ? el('div', { class: 'understand', 'data-testid': 'tour-understand' }, `Lesson ${lesson.number}, ${lesson.lesson.title}: `, lesson.lesson.understand)
        : '',
    );
  }

  private question(q: { prompt: string; choices: string[]; answer: number; explain: string }): HTMLElement {
    const t = this.tour;
    const chosen = t.answers.get(t.step);
    const choices = q.choices.map((c, i) => {
      const b = button(`(${LETTERS[i] ?? i}) `, 'your prediction', () => t.answer(i), { 'data-testid': `tour-choice-${i}` });
      b.append(...markupNodes(c));
      if (chosen === i) b.classList.add(i === q.answer ? 'right' : 'wrong');
      return b;
    });
    const after = chosen === undefined
      ? el('div', { class: 'hint' }, 'Predict first, then play on: your answer does not change the run.')
      : el('div', {},
        el('div', { class: 'verdict', 'data-testid': 'tour-verdict' }, chosen === q.answer ? 'Right.' : `Not quite: the answer is (${LETTERS[q.answer] ?? q.answer}).`),
        el('div', { 'data-testid': 'tour-explain' }, ...markupNodes(q.explain)));
    return el('div', { class: 'question', 'data-testid': 'tour-question' },
      el('div', { class: 'prompt' }, ...markupNodes(q.prompt)), el('div', { class: 'choices' }, ...choices), after);
  }
}
