// Entry point of the web UI: header controls, keyboard, export and share, the scenario editor, the frame loop.
import './style.css';
import { machineMenu, processMenu, selectionMenu } from './actions.ts';
import { App } from './app.ts';
import { buildScenario, defaultConfig, exportYaml, sourceOf } from './config.ts';
import { LIBRARY } from './library.ts';
import { button, el } from './views/dom.ts';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

let app: App;
app = new App({
  machine: (name, e) => machineMenu(app, name, e),
  process: (id, e) => processMenu(app, id, e),
  select: (names, e) => selectionMenu(app, names, e),
});

const picker = $<HTMLSelectElement>('scenario-picker');
picker.replaceChildren(...Object.keys(LIBRARY).map((name) => el('option', { value: name }, name)));
picker.addEventListener('change', () => {
  app.player.pause();
  app.player.t = 0;
  app.change(defaultConfig(picker.value));
});
document.querySelectorAll<HTMLInputElement>('input[name=topology]').forEach((r) => r.addEventListener('change', () => {
  if (r.checked) app.change({ ...app.cfg, topology: r.value as 'stacked' | 'external' });
}));
$<HTMLInputElement>('seed').addEventListener('change', (e) => {
  const v = (e.target as HTMLInputElement).value.trim();
  if (v !== '' && !/^\d+$/.test(v)) return app.note(`seed: expected an integer ≥ 0, got ${JSON.stringify(v)}`, 'error');
  app.change({ ...app.cfg, seed: v === '' ? null : Number(v) });
});
$('compare-toggle').addEventListener('click', () => app.setCompare(!app.compareOn));

$('export-yaml').addEventListener('click', () => {
  try {
    const text = exportYaml(sourceOf(app.cfg, LIBRARY), app.runner.store.report?.traceHash ?? null);
    const a = el('a', { href: URL.createObjectURL(new Blob([text], { type: 'application/yaml' })), download: `${app.cfg.scenario}${app.cfg.faults.length > 0 || app.cfg.sets.length > 0 ? '-edited' : ''}.yaml` });
    a.click();
    URL.revokeObjectURL(a.href);
    app.note('Exported the scenario with your faults and overrides: `hasim run <file>` reproduces this run.', 'info');
  } catch (err) {
    app.note((err as Error).message, 'error');
  }
});

$('copy-link').addEventListener('click', () => {
  const url = app.shareUrl();
  const field = el('input', { type: 'text', readonly: true, value: url, class: 'link', 'data-testid': 'share-url', 'aria-label': 'link to this run' });
  app.note(el('div', { class: 'info' }, 'Link to this run (same scenario, seed, faults and time): ', field), 'info');
  field.select();
  navigator.clipboard?.writeText(url).catch(() => {});
});

// The scenario editor: the text as a textarea (never HTML); validated before it replaces the run.
const dialog = $<HTMLDialogElement>('editor');
$('edit-scenario').addEventListener('click', () => {
  const text = el('textarea', { spellcheck: 'false', rows: 28, cols: 90, 'data-testid': 'editor-text' });
  text.value = app.cfg.text ?? LIBRARY[app.cfg.scenario] ?? '';
  const error = el('div', { class: 'error', 'data-testid': 'editor-error' });
  const apply = () => {
    const edited = text.value === LIBRARY[app.cfg.scenario] ? null : text.value;
    const next = { ...app.cfg, text: edited };
    try {
      buildScenario(sourceOf(next, LIBRARY));
    } catch (err) {
      error.textContent = (err as Error).message;
      return;
    }
    dialog.close();
    app.change(next);
  };
  dialog.replaceChildren(el('h2', {}, `Edit ${app.cfg.scenario}`), text, error,
    el('div', { class: 'buttons' }, button('Apply and run', 'validate and run this text', apply, { 'data-testid': 'editor-apply' }),
      button('Revert to the library text', 'drop your edits', () => (text.value = LIBRARY[app.cfg.scenario] ?? text.value)),
      button('Cancel', 'close without changes', () => dialog.close())));
  dialog.showModal();
});

document.addEventListener('keydown', (e) => {
  const t = e.target as HTMLElement;
  if (dialog.open || t.closest('input, textarea, select') || e.ctrlKey || e.metaKey || e.altKey) return;
  const clock = app.clock();
  const keys: Record<string, () => void> = {
    ' ': () => app.toggle(),
    ArrowRight: () => app.seek(app.player.next(clock)),
    ArrowLeft: () => app.seek(app.player.previous(clock)),
    '+': () => app.player.faster(),
    '=': () => app.player.faster(),
    '-': () => app.player.slower(),
    Home: () => app.seek(0),
    End: () => app.seek(clock.duration),
  };
  const fn = keys[e.key];
  if (!fn) return;
  e.preventDefault();
  fn();
});

window.addEventListener('hashchange', () => app.open(location.hash));

const loop = (now: number) => {
  app.frame(now);
  requestAnimationFrame(loop);
};
app.open(location.hash);
requestAnimationFrame(loop);

// Tests (dev server only) reach the app to inject synthetic observations of models that have not landed yet.
if (import.meta.env.DEV) (window as unknown as { hasim: App }).hasim = app;
