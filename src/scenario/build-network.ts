/**
 * The network: a default one-way latency and per-edge overrides. An edge goes from a service
 * (or `client`, the workloads' clients) to another service; its latency applies to the call and,
 * again, to the answer.
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
  issues: IssueCollector,
): NetworkSpec {
  const services = [...catalogue.keys()];
  const seen = new Set<string>();
  const edges: LatencyEdge[] = [];
  (network?.edges ?? []).forEach((edge, i) => {
    const path = ['network', 'edges', i];
    if (edge.from !== CLIENT && !catalogue.has(edge.from)) {
      const hint = didYouMean(edge.from, [CLIENT, ...services]);
      issues.add(`unknown service "${edge.from}"${hint}: "from" is a service or "client"`, [...path, 'from']);
    }
    if (edge.to === CLIENT) {
      issues.add('"client" can only be the "from" of an edge (the latency applies both ways)', [
        ...path,
        'to',
      ]);
    } else if (!catalogue.has(edge.to)) {
      issues.add(`unknown service "${edge.to}"${didYouMean(edge.to, services)}`, [...path, 'to']);
    } else if (edge.from === edge.to) {
      issues.add('calls within a service are in-process and never cross the network', [...path, 'to']);
    }
    const key = `${edge.from}\u0000${edge.to}`;
    if (seen.has(key)) issues.add(`duplicate edge from "${edge.from}" to "${edge.to}"`, path);
    seen.add(key);
    edges.push({ from: edge.from, to: edge.to, latency: edge.latency });
  });
  return { defaultLatency: network?.latency ?? makeConstant(0), edges };
}
