/**
 * The results document (schema version 1): what a run measured, as plain JSON-safe data.
 * `docs/results-format.md` describes every field, its unit and how it is computed. Numbers are
 * never NaN or infinite; a statistic with no samples is `null`.
 * Statistics count only requests and hops that arrived at or after the warm-up; the time series
 * covers the whole run.
 */
import type { FailureReason, RunEndReason } from '../signals.ts';
import type { LatencySummary } from './latency-stats.ts';

export type { LatencySummary } from './latency-stats.ts';

/**
 * Failures by final reason; only reasons that occurred appear, in `FAILURE_REASONS` order.
 * `unspecified` counts failures signalled without a reason (a model bug, kept visible).
 */
export type FailureCounts = Readonly<Partial<Record<FailureReason | 'unspecified', number>>>;

export interface WorkloadResults {
  /** Requests that arrived in the measured window (at or after the warm-up). */
  readonly requests: number;
  readonly ok: number;
  readonly failed: number;
  /** Counted requests still unanswered when the run ended (not failures). */
  readonly inFlight: number;
  readonly failures: FailureCounts;
  /**
   * Failures by root cause: where each failure started, as `"<reason> at <service>/<endpoint>"`
   * (e.g. `"queue_full at db/query"` behind a `dependency_failed`), most frequent first.
   */
  readonly rootCauses: Readonly<Record<string, number>>;
  /** ok / (ok + failed); null when none completed. */
  readonly availability: number | null;
  /** Completions (ok + failed) of counted requests per simulated second of the window. */
  readonly throughputPerSec: number;
  /** Successful completions of counted requests per simulated second of the window. */
  readonly goodputPerSec: number;
  /** Latency of successful requests only (fast failures would flatter it). */
  readonly latencyMs: LatencySummary;
  readonly failedLatencyMs: { readonly mean: number | null; readonly max: number | null };
}

export interface EndpointResults {
  /** Hops (visits) to this endpoint that arrived in the window and completed, in-process ones included. */
  readonly requests: number;
  readonly ok: number;
  readonly failed: number;
  readonly failures: FailureCounts;
  /** Whole-visit latency (downstream calls included) of successful hops. */
  readonly latencyMs: LatencySummary;
  /** Time waiting for a worker, over all hops. */
  readonly waitMs: { readonly mean: number | null; readonly p99: number | null };
  /** Share of hops with waitMs > 0; null when there were none. */
  readonly waitedFraction: number | null;
  /** Waiting plus holding a worker, over all hops. */
  readonly residenceMs: { readonly mean: number | null };
}

export interface ServiceResults {
  /** Busy worker-time / worker capacity over the window; null with no capacity. */
  readonly utilization: number | null;
  /** Time-average of requests waiting for a worker. */
  readonly meanQueueLength: number;
  /** Time-average of requests waiting for or holding a worker (L in Little's law). */
  readonly meanInSystem: number;
  readonly meanReadyInstances: number;
  /** Non-in-process hops per simulated second (λ in Little's law). */
  readonly arrivalsPerSec: number;
  /** Mean residence of non-in-process hops (W in Little's law). */
  readonly residenceMs: { readonly mean: number | null };
  readonly endpoints: Readonly<Record<string, EndpointResults>>;
}

export interface ServicePoint {
  /** Busy / capacity over the interval; null with no capacity. */
  readonly utilization: number | null;
  /** Time-average of ready instances over the interval. */
  readonly readyInstances: number;
}

export interface SeriesPoint {
  /** End of the interval (simulated ms); the interval starts at the previous point's `at` (or 0). */
  readonly at: number;
  /** Completions (ok + failed) per second in the interval. */
  readonly throughputPerSec: number;
  readonly goodputPerSec: number;
  readonly errorsPerSec: number;
  /** Latency percentiles of the interval's successful completions; null when there were none. */
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly services: Readonly<Record<string, ServicePoint>>;
}

export interface ResultsDocument {
  readonly schemaVersion: 1;
  readonly scenario: {
    readonly name: string;
    readonly seed: number;
    /** The scenario's description in English and Spanish (absent when the run did not give it). */
    readonly description?: { readonly en: string; readonly es: string };
  };
  readonly simulated: {
    /** Simulated time at which the run ended (less than planned when it stopped early). */
    readonly durationMs: number;
    readonly plannedDurationMs: number;
    readonly warmupMs: number;
    /** The measured window: durationMs − warmupMs (never negative). */
    readonly measuredMs: number;
    /** Engine events fired. */
    readonly events: number;
  };
  readonly run: {
    readonly endReason: RunEndReason;
    readonly message?: string;
    readonly wallTimeMs?: number;
    /** Things to know before reading the numbers, e.g. a service that was overloaded. */
    readonly warnings: readonly string[];
  };
  readonly workloads: Readonly<Record<string, WorkloadResults>>;
  readonly services: Readonly<Record<string, ServiceResults>>;
  readonly timeSeries: { readonly intervalMs: number; readonly points: readonly SeriesPoint[] };
}
