/**
 * `microsim sweep … --report FILE.html`: one self-contained page with a Vega-Lite chart of each
 * metric against the first parameter (one line per value of the second), with 95% intervals as
 * error bars when each point ran more than once, and the sweep's table.
 */
import { formatEstimate, unitOf } from './format-intervals.ts';
import { writeAtomically } from './output-file.ts';
import type { SweepDocument } from './sweep.ts';

/** The value plotted on the x axis: the leading number of a value (`80/s` → 80), else null. */
export function leadingNumber(value: string | number): number {
  if (typeof value === 'number') return value;
  const m = /^-?\d+(\.\d+)?/.exec(value);
  return m === null ? Number.NaN : Number(m[0]);
}

/** ` (/s)` for values like `80/s`, `` for plain numbers. */
function unitSuffix(value: string | number): string {
  const unit = typeof value === 'string' ? value.replace(/^-?\d+(\.\d+)?/, '') : '';
  return unit === '' || unit === value ? '' : ` (${unit})`;
}

/** The HTML page of a sweep. */
export async function sweepReportHtml(doc: SweepDocument): Promise<string> {
  const { renderSvg, htmlPage, htmlTable, figure, paragraph, CHART_CONFIG } = await import(
    '../observe/report/index.ts'
  );
  const [first, second] = doc.parameters;
  const numeric = first!.values.every((v) => Number.isFinite(leadingNumber(v)));
  const figures: string[] = [];
  for (const [i, metric] of doc.metrics.entries()) {
    const unit = unitOf(metric);
    const scale = unit === 'share' ? 100 : 1;
    const rows = doc.points.flatMap((p) => {
      const stat = p.metrics[metric];
      if (stat === null || stat === undefined) return [];
      return [
        {
          x: numeric ? leadingNumber(p.values[0]!) : String(p.values[0]),
          label: String(p.values[0]),
          series: second === undefined ? '' : `${second.path.split('.').pop()}=${p.values[1]}`,
          mean: stat.mean * scale,
          low: (stat.low ?? stat.mean) * scale,
          high: (stat.high ?? stat.mean) * scale,
        },
      ];
    });
    const x = {
      field: 'x',
      type: numeric ? 'quantitative' : 'ordinal',
      title: `${first!.path}${unitSuffix(first!.values[0]!)}`,
      ...(numeric ? { scale: { zero: false } } : { sort: null }),
    } as const;
    const color =
      second === undefined
        ? {}
        : { color: { field: 'series', type: 'nominal', title: second.path, sort: null } };
    const yTitle = `${metric}${unit === 'share' ? ' (%)' : unit === 'ms' ? ' (ms)' : unit === 'rate' ? ' (/s)' : ''}`;
    const spec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      width: 640,
      height: 260,
      config: CHART_CONFIG,
      data: { values: rows },
      layer: [
        ...(doc.runs > 1
          ? [
              {
                mark: { type: 'rule' },
                encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, ...color },
              },
            ]
          : []),
        {
          mark: { type: 'line', point: true },
          encoding: {
            x,
            y: { field: 'mean', type: 'quantitative', title: yTitle },
            ...color,
            tooltip: [{ field: 'label' }, { field: 'mean' }],
          },
        },
      ],
    };
    const svg = await renderSvg(spec as Parameters<typeof renderSvg>[0], { idPrefix: `sweep-${i + 1}` });
    figures.push(
      figure(
        svg,
        `${metric} against ${first!.path}${doc.runs > 1 ? `: means of ${doc.runs} runs with their 95% intervals` : ''}.`,
      ),
    );
  }
  const head = [...doc.parameters.map((p) => p.path), ...doc.metrics];
  const rows = doc.points.map((p) => [
    ...p.values.map(String),
    ...doc.metrics.map((m) => formatEstimate(m, p.metrics[m], doc.runs > 1)),
  ]);
  const facts = `${doc.scenario.file} · base seed ${doc.scenario.baseSeed} · ${doc.points.length} points × ${doc.runs} run${doc.runs === 1 ? '' : 's'}`;
  return htmlPage({
    title: `microsim sweep: ${doc.scenario.name}`,
    lang: 'en',
    intro: paragraph(facts, 'meta'),
    sections: [
      { id: 'charts', heading: 'Charts', html: figures.join('\n') },
      {
        id: 'table',
        heading: 'Table',
        html: htmlTable(head, rows, { numeric: doc.metrics.map((_, i) => i + doc.parameters.length) }),
      },
    ],
    footer: 'Written by microsim sweep. Every point used the same seeds (common random numbers).',
  });
}

/** Writes the sweep's page atomically to `path`. */
export async function writeSweepReport(path: string, doc: SweepDocument): Promise<void> {
  writeAtomically(path, await sweepReportHtml(doc), 'the report');
}
