/**
 * The live dashboard's observer: follows the signals of a run and keeps, per service and per
 * workload, one-second buckets of the last minute (answers, failures, a coarse latency histogram,
 * ready instances), the breakers' states, the active faults and a log of notable events. A
 * `DashboardSnapshot` is assembled from it on demand (once per frame), together with what the
 * runtime reads from the world at that moment (`LiveWorldView`).
 *
 * Live percentiles come from log-spaced bins, 8 per octave, read at their geometric middle: within
 * about ±4.4% of the exact value, which is plenty for a live view (the results document has the
 * exact figures).
 */
import type { Bus } from '../engine/bus.ts';
import type { BreakerStateName, Signals } from '../signals.ts';
import {
  CHART_SECONDS,
  type ChartSeries,
  type ChartView,
  DASHBOARD_WINDOW_MS,
  type DashboardSnapshot,
  type EdgeView,
  type EventKind,
  type EventLine,
  type FaultView,
  type QueueView,
  type ServiceView,
} from './dashboard-model.ts';

/** What the runtime reads from the world for one frame. */
export interface LiveWorldView {
  readonly services: readonly Omit<ServiceView, 'throughput' | 'errorRate' | 'p50Ms' | 'p99Ms' | 'depth'>[];
  readonly queues: readonly QueueView[];
}

/** The static shape of the world: who calls whom, and how deep each service sits. */
export interface LiveTopology {
  readonly depths: ReadonlyMap<string, number>;
  readonly edges: readonly Omit<EdgeView, 'breaker'>[];
  readonly workloads: readonly string[];
}

const BINS_PER_OCTAVE = 8;
/** From 1 µs to 2^36 µs (19 hours). */
const OCTAVES = 36;
const BINS = BINS_PER_OCTAVE * OCTAVES + 1;
const MAX_EVENTS = 200;

function binOf(ms: number): number {
  const us = ms * 1000;
  if (!(us > 1)) return 0;
  return Math.min(BINS - 1, 1 + Math.floor(Math.log2(us) * BINS_PER_OCTAVE));
}

/** The middle of a bin (geometrically: within ±4.4% of any value in it), in ms; bin 0 is below 1 µs. */
function binValueMs(bin: number): number {
  return bin === 0 ? 0.001 : 2 ** ((bin - 0.5) / BINS_PER_OCTAVE) / 1000;
}

class Bucket {
  second = -1;
  count = 0;
  failed = 0;
  replicas = 0;
  readonly bins = new Uint32Array(BINS);

  reset(second: number, replicas: number): void {
    this.second = second;
    this.count = 0;
    this.failed = 0;
    this.replicas = replicas;
    this.bins.fill(0);
  }
}

/** One minute of one-second buckets for one service or workload. */
class Track {
  private readonly ring = Array.from({ length: CHART_SECONDS }, () => new Bucket());
  /** Ready instances now (services only). */
  ready = 0;

  private bucket(second: number): Bucket {
    const b = this.ring[second % CHART_SECONDS]!;
    if (b.second !== second) b.reset(second, this.ready);
    return b;
  }

  record(at: number, latencyMs: number, failed: boolean): void {
    const b = this.bucket(Math.floor(at / 1000));
    b.count++;
    if (failed) b.failed++;
    else b.bins[binOf(latencyMs)]!++;
  }

  setReady(at: number, ready: number): void {
    this.ready = ready;
    const b = this.bucket(Math.floor(at / 1000));
    b.replicas = Math.max(b.replicas, ready);
  }

  /** The bucket of `second` if it holds that second's data, else null. */
  at(second: number): Bucket | null {
    const b = this.ring[second % CHART_SECONDS]!;
    return b.second === second ? b : null;
  }

  /**
   * Answers per second, failed share and latency percentiles over the window ending at `nowMs`:
   * the whole seconds before it and the part of the current one (a span of just under
   * `DASHBOARD_WINDOW_MS`, and less at the start of the run).
   */
  window(nowMs: number): {
    throughput: number;
    errorRate: number | null;
    p50: number | null;
    p99: number | null;
  } {
    const last = Math.floor(nowMs / 1000);
    const first = Math.max(0, last - DASHBOARD_WINDOW_MS / 1000 + 1);
    const bins = new Uint32Array(BINS);
    let count = 0;
    let failed = 0;
    for (let s = first; s <= last; s++) {
      const b = this.at(s);
      if (b === null) continue;
      count += b.count;
      failed += b.failed;
      for (let i = 0; i < BINS; i++) bins[i]! += b.bins[i]!;
    }
    const spanS = nowMs / 1000 - first;
    return {
      throughput: spanS > 0 ? count / spanS : 0,
      errorRate: count === 0 ? null : failed / count,
      p50: quantile(bins, 0.5),
      p99: quantile(bins, 0.99),
    };
  }
}

function quantile(bins: Uint32Array, q: number): number | null {
  let total = 0;
  for (let i = 0; i < BINS; i++) total += bins[i]!;
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < BINS; i++) {
    seen += bins[i]!;
    if (seen >= rank) return binValueMs(i);
  }
  return binValueMs(BINS - 1);
}

const BREAKER_SEVERITY: Record<BreakerStateName, number> = {
  closed: 0,
  disabled: 0,
  metrics_only: 0,
  half_open: 1,
  open: 2,
  forced_open: 2,
};

export interface DashboardObserver {
  /** Adds a line to the event log (commands from keys, narration). */
  note(at: number, kind: EventKind, text: string): void;
  /** The snapshot's parts that come from signals, for a frame at `nowMs`. */
  snapshot(
    nowMs: number,
    world: LiveWorldView,
    rest: Pick<DashboardSnapshot, 'scenario' | 'lang' | 'clock' | 'pacing' | 'caption' | 'status'> & {
      readonly selected: string | null;
      /** A workload may have a service's name: which of the two is selected. */
      readonly selectedKind?: 'service' | 'workload';
    },
  ): DashboardSnapshot;
  /** Names a chart can be drawn for: the services in topology order, then the workloads. */
  subjects(): string[];
}

export function createDashboardObserver(bus: Bus<Signals>, topology: LiveTopology): DashboardObserver {
  const services = new Map<string, Track>();
  const workloads = new Map<string, Track>();
  for (const name of topology.depths.keys()) services.set(name, new Track());
  for (const name of topology.workloads) workloads.set(name, new Track());
  const track = (map: Map<string, Track>, name: string): Track => {
    let t = map.get(name);
    if (t === undefined) {
      t = new Track();
      map.set(name, t);
    }
    return t;
  };
  const breakers = new Map<string, { caller: string; service: string; state: BreakerStateName }>();
  const faults = new Map<string, FaultView>();
  const faultWindows: { name: string; fromMs: number; toMs: number | null }[] = [];
  const events: EventLine[] = [];
  const readyBy = new Map<string, Set<string>>();
  /** When each instance was last killed out of memory (a leak fault). */
  const oomKilled = new Map<string, number>();

  const note = (at: number, kind: EventKind, text: string): void => {
    events.push({ at, kind, text });
    if (events.length > MAX_EVENTS) events.splice(0, events.length - MAX_EVENTS);
  };

  bus.on('hop.completed', (h) => {
    if (h.inProcess) return;
    track(services, h.service).record(h.at, h.latencyMs, h.outcome === 'failed');
  });
  bus.on('request.completed', (r) => {
    track(workloads, r.workload).record(r.at, r.latencyMs, r.outcome === 'failed');
  });
  bus.on('instance.state', (s) => {
    let ready = readyBy.get(s.service);
    if (ready === undefined) {
      ready = new Set();
      readyBy.set(s.service, ready);
    }
    if (s.state === 'ready') ready.add(s.instance);
    else ready.delete(s.instance);
    track(services, s.service).setReady(s.at, ready.size);
    // An out-of-memory kill was already noted, with its reason, at this very instant.
    if (s.state === 'crashed' && oomKilled.get(s.instance) !== s.at)
      note(s.at, 'instance', `${s.instance} crashed`);
  });
  bus.on('instance.oom_killed', (o) => {
    oomKilled.set(o.instance, o.at);
    note(o.at, 'instance', o.why);
  });
  bus.on('breaker.transition', (b) => {
    breakers.set(b.breaker, { caller: b.caller, service: b.service, state: b.to });
    note(b.at, 'breaker', b.why);
  });
  bus.on('instance.ejected', (e) => note(e.at, 'instance', e.why));
  bus.on('fault.started', (f) => {
    faults.set(f.fault, { name: f.fault, kind: f.kind, target: f.target, startedAt: f.at });
    // An instantaneous action (restart, scale) has no window.
    if (f.kind !== 'restart' && f.kind !== 'scale')
      faultWindows.push({ name: f.fault, fromMs: f.at, toMs: null });
    note(f.at, 'fault', `${f.fault}: ${f.kind} ${f.target}`);
    if (f.kind === 'restart' || f.kind === 'scale') faults.delete(f.fault);
  });
  bus.on('fault.ended', (f) => {
    faults.delete(f.fault);
    for (let i = faultWindows.length - 1; i >= 0; i--) {
      const w = faultWindows[i]!;
      if (w.name === f.fault && w.toMs === null) {
        w.toMs = f.at;
        break;
      }
    }
    note(f.at, 'fault', `${f.fault} ended`);
  });
  bus.on('scale.decided', (d) => {
    if (d.to !== d.from) note(d.at, 'scale', d.why);
  });
  bus.on('deploy.started', (d) =>
    note(d.at, 'deploy', `${d.service}: ${d.strategy} rollout ${d.from} → ${d.to}`),
  );
  bus.on('deploy.progressed', (d) => note(d.at, 'deploy', d.why));
  bus.on('deploy.ended', (d) => note(d.at, 'deploy', d.why));
  bus.on('message.dead_lettered', (m) =>
    note(m.at, 'message', `${m.broker}.${m.queue} #${m.id} dead-lettered: ${m.why}`),
  );

  function edgeBreaker(from: string, to: string): BreakerStateName | null {
    let worst: BreakerStateName | null = null;
    for (const b of breakers.values()) {
      if (b.caller !== from || b.service !== to) continue;
      if (worst === null || BREAKER_SEVERITY[b.state] > BREAKER_SEVERITY[worst]) worst = b.state;
    }
    return worst;
  }

  function chart(
    subject: string,
    kind: 'service' | 'workload',
    nowMs: number,
    world: LiveWorldView,
  ): ChartView | null {
    const isService = kind === 'service';
    const t = isService ? services.get(subject) : workloads.get(subject);
    if (t === undefined) return null;
    const last = Math.floor(nowMs / 1000);
    const first = Math.max(0, last - CHART_SECONDS + 1);
    const throughput: (number | null)[] = [];
    const errors: (number | null)[] = [];
    const p99: (number | null)[] = [];
    const replicas: (number | null)[] = [];
    const liveReplicas = world.services.find((s) => s.name === subject)?.replicas ?? null;
    for (let s = first; s <= last; s++) {
      const b = t.at(s);
      throughput.push(b === null ? 0 : b.count);
      errors.push(b === null || b.count === 0 ? null : b.failed / b.count);
      p99.push(b === null ? null : quantile(b.bins, 0.99));
      replicas.push(isService ? (b === null ? (s === last ? liveReplicas : null) : b.replicas) : null);
    }
    const series: ChartSeries[] = [
      { key: 'throughput', points: throughput },
      { key: 'errors', points: errors },
      { key: 'p99', points: p99 },
      ...(isService ? [{ key: 'replicas' as const, points: replicas }] : []),
    ];
    const fromMs = first * 1000;
    const windows = faultWindows
      .filter((w) => (w.toMs ?? Number.POSITIVE_INFINITY) >= fromMs && w.fromMs <= nowMs)
      .map((w) => ({
        name: w.name,
        from: Math.max(0, Math.floor(w.fromMs / 1000) - first),
        to: Math.min(last, Math.floor((w.toMs ?? nowMs) / 1000)) - first,
      }));
    return { subject, kind: isService ? 'service' : 'workload', fromMs, series, faultWindows: windows };
  }

  return {
    note,
    subjects: () => [
      ...[...topology.depths].sort((a, b) => a[1] - b[1]).map(([name]) => name),
      ...workloads.keys(),
    ],
    snapshot(nowMs, world, rest) {
      const serviceViews: ServiceView[] = world.services.map((s) => {
        const w = track(services, s.name).window(nowMs);
        return {
          ...s,
          depth: topology.depths.get(s.name) ?? 1,
          throughput: w.throughput,
          errorRate: w.errorRate,
          p50Ms: w.p50,
          p99Ms: w.p99,
        };
      });
      // By depth; within a depth, in the order of the scenario file (a stable sort).
      serviceViews.sort((a, b) => a.depth - b.depth);
      return {
        ...rest,
        services: serviceViews,
        edges: topology.edges.map((e) => ({
          ...e,
          breaker: e.kind === 'call' ? edgeBreaker(e.from, e.to) : null,
        })),
        queues: world.queues,
        workloads: [...workloads].map(([name, t]) => {
          const w = t.window(nowMs);
          return {
            name,
            throughput: w.throughput,
            availability: w.errorRate === null ? null : 1 - w.errorRate,
            p99Ms: w.p99,
          };
        }),
        chart:
          rest.selected === null
            ? null
            : chart(
                rest.selected,
                rest.selectedKind ?? (services.has(rest.selected) ? 'service' : 'workload'),
                nowMs,
                world,
              ),
        events: events.slice(-50),
        faults: [...faults.values()],
      };
    },
  };
}
