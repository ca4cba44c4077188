// Shapes shared by the validation cases, the runner and the report.
import type { Summary } from './stats.ts';

/** One measured quantity: real and model samples in seconds (or a count), and whether the median rule gates the case. */
export interface MetricSamples {
  name: string;
  unit: 's' | 'count';
  real: number[];
  model: number[];
  /** true: the case passes only if the medians agree within the tolerance. false: printed for information. */
  gated: boolean;
  /**
   * The real measurement's resolution (s): a difference of medians below it cannot be told from
   * zero, so the tolerance is max(TOLERANCE × real median, this). etcd log timestamps: 1 ms.
   */
  resolutionS?: number;
  /**
   * A disagreement looked into and reported (README, "known disagreements"), with its reason: when
   * this metric fails, the case is marked known-disagreement instead of failing. Never set to pass a check.
   */
  known?: string;
  /** For counts that must be zero in the real run (SIGTERM: failed writes): fail if any real trial is non-zero. */
  expectRealZero?: boolean;
}

export interface MetricResult extends MetricSamples {
  realSummary: Summary;
  modelSummary: Summary;
  /** model median / real median (NaN when the real median is 0). */
  ratio: number;
  ks: number;
  ksCritical: number;
  rule: PassRule;
  /** The accepted range of the real median under the rule (s or count). */
  accept: [number, number];
  pass: boolean;
}

export type CaseStatus = 'pass' | 'fail' | 'skip' | 'known-disagreement';

export interface CaseResult {
  id: string;
  title: string;
  status: CaseStatus;
  message?: string;
  metrics: MetricResult[];
  notes: string[];
  wallSeconds: number;
}

/**
 * `median`: the model median within ±TOLERANCE of the real one (the full run).
 * `sampled-median`: for a few real trials (CI). The real median must lie in the central 99.8% of
 * the medians of that many draws from the model's runs, widened by ±TOLERANCE: a sample of 3 has
 * too wide a median for the plain rule, but a model that moved by tens of percent still fails.
 */
export type PassRule = 'median' | 'sampled-median';

export interface CaseContext {
  /** Real trials. */
  trials: number;
  /** Model runs (seeds 1…N). */
  modelTrials: number;
  /** Progress lines (stderr). */
  log: (line: string) => void;
}

export interface CaseOutcome {
  metrics: MetricSamples[];
  notes: string[];
}

export interface ValidationCase {
  id: string;
  title: string;
  /** The binaries the case needs, with the Debian package of each. */
  needs: { binary: string; pkg: string }[];
  run(ctx: CaseContext): Promise<CaseOutcome>;
}

export const TOLERANCE = 0.2;
