/**
 * The results document (schema version 1): what a run measured, as plain JSON-safe data.
 * `docs/en/results-format.md` describes every field, its unit and how it is computed. Numbers are
 * never NaN or infinite; a statistic with no samples is `null`.
 * Statistics count only requests and hops that arrived at or after the warm-up; the time series
 * and the resilience timelines (breakers, ejections, faults) cover the whole run.
 * Fields added within schema version 1 are optional in these types (documents written before
 * them lack them); the collector always fills them.
 */
import type { BreakerStateName, FailureReason, RunEndReason } from '../signals.ts';
import type { CapacityResults } from './capacity.ts';
import type { DeployResults } from './deploys.ts';
import type { ExpectationVerdict } from './expectations.ts';
import type { LatencySummary } from './latency-stats.ts';
import type { MessagingResults } from './messaging.ts';

export type { LatencySummary } from './latency-stats.ts';

/**
 * Failures by final reason; only reasons that occurred appear, in `FAILURE_REASONS` order.
 * `unspecified` counts failures signalled without a reason (a model bug, kept visible).
 */
export type FailureCounts = Readonly<Partial<Record<FailureReason | 'unspecified', number>>>;

/** Work done by hops (own work only, downstream calls excluded). */
export interface WorkResults {
  /** Sum of `workMs` of counted hops (ms). */
  readonly totalMs: number;
  /** Sum of `workMs` of counted hops whose answer no waiting caller received (ms). */
  readonly wastedMs: number;
  /** wastedMs / totalMs; null when no work was done. */
  readonly wastedShare: number | null;
}

export interface WorkloadResults {
  /** Requests that arrived in the measured window (at or after the warm-up). */
  readonly requests: number;
  /** Answered in full. */
  readonly ok: number;
  /** Answered with a fallback standing in for a failed call (a degraded answer). */
  readonly fallback?: number;
  readonly failed: number;
  /** Counted requests still unanswered when the run ended (not failures). */
  readonly inFlight: number;
  readonly failures: FailureCounts;
  /**
   * Failures by root cause: where each failure started, as `"<reason> at <service>/<endpoint>"`
   * (e.g. `"queue_full at db/query"` behind a `dependency_failed`), most frequent first.
   */
  readonly rootCauses: Readonly<Record<string, number>>;
  /** Answered share: (ok + fallback) / (ok + fallback + failed); null when none completed. */
  readonly availability: number | null;
  /** Share answered in full: ok / (ok + fallback + failed); null when none completed. */
  readonly successRate?: number | null;
  /** Completions (ok + fallback + failed) of counted requests per simulated second of the window. */
  readonly throughputPerSec: number;
  /** Answers (ok + fallback) to counted requests per simulated second of the window. */
  readonly goodputPerSec: number;
  /** Latency of answered requests (ok and fallback) only (fast failures would flatter it). */
  readonly latencyMs: LatencySummary;
  readonly failedLatencyMs: { readonly mean: number | null; readonly max: number | null };
}

export interface EndpointResults {
  /** Hops (visits) to this endpoint that arrived in the window and completed, in-process ones included. */
  readonly requests: number;
  readonly ok: number;
  /** Hops answered with a fallback somewhere below them (degraded). */
  readonly fallback?: number;
  readonly failed: number;
  readonly failures: FailureCounts;
  /** Whole-visit latency (downstream calls included) of answered (ok and fallback) hops. */
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
  /** Counted hops to the service's endpoints (in-process ones included) and their outcomes. */
  readonly requests?: number;
  readonly ok?: number;
  readonly fallback?: number;
  readonly failed?: number;
  /** Failed hops by reason, over all endpoints. */
  readonly failures?: FailureCounts;
  /** (ok + fallback) / completed hops; null without hops. */
  readonly availability?: number | null;
  /** ok / completed hops; null without hops. */
  readonly successRate?: number | null;
  /** Own work of the counted hops, and the part of it that was wasted. */
  readonly work?: WorkResults;
  /** Instances and their cost over the measured window. */
  readonly capacity?: CapacityResults;
  readonly endpoints: Readonly<Record<string, EndpointResults>>;
}

/**
 * Calls from a caller (a service, or a workload for requests entering the system) to a service.
 * Logical calls are `call.completed` signals on edges with call policies (a `policy` edge) and
 * hops on edges without them (every plain hop is one call with one attempt).
 */
export interface EdgeResults {
  readonly caller: string;
  readonly service: string;
  /** True when the caller has policies towards the service (calls come from `call.completed`). */
  readonly policy: boolean;
  /** Logical calls that started in the window and completed, and their outcomes. */
  readonly calls: number;
  readonly ok: number;
  readonly fallback: number;
  readonly failed: number;
  /** Failed logical calls by final reason. */
  readonly failures: FailureCounts;
  /** (ok + fallback) / calls; null without calls. */
  readonly availability: number | null;
  /** ok / calls; null without calls. */
  readonly successRate: number | null;
  /** Attempts sent by those calls (policy edges: `call.completed.attempts`; plain edges: hops). */
  readonly attempts: number;
  /** attempts / calls (1 = no retries; below 1 when calls were refused before any attempt); null without calls. */
  readonly retryAmplification: number | null;
  /** Hops on the edge that reached the service (arrived in the window). */
  readonly hops: number;
  /** `call.retried` in the window (by its time). */
  readonly retries: number;
  /** `retry.denied` in the window (the retry budget said no). */
  readonly retriesDenied: number;
  /** `call.rejected` in the window, by reason (breaker, bulkhead, rate limiter, shedding). */
  readonly rejections: FailureCounts;
}

export interface BreakerTransition {
  readonly at: number;
  readonly from: BreakerStateName;
  readonly to: BreakerStateName;
  readonly why: string;
}

export interface BreakerResults {
  readonly caller: string;
  readonly service: string;
  /** Every transition of the run (warm-up included), in order; at most 1 000 are kept. */
  readonly transitions: readonly BreakerTransition[];
  /** Transitions into `open` in the measured window. */
  readonly opened: number;
  /** Time spent in state `open` within the measured window (ms). */
  readonly openMs: number;
  /** State at the end of the run. */
  readonly finalState: BreakerStateName;
}

export interface EjectionRecord {
  readonly at: number;
  readonly service: string;
  readonly instance: string;
  /** When the ejection was due to end (absolute ms). */
  readonly untilMs: number;
  readonly why: string;
  /** When the instance returned to its load balancer; null if it had not by the run's end. */
  readonly returnedAt: number | null;
}

/** A workload or service whose availability during a fault fell below its pre-fault band. */
export interface BlastRadiusEntry {
  readonly kind: 'workload' | 'service';
  readonly name: string;
  /** Availability before the fault (see `FaultResults.baseline`). */
  readonly before: number;
  /** Availability during the fault; null when nothing completed during it (though enough was expected). */
  readonly during: number | null;
}

export interface FaultResults {
  readonly name: string;
  readonly kind: string;
  readonly target: string;
  readonly startedAt: number;
  /** Null when the fault was still active at the end of the run. */
  readonly endedAt: number | null;
  /** From the start to the first breaker opening or ejection before recovery; null if none. */
  readonly timeToDetectMs: number | null;
  /** What detected it, e.g. `breaker checkout→payments opened`; null if nothing did. */
  readonly detectedBy: string | null;
  /** From the end until availability is back in the pre-fault band (see the docs); null if never. */
  readonly timeToRecoverMs: number | null;
  /** Availability of every workload together, by completion time, over [fromMs, toMs). */
  readonly baseline: {
    readonly fromMs: number;
    readonly toMs: number;
    readonly completed: number;
    readonly availability: number | null;
  };
  /** The same over [startedAt, endedAt or run end). */
  readonly during: { readonly completed: number; readonly availability: number | null };
  readonly blastRadius: readonly BlastRadiusEntry[];
}

export interface ServicePoint {
  /** Busy / capacity over the interval; null with no capacity. */
  readonly utilization: number | null;
  /** Time-average of ready instances over the interval. */
  readonly readyInstances: number;
  /** Busy / capacity of each instance that was ready during the interval, by id. */
  readonly instances?: Readonly<Record<string, number>>;
}

export interface SeriesPoint {
  /** End of the interval (simulated ms); the interval starts at the previous point's `at` (or 0). */
  readonly at: number;
  /** Completions (ok + fallback + failed) per second in the interval. */
  readonly throughputPerSec: number;
  /** Answers (ok + fallback) per second in the interval. */
  readonly goodputPerSec: number;
  readonly errorsPerSec: number;
  /** Completions in the interval, by outcome (every workload). */
  readonly ok?: number;
  readonly fallback?: number;
  readonly failed?: number;
  /** (ok + fallback) / completions in the interval; null when none completed. */
  readonly availability?: number | null;
  /** Latency percentiles of the interval's answered completions; null when there were none. */
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly services: Readonly<Record<string, ServicePoint>>;
}

/**
 * What a closed-form model predicts for one number of this document (see "Theory beside the
 * simulation" in docs/en/results-format.md).
 */
export interface TheoryValue {
  /** The predicted number's JSON path in this document, dot-separated: `services.api.utilization`. */
  readonly path: string;
  /** What it is, in English: `mean wait Wq`. */
  readonly label: string;
  /** The stationary (long-run) value, in `unit`. */
  readonly value: number;
  /** `fraction` (0–1), `ms`, or `requests` (a mean number of requests). */
  readonly unit: 'fraction' | 'ms' | 'requests';
}

/** The inputs of a matched model, in the scenario's terms. */
export interface TheoryParameters {
  /** λ: the workload's arrival rate (per second, all replicas together). */
  readonly arrivalsPerSec: number;
  /** E[S]: the mean work of one request (ms; work factors of version and technology applied). */
  readonly meanWorkMs: number;
  /** c: workers (processor sharing: cores) per instance. */
  readonly workers: number;
  /** K: requests one instance holds at most (working and waiting); null when unbounded. */
  readonly capacity: number | null;
  /** r: instances, each an independent copy of the model (random balancing splits λ evenly). */
  readonly replicas: number;
  /** Offered load per worker, λ·E[S]/(r·c) (the utilization when nothing is refused). */
  readonly load: number;
}

/**
 * The closed-form model the scenario matches (`model`, e.g. `M/M/1`, `M/M/2/5`, `3 × M/M/1`),
 * its inputs and the values it predicts; or `model: null` and, in English, why no model applies.
 * `notes` (English and Spanish) say what is left out and why, e.g. the client's latency when the
 * network adds some.
 */
export type TheoryResults =
  | {
      readonly model: string;
      readonly parameters: TheoryParameters;
      readonly values: readonly TheoryValue[];
      readonly notes?: readonly { readonly en: string; readonly es: string }[];
    }
  | { readonly model: null; readonly reason: string };

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
  /** Own work of every counted hop, and the wasted part. */
  readonly work?: WorkResults;
  /** Rollouts of new versions, in the order they started. */
  readonly deploys?: readonly DeployResults[];
  /** Cost of every service's instances over the measured window, and per 1,000 answered requests. */
  readonly cost?: { readonly total: number; readonly perThousandAnswers: number | null };
  /** By `caller→service`, in the order of the services, then of first appearance. */
  readonly edges?: Readonly<Record<string, EdgeResults>>;
  /** Breakers that changed state during the run, by name, in order of first transition. */
  readonly breakers?: Readonly<Record<string, BreakerResults>>;
  /** Instances ejected by outlier detection during the run (at most 1 000 are listed). */
  readonly ejections?: readonly EjectionRecord[];
  /** Faults in the order they started. */
  readonly faults?: readonly FaultResults[];
  /** Broker queues: messages, backlog, delivery latency, conservation (absent without brokers). */
  readonly messaging?: MessagingResults;
  /** The verdict of every `expect:` entry of the scenario, in order (absent when it has none). */
  readonly expectations?: readonly ExpectationVerdict[];
  /** The closed-form queueing model the scenario matches and its values, or why none does. */
  readonly theory?: TheoryResults;
  readonly timeSeries: { readonly intervalMs: number; readonly points: readonly SeriesPoint[] };
}
