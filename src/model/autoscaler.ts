/**
 * Autoscalers at run time: one xstate actor per autoscaled service, waking every sync period on
 * the simulation clock. Each reads its metric per ready instance, averaged over the period just
 * ended (from differences of the ready instances' cumulative areas, as a metrics pipeline
 * scraping counters would), asks its policy (Kubernetes HPA or the teaching threshold policy) for a
 * decision, emits `scale.decided` with the evidence, and scales the service: new instances go
 * through start-up (a cold start), removed ones drain.
 */
import { createActor } from 'xstate';
import type { Bus } from '../engine/bus.ts';
import type { Engine } from '../engine/engine.ts';
import { Hpa } from '../patterns/hpa.ts';
import { ThresholdScaler } from '../patterns/threshold-scaler.ts';
import type { Signals } from '../signals.ts';
import { autoscalerMachine } from './autoscaler.machine.ts';
import type { Instance } from './instance.ts';
import type { ServiceRuntime } from './service.ts';
import type { AutoscaleMetric, AutoscaleSpec } from './world-spec.ts';

/** How each metric reads in a decision's `why`. */
const LABELS: Record<AutoscaleMetric, { readonly name: string; readonly label: (v: number) => string }> = {
  utilization: { name: 'utilization', label: (v) => `${(v * 100).toFixed(0)}%` },
  inflight: { name: 'in-flight requests per instance', label: (v) => v.toFixed(1) },
  queue: { name: 'queued requests per instance', label: (v) => v.toFixed(1) },
  backlog: { name: 'queue backlog per instance', label: (v) => v.toFixed(1) },
};

interface Areas {
  readonly busy: number;
  readonly capacity: number;
  readonly inSystem: number;
  readonly queue: number;
  readonly ready: number;
}

/** Starts the autoscaler of `svc`; it runs until the engine stops. */
export function startAutoscaler(
  svc: ServiceRuntime,
  spec: AutoscaleSpec,
  engine: Engine,
  bus: Bus<Signals>,
  /** A broker queue's messages not yet processed (for the `backlog` metric). */
  backlog?: (broker: string, queue: string) => number,
): void {
  const { name, label } = LABELS[spec.metric];
  const options = { metricName: name, metricLabel: label };
  const policy =
    spec.policy.kind === 'hpa'
      ? new Hpa(svc.name, spec.policy.spec, options)
      : new ThresholdScaler(svc.name, spec.policy.spec, options);
  const periodMs = spec.policy.kind === 'hpa' ? spec.policy.spec.syncPeriodMs : spec.policy.spec.periodMs;
  /**
   * Each instance's cumulative areas at the last decision. Only instances ready now count, so a
   * draining instance's work does not inflate the metric of those that serve (Kubernetes leaves
   * terminating pods out).
   */
  const last = new Map<Instance, Areas>();
  const areasOf = (inst: Instance): Areas => ({
    busy: inst.busyArea,
    capacity: inst.capacityArea,
    inSystem: inst.inSystemArea,
    queue: inst.queueArea,
    ready: inst.readyArea,
  });
  const zero: Areas = { busy: 0, capacity: 0, inSystem: 0, queue: 0, ready: 0 };
  /** The metric per ready instance over the period just ended; null without ready capacity. */
  const read = (): number | null => {
    let busy = 0;
    let capacity = 0;
    let inSystem = 0;
    let queue = 0;
    let ready = 0;
    for (const inst of svc.instances) {
      inst.touch(engine.now);
      const now = areasOf(inst);
      const before = last.get(inst) ?? zero;
      last.set(inst, now);
      if (inst.state !== 'ready') continue;
      busy += now.busy - before.busy;
      capacity += now.capacity - before.capacity;
      inSystem += now.inSystem - before.inSystem;
      queue += now.queue - before.queue;
      ready += now.ready - before.ready;
    }
    switch (spec.metric) {
      case 'backlog':
        return readBacklog();
      case 'utilization':
        return capacity > 0 ? busy / capacity : null;
      case 'inflight':
        return ready > 0 ? inSystem / ready : null;
      case 'queue':
        return ready > 0 ? queue / ready : null;
    }
  };
  /**
   * KEDA's queue scalers feed the HPA an external metric with an AverageValue target: the
   * backlog now, divided over the current replicas, and Kubernetes then wants
   * ceil(backlog / target) replicas with no readiness adjustment (`GetExternalPerPodMetricReplicas`).
   */
  const readBacklog = (): number | null => {
    const queue = spec.queue;
    if (queue === undefined || backlog === undefined) {
      throw new Error(`autoscaler of ${svc.name}: the backlog metric needs a queue and brokers`);
    }
    const current = svc.replicas();
    return current === 0 ? null : backlog(queue.broker, queue.queue) / current;
  };
  const tick = (): void => {
    const value = read();
    const current = svc.replicas();
    const decision = policy.decide({
      now: engine.now,
      currentReplicas: current,
      value,
      readyPods: spec.metric === 'backlog' ? current : svc.ready.length,
    });
    bus.emit('scale.decided', {
      at: engine.now,
      service: svc.name,
      from: current,
      to: decision.desired,
      metric: spec.metric,
      value,
      why: decision.why,
    });
    if (decision.desired !== current) svc.scaleTo(decision.desired);
  };
  createActor(autoscalerMachine, { clock: engine.clock, input: { periodMs, tick } }).start();
}
