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
 * - `timeout`: the caller stopped waiting (a per-attempt timeout of its call policy).
 * - `deadline_exceeded`: the call's overall deadline passed (across retries), or, with deadline
 *   propagation, the work was dropped because its caller had already given up.
 * - `circuit_open`: the caller's circuit breaker rejected the call without sending it.
 * - `bulkhead_full`: the caller's bulkhead had no free slot (within its max wait).
 * - `rate_limited`: a rate limiter (the caller's, or the service's inbound one) had no permit.
 * - `shed`: the service rejected the request because its queue wait would exceed the bound.
 * - `error_injected`: a fault injected an error (each attempt draws again).
 */
export const FAILURE_REASONS = [
  'queue_full',
  'no_instance',
  'instance_crashed',
  'dependency_failed',
  'depth_exceeded',
  'timeout',
  'deadline_exceeded',
  'circuit_open',
  'bulkhead_full',
  'rate_limited',
  'shed',
  'error_injected',
] as const;

export type FailureReason = (typeof FAILURE_REASONS)[number];

/**
 * `ok`: answered in full. `fallback`: answered, but some hard call on the way failed and a
 * fallback stood in for it (a degraded answer). `failed`: no answer.
 */
export type Outcome = 'ok' | 'fallback' | 'failed';

/** Where a failure started: the reason and the service/endpoint where it first happened. */
export interface FailureCause {
  readonly reason: FailureReason;
  readonly service: string;
  readonly endpoint: string;
}

/** Circuit breaker states (Resilience4j's, lower case). */
export type BreakerStateName = 'closed' | 'open' | 'half_open' | 'disabled' | 'forced_open' | 'metrics_only';

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
  /** The same busy and capacity areas per instance (for per-instance utilization). */
  readonly instances?: readonly {
    readonly id: string;
    readonly busyArea: number;
    readonly capacityArea: number;
  }[];
}

/**
 * Why a publish was not stored by the broker: a failure reason of the call to the broker
 * (`no_instance`, `instance_crashed`, `queue_full` for a full `reject-publish` queue,
 * `error_injected`, `timeout`), `lost_in_transit` (the network lost it), or `wait_expired`
 * (a `whenDown: wait` publisher gave up after its `maxWait`).
 */
export type PublishFailure = FailureReason | 'lost_in_transit' | 'wait_expired';

/**
 * Why a delivered message went back to its queue: its processing failed (`reason` says how),
 * the consumer instance went away (`consumer_lost`), the broker lost every instance
 * (`broker_down`), or the acknowledgement did not come in time (`ack_timeout`).
 */
export type RequeueCause = 'processing_failed' | 'consumer_lost' | 'broker_down' | 'ack_timeout';

/** A broker queue's state at one moment. */
export interface QueueGauges {
  readonly broker: string;
  /** The queue, or a topic's group queue `topic/group`. */
  readonly queue: string;
  /** Messages waiting for delivery. */
  readonly ready: number;
  /** Messages delivered and not yet acknowledged (on their way, prefetched, or being processed). */
  readonly inFlight: number;
  /** Age (ms since it was stored) of the oldest waiting message; 0 when none waits. */
  readonly oldestAgeMs: number;
}

/**
 * A second way to hear `hop.completed`, for the one observer that needs every hop (the metrics
 * collector): the executor calls `hop` with the signal's facts as arguments instead of building a
 * payload object per hop, and the sink keeps them in typed columns (see docs/en/architecture.md,
 * "Where we departed from DESIGN.md"). Once a sink is `attach`ed to a world, that world reports
 * every completed hop to it, in completion order, whether or not anyone listens to
 * `hop.completed`; the signal still reaches its own listeners.
 */
export interface HopSink {
  /** Called once by the world that will report to it; a sink serves one world. */
  attach(): void;
  /** Declares an endpoint; returns the number `hop` names it by. */
  endpoint(service: string, endpoint: string): number;
  /** One completed hop (a visit that reached its instance), as `hop.completed` would carry it. */
  hop(
    endpoint: number,
    caller: string,
    arrivedAt: number,
    latencyMs: number,
    waitMs: number,
    residenceMs: number,
    workMs: number,
    outcome: Outcome,
    reason: FailureReason | undefined,
    inProcess: boolean,
    wasted: boolean,
  ): void;
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
    /** This visit's number within its request (1, 2, 3… in the order the visits were sent). */
    readonly span: number;
    /** The `span` of the visit that called it; 0 for a request's first visit and for a broker's
     * deliveries and publishes, which no visit waits for. */
    readonly parentSpan: number;
    readonly service: string;
    readonly endpoint: string;
    readonly instance: string;
    readonly arrivedAt: number;
    readonly waitMs: number;
    readonly residenceMs: number;
    readonly latencyMs: number;
    /** True when the visit was an in-process call inside the caller's instance. */
    readonly inProcess: boolean;
    /** The calling service, or the workload for a request's first hop. */
    readonly caller: string;
    /** Own work done (ms; 0 if it failed before working). */
    readonly workMs: number;
    /** No waiting caller received its answer (it or a caller above it was abandoned or crashed): its work was wasted. */
    readonly wasted: boolean;
    readonly outcome: Outcome;
    readonly reason?: FailureReason;
  };
  /** A call with policies ended (after all its attempts). Plain calls are hops, see `hop.completed`. */
  'call.completed': {
    readonly at: number;
    readonly requestId: number;
    readonly caller: string;
    readonly service: string;
    readonly endpoint: string;
    /** Attempts sent (0 when rejected before the first was sent). */
    readonly attempts: number;
    readonly latencyMs: number;
    readonly outcome: Outcome;
    readonly reason?: FailureReason;
  };
  /** A call was refused by a pattern before reaching work: breaker, bulkhead, rate limiter, shedding. */
  'call.rejected': {
    readonly at: number;
    readonly caller: string;
    readonly service: string;
    readonly endpoint: string;
    readonly reason: FailureReason;
    /** Plain-language evidence, e.g. "checkout→payments breaker is open". */
    readonly why: string;
  };
  /** A failed attempt will be retried after `delayMs`. */
  'call.retried': {
    readonly at: number;
    readonly requestId: number;
    readonly caller: string;
    readonly service: string;
    readonly endpoint: string;
    /** 1 for the first retry. */
    readonly retry: number;
    readonly delayMs: number;
    /** Why the previous attempt failed. */
    readonly after: FailureReason;
  };
  /** The retry budget refused a retry (the failure stands). */
  'retry.denied': {
    readonly at: number;
    readonly caller: string;
    readonly service: string;
    readonly endpoint: string;
    readonly why: string;
  };
  /** A circuit breaker changed state. */
  'breaker.transition': {
    readonly at: number;
    /** e.g. `checkout#1→payments` (instance scope) or `checkout→payments` (service scope). */
    readonly breaker: string;
    readonly caller: string;
    readonly service: string;
    readonly from: BreakerStateName;
    readonly to: BreakerStateName;
    /** e.g. "checkout→payments breaker opened at 31.2 s: 27 of the last 50 calls failed (54% ≥ 50%)". */
    readonly why: string;
  };
  /** Outlier detection took an instance out of its load balancer. */
  'instance.ejected': {
    readonly at: number;
    readonly service: string;
    readonly instance: string;
    readonly untilMs: number;
    readonly why: string;
  };
  /**
   * A `leak` fault's leaked memory reached an instance's limit: the instance is killed out of
   * memory (its `instance.state` `crashed` follows at once) and, unless it was draining, the
   * kubelet starts it again after `restartInMs` (Kubernetes' CrashLoopBackOff).
   */
  'instance.oom_killed': {
    readonly at: number;
    readonly service: string;
    readonly instance: string;
    /** The leak fault whose memory reached the limit. */
    readonly fault: string;
    readonly leakedMb: number;
    readonly limitMb: number;
    /** Out-of-memory kills of this instance in a row (1 for the first; reset after 10 min up). */
    readonly crashes: number;
    /** Delay before the restart (start-up time comes after it); null: not restarted (it was draining). */
    readonly restartInMs: number | null;
    /** e.g. "shop#1 out of memory: 512 MB leaked (limit 512 MB), restarting in 10 s". */
    readonly why: string;
  };
  /** An ejected instance returned to its load balancer. */
  'instance.returned': { readonly at: number; readonly service: string; readonly instance: string };
  /** An autoscaler decided (every sync period, whether or not the replica count changes). */
  'scale.decided': {
    readonly at: number;
    readonly service: string;
    readonly from: number;
    readonly to: number;
    /** The metric read (e.g. `utilization`) and its value per ready instance; null without data. */
    readonly metric: string;
    readonly value: number | null;
    /** e.g. "checkout 4 → 7: utilization 92% vs target 50%, ratio 1.84; scale-up limited to +4". */
    readonly why: string;
  };
  /** A rollout of a new version began. */
  'deploy.started': {
    readonly at: number;
    readonly service: string;
    readonly from: string;
    readonly to: string;
    readonly strategy: string;
  };
  /** A rollout changed the instances (or decided a canary step); `mix` is ready instances by version. */
  'deploy.progressed': {
    readonly at: number;
    readonly service: string;
    readonly mix: Readonly<Record<string, number>>;
    readonly why: string;
  };
  /** A rollout finished: `completed`, or `rolled_back` by a canary analysis. */
  'deploy.ended': {
    readonly at: number;
    readonly service: string;
    readonly outcome: 'completed' | 'rolled_back';
    readonly why: string;
  };
  /** A fault began (from the timeline or a runtime command). */
  'fault.started': {
    readonly at: number;
    /** The fault's name (unique within a run). */
    readonly fault: string;
    readonly kind: string;
    /** What it hit, e.g. `payments (2 of 3 instances: payments#1, payments#3)`. */
    readonly target: string;
  };
  /** A fault was reverted. */
  'fault.ended': {
    readonly at: number;
    readonly fault: string;
    readonly kind: string;
    readonly target: string;
  };
  /** An instance changed lifecycle state. */
  'instance.state': {
    readonly at: number;
    readonly service: string;
    readonly instance: string;
    readonly state: InstanceState;
  };
  /**
   * Periodic (and warm-up-end / run-end) reading of every service's cumulative gauges, and of
   * every broker queue's state (only when the world has brokers).
   */
  'gauges.sampled': {
    readonly at: number;
    readonly services: readonly ServiceGauges[];
    readonly queues?: readonly QueueGauges[];
  };
  /**
   * A broker stored a message in a queue. A topic stores one copy per group queue, each with
   * its own `id` (numbered per broker). `publishedAt` is when the publisher sent it.
   */
  'message.published': {
    readonly at: number;
    readonly broker: string;
    readonly queue: string;
    readonly id: number;
    /** The publishing service. */
    readonly publisher: string;
    /** The user request whose handling published it. */
    readonly requestId: number;
    readonly publishedAt: number;
  };
  /** A publish was not stored (the publisher knows only if it waited for a confirm). */
  'message.publish_failed': {
    readonly at: number;
    readonly broker: string;
    /** The queue or topic it was sent to. */
    readonly destination: string;
    readonly publisher: string;
    readonly requestId: number;
    readonly reason: PublishFailure;
    readonly why: string;
  };
  /** The broker sent a message to a consumer instance (`attempt` 1 is the first delivery). */
  'message.delivered': {
    readonly at: number;
    readonly broker: string;
    readonly queue: string;
    readonly id: number;
    readonly consumer: string;
    readonly instance: string;
    readonly attempt: number;
  };
  /**
   * A consumer's code received a message (its endpoint starts on it). `duplicate`: an earlier
   * delivery of the same message had already reached consumer code — what an idempotent
   * consumer has to recognise and absorb.
   */
  'message.received': {
    readonly at: number;
    readonly broker: string;
    readonly queue: string;
    readonly id: number;
    readonly instance: string;
    readonly attempt: number;
    readonly duplicate: boolean;
  };
  /** A delivered message went back to its queue, to be delivered again. */
  'message.requeued': {
    readonly at: number;
    readonly broker: string;
    readonly queue: string;
    readonly id: number;
    readonly attempt: number;
    readonly cause: RequeueCause;
    /** For `processing_failed`: how the processing failed (`poison_message` for a poison message). */
    readonly reason?: FailureReason | 'poison_message';
    readonly why: string;
  };
  /**
   * The broker received a message's acknowledgement: processed, it leaves the queue.
   * `latencyMs` is end-to-end: from the publisher's send to the end of the processing.
   */
  'message.processed': {
    readonly at: number;
    readonly broker: string;
    readonly queue: string;
    readonly id: number;
    readonly attempt: number;
    readonly latencyMs: number;
  };
  /** A message reached its queue's `maxDeliveries` without being processed: dead-lettered. */
  'message.dead_lettered': {
    readonly at: number;
    readonly broker: string;
    readonly queue: string;
    readonly id: number;
    readonly attempts: number;
    readonly why: string;
  };
  /** A full `drop-head` queue dropped its oldest message to store a new one. */
  'message.dropped': {
    readonly at: number;
    readonly broker: string;
    readonly queue: string;
    readonly id: number;
    readonly why: string;
  };
  /** A message stayed in its queue past the queue's `ttl`. */
  'message.expired': {
    readonly at: number;
    readonly broker: string;
    readonly queue: string;
    readonly id: number;
    readonly ageMs: number;
  };
}

/**
 * How a run ended: `completed` (reached its duration), `unstable` (a queue grew without bound),
 * `event_limit` / `wall_time_limit` (a limit was hit), `stalled` (simulated time stopped moving),
 * `interrupted` (the user quit a live run before its end).
 */
export type RunEndReason =
  | 'completed'
  | 'unstable'
  | 'event_limit'
  | 'wall_time_limit'
  | 'stalled'
  | 'interrupted';

export type SignalName = keyof Signals;

/**
 * Expectations: what a scenario file (`expect:`) or a test asserts about a run, checked on
 * simulated time. Shared vocabulary between the scenario layer (which reads and validates them)
 * and the observers (which measure and judge them).
 */
export type ExpectationMetric =
  /** Share of requests (or calls) that got an answer, `ok` or `fallback`, in [0, 1]. */
  | 'availability'
  /** Share answered in full (`ok` only), in [0, 1]. */
  | 'success_rate'
  | 'latency_mean'
  | 'latency_p50'
  | 'latency_p90'
  | 'latency_p95'
  | 'latency_p99'
  | 'latency_p999'
  | 'latency_max'
  /** Completed requests (or calls) per second. */
  | 'throughput'
  /** Answers (`ok` + `fallback`) per second. */
  | 'goodput'
  /** Failed requests (or calls); with `reason`, only those failing with it. */
  | 'errors'
  | 'fallbacks'
  /** Attempts per logical call on an edge (1 = no retries). */
  | 'retry_amplification'
  /** Work (ms) spent on answers no waiting caller received. */
  | 'wasted_work_ms'
  /** Time (ms) from a fault's start to the first breaker opening or ejection it caused. */
  | 'time_to_detect_ms'
  /** Time (ms) from a fault's end until availability is back within the pre-fault band. */
  | 'time_to_recover_ms'
  /** Ready instances of a service, averaged over the window. */
  | 'replicas'
  /** Most ready instances of a service at any moment of the window. */
  | 'peak_replicas'
  /** Cost of a service's instances (or of all, without a scope) over the measured run. */
  | 'cost'
  /** Times a breaker opened in the window. */
  | 'breaker_opened'
  /** A breaker's state at the end of the window (compare with `==` and a state name). */
  | 'breaker_state'
  /** Messages stored by brokers in the window (a topic counts one per group queue). */
  | 'messages_published'
  /** Messages processed (acknowledged) in the window. */
  | 'messages_processed'
  /** Messages that will never be processed: failed publishes, drops and expiries. */
  | 'messages_lost'
  | 'dead_lettered'
  /** Deliveries after the first (attempt ≥ 2). */
  | 'redeliveries'
  /** Deliveries that reached consumer code a second time or more (see `message.received`). */
  | 'duplicates'
  /** Most messages not yet processed (waiting + in flight) at any moment of the window. */
  | 'backlog_max'
  /** Messages not yet processed at the end of the window. */
  | 'backlog_end'
  /** Age of the oldest waiting message at any moment of the window (ms). */
  | 'oldest_message_age_ms'
  /** End-to-end delivery latency (publish → processed) of messages processed in the window. */
  | 'delivery_latency_p50'
  | 'delivery_latency_p99'
  | 'delivery_latency_max';

/** The metrics measured on broker queues: scope `queue`, or none (all queues). */
export const MESSAGING_METRICS: ReadonlySet<ExpectationMetric> = new Set<ExpectationMetric>([
  'messages_published',
  'messages_processed',
  'messages_lost',
  'dead_lettered',
  'redeliveries',
  'duplicates',
  'backlog_max',
  'backlog_end',
  'oldest_message_age_ms',
  'delivery_latency_p50',
  'delivery_latency_p99',
  'delivery_latency_max',
]);

export type ExpectationScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'workload'; readonly workload: string }
  | { readonly kind: 'service'; readonly service: string }
  | { readonly kind: 'endpoint'; readonly service: string; readonly endpoint: string }
  /** Calls from `from` (a service or workload) to service `to`. */
  | { readonly kind: 'edge'; readonly from: string; readonly to: string }
  /** A breaker by name (`caller→target`, or `caller#n→target` for instance scope). */
  | { readonly kind: 'breaker'; readonly breaker: string }
  /** A broker's queue (or a topic's group queue `topic/group`). */
  | { readonly kind: 'queue'; readonly broker: string; readonly queue: string };

export type ExpectationWindow =
  /** The measured run: from the warm-up's end to the run's end. */
  | { readonly kind: 'run' }
  | { readonly kind: 'range'; readonly fromMs: number; readonly toMs: number }
  /** Relative to a fault of the `chaos:` timeline, by name. */
  | { readonly kind: 'fault'; readonly fault: string; readonly phase: 'before' | 'during' | 'after' };

export type ComparisonOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface ExpectationSpec {
  /** Shown with ✓/✗; written by the user or generated from the fields (English when both given). */
  readonly name: string;
  /** The name in both languages, when the scenario gives it as {en, es}. */
  readonly names?: { readonly en: string; readonly es: string };
  readonly metric: ExpectationMetric;
  /** For `errors`: count only this reason. */
  readonly reason?: FailureReason;
  readonly scope: ExpectationScope;
  readonly window: ExpectationWindow;
  readonly op: ComparisonOp;
  /** A number in the metric's unit (ms, ratio in [0, 1], per second, count) or a breaker state. */
  readonly value: number | string;
}
