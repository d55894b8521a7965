/**
 * The metrics collector: listens to the model's signals and builds the results document and a
 * cheap live read model. Completed hops reach it as columns through its `hopSink` once a world
 * reports to it (else as `hop.completed` signals). Per request or hop it does O(1) work (counters,
 * one or two histogram records); service statistics come from differences of the cumulative
 * gauge areas, so they cost nothing per request. Warm-up: only requests and hops that arrived at
 * or after `warmupMs` are counted; the time series covers the whole run. Signals of policies,
 * patterns and faults feed the edges and the resilience sections (`resilience.ts`); message
 * signals and queue gauges feed the messaging section (`messaging.ts`), present only with brokers.
 */
import type { Bus } from '../engine/bus.ts';
import type { HopSink, InstanceState, RunEndReason, ServiceGauges, Signals } from '../signals.ts';
import {
  addFailureCounts,
  countFailure,
  type EndpointAcc,
  edgeResults,
  endpointResults,
  failureCounts,
  newFailureCounts,
  ratio,
  ServiceAcc,
  WorkloadAcc,
  workloadResults,
  workResults,
} from './accumulators.ts';
import { CapacityTracker } from './capacity.ts';
import { DeployTracker } from './deploys.ts';
import { HopColumns, IN_PROCESS, OUTCOME_FAILED, OUTCOME_OK, WASTED } from './hop-columns.ts';
import { cleanMs } from './latency-stats.ts';
import { QUEUE_SIGNALS } from './message-ledger.ts';
import { MessagingTracker } from './messaging.ts';
import { type CountsSnapshot, type OutcomeCounts, ResilienceTracker } from './resilience.ts';
import type {
  EdgeResults,
  EndpointResults,
  ResultsDocument,
  SeriesPoint,
  ServiceResults,
} from './results.ts';
import { seriesIntervalMs, TimeSeries } from './series.ts';

export interface MetricsCollectorOptions {
  readonly warmupMs: number;
  /** Planned run length (ms). */
  readonly durationMs: number;
  /** Requested time-series interval; the effective one is `seriesIntervalMs(durationMs, intervalMs)`. */
  readonly intervalMs: number;
  readonly services: readonly {
    readonly name: string;
    readonly endpoints: readonly string[];
    /** Cost of one instance for an hour (0 when not given). */
    readonly costPerHour?: number;
  }[];
  readonly workloads: readonly string[];
  /** Broker queues (topic group queues as `topic/group`), in the scenario's order; none if absent. */
  readonly queues?: readonly { readonly broker: string; readonly queue: string }[];
}

/** What the runtime knows about the run that signals do not carry. */
export interface RunInfo {
  readonly scenario: {
    readonly name: string;
    readonly seed: number;
    readonly description?: { readonly en: string; readonly es: string };
  };
  readonly events: number;
  readonly endReason: RunEndReason;
  readonly message?: string;
  readonly wallTimeMs?: number;
  /** Things the reader must know to interpret the results (e.g. an overloaded service). */
  readonly warnings?: readonly string[];
}

/** Live counts of one workload since t = 0 (warm-up included): arrived = ok + fallback + failed + inFlight. */
export interface WorkloadCounts {
  readonly arrived: number;
  readonly ok: number;
  readonly fallback: number;
  readonly failed: number;
  readonly inFlight: number;
}

/** The live read model for a dashboard; cheap enough to take every frame. */
export interface MetricsSnapshot {
  readonly workloads: Readonly<Record<string, WorkloadCounts>>;
  /** Time-series points so far (the live array: read, never mutate). */
  readonly points: readonly SeriesPoint[];
  /** The latest gauges sample (instantaneous and cumulative values per service). */
  readonly gauges: readonly ServiceGauges[];
  /** Latest lifecycle state of every instance seen, by instance id. */
  readonly instances: ReadonlyMap<string, InstanceState>;
}

export interface MetricsCollector {
  /** The effective time-series interval (ms). */
  readonly intervalMs: number;
  /**
   * Give it to the world (`WorldOptions.hopSink`): the world then reports every completed hop to
   * it without building a `hop.completed` payload, and the collector stops listening to that signal.
   */
  readonly hopSink: HopSink;
  /** Builds the results document; call after `run.ended` (closes the time series). */
  results(run: RunInfo): ResultsDocument;
  snapshot(): MetricsSnapshot;
  /** Unsubscribes from the bus. */
  dispose(): void;
}

interface Sample {
  readonly at: number;
  readonly services: readonly ServiceGauges[];
}

/** Samples this close to the warm-up end count as taken at it (float noise). */
const EPS_MS = 1e-6;

/** Subscribes to `bus` at once; see `docs/en/results-format.md` for what each statistic means. */
export function createMetricsCollector(
  bus: Bus<Signals>,
  options: MetricsCollectorOptions,
): MetricsCollector {
  const { warmupMs } = options;
  const intervalMs = seriesIntervalMs(options.durationMs, options.intervalMs);
  const series = new TimeSeries(intervalMs);
  const workloads = new Map<string, WorkloadAcc>();
  const services = new Map<string, ServiceAcc>();
  const instances = new Map<string, InstanceState>();
  for (const name of options.workloads) workloads.set(name, new WorkloadAcc());
  for (const s of options.services) services.set(s.name, new ServiceAcc(s.endpoints));

  // Unknown names are added on first sight (once), so no signal is ever dropped.
  // One-entry caches: consecutive signals nearly always name the same workload/endpoint, and
  // comparing the same (interned) string is cheaper than a Map lookup on the hot path.
  let lastWorkloadName = '';
  let lastWorkload: WorkloadAcc | undefined;
  const workloadCached = (name: string): WorkloadAcc => {
    if (name === lastWorkloadName && lastWorkload !== undefined) return lastWorkload;
    lastWorkloadName = name;
    lastWorkload = workload(name);
    return lastWorkload;
  };
  const workload = (name: string): WorkloadAcc => {
    let w = workloads.get(name);
    if (w === undefined) {
      w = new WorkloadAcc();
      workloads.set(name, w);
    }
    return w;
  };
  const service = (name: string): ServiceAcc => {
    let s = services.get(name);
    if (s === undefined) {
      s = new ServiceAcc();
      services.set(name, s);
    }
    return s;
  };

  const outcomes = (x: { okAll: number; fallbackAll: number; failedAll: number }): OutcomeCounts => ({
    ok: x.okAll,
    fallback: x.fallbackAll,
    failed: x.failedAll,
  });
  const countsNow = (at: number): CountsSnapshot => {
    hops.drain();
    return {
      at,
      workloads: new Map([...workloads].map(([name, w]) => [name, outcomes(w)])),
      services: new Map([...services].map(([name, s]) => [name, outcomes(s)])),
    };
  };
  /**
   * Hops arrive as columns (`hop-columns.ts`): from the world that reports to `hops` directly, or,
   * until one does, from `hop.completed` signals, each handed over at once. Held hops are handed
   * over before any other signal is handled (`on` below; not before the per-request signals,
   * which touch only workload counts and the time series), before resilience takes its counts
   * and before results are read, so every statistic sees them in the order they completed.
   */
  const hopTargets: { readonly s: ServiceAcc; readonly e: EndpointAcc }[] = [];
  const hopChannel = bus.channel('hop.completed');
  let disposed = false;
  const countHops = (c: HopColumns): void => {
    if (disposed) return;
    const n = c.size;
    const targets = hopTargets;
    let i = 0;
    while (i < n) {
      try {
        for (; i < n; i++) {
          const id = c.endpointId[i]!;
          let t = targets[id];
          if (t === undefined) {
            // Resolved in the order declared, which is the order of each endpoint's first hop.
            for (let k = targets.length; k <= id; k++) {
              const name = c.endpoints[k]!;
              const s = service(name.service);
              targets.push({ s, e: s.endpoint(name.endpoint) });
            }
            t = targets[id]!;
          }
          const s = t.s;
          const outcome = c.outcome[i]!;
          if (outcome === OUTCOME_OK) s.okAll++;
          else if (outcome === OUTCOME_FAILED) s.failedAll++;
          else s.fallbackAll++;
          if (c.arrivedAt[i]! < warmupMs) continue;
          const e = t.e;
          const edge = s.edgeFrom(c.caller[i]!);
          e.requests++;
          edge.hops++;
          if (outcome !== OUTCOME_FAILED) {
            if (outcome === OUTCOME_OK) {
              e.ok++;
              edge.hopOk++;
            } else {
              e.fallback++;
              edge.hopFallback++;
            }
            e.latency.record(c.latencyMs[i]!);
          } else {
            const reason = c.reason[i];
            e.failed++;
            countFailure(e.failures, reason);
            edge.hopFailed++;
            countFailure(edge.hopFailures, reason);
          }
          const flags = c.flags[i]!;
          const workMs = cleanMs(c.workMs[i]!);
          s.workMs += workMs;
          if ((flags & WASTED) !== 0) s.wastedMs += workMs;
          const waitMs = c.waitMs[i]!;
          if (waitMs > 0) {
            e.waited++;
            e.wait.record(waitMs);
          } else e.wait.recordZero();
          const residenceMs = cleanMs(c.residenceMs[i]!);
          e.residenceSumMs += residenceMs;
          // Service residence per arriving request includes the time of the in-process calls it
          // makes there (they occupy the same workers or CPU), so that L = λW holds per service.
          s.residenceSumMs += residenceMs;
          if ((flags & IN_PROCESS) === 0) s.hops++;
        }
      } catch (error) {
        // As a throwing hop.completed listener would be: reported, and the other hops counted.
        hopChannel.failed(error);
        i++;
      }
    }
  };
  let offHopSignals: (() => void) | undefined;
  const hops = new HopColumns(countHops, () => {
    offHopSignals?.();
    offHopSignals = undefined;
  });
  /** Endpoint numbers of `hops` for names heard in `hop.completed` signals. */
  const hopEndpoints = new Map<string, Map<string, number>>();
  const hopEndpoint = (serviceName: string, endpointName: string): number => {
    let byName = hopEndpoints.get(serviceName);
    if (byName === undefined) {
      byName = new Map();
      hopEndpoints.set(serviceName, byName);
    }
    let id = byName.get(endpointName);
    if (id === undefined) {
      id = hops.endpoint(serviceName, endpointName);
      byName.set(endpointName, id);
    }
    return id;
  };
  /** Subscribes `listener` behind the hand-over of held hops (see `hops`). */
  const on = <K extends keyof Signals & string>(
    signal: K,
    listener: (payload: Signals[K]) => void,
  ): (() => void) =>
    bus.on(signal, (payload) => {
      hops.drain();
      listener(payload);
    });

  const resilience = new ResilienceTracker(warmupMs, countsNow);
  const capacity = new CapacityTracker(options.services, warmupMs);
  const messaging = new MessagingTracker(warmupMs, intervalMs, options.queues);
  const deploys = new DeployTracker(() => {
    let failed = 0;
    for (const w of workloads.values()) failed += w.failedAll;
    return failed;
  });

  /** The window's first sample: zero areas at t = 0 without warm-up, else the first at warmupMs. */
  let baseline: Sample | undefined = warmupMs <= 0 ? { at: 0, services: [] } : undefined;
  let latest: Sample | undefined;
  let endedAt: number | undefined;

  offHopSignals = bus.on('hop.completed', (h) => {
    // Only until a world reports its hops to `hops` directly (then this listener is removed).
    hops.hop(
      hopEndpoint(h.service, h.endpoint),
      h.caller,
      h.arrivedAt,
      h.latencyMs,
      h.waitMs,
      h.residenceMs,
      h.workMs,
      h.outcome,
      h.reason,
      h.inProcess,
      h.wasted,
    );
    hops.drain();
  });
  const unsubscribe = [
    bus.on('request.arrived', (r) => {
      const w = workloadCached(r.workload);
      w.arrivedAll++;
      if (r.at >= warmupMs) w.requests++;
    }),
    bus.on('request.completed', (r) => {
      const w = workloadCached(r.workload);
      const outcome = r.outcome;
      series.completed(outcome, r.latencyMs);
      if (outcome === 'ok') w.okAll++;
      else if (outcome === 'failed') w.failedAll++;
      else w.fallbackAll++;
      if (r.arrivedAt < warmupMs) return;
      if (outcome !== 'failed') {
        if (outcome === 'ok') w.ok++;
        else w.fallback++;
        w.latency.record(r.latencyMs);
      } else {
        w.failed++;
        countFailure(w.failures, r.reason);
        const c = r.cause;
        if (c !== undefined) {
          const key = `${c.reason}\0${c.service}\0${c.endpoint}`;
          w.causes.set(key, (w.causes.get(key) ?? 0) + 1);
        }
        const ms = cleanMs(r.latencyMs);
        w.failedSumMs += ms;
        if (ms > w.failedMaxMs) w.failedMaxMs = ms;
      }
    }),
    on('gauges.sampled', (g) => {
      series.sampled(g.at, g.services);
      messaging.sampled(g.at, g.queues, series.points);
      latest = g;
      if (baseline === undefined && g.at >= warmupMs - EPS_MS) baseline = g;
    }),
    on('run.warmup_ended', (w) => {
      series.boundaryNext();
      resilience.warmupEnded(w.at);
      capacity.warmupEnded(w.at);
    }),
    // Signals of calls with policies, patterns and faults: rare next to hops, so plain code.
    on('call.completed', (c) => {
      const edge = service(c.service).edgeFrom(c.caller);
      edge.policy = true;
      if (c.at - c.latencyMs < warmupMs) return;
      edge.calls++;
      edge.attempts += c.attempts;
      if (c.outcome === 'ok') edge.callOk++;
      else if (c.outcome === 'fallback') edge.callFallback++;
      else {
        edge.callFailed++;
        countFailure(edge.callFailures, c.reason);
      }
    }),
    on('call.rejected', (c) => {
      if (c.at >= warmupMs) countFailure(service(c.service).edgeFrom(c.caller).rejections, c.reason);
    }),
    on('call.retried', (c) => {
      if (c.at >= warmupMs) service(c.service).edgeFrom(c.caller).retries++;
    }),
    on('retry.denied', (c) => {
      if (c.at >= warmupMs) service(c.service).edgeFrom(c.caller).retriesDenied++;
    }),
    on('breaker.transition', (t) => resilience.breakerTransition(t)),
    on('instance.ejected', (e) => resilience.instanceEjected(e)),
    on('instance.returned', (r) => resilience.instanceReturned(r)),
    on('fault.started', (f) => resilience.faultStarted(f)),
    on('fault.ended', (f) => resilience.faultEnded(f)),
    on('scale.decided', (d) => capacity.scaleDecided(d.at, d.service, d.from, d.to, d.why)),
    on('deploy.started', (d) => deploys.started(d)),
    on('deploy.progressed', (d) => deploys.progressed(d)),
    on('deploy.ended', (d) => deploys.ended(d)),
    on('instance.state', (i) => {
      instances.set(i.instance, i.state);
      capacity.instanceState(i.at, i.service, i.instance, i.state);
    }),
    on('run.ended', (e) => {
      endedAt = e.at;
      series.finish(e.at);
      messaging.finish(e.at, series.points);
    }),
    // Messaging: its own tracker (`messaging.ts`); the section appears only when there is a broker.
    ...QUEUE_SIGNALS.map((name) => on(name, (p) => messaging.signal(name, p))),
    on('message.publish_failed', (p) => messaging.publishFailed(p)),
  ];

  const serviceResults = (measuredMs: number): Record<string, ServiceResults> => {
    const end = latest;
    const base = baseline;
    const dtMs = end !== undefined && base !== undefined ? end.at - base.at : 0;
    const baseByName = new Map((base?.services ?? []).map((g) => [g.service, g]));
    for (const g of end?.services ?? []) service(g.service);
    const out: Record<string, ServiceResults> = {};
    for (const [name, s] of services) {
      const g = dtMs > 0 ? end?.services.find((x) => x.service === name) : undefined;
      const b = baseByName.get(name);
      const delta = (pick: (x: ServiceGauges) => number): number =>
        g === undefined ? 0 : pick(g) - (b === undefined ? 0 : pick(b));
      const capacity = delta((x) => x.capacityArea);
      const endpoints: Record<string, EndpointResults> = {};
      let requests = 0;
      let ok = 0;
      let fallback = 0;
      let failed = 0;
      const failures = newFailureCounts();
      for (const [endpoint, e] of s.endpoints) {
        endpoints[endpoint] = endpointResults(e);
        requests += e.requests;
        ok += e.ok;
        fallback += e.fallback;
        failed += e.failed;
        addFailureCounts(failures, e.failures);
      }
      const done = ok + fallback + failed;
      out[name] = {
        utilization: capacity > 0 ? delta((x) => x.busyArea) / capacity : null,
        meanQueueLength: dtMs > 0 ? delta((x) => x.queueArea) / dtMs : 0,
        meanInSystem: dtMs > 0 ? delta((x) => x.inSystemArea) / dtMs : 0,
        meanReadyInstances: dtMs > 0 ? delta((x) => x.readyArea) / dtMs : 0,
        arrivalsPerSec: s.hops * perSecond(measuredMs),
        residenceMs: { mean: s.hops > 0 ? s.residenceSumMs / s.hops : null },
        requests,
        ok,
        fallback,
        failed,
        failures: failureCounts(failures),
        availability: ratio(ok + fallback, done),
        successRate: ratio(ok, done),
        work: workResults(s.workMs, s.wastedMs),
        endpoints,
      };
    }
    return out;
  };

  return {
    intervalMs,
    hopSink: hops,
    results(run) {
      hops.drain();
      const durationMs = endedAt ?? latest?.at ?? options.durationMs;
      series.finish(durationMs);
      messaging.finish(durationMs, series.points);
      const measuredMs = Math.max(0, durationMs - warmupMs);
      const perSec = perSecond(measuredMs);
      const workloadDoc: ResultsDocument['workloads'] = Object.fromEntries(
        [...workloads].map(([name, w]) => [name, workloadResults(w, perSec)]),
      );
      const capacities = capacity.results(durationMs);
      const servicesDoc = serviceResults(measuredMs);
      let totalCost = 0;
      for (const [name, doc] of Object.entries(servicesDoc)) {
        const c = capacities.get(name);
        if (c === undefined) continue;
        totalCost += c.cost;
        servicesDoc[name] = { ...doc, capacity: c };
      }
      let answered = 0;
      for (const w of Object.values(workloadDoc)) answered += w.ok + (w.fallback ?? 0);
      let workMs = 0;
      let wastedMs = 0;
      const edges: Record<string, EdgeResults> = {};
      for (const [name, s] of services) {
        workMs += s.workMs;
        wastedMs += s.wastedMs;
        for (const [caller, edge] of s.callers) edges[`${caller}→${name}`] = edgeResults(caller, name, edge);
      }
      const points = series.points.slice();
      const messagingDoc = messaging.results(durationMs);
      return {
        schemaVersion: 1,
        scenario: {
          name: run.scenario.name,
          seed: run.scenario.seed,
          ...(run.scenario.description === undefined ? {} : { description: { ...run.scenario.description } }),
        },
        simulated: {
          durationMs,
          plannedDurationMs: options.durationMs,
          warmupMs,
          measuredMs,
          events: run.events,
        },
        run: {
          endReason: run.endReason,
          ...(run.message !== undefined ? { message: run.message } : {}),
          ...(run.wallTimeMs !== undefined ? { wallTimeMs: run.wallTimeMs } : {}),
          warnings: [...(run.warnings ?? []), ...resilience.warnings()],
        },
        workloads: workloadDoc,
        services: servicesDoc,
        work: workResults(workMs, wastedMs),
        deploys: deploys.results(),
        cost: { total: totalCost, perThousandAnswers: answered > 0 ? (totalCost / answered) * 1000 : null },
        edges,
        breakers: resilience.breakers(durationMs),
        ejections: resilience.ejections(),
        faults: resilience.faults(durationMs, points),
        ...(messagingDoc === undefined ? {} : { messaging: messagingDoc }),
        timeSeries: { intervalMs, points },
      };
    },
    snapshot() {
      const counts: Record<string, WorkloadCounts> = {};
      for (const [name, w] of workloads) {
        const inFlight = w.arrivedAll - w.okAll - w.fallbackAll - w.failedAll;
        counts[name] = {
          arrived: w.arrivedAll,
          ok: w.okAll,
          fallback: w.fallbackAll,
          failed: w.failedAll,
          inFlight,
        };
      }
      return { workloads: counts, points: series.points, gauges: latest?.services ?? [], instances };
    },
    dispose() {
      for (const off of unsubscribe) off();
      offHopSignals?.();
      // A world may still report to the sink: from now on its hops are not counted.
      disposed = true;
    },
  };
}

/** Factor turning a count over `measuredMs` into a rate per second; 0 when the window is empty or
 * so short (subnormal) that the rate would not be finite. */
function perSecond(measuredMs: number): number {
  const f = 1000 / measuredMs;
  return measuredMs > 0 && Number.isFinite(f) ? f : 0;
}
