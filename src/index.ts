// The public front of hasim: what the web UI (and any other driver) uses. web/ imports nothing else under src/.
//
// Browser-safe: nothing here reaches node:fs or other Node built-ins (the CLI reads files through
// ./scenario/load.ts, which is deliberately not exported here).

// Running a scenario: a Session is a Run behind a small facade (advance, observations, processes, packets, faults).
export { Session, type ProcessInfo, type SessionOptions, type TransmitListener } from './cluster/session.ts';
export { describe as describeFault } from './cluster/faults.ts';

// Scenario files: schema, parsing and validation, names, durations, --set, markup of tour text.
export * from './scenario/index.ts';
export { parseLessons, type Lesson } from './scenario/lessons.ts';

// The trace as a driver reads it.
export { LEADER_GROUPS, LEASE_GROUPS, type LeaderGroup, type Observation, type ObservationKind } from './kernel/observations.ts';
export { fmtTime, toSeconds } from './kernel/time.ts';

// The report, its tables and the notable events of a timeline.
export type { Report } from './report/metrics.ts';
export { availabilityTable, attributionTable, failoversTable, leadersTable, pct, sec, type Table } from './report/tables.ts';
export { notable, type TimelineEvent } from './report/timeline.ts';
export { metricValue } from './report/values.ts';

// Guided tours: when each step happens in a run.
export { resolveTour, type StepTime } from './check/tour.ts';

// Studies the page runs: the stacked/external comparison's topologies and the cut sets.
export { TOPOLOGIES } from './study/compare.ts';
export { CUT_SERVICES, cutVariants, outcomes, type CutService, type CutsOptions, type TopologyCuts } from './study/cuts.ts';
export { SERVICE_TEXT, sizeTable } from './study/cuts-render.ts';
export { runRecord, scenarioOf, type RunRecord, type VariantSpec } from './study/record.ts';
