// Load-time checks of expectations: condition syntax, variable names, window anchors (InputError, exit 2).
import { formatDuration, InputError, lbMachines, type InputIssue, type Scenario } from '../scenario/index.ts';
import { anchorProblem, staticTime } from './anchors.ts';
import { ConditionError, FAULT_METRIC, LB_VARIABLE, parseCondition, variablesOf } from '../scenario/condition.ts';

type Checked = Pick<Scenario, 'expect' | 'faults' | 'duration' | 'cluster'>;

/** Metrics a model sets at the end of the run: they cannot be measured over an `after:` / `until:` window. */
const UNWINDOWED = /^(nodes\.|pods\.|availability\.workloads$|leaders\.[^.]+\.staleLeaderActions$|recovery\.|durationSeconds$|faults$)/;

/** Problems with `after:` / `until:` of one expectation: unknown anchors, and a window that ends before it starts. */
function windowIssues(e: Scenario['expect'][number], s: Checked): InputIssue[] {
  const issues: InputIssue[] = [];
  const path = (field: string): string => `expect[${e.index}].${field}`;
  for (const field of ['after', 'until'] as const) {
    const text = e[field];
    const problem = text === undefined ? null : anchorProblem(text, s.faults);
    if (problem) issues.push({ path: path(field), message: problem });
  }
  if (issues.length > 0 || e.until === undefined) return issues;
  const from = e.after === undefined ? 0 : staticTime(e.after, s.faults, s.duration);
  const to = staticTime(e.until, s.faults, s.duration);
  if (from !== null && to !== null && to <= from) {
    issues.push({ path: path('until'), message: `the window ends (${e.until} = ${formatDuration(to)}) before it starts (${e.after ?? 'start'} = ${formatDuration(from)})` });
  }
  if (e.kind === 'bound' && UNWINDOWED.test(e.metric)) {
    issues.push({ path: path(e.after !== undefined ? 'after' : 'until'), message: `${e.metric} is not measured over a window; remove after/until` });
  }
  return issues;
}

/** A variable naming a load balancer, backend or fault the scenario does not have; null when fine. */
function nameProblem(variable: string, s: Checked): string | null {
  const f = /^faults\.(\d+)\./.exec(variable);
  if (f && FAULT_METRIC.test(variable) && Number(f[1]) >= s.faults.length) return `${variable}: the scenario has ${s.faults.length} fault${s.faults.length === 1 ? '' : 's'}`;
  const m = LB_VARIABLE.exec(variable);
  if (!m) return null;
  const [, lb, machine] = m as unknown as [string, string, string];
  const etcdLb = lb.startsWith('etcd-lb');
  const names = etcdLb
    ? Array.from({ length: s.cluster.apiserverEtcd === 'lb' ? s.cluster.masters : 0 }, (_, j) => `etcd-lb-${j + 1}`)
    : lbMachines(s.cluster);
  if (lb !== 'any' && lb !== 'all' && !names.includes(lb)) {
    return `${variable}: the cluster has no load balancer on ${lb} (${names.length === 0 ? 'it has none' : `they run on ${names.join(', ')}`})`;
  }
  const backend = /^(master|etcd)-(\d+)$/.exec(machine);
  const count = backend?.[1] === 'master' ? s.cluster.masters : s.cluster.topology === 'external' ? s.cluster.etcdMembers : 0;
  if (!backend || Number(backend[2]) < 1 || Number(backend[2]) > count) return `${variable}: ${machine} is not a backend of the load balancers (they front master-1 … master-${s.cluster.masters})`;
  return null;
}

/** Every problem in the scenario's expectations, with paths like `expect[2].always`. */
export function expectationIssues(scenario: Checked): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const e of scenario.expect) {
    issues.push(...windowIssues(e, scenario));
    if (e.kind === 'bound') {
      const problem = nameProblem(e.metric, scenario);
      if (problem) issues.push({ path: `expect[${e.index}].metric`, message: problem });
      if (e.after !== undefined && e.until === undefined && UNWINDOWED.test(e.metric)) {
        issues.push({ path: `expect[${e.index}].after`, message: `${e.metric} is not measured over a window; remove after` });
      }
      continue;
    }
    try {
      for (const v of variablesOf(parseCondition(e.condition))) {
        const problem = nameProblem(v, scenario);
        if (problem) issues.push({ path: `expect[${e.index}].${e.kind}`, message: problem });
      }
    } catch (err) {
      if (!(err instanceof ConditionError)) throw err;
      issues.push({ path: `expect[${e.index}].${e.kind}`, message: err.message });
    }
  }
  return issues;
}

/** Throw an InputError naming `file` when any expectation is malformed. */
export function validateExpectations(scenario: Checked, file: string): void {
  const issues = expectationIssues(scenario);
  if (issues.length > 0) throw new InputError(file, issues);
}
