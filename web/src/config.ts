// What to run — scenario text, seed, topology, --set overrides, faults added in the page — and the Scenario it builds.
import { Document } from 'yaml';
import { applySets, formatDuration, InputError, readScenarioData, type Scenario, validateScenario } from '../../src/index.ts';

export type Topology = 'stacked' | 'external';

/** A fault in its YAML form, as a scenario file writes it: `{ at: "12.5s", kill: "master-1" }`. */
export type RawFault = Record<string, unknown>;

/** Everything that decides a run (and so its traceHash). The URL encodes exactly this. */
export interface RunConfig {
  /** Name of a scenario of the library (`kill-etcd-leader`). */
  scenario: string;
  /** The full text when the user edited it; null means the library's text. */
  text: string | null;
  /** null: the scenario's own seed. */
  seed: number | null;
  /** null: the scenario's own topology. Like `hasim run --topology`. */
  topology: Topology | null;
  /** `--set path=value` overrides, in order. */
  sets: string[];
  /** Faults added by clicking, appended after the scenario's own. */
  faults: RawFault[];
}

/** What the worker needs to build the run: the config with the text resolved. */
export interface RunSource {
  text: string;
  label: string;
  seed: number | null;
  topology: Topology | null;
  sets: string[];
  faults: RawFault[];
}

export interface Built {
  scenario: Scenario;
  seed: number;
}

export function defaultConfig(scenario: string): RunConfig {
  return { scenario, text: null, seed: null, topology: null, sets: [], faults: [] };
}

/** The label error messages name: the library file, or the edited text. */
export function labelOf(cfg: RunConfig): string {
  return cfg.text === null ? `scenarios/${cfg.scenario}.yaml` : `${cfg.scenario} (edited)`;
}

export function sourceOf(cfg: RunConfig, library: Readonly<Record<string, string>>): RunSource {
  // Own names only: `#scenario=__proto__` (or toString) must read as an unknown scenario, not Object.prototype.
  const text = cfg.text ?? (Object.hasOwn(library, cfg.scenario) ? library[cfg.scenario] : undefined);
  if (text === undefined) {
    const names = Object.keys(library).join(', ') || 'none';
    throw InputError.single('URL', `scenario "${cfg.scenario}" is not in scenarios/ (there are: ${names})`);
  }
  return { text, label: labelOf(cfg), seed: cfg.seed, topology: cfg.topology, sets: cfg.sets, faults: cfg.faults };
}

function isMapping(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The --set list a source implies: its own, then the topology (as `hasim run --topology` appends it). */
function setsOf(src: RunSource): string[] {
  return src.topology === null ? [...src.sets] : [...src.sets, `cluster.topology=${src.topology}`];
}

/** The scenario data with the added faults appended (before --set, like a file that lists them). */
function rawOf(src: RunSource): unknown {
  const data = readScenarioData(src.text, src.label);
  if (!isMapping(data)) return data;
  const raw = structuredClone(data);
  if (src.faults.length > 0) {
    const own = raw['faults'] ?? [];
    raw['faults'] = Array.isArray(own) ? [...own, ...src.faults] : own;
  }
  // Forcing stacked drops etcdMembers (stacked runs one member per master), so that the compare view
  // can run any scenario in both topologies; the exported YAML shows the result.
  const cluster = raw['cluster'];
  if (src.topology === 'stacked' && isMapping(cluster)) delete cluster['etcdMembers'];
  return raw;
}

/** Parse and validate; throws InputError with the same messages the CLI prints. */
export function buildScenario(src: RunSource): Built {
  const scenario = validateScenario(rawOf(src), src.label, { sets: setsOf(src) });
  return { scenario, seed: src.seed ?? scenario.seed };
}

/**
 * The scenario as a YAML file that `hasim run` reproduces exactly: added faults appended, --set overrides
 * and the topology written in, the seed pinned. Durations stay strings, as the user wrote them.
 */
export function exportYaml(src: RunSource, traceHash: string | null = null): string {
  const built = buildScenario(src); // throws on bad input: never export a scenario that does not run
  const raw = applySets(rawOf(src), setsOf(src), src.label) as Record<string, unknown>;
  if (src.seed !== null) {
    raw['seed'] = src.seed;
    delete raw['seeds'];
  }
  const doc = new Document(raw);
  const hash = traceHash === null ? '' : ` (traceHash ${traceHash})`;
  doc.commentBefore = ` Exported from the hasim web UI. \`hasim run <this file>\` reproduces the run${hash}:\n` +
    ` seed ${built.seed}, topology ${built.scenario.cluster.topology}.`;
  return doc.toString({ lineWidth: 100 });
}

/** Round a true time to whole milliseconds (faults added by clicking happen "now", to the ms). */
export function roundMs(us: number): number {
  return Math.round(us / 1000) * 1000;
}

/** A lifecycle, isolate, partition or heal fault at time `atUs`, in YAML form. */
export function makeFault(atUs: number, verb: string, arg: unknown): RawFault {
  return { at: formatDuration(roundMs(Math.max(0, atUs))), [verb]: arg };
}

/** "12.5s kill master-1", "3s partition master-1,lb-1|master-2", "20s heal all" — the URL and list form. */
export function faultText(f: RawFault): string {
  const verb = Object.keys(f).find((k) => k !== 'at' && k !== 'for' && k !== 'scope');
  const arg = verb === undefined ? undefined : f[verb];
  const simple = typeof f['at'] === 'string' && verb !== undefined && Object.keys(f).every((k) => ['at', 'for', verb].includes(k));
  if (simple && typeof arg === 'string' && !/\s/.test(arg)) {
    return `${f['at']} ${verb} ${arg}${typeof f['for'] === 'string' ? ` for ${f['for']}` : ''}`;
  }
  const isGroups = Array.isArray(arg) && arg.every((g) => Array.isArray(g) && g.every((m) => typeof m === 'string' && /^[\w/-]+$/.test(m)));
  if (simple && verb === 'partition' && isGroups && f['for'] === undefined) {
    return `${f['at']} partition ${(arg as string[][]).map((g) => g.join(',')).join('|')}`;
  }
  return JSON.stringify(f);
}

/** The inverse of faultText; throws an Error with a user-facing message. */
export function parseFaultText(text: string): RawFault {
  const s = text.trim();
  if (s.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(s);
    } catch {
      throw new Error(`expected a fault like "12.5s kill master-1", got ${JSON.stringify(s)}`);
    }
    if (!isMapping(value)) throw new Error(`expected a fault mapping, got ${JSON.stringify(s)}`);
    return value;
  }
  const m = /^(\S+)\s+([a-z]+)\s+(\S+)(?:\s+for\s+(\S+))?$/.exec(s);
  if (!m) throw new Error(`expected a fault like "12.5s kill master-1", got ${JSON.stringify(s)}`);
  const [, at, verb, arg, dur] = m as unknown as [string, string, string, string, string | undefined];
  const value: unknown = verb === 'partition' ? arg.split('|').map((g) => g.split(',')) : arg;
  const fault: RawFault = { at, [verb]: value };
  if (dur !== undefined) fault['for'] = dur;
  return fault;
}
