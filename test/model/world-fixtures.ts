/** Hand-built world specs for model tests (no scenario files involved). */
import { type Bus, createBus } from '../../src/engine/bus.ts';
import type { Distribution } from '../../src/engine/distributions.ts';
import { createEngine } from '../../src/engine/engine.ts';
import { createRandomStreams } from '../../src/engine/random.ts';
import { createWorld, type World } from '../../src/model/world.ts';
import type {
  CallStep,
  EndpointSpec,
  ServiceSpec,
  WorkloadSpec,
  WorldSpec,
} from '../../src/model/world-spec.ts';
import { type ClientPolicySpec, DEFAULT_POLICY_ORDER, type PolicyLayer } from '../../src/model/world-spec.ts';
import { FAILURE_REASONS, type FailureReason, type Signals } from '../../src/signals.ts';

export const zero: Distribution = { kind: 'constant', value: 0 };
export const constMs = (value: number): Distribution => ({ kind: 'constant', value });
export const expMs = (mean: number): Distribution => ({ kind: 'exponential', mean });

export function endpoint(
  name: string,
  work: Distribution,
  calls: CallStep[] = [],
  order: EndpointSpec['order'] = 'work-first',
): EndpointSpec {
  return { name, work, calls, order };
}

export function service(
  name: string,
  endpoints: EndpointSpec[],
  over: Partial<ServiceSpec> = {},
): ServiceSpec {
  return {
    name,
    replicas: 1,
    workers: 1,
    queueCapacity: Number.POSITIVE_INFINITY,
    discipline: 'fifo',
    holding: 'thread-per-request',
    startup: zero,
    loadBalancing: 'round-robin',
    endpoints,
    ...over,
  };
}

export function call(target: string, over: { probability?: number; soft?: boolean } = {}): CallStep {
  const [svc, ep] = target.split('.') as [string, string];
  return {
    kind: 'call',
    call: { service: svc, endpoint: ep, probability: over.probability ?? 1, soft: over.soft ?? false },
  };
}

export type OpenWorkloadSpec = Extract<WorkloadSpec, { kind: 'open' }>;

export function openWorkload(
  entry: string,
  ratePerSec: number,
  arrivals: 'poisson' | 'constant' = 'poisson',
): OpenWorkloadSpec {
  const [svc, ep] = entry.split('.') as [string, string];
  return {
    kind: 'open',
    name: 'users',
    entries: [{ service: svc, endpoint: ep, weight: 1 }],
    arrivals,
    ratePerSec,
    profile: [],
  };
}

export function world(
  services: ServiceSpec[],
  workloads: WorkloadSpec[],
  latency: Distribution = zero,
): WorldSpec {
  return {
    services,
    network: { defaultLatency: latency, edges: [] },
    workloads,
    limits: { maxCallDepth: 32, maxQueueLength: 100_000 },
  };
}

export function withProfile(w: OpenWorkloadSpec, profile: OpenWorkloadSpec['profile']): OpenWorkloadSpec {
  return { ...w, profile };
}

/** A client policy with only the given patterns; `order` is Resilience4j's, filtered to them. */
export function policy(over: Partial<ClientPolicySpec>): ClientPolicySpec {
  const base: ClientPolicySpec = {
    timeoutMs: null,
    deadlineMs: null,
    propagateDeadline: false,
    retry: null,
    breaker: null,
    bulkhead: null,
    rateLimiter: null,
    fallback: false,
    order: [],
    scope: 'service',
    ...over,
  };
  const present: Record<PolicyLayer, boolean> = {
    retry: base.retry !== null,
    breaker: base.breaker !== null,
    rateLimiter: base.rateLimiter !== null,
    timeout: base.timeoutMs !== null,
    bulkhead: base.bulkhead !== null,
  };
  return { ...base, order: over.order ?? DEFAULT_POLICY_ORDER.filter((l) => present[l]) };
}

/** Every failure reason but a breaker's rejection: what retries retry by default. */
export const allButBreaker = new Set<FailureReason>(FAILURE_REASONS.filter((r) => r !== 'circuit_open'));

/** A world on its own engine and bus, every signal recorded by name. */
export interface WorldRun {
  readonly world: World;
  readonly bus: Bus<Signals>;
  readonly signals: { [K in keyof Signals]?: Signals[K][] };
  /** Every signal in emission order, as [name, payload]. */
  readonly all: [string, unknown][];
  /** Runs to `untilMs`; rethrows the first error a listener raised (assertions included). */
  run(untilMs: number): void;
  at(ms: number, fn: () => void): void;
  /** The recorded signals of one name. */
  of<K extends keyof Signals>(name: K): Signals[K][];
}

/** Builds `spec` into a world that ends at `endMs` (`attach` adds listeners before anything runs). */
export function startWorld(
  spec: WorldSpec,
  endMs: number,
  seed = 1,
  attach?: (bus: Bus<Signals>) => void,
): WorldRun {
  const engine = createEngine();
  const bus = createBus<Signals>();
  attach?.(bus);
  const signals: WorldRun['signals'] = {};
  const all: [string, unknown][] = [];
  bus.onAny((name, payload) => {
    const store = signals as Record<string, unknown[]>;
    const list = store[name] ?? [];
    list.push(payload);
    store[name] = list;
    all.push([name, payload]);
  });
  const w = createWorld(spec, {
    engine,
    bus,
    streams: createRandomStreams(seed),
    endMs,
    onUnstable: () => engine.stop(),
  });
  return {
    world: w,
    bus,
    signals,
    all,
    run(untilMs) {
      engine.runUntil(untilMs);
      if (bus.failureCount > 0) throw bus.failures[0]!.error;
    },
    at(ms, fn) {
      engine.scheduleAt(ms, fn, undefined);
    },
    of: (name) => (signals[name] ?? []) as never,
  };
}
