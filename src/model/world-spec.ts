/**
 * The resolved description of a world that the model builds and runs. Every unit is resolved
 * (times in ms, rates per second) and every default applied; the scenario layer produces it from
 * a file, and tests may write one by hand.
 */
import type { Distribution } from '../engine/distributions.ts';

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
}

export interface EndpointSpec {
  readonly name: string;
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
  | { readonly kind: 'choice'; readonly branches: readonly ChoiceBranch[] };

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
}
