/** Hand-built world specs for model tests (no scenario files involved). */
import type { Distribution } from '../../src/engine/distributions.ts';
import type {
  CallStep,
  EndpointSpec,
  ServiceSpec,
  WorkloadSpec,
  WorldSpec,
} from '../../src/model/world-spec.ts';

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
