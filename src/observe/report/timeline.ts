/**
 * The "over time" figure: one Vega-Lite spec of stacked panels sharing the time axis (seconds of
 * simulated time, the whole run): throughput and errors, latency p50/p99, ready instances per
 * service, and, when some breaker changed state, a strip of breaker states as coloured bands.
 * Every panel shades the warm-up (grey) and the fault windows (red, named in the top panel).
 */
import type { BreakerStateName } from '../../signals.ts';
import type { ResultsDocument } from '../results.ts';
import type { ReportLabels } from './labels.ts';
import { CHART_CONFIG, type TopLevelSpec } from './render.ts';
import { breakerSegments, type ChartPoints, faultLabels, faultShading, seriesRows } from './series-data.ts';

/** Width of the plotting area of every panel (px). */
const TIMELINE_WIDTH = 760;
const PANEL_HEIGHT = 150;
const BREAKER_ROW = 18;
const STRIP_HEIGHT = 40;
const REPLICA_COLOUR = '#00897b';

/** The colour of each breaker state in the strip. */
const STATE_COLOURS: Readonly<Record<BreakerStateName, string>> = {
  closed: '#4caf50',
  open: '#d62728',
  half_open: '#ffb300',
  forced_open: '#7b1fa2',
  disabled: '#9e9e9e',
  metrics_only: '#90caf9',
};
const STATE_ORDER = Object.keys(STATE_COLOURS) as BreakerStateName[];
const FAULT_COLOUR = '#e53935';
const WARMUP_COLOUR = '#9e9e9e';

// A panel's spec: loosely typed, as the specs are plain data checked by vega-lite's compiler.
type Spec = Record<string, unknown>;

/** The figure's Vega-Lite spec. */
export function timelineSpec(results: ResultsDocument, chart: ChartPoints, L: ReportLabels): TopLevelSpec {
  const endS = results.simulated.durationMs / 1000;
  const x = (title: string | null): Spec => ({
    field: 't',
    type: 'quantitative',
    title,
    scale: { domain: [0, endS], nice: false, zero: true },
  });
  // The x of a strip between panels: grid lines, no labels (the panels above and below have them).
  const bare = (): Spec => ({
    ...x(null),
    axis: { labels: false, ticks: false, domain: false, title: null },
  });
  const overlays = (withLabels: boolean): Spec[] => {
    const layers: Spec[] = [];
    const warmupS = results.simulated.warmupMs / 1000;
    const warmup = warmupS > 0 ? [{ t: 0, to: warmupS, name: L.warmup }] : [];
    layers.push(
      rect('warmup', warmup, WARMUP_COLOUR, 0.14),
      rect('fault', faultShading(results), FAULT_COLOUR, 0.13),
    );
    // The warm-up's name on the first line, the faults' on the next three.
    if (withLabels) layers.push(label(warmup, '#616161', 0), label(faultLabels(results), '#b71c1c', 1));
    return layers;
  };

  const { points } = chart;
  const throughput = seriesRows(points, [
    { name: L.throughput, value: (p) => p.throughputPerSec },
    { name: L.errors, value: (p) => p.errorsPerSec },
  ]);
  const latency = seriesRows(points, [
    { name: L.p50, value: (p) => positive(p.p50Ms) },
    { name: L.p99, value: (p) => positive(p.p99Ms) },
  ]);
  const segments = breakerSegments(results);
  const services = Object.keys(results.services);

  // Only the bottom panel titles the time axis.
  const bottomIsLatency = services.length === 0 && segments.length === 0;
  const panel = (data: readonly object[], y: Spec, colour: Spec, bottom = false): Spec => ({
    data: { values: data },
    mark: { type: 'line', strokeWidth: 1.6, clip: true },
    encoding: { x: x(bottom ? L.time : null), y, color: colour },
  });
  const panels: Spec[] = [
    {
      description: 'throughput and errors over time',
      layer: [
        ...overlays(true),
        panel(
          throughput,
          // Headroom above the highest point for the windows' names.
          {
            field: 'value',
            type: 'quantitative',
            title: L.perSecond,
            scale: { domain: [0, Math.max(1, ...throughput.map((r) => r.value)) * 1.3] },
          },
          series(L.series, [L.throughput, L.errors], ['#1f77b4', '#ff7f0e']),
        ),
      ],
    },
    {
      description: 'latency percentiles over time',
      layer: [
        ...overlays(false),
        panel(
          latency,
          { field: 'value', type: 'quantitative', title: L.latency, scale: { type: 'log' } },
          series(L.percentile, [L.p50, L.p99], ['#2e7d32', '#6a1b9a']),
          bottomIsLatency,
        ),
      ],
    },
  ];
  // Ready instances: one strip per service (lines of equal counts would hide each other).
  services.forEach((name, i) => {
    const rows = seriesRows(points, [{ name, value: (p) => p.ready[name] }]);
    const top = Math.max(1, ...rows.map((r) => r.value));
    const stripX = i === services.length - 1 && segments.length === 0 ? x(L.time) : bare();
    panels.push({
      description: `ready instances of ${name} over time`,
      height: STRIP_HEIGHT,
      ...(i === 0
        ? { title: { text: L.replicas, anchor: 'start', fontSize: 12, fontWeight: 'normal', offset: 4 } }
        : {}),
      layer: [
        ...overlays(false),
        {
          data: { values: rows },
          mark: {
            type: 'area',
            interpolate: 'step-before',
            color: REPLICA_COLOUR,
            opacity: 0.25,
            clip: true,
          },
          encoding: {
            x: stripX,
            y: {
              field: 'value',
              type: 'quantitative',
              title: null,
              scale: { domain: [0, top * 1.6] },
              axis: { tickCount: 2, grid: false },
            },
          },
        },
        {
          data: { values: rows },
          mark: {
            type: 'line',
            interpolate: 'step-before',
            color: REPLICA_COLOUR,
            strokeWidth: 1.4,
            clip: true,
          },
          encoding: { x: stripX, y: { field: 'value', type: 'quantitative' } },
        },
        {
          data: { values: [{ name }] },
          mark: {
            type: 'text',
            align: 'left',
            baseline: 'top',
            fontSize: 11,
            fontWeight: 'bold',
            color: '#333',
          },
          encoding: { x: { value: 4 }, y: { value: 2 }, text: { field: 'name' } },
        },
      ],
    });
  });
  if (segments.length > 0) {
    const states = STATE_ORDER.filter((s) => segments.some((g) => g.state === s));
    const names = [...new Set(segments.map((g) => g.breaker))];
    panels.push({
      description: 'circuit breaker states over time',
      height: BREAKER_ROW * names.length,
      layer: [
        ...overlays(false),
        {
          data: { values: segments.map((g) => ({ ...g, t: g.from, state: L.states[g.state] })) },
          mark: { type: 'rect', clip: true },
          encoding: {
            x: x(L.time),
            x2: { field: 'to' },
            y: { field: 'breaker', type: 'nominal', title: null, sort: names, scale: { paddingInner: 0.25 } },
            color: series(
              L.breakerState,
              states.map((s) => L.states[s]),
              states.map((s) => STATE_COLOURS[s]),
              'state',
            ),
          },
        },
      ],
    });
  }
  return {
    config: CHART_CONFIG,
    description: 'time series of the run',
    vconcat: panels.map((p) => ({ width: TIMELINE_WIDTH, height: PANEL_HEIGHT, ...p })),
    spacing: 14,
    resolve: { scale: { color: 'independent', y: 'independent' }, legend: { color: 'independent' } },
  } as TopLevelSpec;
}

/** Latency on a log axis: only positive values can be drawn. */
function positive(v: number | null): number | null {
  return v !== null && v > 0 ? v : null;
}

/** A colour encoding with a fixed domain and palette. */
function series(title: string, domain: readonly string[], range: readonly string[], field = 'series'): Spec {
  return { field, type: 'nominal', title, scale: { domain, range }, legend: { orient: 'right' } };
}

/** Full-height shaded windows `[t, to)`. */
function rect(kind: string, data: readonly object[], colour: string, opacity: number): Spec {
  return {
    description: `${kind} windows`,
    data: { values: data },
    mark: { type: 'rect', color: colour, opacity, clip: true },
    encoding: { x: { field: 't', type: 'quantitative' }, x2: { field: 'to' } },
  };
}

/** The windows' names at the top of a panel, on line `firstRow` plus their `row` (if any). */
function label(data: readonly object[], colour: string, firstRow: number): Spec {
  return {
    data: { values: data },
    mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, fontSize: 11, color: colour, clip: true },
    encoding: {
      x: { field: 't', type: 'quantitative' },
      y: { field: 'y', type: 'quantitative', scale: null },
      text: { field: 'name' },
    },
    transform: [{ calculate: `2 + 13 * (${firstRow} + (isValid(datum.row) ? datum.row : 0))`, as: 'y' }],
  };
}
