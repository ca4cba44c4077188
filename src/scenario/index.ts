// Public API of scenario files: schema, parsing, names, durations. Browser-safe; Node's file loader is in load.ts.
//
// `loadScenarioFile` (reads from disk) is deliberately not re-exported here, so that web/ can import this module
// without pulling node:fs into the bundle: the CLI imports it from './scenario/load.ts'.
export { D, DURATION_PATTERN, formatDuration, H, M, MS, parseDuration, parseSignedDuration, S, US, zDuration, zPositiveDuration, zSignedDuration } from './duration.ts';
export { describeValue, formatIssue, formatPath, InputError, type InputIssue } from './errors.ts';
export { scenarioJsonSchema } from './jsonschema.ts';
export { closestMetric, isKnownMetric, KNOWN_METRIC_PATTERNS, KNOWN_METRICS, LEADER_GROUPS, type LeaderGroup } from './metrics.ts';
export {
  checkTarget,
  COMPONENTS,
  componentsOf,
  describeNames,
  etcdMemberMachine,
  etcdMemberProcess,
  machineByName,
  lbMachines,
  machineIndex,
  machinesInZone,
  machinesOf,
  machinesOfTarget,
  parseTarget,
  ROLE_SELECTORS,
  roleCount,
  zoneOf,
  type Component,
  type MachineInfo,
  type MachineRole,
  type NamesCluster,
  type TargetKind,
  type TargetRef,
} from './names.ts';
export { controlPlaneEndpoint, etcdEndpointFor, etcdTargets, singlePointOfFailure, VIP } from './endpoints.ts';
export { parseScenarioText, readScenarioData, validateScenario, type ParseOptions } from './parse.ts';
export { FAULT_VERBS, PROCESS_VERBS, RANDOM_TARGETS, RANDOM_VERBS } from './schema-faults.ts';
export {
  ScenarioSchema,
  type ClusterSpec,
  type ComponentElection,
  type Expectation,
  type Fault,
  type FaultVerb,
  type Params,
  type ProcessVerb,
  type Scenario,
  type ScenarioInput,
  type TourQuestion,
  type StepTime,
  type TourStep,
} from './schema.ts';
export { applySets } from './sets.ts';
export { checkHighlight, TOUR_LANES } from './schema-tour.ts';
export { markupSpans, markupPlain, type MarkupSpan } from './markup.ts';
export { DEFAULT_VERSIONS, ETCD_VERSIONS, KUBERNETES_VERSIONS, versionProfile, type VersionProfile } from './versions.ts';
