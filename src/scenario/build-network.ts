/**
 * The network: a default one-way latency and per-edge overrides. An edge goes from a service
 * or a broker (or `client`, the workloads' clients) to another service or broker; its latency
 * applies to the call and, again, to the answer (for a broker: to publishes and their confirms,
 * to deliveries and their acknowledgements).
 */
import type { LatencyEdge, NetworkSpec } from '../model/world-spec.ts';
import { didYouMean } from './did-you-mean.ts';
import { makeConstant } from './distribution-kinds.ts';
import type { IssueCollector } from './invalid-value.ts';
import type { ParsedScenario } from './schema.ts';
import { type Catalogue, CLIENT } from './targets.ts';

/** Builds the network; problems go to `issues` (paths from the file root). */
export function buildNetwork(
  network: ParsedScenario['network'],
  catalogue: Catalogue,
  brokers: readonly string[],
  issues: IssueCollector,
): NetworkSpec {
  const services = [...catalogue.keys()];
  const known = (name: string) => catalogue.has(name) || brokers.includes(name);
  const what = brokers.length === 0 ? 'a service' : 'a service or a broker';
  const unknown = brokers.length === 0 ? 'unknown service' : 'unknown service or broker';
  const seen = new Set<string>();
  const edges: LatencyEdge[] = [];
  (network?.edges ?? []).forEach((edge, i) => {
    const path = ['network', 'edges', i];
    if (edge.from !== CLIENT && !known(edge.from)) {
      const hint = didYouMean(edge.from, [CLIENT, ...services, ...brokers]);
      issues.add(`${unknown} "${edge.from}"${hint}: "from" is ${what} or "client"`, [...path, 'from']);
    }
    if (edge.to === CLIENT) {
      issues.add('"client" can only be the "from" of an edge (the latency applies both ways)', [
        ...path,
        'to',
      ]);
    } else if (!known(edge.to)) {
      issues.add(`${unknown} "${edge.to}"${didYouMean(edge.to, [...services, ...brokers])}`, [...path, 'to']);
    } else if (edge.from === edge.to) {
      const why = brokers.includes(edge.to)
        ? 'an edge joins two different services or brokers'
        : 'calls within a service are in-process and never cross the network';
      issues.add(why, [...path, 'to']);
    } else if (edge.from === CLIENT && brokers.includes(edge.to)) {
      issues.add(
        `workload clients never reach broker "${edge.to}": their requests enter services, which publish to it`,
        [...path, 'to'],
      );
    }
    const key = `${edge.from}\u0000${edge.to}`;
    if (seen.has(key)) issues.add(`duplicate edge from "${edge.from}" to "${edge.to}"`, path);
    seen.add(key);
    edges.push({ from: edge.from, to: edge.to, latency: edge.latency });
  });
  return { defaultLatency: network?.latency ?? makeConstant(0), edges };
}
