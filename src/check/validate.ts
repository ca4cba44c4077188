// Load-time checks of temporal expectations: condition syntax, variable names, `after` anchors (InputError, exit 2).
import { InputError, type InputIssue, type Scenario } from '../scenario/index.ts';
import { ConditionError, parseCondition } from './condition.ts';
import { checkAnchor } from './temporal.ts';

/** Every problem in the scenario's temporal expectations, with paths like `expect[2].always`. */
export function expectationIssues(scenario: Pick<Scenario, 'expect' | 'faults'>): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const e of scenario.expect) {
    if (e.kind === 'bound') continue;
    try {
      parseCondition(e.condition);
    } catch (err) {
      if (!(err instanceof ConditionError)) throw err;
      issues.push({ path: `expect[${e.index}].${e.kind}`, message: err.message });
    }
    if (e.kind === 'eventually') {
      const problem = checkAnchor(e.after, scenario.faults.length);
      if (problem) issues.push({ path: `expect[${e.index}].after`, message: problem });
    }
  }
  return issues;
}

/** Throw an InputError naming `file` when any temporal expectation is malformed. */
export function validateExpectations(scenario: Pick<Scenario, 'expect' | 'faults'>, file: string): void {
  const issues = expectationIssues(scenario);
  if (issues.length > 0) throw new InputError(file, issues);
}
