/**
 * Services and their endpoints as `ServiceSpec`s: defaults applied, names checked, every call
 * target resolved (`ep` alone, or the caller's own service, is an in-process call), publish
 * destinations and consumed queues resolved against the brokers.
 */
import type { BrokerSpec, CallSpec, CallStep, EndpointSpec, ServiceSpec } from '../model/world-spec.ts';
import { checkClients } from './build-policies.ts';
import type { UnresolvedCall, UnresolvedStep } from './call-steps.ts';
import { buildSubscriptions, checkBacklogQueue } from './consumers.ts';
import type { IssueCollector, Segment } from './invalid-value.ts';
import { type BrokerContext, refuseBrokerCall, resolveDestination } from './queue-refs.ts';
import type { ParsedScenario } from './schema.ts';
import { type Catalogue, checkName, resolveTarget } from './targets.ts';
import { withTechnology } from './technology.ts';

type ParsedService = ParsedScenario['services'][string];
type ParsedEndpoint = ParsedService['endpoints'][string];

/** The catalogue of `service -> endpoint names` used to resolve targets. */
export function catalogueOf(services: ParsedScenario['services']): Catalogue {
  return new Map(Object.entries(services).map(([name, s]) => [name, new Set(Object.keys(s.endpoints))]));
}

/** What resolving an endpoint's steps needs: the services' endpoints and the brokers. */
interface StepContext extends BrokerContext {
  readonly catalogue: Catalogue;
}

function resolveCall(
  call: UnresolvedCall,
  caller: string,
  ctx: StepContext,
  issues: IssueCollector,
  stepPath: readonly Segment[],
): CallSpec | undefined {
  const ref = issues.attempt([...stepPath, ...call.targetPath], () => {
    refuseBrokerCall(call.target, ctx.brokers);
    return resolveTarget(call.target, caller, ctx.catalogue);
  });
  if (ref === undefined) return undefined;
  return { service: ref.service, endpoint: ref.endpoint, probability: call.probability, soft: call.soft };
}

function resolveStep(
  step: UnresolvedStep,
  caller: string,
  ctx: StepContext,
  issues: IssueCollector,
  path: readonly Segment[],
): CallStep | undefined {
  const resolve = (call: UnresolvedCall) => resolveCall(call, caller, ctx, issues, path);
  switch (step.kind) {
    case 'call': {
      const call = resolve(step.call);
      return call && { kind: 'call', call };
    }
    case 'parallel': {
      const calls = step.calls.map(resolve);
      return calls.every((c) => c !== undefined) ? { kind: 'parallel', calls } : undefined;
    }
    case 'choice': {
      const branches = step.branches.map((b) => {
        const call = resolve(b.call);
        return call && { weight: b.weight, call };
      });
      return branches.every((b) => b !== undefined) ? { kind: 'choice', branches } : undefined;
    }
    case 'publish': {
      const { target, targetPath, ...options } = step.publish;
      const ref = issues.attempt([...path, ...targetPath], () => resolveDestination(target, ctx));
      return (
        ref && { kind: 'publish', publish: { broker: ref.broker, destination: ref.destination, ...options } }
      );
    }
  }
}

function buildEndpoint(
  name: string,
  endpoint: ParsedEndpoint,
  service: string,
  ctx: StepContext,
  issues: IssueCollector,
  path: readonly Segment[],
): EndpointSpec {
  issues.attempt(path, () => checkName(name, 'endpoint'));
  const calls: CallStep[] = [];
  (endpoint.calls ?? []).forEach((step, i) => {
    const resolved = resolveStep(step, service, ctx, issues, [...path, 'calls', i]);
    if (resolved !== undefined) calls.push(resolved);
  });
  return { name, work: endpoint.work, order: endpoint.order ?? 'work-first', calls };
}

/**
 * Builds every service in file order, resolving publishes and consumers against `brokers`;
 * problems go to `issues` (paths from the file root).
 */
export function buildServices(
  services: ParsedScenario['services'],
  brokers: readonly BrokerSpec[],
  issues: IssueCollector,
): ServiceSpec[] {
  const catalogue = catalogueOf(services);
  const ctx: StepContext = { catalogue, brokers, services: [...catalogue.keys()] };
  if (catalogue.size === 0) issues.add('define at least one service', ['services']);
  const built = Object.entries(services).map(([name, service]): ServiceSpec => {
    const path = ['services', name];
    issues.attempt(path, () => checkName(name, 'service'));
    const entries = Object.entries(service.endpoints);
    if (entries.length === 0) issues.add('a service needs at least one endpoint', [...path, 'endpoints']);
    if (service.discipline === 'ps' && service.holding !== undefined) {
      // Under processor sharing there are no workers to hold: only CPU work shares the instance.
      issues.add(
        '`holding` has no effect with `discipline: ps` (requests share the CPU only while working); remove it',
        [...path, 'holding'],
      );
    }
    const endpoints = entries.map(([ep, spec]) =>
      buildEndpoint(ep, spec, name, ctx, issues, [...path, 'endpoints', ep]),
    );
    const consumers = entries.map(([ep, spec]) => [ep, spec.consumes] as const);
    const subscriptions = buildSubscriptions(name, consumers, ctx, issues, path);
    checkBacklogQueue(name, service.autoscale, subscriptions, ctx, issues, path);
    if (
      (service.discipline ?? 'fifo') === 'fifo' &&
      (service.holding ?? 'thread-per-request') === 'thread-per-request'
    ) {
      for (const ep of endpoints) checkNoParallelInProcess(ep, name, issues, [...path, 'endpoints', ep.name]);
    }
    if (service.discipline === 'ps' && service.inbound?.shedQueueWaitMs != null) {
      issues.add(
        '`shed` needs a queue wait to estimate, and under `discipline: ps` nobody queues (requests share the CPU); remove it',
        [...path, 'inbound', 'shed'],
      );
    }
    const scale = service.autoscale?.policy.spec;
    const replicas = service.replicas ?? 1;
    if (scale !== undefined && (replicas < scale.minReplicas || replicas > scale.maxReplicas)) {
      issues.add(
        `replicas (${replicas}) is where the autoscaler starts: it must lie within autoscale min ${scale.minReplicas} and max ${scale.maxReplicas}`,
        [...path, service.replicas === undefined ? 'autoscale' : 'replicas'],
      );
    }
    // A technology profile gives defaults: the service's own startup and resources.memoryMb win.
    const { startup, resources } = withTechnology(service.technology, service.startup, service.resources);
    return {
      name,
      replicas,
      workers: service.workers ?? 1,
      queueCapacity: service.queue ?? Number.POSITIVE_INFINITY,
      discipline: service.discipline ?? 'fifo',
      holding: service.holding ?? 'thread-per-request',
      startup,
      loadBalancing: service.loadBalancing ?? 'round-robin',
      endpoints,
      ...(service.clients === undefined ? {} : { clients: new Map(Object.entries(service.clients)) }),
      ...(service.inbound === undefined ? {} : { inbound: service.inbound }),
      ...(service.outlierDetection == null ? {} : { outlierDetection: service.outlierDetection }),
      ...(service.autoscale === undefined ? {} : { autoscale: service.autoscale }),
      ...(service.versions === undefined ? {} : { versions: service.versions }),
      ...(resources === undefined ? {} : { resources }),
      ...(service.technology === undefined ? {} : { technology: service.technology }),
      ...(subscriptions.length === 0 ? {} : { subscriptions }),
    };
  });
  checkClients(built, brokers, issues);
  return built;
}

/**
 * Under thread-per-request an in-process call runs on the caller's one worker (thread), which
 * cannot run two calls at once: a parallel group may not hold in-process calls there.
 */
function checkNoParallelInProcess(
  endpoint: EndpointSpec,
  service: string,
  issues: IssueCollector,
  path: readonly Segment[],
): void {
  endpoint.calls.forEach((step, i) => {
    if (step.kind !== 'parallel') return;
    const local = step.calls.filter((c) => c.service === service);
    if (local.length === 0) return;
    issues.add(
      `a parallel group cannot contain in-process calls (${local.map((c) => c.endpoint).join(', ')}) ` +
        'in a thread-per-request service: one worker thread cannot run two calls at once. ' +
        'Make them sequential calls, or set holding: non-blocking',
      [...path, 'calls', i, 'parallel'],
    );
  });
}
