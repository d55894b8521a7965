/**
 * The catalogue of everything observable in a simulation: signal names and payload types.
 * Signals are past-tense facts emitted by the model and runtime; observers only listen.
 * All times (`at`, `arrivedAt`, ...) are simulated milliseconds since the start of the run.
 */

/**
 * Why a request (or one hop of it) failed: a closed set, exactly one per failure.
 * - `queue_full`: the chosen instance's waiting queue was at capacity.
 * - `no_instance`: the called service had no ready instance.
 * - `instance_crashed`: the instance serving it crashed with the request in flight.
 * - `dependency_failed`: a hard (non-soft) downstream call failed; see `cause` for the root.
 * - `depth_exceeded`: the chain of nested calls went deeper than `limits.maxCallDepth`.
 * - `timeout`, `circuit_open`, `bulkhead_full`, `rate_limited`, `network_lost`, `error_injected`:
 *   produced by faults and resilience patterns.
 */
export const FAILURE_REASONS = [
  'queue_full',
  'no_instance',
  'instance_crashed',
  'dependency_failed',
  'depth_exceeded',
  'timeout',
  'circuit_open',
  'bulkhead_full',
  'rate_limited',
  'network_lost',
  'error_injected',
] as const;

export type FailureReason = (typeof FAILURE_REASONS)[number];

export type Outcome = 'ok' | 'failed';

/** Where a failure started: the reason and the service/endpoint where it first happened. */
export interface FailureCause {
  readonly reason: FailureReason;
  readonly service: string;
  readonly endpoint: string;
}

export type InstanceState = 'starting' | 'ready' | 'draining' | 'stopped' | 'crashed';

/** Cumulative gauges of one service since t = 0 (areas are integrals over simulated time). */
export interface ServiceGauges {
  readonly service: string;
  /** Instances in state `ready` now. */
  readonly readyInstances: number;
  /** Workers of the ready instances now. */
  readonly workers: number;
  /** Workers busy now (for processor sharing: min(jobs, workers) per instance). */
  readonly busy: number;
  /** Requests waiting for a worker now. */
  readonly queued: number;
  /** Requests waiting for or holding a worker now. */
  readonly inSystem: number;
  /** ∫ busy dt, in worker·ms. */
  readonly busyArea: number;
  /** ∫ workers dt (capacity), in worker·ms. */
  readonly capacityArea: number;
  /** ∫ queued dt, in request·ms. */
  readonly queueArea: number;
  /** ∫ inSystem dt, in request·ms. */
  readonly inSystemArea: number;
  /** ∫ readyInstances dt, in instance·ms. */
  readonly readyArea: number;
}

export interface Signals {
  /** The run began (t = 0). */
  'run.started': { readonly at: number; readonly scenario: string; readonly seed: number };
  /** Warm-up is over: statistics count from here. */
  'run.warmup_ended': { readonly at: number };
  /** The run ended; `reason` is `completed` or why it was stopped early. */
  'run.ended': { readonly at: number; readonly reason: RunEndReason; readonly message?: string };
  /** A user request entered the system from a workload. */
  'request.arrived': {
    readonly at: number;
    /** The request's number: 1, 2, 3… in arrival order across all workloads (shown as `req-N`). */
    readonly id: number;
    readonly workload: string;
    readonly service: string;
    readonly endpoint: string;
  };
  /** A user request ended, successfully or with exactly one reason. */
  'request.completed': {
    readonly at: number;
    readonly id: number;
    readonly workload: string;
    readonly service: string;
    readonly endpoint: string;
    readonly arrivedAt: number;
    readonly latencyMs: number;
    readonly outcome: Outcome;
    readonly reason?: FailureReason;
    readonly cause?: FailureCause;
  };
  /**
   * One visit of a request to a service endpoint ended (server view). `waitMs` is the time spent
   * waiting for a worker; `residenceMs` is waiting plus holding a worker; `latencyMs` is the whole
   * visit, downstream calls included.
   */
  'hop.completed': {
    readonly at: number;
    readonly requestId: number;
    readonly service: string;
    readonly endpoint: string;
    readonly instance: string;
    readonly arrivedAt: number;
    readonly waitMs: number;
    readonly residenceMs: number;
    readonly latencyMs: number;
    /** True when the visit was an in-process call inside the caller's instance. */
    readonly inProcess: boolean;
    readonly outcome: Outcome;
    readonly reason?: FailureReason;
  };
  /** An instance changed lifecycle state. */
  'instance.state': {
    readonly at: number;
    readonly service: string;
    readonly instance: string;
    readonly state: InstanceState;
  };
  /** Periodic (and warm-up-end / run-end) reading of every service's cumulative gauges. */
  'gauges.sampled': { readonly at: number; readonly services: readonly ServiceGauges[] };
}

/**
 * How a run ended: `completed` (reached its duration), `unstable` (a queue grew without bound),
 * `event_limit` / `wall_time_limit` (a limit was hit), `stalled` (simulated time stopped moving).
 */
export type RunEndReason = 'completed' | 'unstable' | 'event_limit' | 'wall_time_limit' | 'stalled';

export type SignalName = keyof Signals;
