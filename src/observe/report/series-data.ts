/**
 * The data rows of the report's time charts, from a results document: long-format rows (one per
 * point and series) in seconds, the fault windows and the breakers' state segments. A long run's
 * series is merged into at most {@link MAX_CHART_POINTS} points so that the SVG stays small.
 */
import type { BreakerStateName } from '../../signals.ts';
import type { ResultsDocument, SeriesPoint } from '../results.ts';

/** A chart never draws more points per series than this. */
export const MAX_CHART_POINTS = 1500;

/** One series' value at a time (seconds). */
export interface SeriesRow {
  readonly t: number;
  readonly series: string;
  readonly value: number;
}

/** The merged points of the series and how many intervals each merges. */
export interface ChartPoints {
  readonly merged: number;
  readonly points: readonly ChartPoint[];
}

/** A point of the series as the charts use it. */
export interface ChartPoint {
  /** End of the interval (s). */
  readonly t: number;
  readonly throughputPerSec: number;
  readonly errorsPerSec: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly ready: Readonly<Record<string, number>>;
}

/**
 * The series, merged `k` intervals at a time when it is longer than {@link MAX_CHART_POINTS}:
 * rates, p50 and ready instances are averaged weighted by interval length, p99 is the highest
 * (a spike must stay visible).
 */
export function chartPoints(results: ResultsDocument): ChartPoints {
  const all = results.timeSeries.points;
  const k = Math.max(1, Math.ceil(all.length / MAX_CHART_POINTS));
  const services = Object.keys(results.services);
  const points: ChartPoint[] = [];
  let previousAt = 0;
  for (let i = 0; i < all.length; i += k) {
    const group = all.slice(i, i + k);
    const startAt = previousAt;
    const lengths = group.map((p, j) => p.at - (j === 0 ? startAt : group[j - 1]!.at));
    previousAt = group[group.length - 1]!.at;
    const mean = (value: (p: SeriesPoint) => number | null | undefined): number | null => {
      let sum = 0;
      let weight = 0;
      group.forEach((p, j) => {
        const v = value(p);
        if (v === null || v === undefined) return;
        sum += v * lengths[j]!;
        weight += lengths[j]!;
      });
      if (weight > 0) return sum / weight;
      // Zero-length intervals (a run that ended at a point's time): a plain mean.
      const values = group.map(value).filter((v): v is number => typeof v === 'number');
      return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
    };
    const p99s = group.map((p) => p.p99Ms).filter((v): v is number => v !== null);
    const ready: Record<string, number> = {};
    for (const s of services) {
      const v = mean((p) => p.services[s]?.readyInstances);
      if (v !== null) ready[s] = v;
    }
    points.push({
      t: previousAt / 1000,
      throughputPerSec: mean((p) => p.throughputPerSec) ?? 0,
      errorsPerSec: mean((p) => p.errorsPerSec) ?? 0,
      p50Ms: mean((p) => p.p50Ms),
      p99Ms: p99s.length === 0 ? null : Math.max(...p99s),
      ready,
    });
  }
  return { merged: k, points };
}

/** Long rows of some series of the chart points; null values are left out. */
export function seriesRows(
  points: readonly ChartPoint[],
  series: readonly { readonly name: string; readonly value: (p: ChartPoint) => number | null | undefined }[],
): SeriesRow[] {
  const rows: SeriesRow[] = [];
  for (const p of points) {
    for (const s of series) {
      const v = s.value(p);
      if (v !== null && v !== undefined) rows.push({ t: p.t, series: s.name, value: v });
    }
  }
  return rows;
}

/** A span of simulated time (s). */
export interface Span {
  readonly t: number;
  readonly to: number;
}

/** Each fault's window in seconds, to the run's end when it never ended, in the order they started. */
function faultSpans(results: ResultsDocument): (Span & { readonly name: string })[] {
  const endMs = results.simulated.durationMs;
  return (results.faults ?? []).map((f) => ({
    name: f.name,
    t: f.startedAt / 1000,
    to: (f.endedAt ?? endMs) / 1000,
  }));
}

/**
 * The time during which some fault was active: the union of the fault windows, so that
 * overlapping faults shade once (stacked shades would hide the series under them).
 */
export function faultShading(results: ResultsDocument): Span[] {
  const spans = faultSpans(results).sort((a, b) => a.t - b.t || a.to - b.to);
  const union: { t: number; to: number }[] = [];
  for (const s of spans) {
    const last = union[union.length - 1];
    if (last !== undefined && s.t <= last.to) last.to = Math.max(last.to, s.to);
    else union.push({ t: s.t, to: s.to });
  }
  return union;
}

/** A fault's name at its start, on one of three rows so that close names do not overprint. */
export interface FaultLabel {
  readonly t: number;
  readonly name: string;
  readonly row: number;
}

/** One label per start time: the fault's name, or `name +N` when N more faults started then. */
export function faultLabels(results: ResultsDocument): FaultLabel[] {
  const groups = new Map<number, string[]>();
  for (const f of faultSpans(results)) groups.set(f.t, [...(groups.get(f.t) ?? []), f.name]);
  return [...groups].map(([t, names], i) => ({
    t,
    name: names.length === 1 ? names[0]! : `${names[0]} +${names.length - 1}`,
    row: i % 3,
  }));
}

/** A stretch of time during which a breaker was in one state. */
export interface BreakerSegment {
  readonly breaker: string;
  readonly state: BreakerStateName;
  readonly from: number;
  readonly to: number;
}

/**
 * Every breaker's states over the whole run: from 0 in the first transition's `from` state, one
 * segment per transition, the last to the run's end. Zero-length segments are left out.
 */
export function breakerSegments(results: ResultsDocument): BreakerSegment[] {
  const endS = results.simulated.durationMs / 1000;
  const segments: BreakerSegment[] = [];
  for (const [name, b] of Object.entries(results.breakers ?? {})) {
    let state: BreakerStateName = b.transitions[0]?.from ?? b.finalState;
    let from = 0;
    const push = (to: number): void => {
      if (to > from) segments.push({ breaker: name, state, from, to });
    };
    for (const tr of b.transitions) {
      push(tr.at / 1000);
      state = tr.to;
      from = tr.at / 1000;
    }
    push(endS);
  }
  return segments;
}
