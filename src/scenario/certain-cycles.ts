/**
 * Cycles of calls that always happen. A cycle in the call graph is fine when some call on it is
 * probabilistic (a retry loop, a feedback route): requests leave it eventually. When every call on
 * the cycle happens with certainty, every request that enters it fails with `depth_exceeded` — a
 * scenario bug worth a clear message before the run.
 *
 * The same holds for messages: a consumer that always publishes (directly or down its calls) to
 * a queue that leads back to itself makes every message produce another, forever.
 */
import type { BrokerSpec, CallSpec, ServiceSpec } from '../model/world-spec.ts';
import type { IssueCollector } from './invalid-value.ts';

/** Adds one issue per certain cycle found, naming its endpoints in call (and message) order. */
export function checkCertainCycles(
  services: readonly ServiceSpec[],
  issues: IssueCollector,
  brokers: readonly BrokerSpec[] = [],
): void {
  const certain = new Map<string, string[]>();
  const key = (service: string, endpoint: string): string => `${service}.${endpoint}`;
  /** The consuming endpoints of each queue, by `broker/queue`. */
  const consumers = new Map<string, string[]>();
  for (const svc of services) {
    for (const sub of svc.subscriptions ?? []) {
      const q = `${sub.broker}/${sub.queue}`;
      consumers.set(q, [...(consumers.get(q) ?? []), key(svc.name, sub.endpoint)]);
    }
  }
  /** Where a message published to `broker.destination` is processed (every group of a topic). */
  const processedBy = (broker: string, destination: string): string[] => {
    const topic = brokers.find((b) => b.name === broker)?.topics.find((t) => t.name === destination);
    const queues = topic === undefined ? [destination] : topic.groups.map((g) => g.name);
    return queues.flatMap((q) => consumers.get(`${broker}/${q}`) ?? []);
  };
  /** Edges that are a message, not a call: `from→to`. */
  const viaMessage = new Set<string>();
  for (const svc of services) {
    for (const ep of svc.endpoints) {
      const next: string[] = [];
      const always = (c: CallSpec): void => {
        if (c.probability >= 1) next.push(key(c.service, c.endpoint));
      };
      for (const step of ep.calls) {
        if (step.kind === 'publish') {
          // A message always sent, never poison: every consumer of it runs on it.
          const p = step.publish;
          if (p.probability >= 1 && p.poison <= 0) {
            for (const to of processedBy(p.broker, p.destination)) {
              next.push(to);
              viaMessage.add(`${key(svc.name, ep.name)}→${to}`);
            }
          }
        } else if (step.kind === 'call') always(step.call);
        else if (step.kind === 'parallel') step.calls.forEach(always);
        else if (step.kind === 'choice' && step.branches.length === 1 && step.branches[0]!.weight >= 1)
          always(step.branches[0]!.call);
      }
      certain.set(key(svc.name, ep.name), next);
    }
  }
  const state = new Map<string, 'open' | 'done'>();
  const reported = new Set<string>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of certain.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = [...stack.slice(stack.indexOf(next)), next];
        const id = [...cycle.slice(0, -1)].sort().join(' ');
        if (!reported.has(id)) {
          reported.add(id);
          const [service, endpoint] = next.split('.') as [string, string];
          const messages = cycle.slice(1).some((to, i) => viaMessage.has(`${cycle[i]}→${to}`));
          issues.add(
            messages
              ? `these calls and messages always happen and form a loop: ${cycle.join(' → ')}; every ` +
                  'message that enters it would publish another, forever. Give one of the publishes ' +
                  '(or calls) a probability below 100%'
              : `these calls always happen and form a loop: ${cycle.join(' → ')}; every request that ` +
                  'enters it would fail with depth_exceeded. Give one of the calls a probability below 100%',
            ['services', service, 'endpoints', endpoint, 'calls'],
          );
        }
      } else if (state.get(next) === undefined) {
        visit(next);
      }
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of certain.keys()) if (state.get(node) === undefined) visit(node);
}
