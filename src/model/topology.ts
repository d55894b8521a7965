/**
 * The compiled call graph: services, their endpoints and each endpoint's program of ops, with
 * call targets resolved to objects and samplers created from named random streams.
 */
import { createSampler } from '../engine/distributions.ts';
import type { RandomStreams } from '../engine/random.ts';
import { PUBLISH_ENDPOINT, type PublishRuntime } from './broker.ts';
import type { Instance } from './instance.ts';
import type { EdgeLatency, Network } from './network.ts';
import type { ClientRuntime } from './policy-call.ts';
import {
  type CallSpec,
  type CallStep,
  type EndpointSpec,
  NO_INBOUND,
  type ServiceSpec,
  type WorldSpec,
} from './world-spec.ts';

export interface CallRuntime {
  readonly target: EndpointRuntime;
  /** The network edge caller → callee (null for in-process calls). */
  readonly edge: EdgeLatency | null;
  readonly probability: number;
  readonly soft: boolean;
  /** Same service as the caller: runs in-process on the caller's instance. */
  readonly inProcess: boolean;
  /** The caller's policies towards the target service, or null (the plain, cheap path). */
  readonly client: ClientRuntime | null;
}

export interface ServiceStats {
  /** Hops that arrived from other services or clients (not in-process). */
  arrivals: number;
  /** Total and count of worker holding times (for PS, of work times). */
  holdMs: number;
  holds: number;
}

export type Op =
  | { readonly kind: 'work' }
  | { readonly kind: 'call'; readonly call: CallRuntime }
  /** `certain`: every call of the group always happens (no draws, nothing to filter). */
  | { readonly kind: 'parallel'; readonly calls: readonly CallRuntime[]; readonly certain: boolean }
  /** `cumulative[i]` is the summed weight of branches 0..i. */
  | {
      readonly kind: 'choice';
      readonly calls: readonly CallRuntime[];
      readonly cumulative: readonly number[];
    }
  /** Sends a message to a broker. */
  | { readonly kind: 'publish'; readonly publish: PublishRuntime }
  /** A broker stores the message the hop carries (after its work, on `publish` endpoints). */
  | { readonly kind: 'enqueue' };

export interface EndpointRuntime {
  readonly name: string;
  readonly service: ServiceTopology;
  readonly sampleWork: () => number;
  readonly ops: Op[];
  /** An endpoint fault is active (error injection or slowdown). */
  faulted: boolean;
  errorRate: number;
  slowFactor: number;
  /** Its number at the world's hop sink, once declared there (-1 until then). */
  sinkId: number;
}

export interface ServiceTopology {
  readonly spec: ServiceSpec;
  readonly name: string;
  /** Processor sharing (else FIFO). */
  readonly ps: boolean;
  /** Thread-per-request holding (else non-blocking). */
  readonly tpr: boolean;
  /** Counters for the instability guard's explanation. */
  readonly stats: ServiceStats;
  /** Picks a ready instance for a call (set by the service runtime; none until then). */
  pick: () => Instance | undefined;
  readonly endpoints: Map<string, EndpointRuntime>;
  /** Draws for call probabilities and choices. */
  readonly routingRng: () => number;
  /** Arrivals go through `admit` (inbound limiter, shedding, error faults); false on the plain path. */
  guarded: boolean;
  /** Load shedding bound on the expected queue wait (ms); Infinity = off. */
  readonly shedQueueWaitMs: number;
  /** Reports each finished visit to outlier detection (set by the service runtime), or null. */
  outlier: ((instance: Instance, failed: boolean) => void) | null;
  /** Draws for injected errors. */
  readonly faultRng: () => number;
}

/** Builds the caller's policies towards `target` (null when it has none). */
export type ClientFactory = (caller: string, target: string) => ClientRuntime | null;

/** Builds every service's endpoints and programs; throws on a call to an unknown target. */
export function compileTopology(
  world: WorldSpec,
  streams: RandomStreams,
  network: Network,
  clients: ClientFactory = () => null,
): Map<string, ServiceTopology> {
  const services = new Map<string, ServiceTopology>();
  for (const spec of world.services) {
    const workRng = streams.stream(`work/${spec.name}`);
    const svc: ServiceTopology = {
      spec,
      name: spec.name,
      ps: spec.discipline === 'ps',
      tpr: spec.holding === 'thread-per-request',
      stats: { arrivals: 0, holdMs: 0, holds: 0 },
      pick: () => undefined,
      endpoints: new Map(),
      routingRng: streams.stream(`routing/${spec.name}`),
      guarded:
        (spec.inbound ?? NO_INBOUND).rateLimiter !== null ||
        (spec.inbound ?? NO_INBOUND).shedQueueWaitMs !== null,
      shedQueueWaitMs: (spec.inbound ?? NO_INBOUND).shedQueueWaitMs ?? Number.POSITIVE_INFINITY,
      outlier: null,
      faultRng: streams.stream(`faults/${spec.name}`),
    };
    for (const ep of spec.endpoints) {
      svc.endpoints.set(ep.name, {
        name: ep.name,
        service: svc,
        sampleWork: createSampler(ep.work, workRng),
        ops: [],
        faulted: false,
        errorRate: 0,
        slowFactor: 1,
        sinkId: -1,
      });
    }
    services.set(spec.name, svc);
  }
  for (const spec of world.services) {
    const svc = services.get(spec.name)!;
    for (const ep of spec.endpoints)
      compileProgram(svc.endpoints.get(ep.name)!, ep, services, network, clients);
  }
  return services;
}

/** Looks up `service.endpoint`; throws a plain error naming the missing target. */
export function findEndpoint(
  services: Map<string, ServiceTopology>,
  service: string,
  endpoint: string,
): EndpointRuntime {
  const target = services.get(service)?.endpoints.get(endpoint);
  if (target === undefined) throw new Error(`unknown call target ${service}.${endpoint}`);
  return target;
}

function compileProgram(
  rt: EndpointRuntime,
  spec: EndpointSpec,
  services: Map<string, ServiceTopology>,
  network: Network,
  clients: ClientFactory,
): void {
  const call = (c: CallSpec): CallRuntime => {
    const inProcess = c.service === rt.service.name;
    return {
      target: findEndpoint(services, c.service, c.endpoint),
      edge: inProcess ? null : network.edge(rt.service.name, c.service),
      probability: c.probability,
      soft: c.soft,
      inProcess,
      client: clients(rt.service.name, c.service),
    };
  };
  const compileStep = (step: CallStep): Op => {
    switch (step.kind) {
      case 'call':
        return { kind: 'call', call: call(step.call) };
      case 'parallel':
        return {
          kind: 'parallel',
          calls: step.calls.map(call),
          certain: step.calls.every((c) => c.probability >= 1),
        };
      case 'publish': {
        const broker = step.publish.broker;
        return {
          kind: 'publish',
          publish: {
            spec: step.publish,
            publisher: rt.service.name,
            target: findEndpoint(services, broker, PUBLISH_ENDPOINT),
            edge: network.edge(rt.service.name, broker),
          },
        };
      }
      case 'choice': {
        let acc = 0;
        const cumulative = step.branches.map((b) => {
          acc += b.weight;
          return acc;
        });
        return { kind: 'choice', calls: step.branches.map((b) => call(b.call)), cumulative };
      }
    }
  };
  const calls = spec.calls.map(compileStep);
  const work: Op = { kind: 'work' };
  rt.ops.push(...(spec.order === 'work-first' ? [work, ...calls] : [...calls, work]));
  if (spec.accepts === true) rt.ops.push({ kind: 'enqueue' });
}
