/**
 * Resolving the `chaos:` timeline read by chaos.ts: names unique, targets known (services, the
 * brokers — a fault may hit a broker as it hits a service, but never scale one — and edges some
 * call takes), starts inside the run; into `FaultSpec`s sorted by start.
 */
import type { FaultSpec, FaultTarget } from '../model/fault-spec.ts';
import type { BrokerSpec, ServiceSpec } from '../model/world-spec.ts';
import { type CallGraph, talks } from './call-graph.ts';
import { faultName, type UnresolvedFault } from './chaos.ts';
import { didYouMean } from './did-you-mean.ts';
import { shortDuration } from './field-reader.ts';
import type { IssueCollector, Segment } from './invalid-value.ts';
import { type Catalogue, CLIENT, resolveTarget } from './targets.ts';

export interface ChaosContext {
  readonly services: readonly ServiceSpec[];
  readonly brokers: readonly BrokerSpec[];
  readonly workloads: ReadonlySet<string>;
  readonly catalogue: Catalogue;
  readonly graph: CallGraph;
  readonly durationMs: number;
}

function isBroker(name: string, ctx: ChaosContext): boolean {
  return ctx.brokers.some((b) => b.name === name);
}

/**
 * Checks a service (or, with `brokers`, a broker) name; records a problem at `path` and returns
 * false when unknown.
 */
function knownService(
  name: string,
  ctx: ChaosContext,
  issues: IssueCollector,
  path: readonly Segment[],
  withBrokers = true,
): boolean {
  if (ctx.catalogue.has(name) || (withBrokers && isBroker(name, ctx))) return true;
  const brokers = withBrokers ? ctx.brokers.map((b) => b.name) : [];
  const hint = didYouMean(name, [...ctx.catalogue.keys(), ...brokers]);
  const workload = ctx.workloads.has(name)
    ? ` ("${name}" is a workload; its requests come from "client")`
    : '';
  issues.add(
    `unknown ${brokers.length === 0 ? 'service' : 'service or broker'} "${name}"${hint}${workload}`,
    path,
  );
  return false;
}

/** Why no traffic goes `from` → `to`, for an edge fault that would have no effect. */
function noTraffic(from: string, to: string, ctx: ChaosContext): string {
  if (from === CLIENT) return `no workload enters "${to}"`;
  if (isBroker(to, ctx)) return `"${from}" never publishes to "${to}"`;
  if (isBroker(from, ctx))
    return `"${from}" delivers nothing to "${to}" (it consumes none of ${from}'s queues)`;
  return `"${from}" never calls "${to}"`;
}

function resolveFaultTarget(
  f: UnresolvedFault,
  ctx: ChaosContext,
  issues: IssueCollector,
  path: readonly Segment[],
): FaultTarget | undefined {
  const t = f.target;
  const at = [...path, f.key];
  if (t.kind === 'groups') {
    const seen = new Set<string>();
    let ok = true;
    [t.a, t.b].forEach((group, g) => {
      group.forEach((name, i) => {
        if (name === CLIENT) {
          issues.add('"client" cannot be partitioned: use loss: client-><service> with rate: 100%', [
            ...at,
            g,
            i,
          ]);
          ok = false;
        } else if (!knownService(name, ctx, issues, [...at, g, i])) ok = false;
        else if (seen.has(name)) {
          issues.add(`"${name}" appears twice: the two groups of a partition are disjoint`, [...at, g, i]);
          ok = false;
        }
        seen.add(name);
      });
    });
    return ok ? { kind: 'groups', a: t.a, b: t.b } : undefined;
  }
  if (t.kind === 'edge') {
    let ok = true;
    if (t.from !== CLIENT && !knownService(t.from, ctx, issues, at)) ok = false;
    if (t.to === CLIENT) {
      issues.add('"client" can only be the "from" of an edge: write client-><service>', at);
      ok = false;
    } else if (!knownService(t.to, ctx, issues, at)) ok = false;
    if (!ok) return undefined;
    if (t.from === t.to) {
      issues.add('calls within a service are in-process and never cross the network', at);
      return undefined;
    }
    if (!talks(ctx.graph, t.from, t.to)) {
      const why = noTraffic(t.from, t.to, ctx);
      issues.add(`${why}: a fault on the edge ${t.from}->${t.to} would have no effect`, at);
      return undefined;
    }
    return { kind: 'edge', from: t.from, to: t.to };
  }
  if (t.endpoint !== null) {
    if (isBroker(t.service, ctx)) {
      issues.add(
        `"${t.service}" is a broker: it has no endpoints to target; write the broker alone (${f.key}: ${t.service})`,
        at,
      );
      return undefined;
    }
    const ref = issues.attempt(at, () =>
      resolveTarget(`${t.service}.${t.endpoint}`, undefined, ctx.catalogue, 'fault target'),
    );
    if (ref === undefined) return undefined;
    return { kind: 'service', service: ref.service, endpoint: ref.endpoint, instances: { kind: 'all' } };
  }
  if (f.key === 'leak' && isBroker(t.service, ctx)) {
    issues.add(
      `"${t.service}" is a broker: a leak hits a service (the requests its instances answer), not a broker`,
      at,
    );
    return undefined;
  }
  if (f.key === 'scale') {
    if (isBroker(t.service, ctx)) {
      issues.add(
        `"${t.service}" is a broker: brokers cannot be scaled (a scale sets the replicas of a service)`,
        at,
      );
      return undefined;
    }
    if (!knownService(t.service, ctx, issues, at, false)) return undefined;
    return { kind: 'service', service: t.service, endpoint: null, instances: { kind: 'all' } };
  }
  if (!knownService(t.service, ctx, issues, at)) return undefined;
  const instances = f.instances ?? { kind: 'all' };
  if (instances.kind === 'count') {
    const replicas =
      ctx.services.find((s) => s.name === t.service)?.replicas ??
      ctx.brokers.find((b) => b.name === t.service)?.replicas ??
      0;
    if (instances.count > replicas) {
      issues.add(
        `${t.service} has ${replicas} instance${replicas === 1 ? '' : 's'}: instances must be at most ${replicas} (or a share such as 50%, or all)`,
        [...path, 'instances'],
      );
    }
  }
  return { kind: 'service', service: t.service, endpoint: null, instances };
}

/** Resolves the timeline: names unique, targets known, start inside the run; sorted by start (stable). */
export function buildChaos(
  faults: readonly UnresolvedFault[],
  ctx: ChaosContext,
  issues: IssueCollector,
): FaultSpec[] {
  const names = new Map<string, number>();
  const specs: FaultSpec[] = [];
  faults.forEach((f, i) => {
    const path = ['chaos', i];
    if (f.atMs >= ctx.durationMs) {
      issues.add(
        `the fault starts at ${shortDuration(f.atMs)}, at or after the end of the run (duration ${shortDuration(ctx.durationMs)})`,
        [...path, 'at'],
      );
    }
    const name = faultName(f);
    const previous = names.get(name);
    if (previous !== undefined) {
      const fix = f.name === undefined ? ': give one of them a "name"' : '';
      issues.add(
        `fault name "${name}" is already used by chaos[${previous}]${fix}`,
        f.name === undefined ? path : [...path, 'name'],
      );
    } else names.set(name, i);
    const target = resolveFaultTarget(f, ctx, issues, path);
    if (target === undefined) return;
    let action = f.action;
    if (action.kind === 'leak' && action.limitMb === null && target.kind === 'service') {
      // Without a `limit`, an instance has the memory of its service's resources (or technology).
      const memoryMb = ctx.services.find((s) => s.name === target.service)?.resources?.memoryMb;
      if (memoryMb === undefined) {
        issues.add(
          `a leak needs a memory limit: write limit (such as 512MB), or give ${target.service} resources.memoryMb or a technology`,
          path,
        );
        return;
      }
      action = { ...action, limitMb: memoryMb };
    }
    if (action.kind === 'leak' && action.limitMb !== null && action.perMb >= action.limitMb) {
      const mb = (n: number): string => `${Math.round(n * 10) / 10} MB`;
      issues.add(
        `per (${mb(action.perMb)}) is not below the limit (${mb(action.limitMb)}): the first request answered would kill its instance; a leak takes many requests to fill the memory (kill crashes at once)`,
        [...path, 'per'],
      );
      return;
    }
    specs.push({ name, action, target, atMs: f.atMs, forMs: f.forMs });
  });
  // Array.prototype.sort is stable: faults starting together keep the order of the file.
  return specs.sort((a, b) => a.atMs - b.atMs);
}
