/**
 * Cycles of calls that always happen. A cycle in the call graph is fine when some call on it is
 * probabilistic (a retry loop, a feedback route): requests leave it eventually. When every call on
 * the cycle happens with certainty, every request that enters it fails with `depth_exceeded` — a
 * scenario bug worth a clear message before the run.
 */
import type { CallSpec, ServiceSpec } from '../model/world-spec.ts';
import type { IssueCollector } from './invalid-value.ts';

/** Adds one issue per certain cycle found, naming its endpoints in call order. */
export function checkCertainCycles(services: readonly ServiceSpec[], issues: IssueCollector): void {
  const certain = new Map<string, string[]>();
  const key = (service: string, endpoint: string): string => `${service}.${endpoint}`;
  for (const svc of services) {
    for (const ep of svc.endpoints) {
      const next: string[] = [];
      const always = (c: CallSpec): void => {
        if (c.probability >= 1) next.push(key(c.service, c.endpoint));
      };
      // A publish is not a call: its consumer runs on its own, outside the publisher's chain.
      for (const step of ep.calls) {
        if (step.kind === 'call') always(step.call);
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
          issues.add(
            `these calls always happen and form a loop: ${cycle.join(' → ')}; every request that ` +
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
