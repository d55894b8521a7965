/**
 * The fixed-interval time series. A `gauges.sampled` closes a point when at least one interval
 * has passed since the previous point, or when it is the warm-up-end sample (so no point mixes
 * warm-up and measured time); the run end closes a final partial one. This works whether the
 * runtime samples at k × intervalMs or at warmupMs + k × intervalMs.
 * Completions (every workload, by outcome) go to the interval that is open when they are emitted, so a completion at exactly
 * a boundary belongs to whichever side of the sample the event order put it; nothing is lost.
 * Service columns come from differences of cumulative areas between consecutive points.
 */
import type { Outcome, ServiceGauges } from '../signals.ts';
import { LogHistogram } from './histogram.ts';
import { cleanMs, percentileMs } from './latency-stats.ts';
import type { SeriesPoint, ServicePoint } from './results.ts';

/** Sample times within this many ms count as equal (float noise). */
const EPS_MS = 1e-6;

/**
 * The effective time-series interval: at least `requestedMs`, and large enough that a run of
 * `durationMs` has at most `maxPoints` full intervals, rounded up to a whole ms (the warm-up end
 * and the run end may add a short point each). Memory therefore never grows with the run's
 * length. The runtime schedules its samples with it; the collector agrees.
 */
export function seriesIntervalMs(durationMs: number, requestedMs: number, maxPoints = 10_000): number {
  if (!(requestedMs > 0) || !Number.isFinite(requestedMs)) {
    throw new RangeError(`time-series interval must be a positive number of ms, got ${requestedMs}`);
  }
  if (!(durationMs >= 0) || !Number.isFinite(durationMs)) {
    throw new RangeError(`run duration must be a finite number of ms >= 0, got ${durationMs}`);
  }
  if (!Number.isInteger(maxPoints) || maxPoints < 1) {
    throw new RangeError(`maxPoints must be a positive integer, got ${maxPoints}`);
  }
  return Math.ceil(Math.max(requestedMs, durationMs / maxPoints));
}

const NO_SERVICES: readonly ServiceGauges[] = [];

/** Builds the points of one run; `completed` is the O(1) hot path. */
export class TimeSeries {
  readonly points: SeriesPoint[] = [];
  private ok = 0;
  private fallback = 0;
  private failed = 0;
  private maxMs = 0;
  private current = new LogHistogram(2);
  /** The histogram of the last point, kept so that same-time stragglers can be merged into it. */
  private previous = new LogHistogram(2);
  private previousMaxMs = 0;
  private previousOk = 0;
  private previousFallback = 0;
  private previousFailed = 0;
  private previousDtMs = 0;
  private lastAt = 0;
  private readonly lastGauges = new Map<string, ServiceGauges>();
  private forceNext = false;
  private latest: { at: number; services: readonly ServiceGauges[] } | undefined;
  private finished = false;

  constructor(readonly intervalMs: number) {}

  /** A request completed now; answers (ok and fallback) count in the latency percentiles. */
  completed(outcome: Outcome, latencyMs: number): void {
    if (outcome === 'failed') {
      this.failed++;
      return;
    }
    if (outcome === 'ok') this.ok++;
    else this.fallback++;
    const ms = cleanMs(latencyMs);
    this.current.record(Math.round(ms * 1000));
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** The next sample closes a point even if less than an interval has passed (warm-up end). */
  boundaryNext(): void {
    this.forceNext = true;
  }

  /** A gauges sample arrived; closes a point when an interval has passed (or one was asked for). */
  sampled(at: number, services: readonly ServiceGauges[]): void {
    if (this.finished) return;
    const force = this.forceNext;
    this.forceNext = false;
    if (at > this.lastAt + EPS_MS) {
      if (force || at >= this.lastAt + this.intervalMs - EPS_MS) this.close(at, services);
    } else if (this.pending() > 0) {
      this.mergeIntoLast();
    }
    this.latest = { at, services };
  }

  /** The run ended at `at`: closes the final partial interval. Idempotent. */
  finish(at: number): void {
    if (this.finished) return;
    const latest = this.latest;
    if (latest !== undefined && latest.at > this.lastAt + EPS_MS) {
      // Completions after a stale sample still need a point at the real end.
      const services = latest.at >= at - EPS_MS ? latest.services : NO_SERVICES;
      this.close(Math.max(latest.at, at), services);
    } else if (this.pending() > 0) {
      if (at > this.lastAt + EPS_MS) this.close(at, NO_SERVICES);
      else this.mergeIntoLast();
    }
    this.finished = true;
  }

  /** Completions in the open interval. */
  private pending(): number {
    return this.ok + this.fallback + this.failed;
  }

  private close(at: number, services: readonly ServiceGauges[]): void {
    const dtMs = at - this.lastAt;
    const counts = { ok: this.ok, fallback: this.fallback, failed: this.failed };
    this.points.push(this.point(at, dtMs, counts, this.current, this.maxMs, services));
    const swap = this.previous;
    this.previous = this.current;
    this.current = swap;
    this.current.reset();
    this.previousMaxMs = this.maxMs;
    this.previousOk = this.ok;
    this.previousFallback = this.fallback;
    this.previousFailed = this.failed;
    this.previousDtMs = dtMs;
    this.ok = 0;
    this.fallback = 0;
    this.failed = 0;
    this.maxMs = 0;
    this.lastAt = at;
    if (services.length > 0) {
      this.lastGauges.clear();
      for (const s of services) this.lastGauges.set(s.service, s);
    }
  }

  /** Completions emitted at the same instant as the last point, after it: fold them into it. */
  private mergeIntoLast(): void {
    const last = this.points.at(-1);
    if (last === undefined) return;
    this.previous.add(this.current);
    this.current.reset();
    this.previousMaxMs = Math.max(this.previousMaxMs, this.maxMs);
    this.previousOk += this.ok;
    this.previousFallback += this.fallback;
    this.previousFailed += this.failed;
    const counts = { ok: this.previousOk, fallback: this.previousFallback, failed: this.previousFailed };
    this.points[this.points.length - 1] = {
      ...this.point(last.at, this.previousDtMs, counts, this.previous, this.previousMaxMs, NO_SERVICES),
      services: last.services,
    };
    this.ok = 0;
    this.fallback = 0;
    this.failed = 0;
    this.maxMs = 0;
  }

  private point(
    at: number,
    dtMs: number,
    { ok, fallback, failed }: { ok: number; fallback: number; failed: number },
    histogram: LogHistogram,
    maxMs: number,
    services: readonly ServiceGauges[],
  ): SeriesPoint {
    const perSec = 1000 / dtMs;
    const columns: Record<string, ServicePoint> = {};
    for (const s of services) {
      const prev = this.lastGauges.get(s.service);
      const capacity = s.capacityArea - (prev?.capacityArea ?? 0);
      const ready = s.readyArea - (prev?.readyArea ?? 0);
      const utilization = capacity > 0 ? (s.busyArea - (prev?.busyArea ?? 0)) / capacity : null;
      const readyInstances = ready / dtMs;
      if (s.instances === undefined) {
        columns[s.service] = { utilization, readyInstances };
        continue;
      }
      // Instances keep their order from sample to sample: look at the same position first.
      const before = prev?.instances ?? [];
      const instances: Record<string, number> = {};
      for (let k = 0; k < s.instances.length; k++) {
        const i = s.instances[k]!;
        const b = before[k]?.id === i.id ? before[k] : before.find((x) => x.id === i.id);
        const cap = i.capacityArea - (b?.capacityArea ?? 0);
        if (cap > 0) instances[i.id] = (i.busyArea - (b?.busyArea ?? 0)) / cap;
      }
      columns[s.service] = { utilization, readyInstances, instances };
    }
    const answered = ok + fallback;
    const done = answered + failed;
    return {
      at,
      throughputPerSec: done * perSec,
      goodputPerSec: answered * perSec,
      errorsPerSec: failed * perSec,
      ok,
      fallback,
      failed,
      availability: done > 0 ? answered / done : null,
      p50Ms: percentileMs(histogram, 50, maxMs),
      p99Ms: percentileMs(histogram, 99, maxMs),
      services: columns,
    };
  }
}
