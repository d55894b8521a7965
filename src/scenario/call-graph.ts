/**
 * Who calls whom over the network: for each service, the other services its endpoints may call;
 * for each workload, the services of its entries. Client policies, faults on edges and
 * expectations on edges are checked against it, so that none of them silently applies to
 * calls that never happen.
 */
import type { CallSpec, ServiceSpec, WorkloadSpec } from '../model/world-spec.ts';
import { CLIENT } from './targets.ts';

export interface CallGraph {
  /** Services called over the network by each service (in-process calls excluded). */
  readonly services: ReadonlyMap<string, ReadonlySet<string>>;
  /** Services entered by each workload. */
  readonly workloads: ReadonlyMap<string, ReadonlySet<string>>;
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
      else for (const b of step.branches) add(b.call);
    }
  }
  return out;
}

export function callGraph(services: readonly ServiceSpec[], workloads: readonly WorkloadSpec[]): CallGraph {
  return {
    services: new Map(services.map((s) => [s.name, callsOf(s)])),
    workloads: new Map(workloads.map((w) => [w.name, new Set(w.entries.map((e) => e.service))])),
  };
}

/** True when `from` (a service, a workload, or `client` for any workload) calls service `to`. */
export function calls(graph: CallGraph, from: string, to: string): boolean {
  if (from === CLIENT) return [...graph.workloads.values()].some((s) => s.has(to));
  return (graph.services.get(from)?.has(to) ?? false) || (graph.workloads.get(from)?.has(to) ?? false);
}
