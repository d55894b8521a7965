/**
 * Streaming latency statistics: exact count, sum (mean) and max, plus a log-linear histogram for
 * the percentiles. Values are recorded in whole microseconds; with 3 significant digits every
 * percentile is within 0.1% of a recorded value (values under 0.5 µs count as 0). Memory is
 * bounded by the range of values, never by their number.
 */
import { LogHistogram } from './histogram.ts';

/** Summary of a latency distribution in ms; every field is null when nothing was recorded. */
export interface LatencySummary {
  readonly mean: number | null;
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
  readonly p999: number | null;
  readonly max: number | null;
}

export const EMPTY_LATENCY: LatencySummary = {
  mean: null,
  p50: null,
  p90: null,
  p99: null,
  p999: null,
  max: null,
};

/** A duration fit for statistics: negative, NaN or infinite values (model bugs) become 0. */
export function cleanMs(ms: number): number {
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

/** Milliseconds to the integer microseconds a histogram records (see `cleanMs`). */
export function toMicros(ms: number): number {
  return Math.round(cleanMs(ms) * 1000);
}

/**
 * The value (ms) at `percentile` (0–100) of a microsecond histogram, or null when it is empty;
 * clamped to the exact `maxMs` so that p99 ≤ max always.
 */
export function percentileMs(histogram: LogHistogram, percentile: number, maxMs: number): number | null {
  if (histogram.totalCount === 0) return null;
  return Math.min(histogram.valueAt(percentile) / 1000, maxMs);
}

/** Exact count, mean and max with histogram percentiles; `record` is O(1) and allocation-free. */
export class LatencyStats {
  count = 0;
  sumMs = 0;
  maxMs = 0;
  /** Zeros counted by `recordZero` and not yet in the histogram. */
  private zeros = 0;
  private readonly histogram: LogHistogram;

  constructor(digits: 2 | 3 = 3) {
    this.histogram = new LogHistogram(digits);
  }

  record(ms: number): void {
    const v = cleanMs(ms);
    this.count++;
    this.sumMs += v;
    if (v > this.maxMs) this.maxMs = v;
    this.histogram.record(Math.round(v * 1000));
  }

  /**
   * `record(0)`, for a statistic where zero is the common case (most hops do not wait): only
   * counted here, and put in the histogram at once before it is read.
   */
  recordZero(): void {
    this.count++;
    this.zeros++;
  }

  /** Exact mean (sum / count), or null when empty. */
  mean(): number | null {
    return this.count === 0 ? null : this.sumMs / this.count;
  }

  percentile(percentile: number): number | null {
    if (this.zeros > 0) {
      this.histogram.recordMany(0, this.zeros);
      this.zeros = 0;
    }
    return percentileMs(this.histogram, percentile, this.maxMs);
  }

  summary(): LatencySummary {
    if (this.count === 0) return EMPTY_LATENCY;
    return {
      mean: this.sumMs / this.count,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p99: this.percentile(99),
      p999: this.percentile(99.9),
      max: this.maxMs,
    };
  }
}
