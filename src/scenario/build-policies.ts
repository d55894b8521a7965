/**
 * References of client policies: `services.<caller>.clients.<target>` must name another service
 * that the caller actually calls over the network (a policy on calls that never happen would
 * silently do nothing), never a broker (publishes are not calls).
 */
import type { BrokerSpec, ServiceSpec } from '../model/world-spec.ts';
import { callGraph } from './call-graph.ts';
import { didYouMean } from './did-you-mean.ts';
import type { IssueCollector } from './invalid-value.ts';

/** Checks every service's `clients` keys; problems point at the key. */
export function checkClients(
  services: readonly ServiceSpec[],
  brokers: readonly BrokerSpec[],
  issues: IssueCollector,
): void {
  const names = services.map((s) => s.name);
  const graph = callGraph(services, []);
  for (const service of services) {
    for (const target of service.clients?.keys() ?? []) {
      const path = ['services', service.name, 'clients', target];
      if (target === service.name) {
        issues.add(
          `a service cannot have a client policy for itself: calls within "${target}" are in-process`,
          path,
          'key',
        );
      } else if (brokers.some((b) => b.name === target)) {
        issues.add(
          `"${target}" is a broker: client policies apply to calls, and a broker is published to (a publish step has its own confirm, timeout and whenDown)`,
          path,
          'key',
        );
      } else if (!names.includes(target)) {
        issues.add(`unknown service "${target}"${didYouMean(target, names)}`, path, 'key');
      } else if (!graph.services.get(service.name)?.has(target)) {
        const called = [...(graph.services.get(service.name) ?? [])];
        const list = called.length === 0 ? 'it calls no other service' : `it calls ${called.join(', ')}`;
        issues.add(
          `"${service.name}" never calls "${target}", so this policy would have no effect (${list})`,
          path,
          'key',
        );
      }
    }
  }
}
