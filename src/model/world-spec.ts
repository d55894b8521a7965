/**
 * The resolved description of a world that the model builds and runs. Every unit is resolved
 * (times in ms, rates per second) and every default applied; the scenario layer produces it from
 * a file, and tests may write one by hand.
 */
import type { Distribution } from '../engine/distributions.ts';
import type { BackoffSpec } from '../patterns/backoff.ts';
import type { CircuitBreakerConfig } from '../patterns/circuit-breaker.ts';
import type { HpaSpec } from '../patterns/hpa.ts';
import type { OutlierSpec } from '../patterns/outlier-detector.ts';
import type { RateLimiterSpec } from '../patterns/rate-limiter.ts';
import type { RetryBudgetSpec } from '../patterns/retry-budget.ts';
import type { ThresholdSpec } from '../patterns/threshold-scaler.ts';
import type { FailureReason } from '../signals.ts';
import type { FaultSpec } from './fault-spec.ts';
import type { TechnologyProfile } from './technology.ts';

/** FIFO: a free worker takes the oldest waiting request. PS: all requests share the CPU equally. */
export type Discipline = 'fifo' | 'ps';

/**
 * `thread-per-request`: a request holds its worker from start to response, downstream waits
 * included (classic thread-pool exhaustion). `non-blocking`: the worker is held only while the
 * request does its own work.
 */
export type WorkerHolding = 'thread-per-request' | 'non-blocking';

/** `least-requests`: two random choices, the one with fewer requests wins (Envoy's default LEAST_REQUEST). */
export type LoadBalancing = 'round-robin' | 'random' | 'least-requests';

export interface ServiceSpec {
  readonly name: string;
  readonly replicas: number;
  /** Workers per instance (for `ps`, the CPU cores shared by all requests). */
  readonly workers: number;
  /** Waiting places per instance; `Infinity` for unbounded. For `ps`, requests beyond `workers`. */
  readonly queueCapacity: number;
  readonly discipline: Discipline;
  readonly holding: WorkerHolding;
  /** Time from an instance's start to ready. */
  readonly startup: Distribution;
  readonly loadBalancing: LoadBalancing;
  readonly endpoints: readonly EndpointSpec[];
  /** Policies on this service's calls to other services, by target service name (none if absent). */
  readonly clients?: ReadonlyMap<string, ClientPolicySpec>;
  /** Protections on the service's inbound side (none if absent). */
  readonly inbound?: InboundSpec;
  /** Outlier ejection in the load balancer that picks this service's instances (off if absent or null). */
  readonly outlierDetection?: OutlierSpec | null;
  /** An autoscaler for the service (none if absent or null). */
  readonly autoscale?: AutoscaleSpec | null;
  /**
   * The service's versions; the first is the one its instances run at the start. New instances
   * run the service's current version (the target of the latest rollout).
   */
  readonly versions?: readonly VersionSpec[];
  /** What one instance has and costs (1 core, 512 MB, cost 0 if absent). */
  readonly resources?: ResourcesSpec;
  /**
   * The runtime the service is written for (none if absent). The model applies the profile's
   * work factor and warm-up; its start-up and memory are defaults the scenario layer has already
   * merged into `startup` and `resources` (which are what the model uses).
   */
  readonly technology?: ServiceTechnology;
  /** Endpoints of this service that consume messages from a broker's queue (none if absent). */
  readonly subscriptions?: readonly SubscriptionSpec[];
}

/** A service's technology profile and the name it goes by (a built-in or the scenario's own). */
export interface ServiceTechnology {
  readonly name: string;
  readonly profile: TechnologyProfile;
}

/** A version of a service: how its work and its errors differ from the code as written. */
export interface VersionSpec {
  readonly name: string;
  /** Work time × this. */
  readonly workFactor: number;
  /** Share of arrivals at its instances that fail as `error_injected` (a bug in this version). */
  readonly errorRate: number;
  /** A technology profile of its own (a rewrite), instead of the service's; as written, then resolved. */
  readonly technologyName?: string;
  readonly technology?: TechnologyProfile;
}

/**
 * How a rollout replaces instances (Kubernetes' rolling update, or the two classic patterns):
 * - `rolling`: at most `maxSurge` (share of the replicas, rounded up) instances above the count
 *   and at most `maxUnavailable` (rounded down) below it, while old instances drain.
 * - `blue-green`: start a full set of the new version; when all are ready, drain all the old.
 * - `canary`: move `steps` (shares of the replicas, rounded up) to the new version in turn,
 *   `stepMs` each; after each step compare the canary's error rate with the old instances' and
 *   roll back if it is higher by more than `maxErrorIncrease`, or its mean latency by more than
 *   `maxLatencyIncrease` (a share), with at least `minCalls` canary calls.
 */
export type DeployStrategy =
  | { readonly kind: 'rolling'; readonly maxSurge: number; readonly maxUnavailable: number }
  | { readonly kind: 'blue-green' }
  | {
      readonly kind: 'canary';
      readonly steps: readonly number[];
      readonly stepMs: number;
      readonly maxErrorIncrease: number;
      /** Roll back also when the canary's mean latency exceeds the old one's by more than this share (Infinity: off). */
      readonly maxLatencyIncrease: number;
      readonly minCalls: number;
    };

/** A rollout on the timeline (`deploy:` in scenario files). */
export interface DeploySpec {
  readonly atMs: number;
  readonly service: string;
  /** The version to roll out (one of the service's `versions`). */
  readonly to: string;
  readonly strategy: DeployStrategy;
}

export interface ResourcesSpec {
  readonly cores: number;
  readonly memoryMb: number;
  /** Cost of one instance for one hour, in the scenario's currency units. */
  readonly costPerHour: number;
}

/**
 * What an autoscaler reads, per ready instance, averaged over its last sync period:
 * `utilization` (busy workers / workers, Kubernetes' CPU utilization), `inflight` (requests in
 * the instance, waiting or served), `queue` (requests waiting for a worker).
 */
export type AutoscaleMetric = 'utilization' | 'inflight' | 'queue' | 'backlog';

export interface AutoscaleSpec {
  /**
   * `backlog` reads a broker queue's messages (ready + unacknowledged) at the moment of the
   * decision, divided over the current replicas (KEDA's external metric with an AverageValue
   * target); it needs `queue`.
   */
  readonly metric: AutoscaleMetric;
  /** For `backlog`: the queue read. */
  readonly queue?: { readonly broker: string; readonly queue: string };
  readonly policy:
    | { readonly kind: 'hpa'; readonly spec: HpaSpec }
    | { readonly kind: 'threshold'; readonly spec: ThresholdSpec };
}

/** A pattern that wraps a call; `order` lists them outermost first. */
export type PolicyLayer = 'retry' | 'breaker' | 'rateLimiter' | 'timeout' | 'bulkhead';

/** Resilience4j's order, outermost first: Retry(CircuitBreaker(RateLimiter(TimeLimiter(Bulkhead(call))))). */
export const DEFAULT_POLICY_ORDER: readonly PolicyLayer[] = [
  'retry',
  'breaker',
  'rateLimiter',
  'timeout',
  'bulkhead',
];

export interface RetrySpec {
  /** Attempts including the first (Resilience4j's `maxAttempts`). */
  readonly maxAttempts: number;
  readonly backoff: BackoffSpec;
  /** Failure reasons that are retried. */
  readonly retryOn: ReadonlySet<FailureReason>;
  readonly budget: RetryBudgetSpec | null;
}

/**
 * The resilience policies of one caller on its calls to one target service. Each pattern is
 * optional; `order` (outermost first) contains exactly the configured layers. The overall
 * `deadlineMs` spans every attempt (outside all layers); `fallback` answers instead of failing.
 */
export interface ClientPolicySpec {
  /** Per-attempt timeout (the `timeout` layer), or null. */
  readonly timeoutMs: number | null;
  /** Overall deadline across attempts and backoffs, or null. */
  readonly deadlineMs: number | null;
  /** Callees drop work for a caller that has already given up (gRPC-style deadline propagation). */
  readonly propagateDeadline: boolean;
  readonly retry: RetrySpec | null;
  readonly breaker: CircuitBreakerConfig | null;
  readonly bulkhead: { readonly maxConcurrent: number; readonly maxWaitMs: number } | null;
  readonly rateLimiter: RateLimiterSpec | null;
  /** A failed call is answered by a fallback (outcome `fallback`) instead of failing its caller. */
  readonly fallback: boolean;
  /** Layers outermost first (only those configured). */
  readonly order: readonly PolicyLayer[];
  /** One set of pattern state per caller instance (each process has its own), or one per caller service. */
  readonly scope: 'instance' | 'service';
}

/** No inbound protections. */
export const NO_INBOUND: InboundSpec = { rateLimiter: null, shedQueueWaitMs: null };

export interface InboundSpec {
  /** Token bucket per instance; an arrival without a permit fails as `rate_limited`. */
  readonly rateLimiter: RateLimiterSpec | null;
  /** Reject (`shed`) an arrival whose expected queue wait exceeds this (ms), or null. */
  readonly shedQueueWaitMs: number | null;
}

export interface EndpointSpec {
  readonly name: string;
  /**
   * The endpoint of a broker that accepts published messages: after its work the message is
   * stored in its queue (or its topic's group queues). Set only on brokers' built-in `publish`.
   */
  readonly accepts?: boolean;
  /** The endpoint's own work (CPU time, ms). */
  readonly work: Distribution;
  /** `work-first`: work, then the calls; `calls-first`: the calls, then the work. */
  readonly order: 'work-first' | 'calls-first';
  /** Steps run in sequence. */
  readonly calls: readonly CallStep[];
}

/** One step of an endpoint's downstream calls. */
export type CallStep =
  | { readonly kind: 'call'; readonly call: CallSpec }
  /** Fan-out: every call of the group starts at once; the step ends when all have answered. */
  | { readonly kind: 'parallel'; readonly calls: readonly CallSpec[] }
  /** One weighted choice; weights are probabilities summing to at most 1, the rest is "no call". */
  | { readonly kind: 'choice'; readonly branches: readonly ChoiceBranch[] }
  /** Sends a message to a broker's queue or topic. */
  | { readonly kind: 'publish'; readonly publish: PublishSpec };

/**
 * Publishing a message (AMQP `basic.publish`). Without `confirm` the endpoint goes on at once
 * (fire-and-forget: a message the broker does not accept is lost, and only the observer knows);
 * with `confirm` it waits for the broker's acknowledgement (publisher confirms), and a refused
 * publish fails the step like a failed call (unless `soft`).
 */
export interface PublishSpec {
  readonly broker: string;
  /** A queue or a topic of the broker. */
  readonly destination: string;
  readonly confirm: boolean;
  /**
   * When the broker cannot be reached (no ready instance, or it crashed with the publish in
   * flight): `fail` at once, or `wait` — the publisher keeps the message and sends it again as
   * soon as a broker instance is ready, for at most `maxWaitMs`.
   */
  readonly whenDown: 'fail' | 'wait';
  /** With `wait`: how long a message may wait for the broker (Infinity: as long as it takes). */
  readonly maxWaitMs: number;
  /** With `confirm`: the publisher stops waiting after this long (Infinity: never). */
  readonly timeoutMs: number;
  /** Probability that a message is a poison message: every delivery of it fails. */
  readonly poison: number;
  /** Probability that the message is sent at all (1 = always). */
  readonly probability: number;
  /** A refused confirmed publish does not fail the endpoint. */
  readonly soft: boolean;
}

/**
 * A message broker (an actor with its own instances, like a service): its `publish` endpoint
 * costs `publishWork` per message on one of `workers` per instance. Queues are durable and
 * replicated: they survive a broker instance's crash. While no broker instance is ready and
 * responsive, nothing is delivered; when the last one goes down, every unacknowledged delivery
 * returns to its queue (the consumers' connections closed).
 */
export interface BrokerSpec {
  readonly name: string;
  readonly replicas: number;
  readonly workers: number;
  /** Waiting publishes per broker instance (Infinity: unbounded). */
  readonly queueCapacity: number;
  readonly startup: Distribution;
  /** The broker's work to accept (persist) one published message. */
  readonly publishWork: Distribution;
  readonly resources?: ResourcesSpec;
  readonly queues: readonly QueueSpec[];
  readonly topics: readonly TopicSpec[];
}

/** What a full queue does with a new message (RabbitMQ's `x-overflow`). */
export type QueueOverflow = 'drop-head' | 'reject-publish';

/** A queue: competing consumers share its messages, each message goes to one of them. */
export interface QueueSpec {
  /** The queue's name; for a topic's group, `topic/group`. */
  readonly name: string;
  /** Most ready messages (unacknowledged ones do not count, as in RabbitMQ); Infinity: no limit. */
  readonly maxLength: number;
  readonly overflow: QueueOverflow;
  /** A message still in the queue this long after it was stored expires (Infinity: never). */
  readonly ttlMs: number;
  /**
   * Times one message may reach consumer code; when the last of them fails it goes to the
   * dead-letter queue (deliveries handed back before the consumer saw them do not count).
   */
  readonly maxDeliveries: number;
  /** A delivery not acknowledged within this time returns to the queue (Infinity: never). */
  readonly ackTimeoutMs: number;
}

/** A topic: each published message is copied to every group's queue (publish-subscribe). */
export interface TopicSpec {
  readonly name: string;
  /** One queue per subscriber group, named `topic/group`. */
  readonly groups: readonly QueueSpec[];
}

/** An endpoint of a service consuming a queue (`consumes:` in scenario files). */
export interface SubscriptionSpec {
  /** The consuming endpoint of the service. */
  readonly endpoint: string;
  readonly broker: string;
  /** A queue of the broker, or a topic's group queue `topic/group`. */
  readonly queue: string;
  /** Messages one consumer instance processes at once (its listener threads). */
  readonly concurrency: number;
  /** Unacknowledged deliveries one consumer instance may hold (AMQP `basic.qos` prefetch). */
  readonly prefetch: number;
}

export interface CallSpec {
  readonly service: string;
  readonly endpoint: string;
  /** Probability that the call happens at all (1 = always). */
  readonly probability: number;
  /** A soft call's failure does not fail the caller. */
  readonly soft: boolean;
}

export interface ChoiceBranch {
  readonly weight: number;
  readonly call: CallSpec;
}

export interface LatencyEdge {
  /** Caller service name, or `client` for a workload's requests into the system. */
  readonly from: string;
  readonly to: string;
  readonly latency: Distribution;
}

/** One-way network latency: applied to a call on the way there and to its answer on the way back. */
export interface NetworkSpec {
  readonly defaultLatency: Distribution;
  readonly edges: readonly LatencyEdge[];
}

export interface EntrySpec {
  readonly service: string;
  readonly endpoint: string;
  readonly weight: number;
}

/**
 * A change of an open workload's rate: at `atMs` the rate starts moving linearly from its current
 * value to `ratePerSec`, reaching it after `rampMs` (0 = a step).
 */
export interface RateChange {
  readonly atMs: number;
  readonly ratePerSec: number;
  readonly rampMs: number;
}

export type WorkloadSpec =
  | {
      readonly kind: 'open';
      readonly name: string;
      /** Policies of the workload's client on its requests (none if absent or null). */
      readonly client?: ClientPolicySpec | null;
      readonly entries: readonly EntrySpec[];
      readonly arrivals: 'poisson' | 'constant';
      /** Rate at t = 0. */
      readonly ratePerSec: number;
      /** Later changes, sorted by `atMs`. */
      readonly profile: readonly RateChange[];
    }
  | {
      readonly kind: 'closed';
      readonly name: string;
      readonly client?: ClientPolicySpec | null;
      readonly entries: readonly EntrySpec[];
      readonly users: number;
      /** Time a user waits after an answer before the next request (also before the first). */
      readonly think: Distribution;
    };

export interface LimitsSpec {
  /** Deepest allowed chain of nested calls (the entry call has depth 1). */
  readonly maxCallDepth: number;
  /** Waiting requests in one unbounded queue at which the run stops as unstable. */
  readonly maxQueueLength: number;
}

export interface WorldSpec {
  readonly services: readonly ServiceSpec[];
  readonly network: NetworkSpec;
  readonly workloads: readonly WorkloadSpec[];
  readonly limits: LimitsSpec;
  /** Faults on the timeline, sorted by start (none if absent). */
  readonly chaos?: readonly FaultSpec[];
  /** Rollouts on the timeline, sorted by start (none if absent). */
  readonly deploys?: readonly DeploySpec[];
  /** Message brokers (none if absent); their names share the services' namespace. */
  readonly brokers?: readonly BrokerSpec[];
}
