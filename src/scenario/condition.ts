// The condition language of temporal expectations: comparisons of state variables joined by and/or.
//
//   condition  := or
//   or         := and ("or" and)*
//   and        := atom ("and" atom)*
//   atom       := "(" or ")" | variable op number
//   op         := "<" | "<=" | ">" | ">=" | "==" | "!="
//
// Variables are the run's state as it changes (STATE_VARIABLES) or a numeric report metric (SPEC §4),
// which is the final value of the run and constant over time.
import { KNOWN_METRICS, LEADER_GROUPS } from './metrics.ts';
import { closest } from './suggest.ts';

export type Op = '<' | '<=' | '>' | '>=' | '==' | '!=';
export const OPS: readonly Op[] = ['<', '<=', '>', '>=', '==', '!='];

export type Condition =
  | { kind: 'cmp'; variable: string; op: Op; value: number }
  | { kind: 'and' | 'or'; left: Condition; right: Condition };

/** State variables, as patterns; `<group>` is one of the leader groups. */
export const STATE_VARIABLE_PATTERNS: readonly string[] = [
  'leaders.<group>.count',
  'leaders.<group>.led',
  'leaders.all.led',
  'etcd.leadersInTerm',
  'api.write.ok',
  'api.read.ok',
  'lb.backendsUp',
  'lb.<lb>.<machine>.up',
  'nodes.notReady',
];

/**
 * Per load balancer and backend: `lb.lb-2.master-3.up` is 1 while lb-2's haproxy has master-3's backend UP;
 * `lb.any.…` is 1 while some LB has it UP (still in rotation somewhere), `lb.all.…` while every LB does.
 */
export const LB_VARIABLE = /^lb\.((?:etcd-)?lb-\d+|master-\d+|any|all)\.([a-z]+(?:-[a-z]+)*-\d+)\.up$/;

export const STATE_VARIABLES: readonly string[] = STATE_VARIABLE_PATTERNS.filter((p) => !p.includes('<lb>')).flatMap((p) =>
  p.includes('<group>') ? LEADER_GROUPS.map((g) => p.replace('<group>', g)) : [p],
);

/** `faults.2.lbDetectionSeconds`: a per-fault report metric. */
export const FAULT_METRIC = /^faults\.\d+\.lbDetectionSeconds$/;

const STATE_SET = new Set(STATE_VARIABLES);
const METRIC_SET = new Set(KNOWN_METRICS);

export function isStateVariable(name: string): boolean {
  return STATE_SET.has(name) || LB_VARIABLE.test(name);
}

/** A syntax error or unknown variable; `message` is ready to follow `file: expect[i].kind: `. */
export class ConditionError extends Error {
  override name = 'ConditionError';
}

/** Deepest parentheses and most comparisons in one condition: far beyond a readable one, and evaluated by recursion. */
export const MAX_CONDITION_DEPTH = 32;
export const MAX_COMPARISONS = 64;
export const MAX_CONDITION_CHARS = 4000;

type Token = { type: 'name' | 'number' | 'op' | 'lparen' | 'rparen'; text: string; column: number };

const TOKEN = /\s*(?:(\()|(\))|(<=|>=|==|!=|<|>)|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?![\w.-])|([A-Za-z_][\w.-]*))/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (text.slice(pos).trim() === '') break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) {
      const at = pos + (text.slice(pos).length - text.slice(pos).trimStart().length);
      const bad = text.slice(at).match(/^\S+/)![0];
      const hint = bad.startsWith('=') ? ' (use == to compare)' : bad.startsWith('&') || bad.startsWith('|') ? ' (use and / or)' : '';
      throw new ConditionError(`unexpected "${bad}" at column ${at + 1}${hint}`);
    }
    const column = m.index + m[0].length - m[0].trimStart().length + 1;
    const type = m[1] ? 'lparen' : m[2] ? 'rparen' : m[3] ? 'op' : m[4] ? 'number' : 'name';
    tokens.push({ type, text: m[0].trim(), column });
    pos = TOKEN.lastIndex;
  }
  return tokens;
}

class Parser {
  private i = 0;
  private depth = 0;
  private comparisons = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private describe(t: Token | undefined): string {
    return t === undefined ? 'the end of the condition' : `"${t.text}"`;
  }

  parse(): Condition {
    if (this.tokens.length === 0) throw new ConditionError('expected a condition like "leaders.etcd.count <= 1", got nothing');
    const c = this.or();
    const rest = this.peek();
    if (rest !== undefined) {
      if (rest.type === 'rparen') throw new ConditionError(`unbalanced ")" at column ${rest.column}`);
      throw new ConditionError(`expected "and", "or" or the end of the condition, got "${rest.text}" at column ${rest.column}`);
    }
    return c;
  }

  private or(): Condition {
    let left = this.and();
    while (this.peek()?.text === 'or') {
      this.i++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Condition {
    let left = this.atom();
    while (this.peek()?.text === 'and') {
      this.i++;
      left = { kind: 'and', left, right: this.atom() };
    }
    return left;
  }

  private atom(): Condition {
    const t = this.peek();
    if (t?.type === 'lparen') {
      if (++this.depth > MAX_CONDITION_DEPTH) throw new ConditionError(`parentheses nested more than ${MAX_CONDITION_DEPTH} deep at column ${t.column}`);
      this.i++;
      const inner = this.or();
      this.depth--;
      const close = this.peek();
      if (close?.type !== 'rparen') throw new ConditionError(`expected ")" to close the "(" at column ${t.column}, got ${this.describe(close)}`);
      this.i++;
      return inner;
    }
    if (t?.type !== 'name' || t.text === 'and' || t.text === 'or') {
      throw new ConditionError(`expected a variable like leaders.etcd.count, got ${this.describe(t)}`);
    }
    this.i++;
    const op = this.peek();
    if (op?.type !== 'op') {
      throw new ConditionError(`expected a comparison (${OPS.join(' ')}) after "${t.text}", got ${this.describe(op)}`);
    }
    this.i++;
    const num = this.peek();
    if (num?.type !== 'number') throw new ConditionError(`expected a number after "${t.text} ${op.text}", got ${this.describe(num)}`);
    this.i++;
    if (++this.comparisons > MAX_COMPARISONS) throw new ConditionError(`more than ${MAX_COMPARISONS} comparisons in one condition`);
    return { kind: 'cmp', variable: t.text, op: op.text as Op, value: Number(num.text) };
  }
}

/** The variables a condition reads, in order of appearance, without repeats. */
export function variablesOf(c: Condition, out: string[] = []): string[] {
  if (c.kind === 'cmp') {
    if (!out.includes(c.variable)) out.push(c.variable);
  } else {
    variablesOf(c.left, out);
    variablesOf(c.right, out);
  }
  return out;
}

function checkVariable(name: string): void {
  if (STATE_SET.has(name) || METRIC_SET.has(name) || LB_VARIABLE.test(name) || FAULT_METRIC.test(name)) return;
  const hint = closest(name, [...STATE_VARIABLES, ...KNOWN_METRICS]);
  const more = hint ? ` (did you mean ${hint}?)` : ` (state variables: ${STATE_VARIABLE_PATTERNS.join(', ')}; or a report metric)`;
  throw new ConditionError(`unknown variable "${name}"${more}`);
}

/** Parse and check a condition. Throws ConditionError with a user-facing message. */
export function parseCondition(text: string): Condition {
  if (text.length > MAX_CONDITION_CHARS) throw new ConditionError(`the condition is ${text.length} characters long; at most ${MAX_CONDITION_CHARS}`);
  const c = new Parser(tokenize(text)).parse();
  for (const v of variablesOf(c)) checkVariable(v);
  return c;
}

function compare(a: number, op: Op, b: number): boolean {
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    case '==': return a === b;
    case '!=': return a !== b;
  }
}

/** A variable's value now; null when the run has none (a comparison with null is false). */
export type Lookup = (variable: string) => number | null;

export function holds(c: Condition, lookup: Lookup): boolean {
  if (c.kind === 'cmp') {
    const v = lookup(c.variable);
    return v !== null && compare(v, c.op, c.value);
  }
  return c.kind === 'and' ? holds(c.left, lookup) && holds(c.right, lookup) : holds(c.left, lookup) || holds(c.right, lookup);
}

function round(x: number): string {
  return String(Math.round(x * 1e6) / 1e6);
}

/** `leaders.etcd.count = 2, api.write.ok = 0`: the values a condition read. */
export function describeValues(c: Condition, lookup: Lookup): string {
  return variablesOf(c).map((v) => {
    const x = lookup(v);
    return `${v} = ${x === null ? 'n/a' : round(x)}`;
  }).join(', ');
}
