// @jsxRuntime automatic
// @jsxImportSource react
/**
 * The selected service's or workload's last seconds as sparklines (throughput, errors, p99,
 * replicas; one cell per simulated second), each with its current value and maximum, a time
 * axis, and the fault windows drawn as `━` under the seconds they covered, with their names.
 */
import type { ChartSeries, ChartView, DashboardSnapshot } from '../observe/dashboard-model.ts';
import { cellWidth, padEnd, padStart } from './cells.ts';
import { clockText, countText, msText, pctText } from './format.ts';
import { sparkCell } from './glyphs.ts';
import { type Labels, labels } from './i18n.ts';
import { type Line, Lines, type Seg, seg, type Tone } from './Lines.tsx';

type SeriesKey = ChartSeries['key'];

interface SeriesStyle {
  readonly title: (l: Labels) => string;
  readonly tone: Tone;
  readonly value: (v: number | null) => string;
  /** The value the top of the sparkline stands for, at least the series' maximum. */
  readonly top: (max: number) => number;
}

/**
 * In order of priority: when rows are short, the first ones show. Errors are a share 0…1 and
 * their scale tops at 10% at least, so a few stray errors do not fill the chart.
 */
const SERIES: Readonly<Record<SeriesKey, SeriesStyle>> = {
  throughput: { title: (l) => l.throughput, tone: 'green', value: (v) => `${countText(v)}/s`, top: (m) => m },
  errors: { title: (l) => l.errors, tone: 'red', value: pctText, top: (m) => Math.max(m, 0.1) },
  p99: { title: (l) => l.p99, tone: 'yellow', value: msText, top: (m) => m },
  replicas: { title: (l) => l.replicas, tone: 'blue', value: countText, top: (m) => m },
};
const ORDER: readonly SeriesKey[] = ['throughput', 'errors', 'p99', 'replicas'];

const LABEL_WIDTH = 12;
const VALUE_WIDTH = 30;

export interface ChartsProps {
  readonly snapshot: DashboardSnapshot;
  readonly width: number;
  /** Rows available; the charts take at most this many. */
  readonly height: number;
}

function seriesMax(points: readonly (number | null)[]): number | null {
  let max: number | null = null;
  for (const p of points) if (p !== null && Number.isFinite(p) && (max === null || p > max)) max = p;
  return max;
}

function sparkRow(series: ChartSeries, l: Labels, offset: number, cells: number): Line {
  const style = SERIES[series.key];
  const shown = series.points.slice(offset, offset + cells);
  const max = seriesMax(series.points);
  const top = max === null ? 0 : style.top(max);
  const spark = shown.map((p) => sparkCell(p, top)).join('');
  const now = series.points.length > 0 ? (series.points[series.points.length - 1] ?? null) : null;
  return [
    seg(padEnd(style.title(l), LABEL_WIDTH), { bold: true }),
    seg(padEnd(spark, cells), { color: style.tone }),
    seg(`  ${l.now} `, { dim: true }),
    seg(padStart(style.value(now), 7), { bold: true }),
    seg(`  ${l.max} `, { dim: true }),
    seg(style.value(max)),
  ];
}

/** Time labels (`mm:ss`) under every tenth second of the shown points (never past now), where they fit. */
function axisRow(chart: ChartView, offset: number, cells: number): Line {
  const chars = Array.from({ length: cells }, () => ' ');
  const firstSecond = Math.round(chart.fromMs / 1000) + offset;
  const points = Math.min(cells, (chart.series[0]?.points.length ?? 0) - offset);
  for (let i = 0; i < points; i++) {
    if ((firstSecond + i) % 10 !== 0) continue;
    const label = `╵${clockText((firstSecond + i) * 1000).slice(0, 5)}`;
    if (i + label.length > cells) break;
    for (let k = 0; k < label.length; k++) chars[i + k] = label[k]!;
  }
  return [seg(' '.repeat(LABEL_WIDTH)), seg(chars.join(''), { dim: true })];
}

/** A fault window as `━` under its seconds, its name after the span (or before, when no room). */
function faultRow(name: string, from: number, to: number, offset: number, cells: number): Line | null {
  const a = Math.max(0, from - offset);
  const b = Math.min(cells - 1, to - offset);
  if (b < a) return null;
  const bar = '━'.repeat(b - a + 1);
  const after = cells - b - 1;
  const label = ` ${name}`;
  if (cellWidth(label) <= after || a < cellWidth(label)) {
    return [
      seg(' '.repeat(LABEL_WIDTH + a)),
      seg(bar, { color: 'red', bold: true }),
      seg(label, { color: 'red' }),
    ];
  }
  return [
    seg(' '.repeat(LABEL_WIDTH + a - cellWidth(label))),
    seg(`${name} `, { color: 'red' }),
    seg(bar, { color: 'red', bold: true }),
  ];
}

/** The charts' lines: at most `height`, each at most `width` cells once fitted. */
export function chartsLines(snapshot: DashboardSnapshot, width: number, height: number): Line[] {
  if (height <= 0) return [];
  const l = labels(snapshot.lang);
  const chart = snapshot.chart;
  if (chart === null)
    return [[seg(`${l.charts}  `, { bold: true }), seg(l.noChart, { dim: true })]].slice(0, height);

  const cells = Math.max(1, width - LABEL_WIDTH - VALUE_WIDTH);
  const length = Math.max(0, ...chart.series.map((s) => s.points.length));
  const offset = Math.max(0, length - cells);
  const series = ORDER.flatMap((k) => chart.series.filter((s) => s.key === k));
  const faults = chart.faultWindows
    .map((f) => faultRow(f.name, f.from, f.to, offset, cells))
    .filter((r): r is Line => r !== null);

  // Rows by priority: title, two series, fault windows, the axis, then the other series.
  let room = height - 1;
  let nSeries = Math.min(2, series.length, room);
  room -= nSeries;
  const nFaults = Math.min(faults.length, room);
  room -= nFaults;
  const axis = room > 0 && length > 0;
  room -= axis ? 1 : 0;
  nSeries += Math.min(series.length - nSeries, Math.max(0, room));

  const title: Seg[] = [
    seg(`${l.charts}  `, { bold: true }),
    seg(chart.subject, { bold: true, color: 'cyan' }),
    seg(` (${chart.kind === 'service' ? l.service : l.workload})`, { dim: true }),
  ];
  if (length > 0) {
    const from = chart.fromMs + offset * 1000;
    const to = chart.fromMs + (length - 1) * 1000;
    title.push(seg(`  ${clockText(from)} – ${clockText(to)}`, { dim: true }));
  }
  return [
    title,
    ...series.slice(0, nSeries).map((s) => sparkRow(s, l, offset, cells)),
    ...(axis ? [axisRow(chart, offset, cells)] : []),
    ...faults.slice(0, nFaults),
  ].slice(0, height);
}

/** Sparklines of the selected subject, sized to `width` × at most `height`. */
export function Charts({ snapshot, width, height }: ChartsProps) {
  const lines = chartsLines(snapshot, width, height);
  return <Lines lines={lines} width={width} height={lines.length} />;
}
