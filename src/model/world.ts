/**
 * A world: the services, network and workloads of a `WorldSpec`, built on one engine and bus.
 * Creating it schedules the initial instances' start-up and the workloads' first requests;
 * running the engine does the rest.
 */
import type { Bus } from '../engine/bus.ts';
import type { Engine } from '../engine/engine.ts';
import type { RandomStreams } from '../engine/random.ts';
import type { ServiceGauges, Signals } from '../signals.ts';
import { createExecutor, type Executor } from './executor.ts';
import type { Instance } from './instance.ts';
import { createNetwork } from './network.ts';
import { createServiceRuntime, type ServiceRuntime } from './service.ts';
import { compileTopology, findEndpoint } from './topology.ts';
import { startWorkload } from './workload.ts';
import type { WorldSpec } from './world-spec.ts';

export interface World {
  readonly services: ReadonlyMap<string, ServiceRuntime>;
  readonly executor: Executor;
  /** Every service's cumulative gauges, brought up to now. */
  gauges(): ServiceGauges[];
}

export interface WorldOptions {
  readonly engine: Engine;
  readonly bus: Bus<Signals>;
  readonly streams: RandomStreams;
  /** Workloads send no request at or after this time (ms). */
  readonly endMs: number;
  /** Called (once) when a queue grows without bound; the caller should stop the run. */
  readonly onUnstable: (message: string) => void;
}

export function createWorld(spec: WorldSpec, options: WorldOptions): World {
  const { engine, bus, streams } = options;
  const network = createNetwork(spec.network, streams);
  const topology = compileTopology(spec, streams, network);
  const services = new Map<string, ServiceRuntime>();
  let unstableReported = false;
  const executor = createExecutor({
    engine,
    bus,
    maxCallDepth: spec.limits.maxCallDepth,
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
        },
      }),
    );
  }
  for (const svc of services.values()) {
    for (let i = 0; i < svc.topology.spec.replicas; i++) svc.startInstance();
  }
  for (const w of spec.workloads) {
    const entries = w.entries.map((e) => findEndpoint(topology, e.service, e.endpoint));
    const edges = entries.map((e) => network.edge('client', e.service.name));
    startWorkload(w, { engine, streams, executor, entries, edges, endMs: options.endMs });
  }
  return {
    services,
    executor,
    gauges: () => [...services.values()].map((s) => s.gauges(engine.now)),
  };
}

/** "api receives 12.0/s but can serve about 10.0/s …": the plain explanation of an unstable queue. */
export function explainInstability(
  services: Map<string, ServiceRuntime>,
  instance: Instance,
  now: number,
): string {
  const svc = [...services.values()].find((s) => s.instances.includes(instance))!;
  const spec = svc.topology.spec;
  const seconds = now / 1000;
  const { stats } = svc.topology;
  const arrivalRate = seconds > 0 ? stats.arrivals / seconds : 0;
  const meanHoldMs = stats.holds > 0 ? stats.holdMs / stats.holds : Number.NaN;
  const ready = svc.ready.length;
  const capacity =
    Number.isFinite(meanHoldMs) && meanHoldMs > 0 ? (ready * spec.workers * 1000) / meanHoldMs : Number.NaN;
  const waiting = instance.inSystem - instance.busyWorkers;
  const canServe = Number.isFinite(capacity) ? `can serve about ${capacity.toFixed(1)}/s` : 'cannot keep up';
  return (
    `${svc.name} receives ${arrivalRate.toFixed(1)}/s but ${canServe} ` +
    `(${ready} ready instance${ready === 1 ? '' : 's'} × ${spec.workers} worker${spec.workers === 1 ? '' : 's'}, ` +
    `each request holding a worker ${Number.isFinite(meanHoldMs) ? meanHoldMs.toFixed(1) : '?'} ms on average); ` +
    `its queue grows without bound (${waiting} waiting at ${instance.id} at t=${formatSimTime(now)}). ` +
    `Add replicas or workers, lower the load, or bound the queue (e.g. queue: 100).`
  );
}

function formatSimTime(ms: number): string {
  if (ms < 1000) return `${ms.toFixed(0)}ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${(ms / 60_000).toFixed(1)}min`;
}
