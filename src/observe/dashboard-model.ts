/**
 * The read model of the live dashboard: plain data, rebuilt at most once per frame from what the
 * dashboard's observer has gathered. React components receive a `DashboardSnapshot` and nothing
 * else: they never see individual simulation events.
 */
import type { BreakerStateName, InstanceState } from '../signals.ts';

export type Lang = 'en' | 'es';

/** How the run is paced: a speed (simulated seconds per wall second) or as fast as possible. */
export type Speed = number | 'max';

/**
 * `running`, `paused` (by the user), `narration` (a narration with `pause: true` waits for a
 * key), `ended` (the run is over: the final screen).
 */
export type PaceState = 'running' | 'paused' | 'narration' | 'ended';

export interface DashboardSnapshot {
  readonly scenario: { readonly name: string; readonly seed: number };
  readonly lang: Lang;
  readonly clock: {
    readonly nowMs: number;
    readonly durationMs: number;
    readonly warmupMs: number;
  };
  readonly pacing: { readonly speed: Speed; readonly state: PaceState };
  /** Services and brokers, ordered by call depth (entry services first), then by name. */
  readonly services: readonly ServiceView[];
  /** Who talks to whom: calls, publishes (service → broker) and deliveries (broker → consumer). */
  readonly edges: readonly EdgeView[];
  readonly queues: readonly QueueView[];
  readonly workloads: readonly WorkloadView[];
  /** The service or workload whose charts are shown (and that keys act on), or null. */
  readonly selected: string | null;
  readonly chart: ChartView | null;
  /** Notable events, oldest first (the last few dozen). */
  readonly events: readonly EventLine[];
  /** The current narration, if any. */
  readonly caption: CaptionView | null;
  /** Faults active now (from the timeline or from keys). */
  readonly faults: readonly FaultView[];
  /** A short status message (what the last key did, or why it could not), or null. */
  readonly status: string | null;
}

/** An instance as a glyph: its lifecycle state, or `hung` for a ready instance under a hang fault. */
export type InstanceGlyph = InstanceState | 'hung';

export interface ServiceView {
  readonly name: string;
  readonly kind: 'service' | 'broker';
  /** Longest chain of calls from a workload to it (entry services: 1; brokers: after their publishers). */
  readonly depth: number;
  readonly instances: readonly { readonly id: string; readonly state: InstanceGlyph }[];
  /** Instances starting or ready. */
  readonly replicas: number;
  /**
   * The version its instances run, or during a rollout the mix (`v1×9 v2×1`); null when the
   * service has a single version.
   */
  readonly version: string | null;
  /** Over the last `windowMs` of simulated time: answers per second, failed share, latencies. */
  readonly throughput: number;
  readonly errorRate: number | null;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  /** Busy workers / workers over the last `DASHBOARD_WINDOW_MS`; null before any capacity. */
  readonly utilization: number | null;
  /** Requests waiting for a worker now. */
  readonly queued: number;
}

export interface EdgeView {
  readonly from: string;
  readonly to: string;
  readonly kind: 'call' | 'publish' | 'deliver';
  /**
   * The breaker state on this edge: `closed`, `open`, `half_open`…; with per-instance breakers,
   * the worst of them (open over half-open over closed). Null without a breaker.
   */
  readonly breaker: BreakerStateName | null;
}

export interface QueueView {
  readonly broker: string;
  /** The queue, or a topic's group queue `topic/group`. */
  readonly queue: string;
  readonly waiting: number;
  readonly inFlight: number;
  readonly oldestAgeMs: number;
  readonly deadLettered: number;
}

export interface WorkloadView {
  readonly name: string;
  /** Over the last `windowMs`: requests answered per second, answered share, p99. */
  readonly throughput: number;
  readonly availability: number | null;
  readonly p99Ms: number | null;
}

/** One value per simulated second, oldest first; null where there was nothing to measure. */
export interface ChartSeries {
  readonly key: 'throughput' | 'errors' | 'p99' | 'replicas';
  readonly points: readonly (number | null)[];
}

export interface ChartView {
  /** What is charted: a service or a workload. */
  readonly subject: string;
  readonly kind: 'service' | 'workload';
  /** Simulated time of the first point (each point is one second). */
  readonly fromMs: number;
  readonly series: readonly ChartSeries[];
  /** Faults active during the charted seconds, as point indices (inclusive). */
  readonly faultWindows: readonly { readonly name: string; readonly from: number; readonly to: number }[];
}

export type EventKind =
  | 'fault'
  | 'breaker'
  | 'scale'
  | 'deploy'
  | 'instance'
  | 'message'
  | 'command'
  | 'narration';

export interface EventLine {
  readonly at: number;
  readonly kind: EventKind;
  /** One line, with its reason when the signal has one ("checkout→payments breaker opened: 27 of…"). */
  readonly text: string;
}

export interface CaptionView {
  readonly at: number;
  readonly text: string;
  /** The narration waits for a key before the run goes on. */
  readonly waitingForKey: boolean;
}

export interface FaultView {
  readonly name: string;
  readonly kind: string;
  readonly target: string;
  readonly startedAt: number;
}

/** The window over which the dashboard's rates and latencies are measured (simulated ms). */
export const DASHBOARD_WINDOW_MS = 5_000;
/** Seconds of history the charts keep. */
export const CHART_SECONDS = 60;
