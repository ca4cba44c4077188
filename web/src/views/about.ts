// The scenario panel: what this scenario tells, the faults it injects and the ones added by clicking (removable).
import { describeFault, formatDuration, type Scenario } from '../../../src/index.ts';
import { faultText, type RunConfig } from '../config.ts';
import { button, el, kids } from './dom.ts';

/** Faults of the scenario listed here; the editor has the rest. */
const SHOWN = 12;

export interface AboutHandlers {
  removeFault(index: number): void;
  clearFaults(): void;
}

export function renderAbout(host: HTMLElement, cfg: RunConfig, scenario: Scenario | null, seed: number | null, h: AboutHandlers): void {
  const own = scenario ? scenario.faults.length - cfg.faults.length : 0;
  const listed = scenario ? scenario.faults.slice(0, Math.max(0, own)) : [];
  host.replaceChildren(...kids(
    el('h2', { 'data-testid': 'scenario-name' }, scenario?.name ?? cfg.scenario, cfg.text !== null ? el('span', { class: 'quiet' }, ' (edited)') : null),
    scenario?.description ? el('p', { class: 'description' }, scenario.description.trim()) : null,
    scenario?.description && cfg.sets.length > 0
      ? el('p', { class: 'override-note', 'data-testid': 'description-overrides' }, `You changed ${cfg.sets.join(', ')}: the numbers above are for the scenario as written, and this run's timings follow your values.`)
      : null,
    scenario ? el('p', { class: 'quiet' }, `${scenario.cluster.topology} etcd · ${scenario.cluster.masters} masters · ${scenario.cluster.etcdMembers} etcd members · ` +
      `${scenario.cluster.workers} workers · ${scenario.cluster.loadBalancer.count} load balancer(s)${scenario.cluster.loadBalancer.vip === 'keepalived' ? ' with a keepalived VIP' : ''} · ` +
      `${formatDuration(scenario.duration)} · seed ${seed ?? scenario.seed}`) : null,
    el('h3', {}, 'Faults in the scenario'),
    listed.length === 0 ? el('p', { class: 'quiet' }, 'none') : el('ul', { class: 'faults' },
      ...listed.slice(0, SHOWN).map((f) => el('li', {}, `${formatDuration(f.at)}  ${describeFault(f)}${f.for !== undefined ? ` for ${formatDuration(f.for)}` : ''}`)),
      listed.length > SHOWN ? el('li', { class: 'quiet' }, `… and ${listed.length - SHOWN} more (Edit YAML shows them all)`) : null),
    el('h3', {}, 'Faults you added'),
    cfg.faults.length === 0
      ? el('p', { class: 'quiet hint' }, 'Click a machine or a process to kill, stop, start, pause or isolate it at the current time; drag a box around machines to partition them. The run restarts from scratch with the fault and continues from here.')
      : el('ul', { class: 'faults added', 'data-testid': 'added-faults' }, ...cfg.faults.map((f, i) => el('li', {}, faultText(f), ' ', button('✕', 'remove this fault (the run restarts)', () => h.removeFault(i), { class: 'small' })))),
    cfg.faults.length > 0 ? button('remove all added faults', 'back to the scenario as written', h.clearFaults, { class: 'small' }) : null,
  ));
}
