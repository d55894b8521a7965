/**
 * A world: the services, network and workloads of a `WorldSpec`, built on one engine and bus.
 * Creating it schedules the initial instances' start-up and the workloads' first requests;
 * running the engine does the rest.
 */
import type { Bus } from '../engine/bus.ts';
import type { Engine } from '../engine/engine.ts';
import type { RandomStreams } from '../engine/random.ts';
import type { HopSink, QueueGauges, ServiceGauges, Signals } from '../signals.ts';
import { startAutoscaler } from './autoscaler.ts';
import { brokerServiceSpec, createMessaging, type Messaging } from './broker.ts';
import { createExecutor, type Executor } from './executor.ts';
import { createFaultInjector, type FaultInjector } from './faults.ts';
import type { Instance } from './instance.ts';
import { createNetwork } from './network.ts';
import { ClientRuntime, createPolicyStateFactory } from './policy-call.ts';
import { createServiceRuntime, type ServiceRuntime } from './service.ts';
import { compileTopology, findEndpoint } from './topology.ts';
import { startWorkload } from './workload.ts';
import type { ClientPolicySpec, WorldSpec } from './world-spec.ts';

export interface World {
  readonly services: ReadonlyMap<string, ServiceRuntime>;
  readonly executor: Executor;
  /** Applies faults now (the chaos timeline and runtime commands use it). */
  readonly faults: FaultInjector;
  /** Every caller's policies, by `caller→target` name. */
  readonly clients: ReadonlyMap<string, ClientRuntime>;
  /** The brokers, their queues and consumers (null when the world has no broker). */
  readonly messaging: Messaging | null;
  /** Every broker queue's state now (empty without brokers). */
  queueGauges(): QueueGauges[];
  /** Every service's cumulative gauges, brought up to now. */
  gauges(): ServiceGauges[];
  /** Services that received more than they could serve so far (see `overloadWarnings`). */
  warnings(): string[];
}

export interface WorldOptions {
  readonly engine: Engine;
  readonly bus: Bus<Signals>;
  readonly streams: RandomStreams;
  /** Workloads send no request at or after this time (ms). */
  readonly endMs: number;
  /** Called (once) when a queue grows without bound; the caller should stop the run. */
  readonly onUnstable: (message: string) => void;
  /** Reports every completed hop to this sink too (see `HopSink`); null or absent: none. */
  readonly hopSink?: HopSink | null;
}

export function createWorld(given: WorldSpec, options: WorldOptions): World {
  const { engine, bus, streams } = options;
  // A broker runs as a service (its instances, workers and `publish` endpoint).
  const brokerSpecs = given.brokers ?? [];
  const spec: WorldSpec =
    brokerSpecs.length === 0
      ? given
      : { ...given, services: [...given.services, ...brokerSpecs.map(brokerServiceSpec)] };
  const network = createNetwork(spec.network, streams);
  const clients = new Map<string, ClientRuntime>();
  const makeClient = (caller: string, target: string, policy: ClientPolicySpec): ClientRuntime => {
    const name = `${caller}→${target}`;
    let client = clients.get(name);
    if (client === undefined) {
      client = new ClientRuntime(
        name,
        policy,
        createPolicyStateFactory(policy, engine, bus, streams, caller, target),
      );
      clients.set(name, client);
    }
    return client;
  };
  const specs = new Map(spec.services.map((s) => [s.name, s]));
  const topology = compileTopology(spec, streams, network, (caller, target) => {
    const policy = specs.get(caller)?.clients?.get(target);
    return policy === undefined ? null : makeClient(caller, target, policy);
  });
  const services = new Map<string, ServiceRuntime>();
  let unstableReported = false;
  const executor = createExecutor({
    engine,
    bus,
    maxCallDepth: spec.limits.maxCallDepth,
    hopSink: options.hopSink ?? null,
    onUnstable(instance) {
      if (unstableReported) return;
      unstableReported = true;
      options.onUnstable(explainInstability(services, instance, engine.now));
    },
  });
  for (const [name, topo] of topology) {
    services.set(
      name,
      createServiceRuntime(topo, {
        engine,
        streams,
        host: executor,
        maxQueueLength: spec.limits.maxQueueLength,
        onState(service, instance, state) {
          bus.emit('instance.state', { at: engine.now, service, instance, state });
          messaging?.refresh();
        },
        onCrash: (instance) => {
          executor.crash(instance);
          for (const client of clients.values()) client.forget(instance);
          messaging?.instanceLost(instance);
        },
        onEjected(service, instance, untilMs, why) {
          bus.emit('instance.ejected', { at: engine.now, service, instance, untilMs, why });
        },
        onReturned(service, instance) {
          bus.emit('instance.returned', { at: engine.now, service, instance });
        },
      }),
    );
  }
  const messaging: Messaging | null =
    brokerSpecs.length === 0
      ? null
      : createMessaging({ engine, bus, streams, network, brokers: brokerSpecs, services, host: executor });
  if (messaging !== null) executor.connectMessaging(messaging);
  for (const svc of services.values()) {
    for (let i = 0; i < svc.topology.spec.replicas; i++) svc.startInstance();
    const autoscale = svc.topology.spec.autoscale;
    if (autoscale !== undefined && autoscale !== null)
      startAutoscaler(svc, autoscale, engine, bus, messaging?.backlog);
  }
  for (const w of spec.workloads) {
    const entries = w.entries.map((e) => findEndpoint(topology, e.service, e.endpoint));
    const edges = entries.map((e) => network.edge('client', e.service.name));
    // One client per workload: its policies apply to every entry it calls.
    const client =
      w.client === undefined || w.client === null
        ? null
        : makeClient(w.name, entries[0]!.service.name, w.client);
    startWorkload(w, { engine, streams, executor, entries, edges, endMs: options.endMs, client });
  }
  if ([...clients.values()].some((c) => c.spec.timeoutMs !== null || c.spec.deadlineMs !== null)) {
    executor.watchOrphans();
  }
  const faults = createFaultInjector({
    engine,
    bus,
    streams,
    services,
    network,
    executor,
    ...(messaging === null ? {} : { afterChange: () => messaging.refresh() }),
  });
  return {
    services,
    executor,
    faults,
    clients,
    messaging,
    queueGauges: () => messaging?.gauges() ?? [],
    gauges: () => {
      // Built with push, not `map`: once V8 optimizes this function, an inlined `map` returns an
      // array of another elements kind than the interpreted one, and every reader of the samples
      // (the time series, the dashboard) was sent back to unoptimized code for the rest of the run.
      const out: ServiceGauges[] = [];
      for (const s of services.values()) out.push(s.gauges(engine.now));
      return out;
    },
    warnings: () => overloadWarnings(services, engine.now),
  };
}

/** Arrival rate against capacity of one service, measured over the run so far. */
interface Load {
  readonly svc: ServiceRuntime;
  readonly arrivalRate: number;
  /** Requests per second the ready workers can serve; NaN before any work was measured. */
  readonly capacity: number;
  readonly meanHoldMs: number;
}

function measureLoad(svc: ServiceRuntime, now: number): Load {
  const { stats, spec } = svc.topology;
  const seconds = now / 1000;
  const meanHoldMs = stats.holds > 0 ? stats.holdMs / stats.holds : Number.NaN;
  const capacity = meanHoldMs > 0 ? (svc.ready.length * spec.workers * 1000) / meanHoldMs : Number.NaN;
  return { svc, arrivalRate: seconds > 0 ? stats.arrivals / seconds : 0, capacity, meanHoldMs };
}

/** "api receives 12.0/s but can serve about 10.0/s (1 ready instance × 1 worker, …)". */
function describeLoad({ svc, arrivalRate, capacity, meanHoldMs }: Load): string {
  const ready = svc.ready.length;
  const workers = svc.topology.spec.workers;
  const canServe = Number.isFinite(capacity) ? `can serve about ${capacity.toFixed(1)}/s` : 'cannot keep up';
  return (
    `${svc.name} receives ${arrivalRate.toFixed(1)}/s but ${canServe} ` +
    `(${ready} ready instance${ready === 1 ? '' : 's'} × ${workers} worker${workers === 1 ? '' : 's'}, ` +
    `each request holding a worker ${Number.isFinite(meanHoldMs) ? meanHoldMs.toFixed(1) : '?'} ms on average)`
  );
}

const ADVICE = 'Add replicas or workers, lower the load, or bound the queue (e.g. queue: 100).';

/** The plain explanation of a queue that passed the instability limit. */
export function explainInstability(
  services: Map<string, ServiceRuntime>,
  instance: Instance,
  now: number,
): string {
  const svc = [...services.values()].find((s) => s.instances.includes(instance))!;
  const waiting = instance.inSystem - instance.busyWorkers;
  return (
    `${describeLoad(measureLoad(svc, now))}; its queue grows without bound ` +
    `(${waiting} waiting at ${instance.id} at t=${formatSimTime(now)}). ${ADVICE}`
  );
}

/**
 * Warnings for services that received more than they could serve during a run that still ended
 * normally (their unbounded queue had not reached the instability limit yet): the results then
 * describe a growing backlog, not a steady state.
 */
export function overloadWarnings(services: ReadonlyMap<string, ServiceRuntime>, now: number): string[] {
  const warnings: string[] = [];
  for (const svc of services.values()) {
    if (Number.isFinite(svc.topology.spec.queueCapacity)) continue;
    const load = measureLoad(svc, now);
    let waiting = 0;
    for (const inst of svc.instances) waiting += inst.inSystem - inst.busyWorkers;
    // Overloaded: more arrive than can be served, and a backlog of many requests per worker.
    const workers = Math.max(1, svc.ready.length * svc.topology.spec.workers);
    if (!(load.arrivalRate > load.capacity) || waiting < 20 * workers) continue;
    warnings.push(
      `${describeLoad(load)}; ${waiting} requests were still waiting at the end and the queue was ` +
        `growing, so these results describe an overload, not a steady state. ${ADVICE}`,
    );
  }
  return warnings;
}

function formatSimTime(ms: number): string {
  if (ms < 1000) return `${ms.toFixed(0)}ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${(ms / 60_000).toFixed(1)}min`;
}
