/**
 * Who talks to whom over the network: for each service, the other services its endpoints may
 * call; for each workload, the services of its entries; and, apart from calls, the brokers each
 * service publishes to and the services each broker delivers to. Client policies, faults on
 * edges and expectations on edges are checked against it, so that none of them silently applies
 * to traffic that never happens. A publish is not a call: it never counts as one (client
 * policies, call cycles, call depth).
 */
import type { CallSpec, ServiceSpec, WorkloadSpec } from '../model/world-spec.ts';
import { CLIENT } from './targets.ts';

export interface CallGraph {
  /** Services called over the network by each service (in-process calls excluded). */
  readonly services: ReadonlyMap<string, ReadonlySet<string>>;
  /** Services entered by each workload. */
  readonly workloads: ReadonlyMap<string, ReadonlySet<string>>;
  /** Brokers each service publishes to (its endpoints' publish steps). */
  readonly publishes: ReadonlyMap<string, ReadonlySet<string>>;
  /** Services each broker delivers messages to (the consumers of its queues). */
  readonly delivers: ReadonlyMap<string, ReadonlySet<string>>;
}

function callsOf(service: ServiceSpec): Set<string> {
  const out = new Set<string>();
  const add = (c: CallSpec) => {
    if (c.service !== service.name) out.add(c.service);
  };
  for (const ep of service.endpoints) {
    for (const step of ep.calls) {
      if (step.kind === 'call') add(step.call);
      else if (step.kind === 'parallel') step.calls.forEach(add);
      else if (step.kind === 'choice') for (const b of step.branches) add(b.call);
    }
  }
  return out;
}

function publishesOf(service: ServiceSpec): Set<string> {
  const out = new Set<string>();
  for (const ep of service.endpoints) {
    for (const step of ep.calls) if (step.kind === 'publish') out.add(step.publish.broker);
  }
  return out;
}

function deliveries(services: readonly ServiceSpec[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const s of services) {
    for (const sub of s.subscriptions ?? []) {
      const consumers = out.get(sub.broker) ?? new Set<string>();
      consumers.add(s.name);
      out.set(sub.broker, consumers);
    }
  }
  return out;
}

export function callGraph(services: readonly ServiceSpec[], workloads: readonly WorkloadSpec[]): CallGraph {
  return {
    services: new Map(services.map((s) => [s.name, callsOf(s)])),
    workloads: new Map(workloads.map((w) => [w.name, new Set(w.entries.map((e) => e.service))])),
    publishes: new Map(services.map((s) => [s.name, publishesOf(s)])),
    delivers: deliveries(services),
  };
}

/** True when `from` (a service, a workload, or `client` for any workload) calls service `to`. */
export function calls(graph: CallGraph, from: string, to: string): boolean {
  if (from === CLIENT) return [...graph.workloads.values()].some((s) => s.has(to));
  return (graph.services.get(from)?.has(to) ?? false) || (graph.workloads.get(from)?.has(to) ?? false);
}

/**
 * True when traffic goes from `from` to `to` over the network: a call, a publish (service →
 * broker) or a delivery (broker → consuming service).
 */
export function talks(graph: CallGraph, from: string, to: string): boolean {
  return (
    calls(graph, from, to) ||
    (graph.publishes.get(from)?.has(to) ?? false) ||
    (graph.delivers.get(from)?.has(to) ?? false)
  );
}
