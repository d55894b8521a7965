/**
 * The fault injector: applies a `FaultCommand` to the world now and can revert it later. The
 * scenario's `chaos:` timeline and a dashboard's keys both go through `apply`.
 *
 * Overlapping faults combine: slowdowns multiply, error and loss rates combine as independent
 * draws (1 − Π(1 − r)), latencies add, partitions count, leaks add up. Reverting one removes only
 * its share.
 *
 * A `leak` is the one fault that acts later by itself: an instance whose leaked memory reaches
 * the limit is killed out of memory, and the kubelet restarts it after its CrashLoopBackOff delay
 * (see memory-leak.ts).
 */
import type { Bus } from '../engine/bus.ts';
import type { Engine } from '../engine/engine.ts';
import type { RandomStreams } from '../engine/random.ts';
import type { Signals } from '../signals.ts';
import type { Executor } from './executor.ts';
import type { FaultCommand, InstanceSelector } from './fault-spec.ts';
import type { Instance } from './instance.ts';
import { createLeaks, type Leak, mbText } from './memory-leak.ts';
import type { EdgeLatency, Network } from './network.ts';
import type { ServiceRuntime } from './service.ts';
import type { EndpointRuntime } from './topology.ts';
import { NO_INBOUND } from './world-spec.ts';

/** A fault that is active; `revert` undoes it (once). */
export interface ActiveFault {
  readonly name: string;
  readonly kind: string;
  /** What it hit, in words. */
  readonly target: string;
  revert(): void;
}

export interface FaultInjector {
  /** Applies `command` now; throws an Error naming what does not exist. */
  apply(command: FaultCommand): ActiveFault;
  /** Faults applied and not reverted, in order. */
  active(): readonly ActiveFault[];
}

export interface FaultDeps {
  readonly engine: Engine;
  readonly bus: Bus<Signals>;
  readonly streams: RandomStreams;
  readonly services: ReadonlyMap<string, ServiceRuntime>;
  readonly network: Network;
  readonly executor: Executor;
  /** Called after a fault starts or ends (brokers re-check what they can deliver). */
  readonly afterChange?: () => void;
}

/** How many of `n` instances a selector picks (a share rounds to nearest, at least 1 when > 0). */
export function selectedCount(selector: InstanceSelector, n: number): number {
  switch (selector.kind) {
    case 'all':
      return n;
    case 'count':
      return Math.min(n, selector.count);
    case 'percent':
      return selector.percent <= 0 ? 0 : Math.min(n, Math.max(1, Math.round((selector.percent / 100) * n)));
  }
}

export function createFaultInjector(deps: FaultDeps): FaultInjector {
  const { engine, bus, services, network, executor } = deps;
  const pickRng = deps.streams.stream('chaos/targets');
  const active: ActiveFault[] = [];
  /** Active rates per instance / endpoint / edge, so reverting one fault leaves the others. */
  const errorRates = new Map<Instance | EndpointRuntime, number[]>();
  const lossRates = new Map<EdgeLatency, number[]>();
  /** Active hang faults per instance: the hang ends when the last of them is reverted. */
  const hangs = new Map<Instance, number>();
  const leaks = createLeaks({ engine, bus, executor });

  const service = (name: string): ServiceRuntime => {
    const svc = services.get(name);
    if (svc === undefined) throw new Error(`unknown service "${name}"`);
    return svc;
  };
  const endpointOf = (svc: ServiceRuntime, name: string): EndpointRuntime => {
    const ep = svc.topology.endpoints.get(name);
    if (ep === undefined) throw new Error(`unknown endpoint "${svc.name}.${name}"`);
    return ep;
  };

  /** Picks the instances a selector hits: seeded choice among the live ones (all when `all`). */
  const pickInstances = (svc: ServiceRuntime, selector: InstanceSelector): Instance[] => {
    const live = svc.instances.filter((i) => i.state !== 'stopped' && i.state !== 'crashed');
    const k = selectedCount(selector, live.length);
    if (k >= live.length) return live;
    const pool = [...live];
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(pickRng() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    return pool.slice(0, k).sort((a, b) => svc.instances.indexOf(a) - svc.instances.indexOf(b));
  };

  const combined = (rates: readonly number[]): number => 1 - rates.reduce((p, r) => p * (1 - r), 1);
  const addRate = <K>(map: Map<K, number[]>, key: K, rate: number): number => {
    const list = map.get(key) ?? [];
    list.push(rate);
    map.set(key, list);
    return combined(list);
  };
  const removeRate = <K>(map: Map<K, number[]>, key: K, rate: number): number => {
    const list = map.get(key) ?? [];
    const i = list.indexOf(rate);
    if (i >= 0) list.splice(i, 1);
    return combined(list);
  };

  const refreshInstance = (inst: Instance): void => {
    inst.faulted = inst.hung || inst.slowFactor !== 1 || inst.errorRate > 0;
  };
  const refreshGuard = (svc: ServiceRuntime): void => {
    const topo = svc.topology;
    const inbound = topo.spec.inbound ?? NO_INBOUND;
    topo.guarded =
      inbound.rateLimiter !== null ||
      inbound.shedQueueWaitMs !== null ||
      svc.instances.some((i) => i.errorRate > 0 || i.versionErrorRate > 0) ||
      [...topo.endpoints.values()].some((e) => e.errorRate > 0);
  };
  const refreshEndpoint = (ep: EndpointRuntime): void => {
    ep.faulted = ep.slowFactor !== 1 || ep.errorRate > 0;
  };

  /** The edges a network fault hits. */
  const edgesOf = (command: FaultCommand): EdgeLatency[] => {
    const t = command.target;
    if (t.kind === 'edge') {
      if (t.from !== 'client') service(t.from);
      service(t.to);
      return [network.edge(t.from, t.to)];
    }
    if (t.kind === 'groups') {
      for (const name of [...t.a, ...t.b]) service(name);
      const a = new Set(t.a);
      const b = new Set(t.b);
      return network.edges().filter((e) => (a.has(e.from) && b.has(e.to)) || (b.has(e.from) && a.has(e.to)));
    }
    service(t.service);
    return network.edges().filter((e) => e.to === t.service);
  };

  const describeInstances = (svc: ServiceRuntime, hit: readonly Instance[]): string =>
    hit.length === svc.instances.length
      ? `${svc.name} (all ${hit.length} instance${hit.length === 1 ? '' : 's'})`
      : `${svc.name} (${hit.length} of ${svc.instances.length}: ${hit.map((i) => i.id).join(', ')})`;

  /** Applies `command` (or, with `start`, prepares it: `start` runs after `fault.started` is emitted). */
  function applyNow(command: FaultCommand): { target: string; undo: () => void; start?: () => void } {
    const { action, target } = command;
    switch (action.kind) {
      case 'scale': {
        if (target.kind !== 'service' || target.endpoint !== null)
          throw new Error('a scale command targets a whole service');
        const svc = service(target.service);
        const before = svc.replicas();
        return {
          target: `${svc.name} (${before} → ${action.replicas} replicas)`,
          start: () => svc.scaleTo(action.replicas),
          undo: () => {},
        };
      }
      case 'leak': {
        if (target.kind !== 'service') throw new Error('a leak fault targets a service, not an edge');
        const svc = service(target.service);
        const ep = target.endpoint === null ? null : endpointOf(svc, target.endpoint);
        const limitMb = action.limitMb ?? svc.topology.spec.resources?.memoryMb;
        if (limitMb === undefined)
          throw new Error(`a leak on ${svc.name} needs a limit: the service has no resources.memoryMb`);
        if (!(action.perMb > 0) || !Number.isFinite(action.perMb) || !(limitMb > 0))
          throw new Error(`a leak needs a size per request and a limit above 0 MB`);
        const leak: Leak = { name: command.name, endpoint: ep?.name ?? null, perMb: action.perMb, limitMb };
        const where = ep === null ? svc.name : `${svc.name}.${ep.name}`;
        return {
          target: `${where} (${mbText(leak.perMb)} MB per request answered, out of memory at ${mbText(limitMb)} MB per instance)`,
          start: () => leaks.start(svc, leak),
          // The leak stops (a fix is deployed); what leaked stays until the instance restarts.
          undo: () => leaks.stop(svc, leak),
        };
      }
      case 'kill':
      case 'restart':
      case 'hang':
      case 'slow':
      case 'error': {
        if (target.kind !== 'service')
          throw new Error(`a ${action.kind} fault targets a service, not an edge`);
        const svc = service(target.service);
        const ep = target.endpoint === null ? null : endpointOf(svc, target.endpoint);
        if (ep !== null && (action.kind === 'slow' || action.kind === 'error')) {
          const where = `${svc.name}.${ep.name}`;
          if (action.kind === 'slow') {
            ep.slowFactor *= action.factor;
            refreshEndpoint(ep);
            return {
              target: where,
              undo: () => {
                ep.slowFactor /= action.factor;
                if (Math.abs(ep.slowFactor - 1) < 1e-12) ep.slowFactor = 1;
                refreshEndpoint(ep);
              },
            };
          }
          ep.errorRate = addRate(errorRates, ep, action.rate);
          refreshEndpoint(ep);
          refreshGuard(svc);
          return {
            target: where,
            undo: () => {
              ep.errorRate = removeRate(errorRates, ep, action.rate);
              refreshEndpoint(ep);
              refreshGuard(svc);
            },
          };
        }
        const hit = pickInstances(svc, target.instances);
        const where = describeInstances(svc, hit);
        if (action.kind === 'kill' || action.kind === 'restart') {
          const comeBack: Instance[] = [];
          return {
            target: where,
            start: () => {
              executor.watchOrphans();
              // Draining instances were on their way out (scaled in): they are not brought back,
              // as Kubernetes does not restart a terminating pod.
              for (const inst of hit) if (inst.state !== 'draining') comeBack.push(inst);
              for (const inst of hit) svc.crash(inst);
              if (action.kind === 'restart') for (const inst of comeBack) svc.restart(inst);
            },
            undo: () => {
              if (action.kind === 'kill') for (const inst of comeBack) svc.restart(inst);
            },
          };
        }
        for (const inst of hit) {
          if (action.kind === 'hang') {
            hangs.set(inst, (hangs.get(inst) ?? 0) + 1);
            inst.hung = true;
          } else if (action.kind === 'slow') inst.slowFactor *= action.factor;
          else inst.errorRate = addRate(errorRates, inst, action.rate);
          refreshInstance(inst);
        }
        refreshGuard(svc);
        return {
          target: where,
          undo: () => {
            for (const inst of hit) {
              if (action.kind === 'hang') {
                const left = (hangs.get(inst) ?? 1) - 1;
                hangs.set(inst, left);
                if (left === 0) {
                  inst.hung = false;
                  executor.unhang(inst);
                }
              } else if (action.kind === 'slow') {
                inst.slowFactor /= action.factor;
                if (Math.abs(inst.slowFactor - 1) < 1e-12) inst.slowFactor = 1;
              } else inst.errorRate = removeRate(errorRates, inst, action.rate);
              refreshInstance(inst);
            }
            refreshGuard(svc);
          },
        };
      }
      case 'latency':
      case 'loss':
      case 'partition': {
        const edges = edgesOf(command);
        const where =
          target.kind === 'edge'
            ? `${target.from}→${target.to}`
            : target.kind === 'groups'
              ? `[${target.a.join(', ')}] ⟷ [${target.b.join(', ')}]`
              : `every call to ${target.service}`;
        for (const edge of edges) {
          const f = network.fault(edge);
          if (action.kind === 'latency') {
            f.addMs += action.addMs;
            f.jitterMs += action.jitterMs;
          } else if (action.kind === 'loss') f.lossRate = addRate(lossRates, edge, action.rate);
          else f.partitioned++;
          network.refresh(edge);
        }
        return {
          target: where,
          undo: () => {
            for (const edge of edges) {
              const f = network.fault(edge);
              if (action.kind === 'latency') {
                f.addMs -= action.addMs;
                f.jitterMs -= action.jitterMs;
                if (Math.abs(f.addMs) < 1e-9) f.addMs = 0;
                if (Math.abs(f.jitterMs) < 1e-9) f.jitterMs = 0;
              } else if (action.kind === 'loss') f.lossRate = removeRate(lossRates, edge, action.rate);
              else f.partitioned--;
              network.refresh(edge);
            }
          },
        };
      }
    }
  }

  return {
    apply(command) {
      const { target, undo, start } = applyNow(command);
      let reverted = false;
      const fault: ActiveFault = {
        name: command.name,
        kind: command.action.kind,
        target,
        revert() {
          if (reverted) return;
          reverted = true;
          undo();
          deps.afterChange?.();
          active.splice(active.indexOf(fault), 1);
          bus.emit('fault.ended', { at: engine.now, fault: command.name, kind: command.action.kind, target });
        },
      };
      active.push(fault);
      bus.emit('fault.started', { at: engine.now, fault: command.name, kind: command.action.kind, target });
      start?.();
      deps.afterChange?.();
      // A restart or a scaling happens at once: it ends where it starts (a moment, not a span).
      if (command.action.kind === 'restart' || command.action.kind === 'scale') fault.revert();
      return fault;
    },
    active: () => active,
  };
}
