// A load specification (clients, request mix, APF and machine settings) and its validation into `path: message` problems.
//
// The rules are upstream's where upstream has one: the two inflight flags "must add up to something
// positive" (apiserver pkg/server/options/feature.go ApplyTo); --goaway-chance in [0, 0.02]
// (server_run_options.go Validate); queues, handSize ≤ queues and queueLengthLimit positive
// (flowcontrol validation of QueuingConfiguration; shufflesharding.NewDealer refuses handSize >
// deckSize); a client burst of at least 1 when it is limited (x/time/rate: burst 0 allows nothing).
// The rest guard the simulator: no negative rate, counts or cores, known request classes and
// client kinds, no queuing level whose nominal concurrency limit comes out 0.
//
// A later zod schema can call validateLoadSpec from a superRefine and give exit 2 with these paths.

import { APF_BOOTSTRAP_LEVELS_1_32, nominalConcurrencyLimits, serverConcurrencyLimit, type PriorityLevelSpec } from './apf-config.ts';
import { BALANCE_MODES, MAX_GOAWAY_CHANCE } from './balance.ts';
import { CLIENT_KINDS, isRequestClass, REQUEST_CLASS_NAMES } from './classes.ts';
import { AUDIT_LEVELS } from './audit.ts';

export interface LoadRequestSpec {
  class: string;
  /** Required except for `watch` (a held informer, not a rate), where it must be left out. */
  perSecond?: number;
  /** Objects per LIST / events per WATCH; 0 when not given. */
  objects?: number;
}

export interface LoadClientSpec {
  name: string;
  kind: string;
  count?: number;
  qps?: number;
  burst?: number;
  requests: LoadRequestSpec[];
}

export interface LoadSpec {
  apf?: {
    maxRequestsInflight?: number;
    maxMutatingRequestsInflight?: number;
    levels?: PriorityLevelSpec[];
  };
  goawayChance?: number;
  balance?: string;
  machines?: { cores?: number; disk?: { writeMBPerSecond?: number } };
  audit?: { level?: string; eventBytes?: number; objectBytes?: number };
  clients?: LoadClientSpec[];
}

type Problems = string[];

function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** A finite number ≥ min (or > min when strict), when present. */
function checkNumber(out: Problems, path: string, v: unknown, min: number, strict = false): void {
  if (v === undefined) return;
  if (!isNum(v)) out.push(`${path}: must be a finite number (got ${typeof v === 'number' ? String(v) : JSON.stringify(v)})`);
  else if (strict ? v <= min : v < min) out.push(`${path}: must be ${strict ? 'greater than' : 'at least'} ${min} (got ${v})`);
}

function checkApf(out: Problems, path: string, apf: NonNullable<LoadSpec['apf']>): void {
  checkNumber(out, `${path}.maxRequestsInflight`, apf.maxRequestsInflight, 0);
  checkNumber(out, `${path}.maxMutatingRequestsInflight`, apf.maxMutatingRequestsInflight, 0);
  const serverCL = serverConcurrencyLimit(apf.maxRequestsInflight ?? 400, apf.maxMutatingRequestsInflight ?? 200);
  if (isNum(serverCL) && serverCL <= 0) {
    out.push(`${path}: concurrency limit 0: maxRequestsInflight + maxMutatingRequestsInflight must add up to something positive (got ${serverCL})`);
    return;
  }
  const levels = apf.levels ?? APF_BOOTSTRAP_LEVELS_1_32;
  levels.forEach((level, i) => checkLevel(out, `${path}.levels[${i}]`, level));
  if (!isNum(serverCL) || !levels.every((l) => isNum(l.nominalConcurrencyShares))) return;
  const limits = nominalConcurrencyLimits(serverCL, levels);
  levels.forEach((level, i) => {
    if (!level.exempt && limits.get(level.name) === 0) {
      out.push(`${path}.levels[${i}].nominalConcurrencyShares: concurrency limit 0 for level "${level.name}": ${level.nominalConcurrencyShares} shares of ${serverCL} seats round to no seat; give it shares or make it exempt`);
    }
  });
}

function checkLevel(out: Problems, path: string, level: PriorityLevelSpec): void {
  checkNumber(out, `${path}.nominalConcurrencyShares`, level.nominalConcurrencyShares, 0);
  if (level.exempt || level.limitResponse === 'reject') return;
  checkNumber(out, `${path}.queues`, level.queues, 0, true);
  checkNumber(out, `${path}.handSize`, level.handSize, 0, true);
  checkNumber(out, `${path}.queueLengthLimit`, level.queueLengthLimit, 0, true);
  if (isNum(level.handSize) && isNum(level.queues) && level.handSize > level.queues) {
    out.push(`${path}.handSize: must not exceed queues (${level.handSize} > ${level.queues})`);
  }
}

function checkClient(out: Problems, path: string, client: LoadClientSpec): void {
  if (!CLIENT_KINDS.includes(client.kind as never)) {
    out.push(`${path}.kind: unknown client kind ${JSON.stringify(client.kind)}; known: ${CLIENT_KINDS.join(', ')}`);
  }
  checkNumber(out, `${path}.count`, client.count, 0);
  checkNumber(out, `${path}.qps`, client.qps, 0);
  if (isNum(client.qps) && client.qps > 0) checkNumber(out, `${path}.burst`, client.burst, 1);
  else checkNumber(out, `${path}.burst`, client.burst, 0);
  if (!Array.isArray(client.requests)) {
    out.push(`${path}.requests: must be a list of {class, perSecond}`);
    return;
  }
  client.requests.forEach((r, j) => {
    const rp = `${path}.requests[${j}]`;
    if (typeof r.class !== 'string' || !isRequestClass(r.class)) {
      out.push(`${rp}.class: unknown request class ${JSON.stringify(r.class)}; known: ${REQUEST_CLASS_NAMES.join(', ')}`);
    }
    if (r.class === 'watch') {
      if (r.perSecond !== undefined) out.push(`${rp}.perSecond: a watch is held, not sent at a rate: leave perSecond out (each client of the group runs one informer, a LIST then a WATCH)`);
    } else if (r.perSecond === undefined) out.push(`${rp}.perSecond: required`);
    else checkNumber(out, `${rp}.perSecond`, r.perSecond, 0);
    checkNumber(out, `${rp}.objects`, r.objects, 0);
  });
}

/** Every problem in a load specification, as `path: message` with paths under `base` (e.g. "load"). */
export function validateLoadSpec(spec: LoadSpec, base = 'load'): string[] {
  const out: Problems = [];
  if (spec.apf !== undefined) checkApf(out, `${base}.apf`, spec.apf);
  if (spec.goawayChance !== undefined) {
    if (!isNum(spec.goawayChance) || spec.goawayChance < 0 || spec.goawayChance > MAX_GOAWAY_CHANCE) {
      out.push(`${base}.goawayChance: must be between 0 and ${MAX_GOAWAY_CHANCE} (got ${JSON.stringify(spec.goawayChance)})`);
    }
  }
  if (spec.balance !== undefined && !BALANCE_MODES.includes(spec.balance as never)) {
    out.push(`${base}.balance: unknown balance mode ${JSON.stringify(spec.balance)}; known: ${BALANCE_MODES.join(', ')}`);
  }
  if (spec.machines) checkNumber(out, `${base}.machines.cores`, spec.machines.cores, 0, true);
  if (spec.machines?.disk) checkNumber(out, `${base}.machines.disk.writeMBPerSecond`, spec.machines.disk.writeMBPerSecond, 0, true);
  if (spec.audit) {
    if (spec.audit.level !== undefined && !AUDIT_LEVELS.includes(spec.audit.level as never)) {
      out.push(`${base}.audit.level: unknown audit level ${JSON.stringify(spec.audit.level)}; known: ${AUDIT_LEVELS.join(', ')}`);
    }
    checkNumber(out, `${base}.audit.eventBytes`, spec.audit.eventBytes, 0);
    checkNumber(out, `${base}.audit.objectBytes`, spec.audit.objectBytes, 0);
  }
  const names = new Set<string>();
  (spec.clients ?? []).forEach((client, i) => {
    const path = `${base}.clients[${i}]`;
    if (names.has(client.name)) out.push(`${path}.name: duplicate client name ${JSON.stringify(client.name)}`);
    names.add(client.name);
    checkClient(out, path, client);
  });
  return out;
}
