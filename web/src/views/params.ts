// The timing panel: main leader-election, etcd and haproxy parameters as --set overrides, with validation in place.
import { formatDuration, type InputIssue, type Scenario } from '../../../src/index.ts';
import { button, el } from './dom.ts';

interface Field {
  path: string;
  label: string;
  hint: string;
  get: (s: Scenario) => number | string;
  duration: boolean;
  /** A choice (drawn as a select) instead of a typed value. */
  options?: readonly string[];
}

export const FIELDS: readonly Field[] = [
  { path: 'params.leaderElection.leaseDuration', label: 'lease duration', hint: 'how long standbys wait after the last renewal they saw before taking the Lease (client-go LeaseDuration)', get: (s) => s.params.leaderElection.leaseDuration, duration: true },
  { path: 'params.leaderElection.renewDeadline', label: 'renew deadline', hint: 'the leader gives up leading if it cannot renew for this long (RenewDeadline)', get: (s) => s.params.leaderElection.renewDeadline, duration: true },
  { path: 'params.leaderElection.retryPeriod', label: 'retry period', hint: 'how often candidates try to acquire and the leader renews (RetryPeriod)', get: (s) => s.params.leaderElection.retryPeriod, duration: true },
  { path: 'params.etcd.heartbeatInterval', label: 'etcd heartbeat', hint: 'raft heartbeat interval of the etcd leader (--heartbeat-interval)', get: (s) => s.params.etcd.heartbeatInterval, duration: true },
  { path: 'params.etcd.electionTimeout', label: 'etcd election timeout', hint: 'a follower that hears no leader for this long (randomized up to 2×) starts an election (--election-timeout)', get: (s) => s.params.etcd.electionTimeout, duration: true },
  { path: 'params.haproxy.inter', label: 'haproxy inter', hint: 'interval between health checks of each apiserver', get: (s) => s.params.haproxy.inter, duration: true },
  { path: 'params.haproxy.fall', label: 'haproxy fall', hint: 'consecutive failed checks before a backend is DOWN', get: (s) => s.params.haproxy.fall, duration: false },
  { path: 'cluster.loadBalancer.check', label: 'LB health check', hint: 'what haproxy asks each apiserver: readyz (HTTP /readyz, fails while its etcd does), healthz, or tcp (only that the port accepts a connection)', get: (s) => s.cluster.loadBalancer.check, duration: false, options: ['readyz', 'healthz', 'tcp'] },
  { path: 'params.haproxy.rise', label: 'haproxy rise', hint: 'consecutive passed checks before a backend is UP again', get: (s) => s.params.haproxy.rise, duration: false },
];

export interface ParamsHandlers {
  /** Apply `path=value` (null: remove the override). Returns the validation issues; empty means it runs. */
  set(path: string, value: string | null): readonly InputIssue[];
  reset(): void;
}

/** The value a `--set` list gives a path, or undefined. */
function setValue(sets: readonly string[], path: string): string | undefined {
  const hit = [...sets].reverse().find((s) => s.startsWith(`${path}=`));
  return hit === undefined ? undefined : hit.slice(path.length + 1);
}

export class ParamsView {
  private readonly errors = new Map<string, HTMLElement>();
  private readonly inputs = new Map<string, HTMLInputElement>();
  private readonly general = el('div', { class: 'error', 'data-testid': 'params-errors' });

  constructor(private readonly host: HTMLElement, private readonly h: ParamsHandlers) {}

  /** Rebuild the fields for a new scenario or after the overrides changed. */
  render(scenario: Scenario | null, sets: readonly string[]): void {
    this.errors.clear();
    this.inputs.clear();
    const rows = FIELDS.map((f) => {
      const value = scenario ? f.get(scenario) : '';
      const current = setValue(sets, f.path) ?? (scenario ? (f.duration && typeof value === 'number' ? formatDuration(value) : String(value)) : '');
      const input = (f.options
        ? el('select', { 'data-path': f.path, 'aria-label': f.label }, ...f.options.map((o) => el('option', { value: o }, o)))
        : el('input', { type: 'text', value: current, size: 7, 'data-path': f.path, 'aria-label': f.label, spellcheck: 'false' })) as HTMLInputElement;
      if (f.options) input.value = current;
      input.classList.toggle('overridden', setValue(sets, f.path) !== undefined);
      input.addEventListener('change', () => this.apply(f.path, input.value.trim()));
      const error = el('div', { class: 'field-error', 'data-testid': `error-${f.path}` });
      this.errors.set(f.path, error);
      this.inputs.set(f.path, input);
      return el('div', { class: 'field' }, el('label', { title: f.hint }, f.label, input), error);
    });
    this.host.replaceChildren(
      el('h2', {}, 'Timing parameters'),
      el('p', { class: 'quiet' }, 'Edits become --set overrides; the run restarts from scratch. client-go requires lease duration > renew deadline > 1.2 × retry period.'),
      sets.length > 0 ? el('p', { class: 'override-note', 'data-testid': 'override-note' },
        `In effect: ${sets.join(', ')}. The scenario's description was written for its own values; the timings it quotes change with these.`) : '',
      el('div', { class: 'fields' }, ...rows),
      this.general,
      button('reset to the scenario’s values', 'remove every override', () => this.h.reset()),
    );
  }

  private apply(path: string, value: string): void {
    const issues = this.h.set(path, value === '' ? null : value);
    this.showIssues(issues, path);
  }

  /** Each issue next to the field it names; the others (and the edited field's, if none) below the fields. */
  showIssues(issues: readonly InputIssue[], edited: string | null): void {
    for (const e of this.errors.values()) e.textContent = '';
    for (const i of this.inputs.values()) i.classList.remove('invalid');
    const rest: string[] = [];
    for (const issue of issues) {
      const box = this.errors.get(issue.path);
      if (box) {
        box.textContent = issue.message;
        this.inputs.get(issue.path)?.classList.add('invalid');
      } else rest.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
    }
    if (edited !== null && rest.length > 0 && !issues.some((i) => i.path === edited)) this.inputs.get(edited)?.classList.add('invalid');
    this.general.textContent = rest.join('\n');
  }
}
