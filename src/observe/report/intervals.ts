/**
 * Replications: measures estimated over independent runs (`microsim run --runs`), each a mean
 * and its interval, drawn as error bars (one small panel per measure, since units differ) with
 * the value theory predicts as a diamond, plus a table.
 */
import { numText } from './format.ts';
import { htmlTable } from './html.ts';
import type { ReportLabels } from './labels.ts';
import { CHART_CONFIG, type TopLevelSpec } from './render.ts';

/** One measure over `n` runs: its mean, its interval [low, high] and, when known, the theory. */
export interface ReportInterval {
  readonly label: string;
  readonly unit?: string;
  readonly mean: number;
  readonly low: number;
  readonly high: number;
  readonly n: number;
  readonly theory?: number;
}

const MEAN_COLOUR = '#1565c0';
const THEORY_COLOUR = '#d84315';

/** The error-bar chart of the intervals. */
export function intervalsSpec(intervals: readonly ReportInterval[], L: ReportLabels): TopLevelSpec {
  // Every mark is coloured by its kind (mean or theory), so the panels share one legend.
  const color = {
    field: 'kind',
    type: 'nominal',
    title: null,
    scale: { domain: [L.mean, L.theory], range: [MEAN_COLOUR, THEORY_COLOUR] },
    legend: { orient: 'top' },
  };
  const panels = intervals.map((iv) => {
    const values = [iv.low, iv.high, iv.mean, ...(iv.theory === undefined ? [] : [iv.theory])];
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const pad = (hi - lo) * 0.15 || Math.abs(hi) * 0.05 || 1;
    const x = {
      field: 'v',
      type: 'quantitative',
      title: iv.unit ?? null,
      scale: { domain: [lo - pad, hi + pad], nice: false, zero: false },
    };
    const y = { field: 'label', type: 'nominal', title: null, axis: { labelLimit: 220 } };
    const row = { label: iv.label, kind: L.mean };
    return {
      description: `interval of ${iv.label}`,
      width: 520,
      height: 26,
      layer: [
        {
          data: { values: [{ ...row, v: iv.low, v2: iv.high }] },
          mark: { type: 'rule', strokeWidth: 2 },
          encoding: { x, x2: { field: 'v2' }, y, color },
        },
        {
          data: {
            values: [
              { ...row, v: iv.low },
              { ...row, v: iv.high },
            ],
          },
          mark: { type: 'tick', thickness: 2, size: 14 },
          encoding: { x, y, color },
        },
        {
          data: { values: [{ ...row, v: iv.mean }] },
          mark: { type: 'point', filled: true, size: 70, opacity: 1 },
          encoding: { x, y, color },
        },
        {
          data: {
            values: iv.theory === undefined ? [] : [{ label: iv.label, kind: L.theory, v: iv.theory }],
          },
          mark: { type: 'point', shape: 'diamond', filled: true, size: 90, opacity: 1 },
          encoding: { x, y, color },
        },
      ],
    };
  });
  return {
    config: CHART_CONFIG,
    description: 'replications: means and intervals',
    vconcat: panels,
    spacing: 10,
    // One legend for all panels; each measure keeps its own axis (units differ).
    resolve: { scale: { x: 'independent', color: 'shared' }, axis: { x: 'independent' } },
  } as TopLevelSpec;
}

/** The intervals' table; theory columns only when some measure has a theory. */
export function intervalsTable(intervals: readonly ReportInterval[], L: ReportLabels): string {
  const theory = intervals.some((iv) => iv.theory !== undefined);
  const head = [L.measure, L.mean, L.low, L.high, L.runs, ...(theory ? [L.theory, L.theoryInside] : [])];
  const rows = intervals.map((iv) => {
    const unit = iv.unit === undefined ? '' : ` ${iv.unit}`;
    const cells = [
      iv.label,
      `${numText(iv.mean, 4)}${unit}`,
      numText(iv.low, 4),
      numText(iv.high, 4),
      String(iv.n),
    ];
    if (theory) {
      if (iv.theory === undefined) cells.push('', '');
      else
        cells.push(
          `${numText(iv.theory, 4)}${unit}`,
          iv.low <= iv.theory && iv.theory <= iv.high ? L.yes : L.no,
        );
    }
    return cells;
  });
  return htmlTable(head, rows, { numeric: [1, 2, 3, 4, 5] });
}
