/**
 * A line chart in plain text for the terminal (`microsim sweep`): each series' points marked with
 * its own symbol on a character grid, a labelled y axis at three heights and the x values under
 * the axis. Points are placed at their x value (uneven steps stay uneven).
 */

export interface TextSeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

export interface TextChartOptions {
  readonly title: string;
  readonly series: readonly TextSeries[];
  /** Formats a y value for the axis labels. */
  readonly formatY: (y: number) => string;
  /** Formats an x value under the axis. */
  readonly formatX: (x: number) => string;
  readonly xLabel: string;
  /** Plot columns (default 56) and rows (default 10). */
  readonly width?: number;
  readonly height?: number;
}

const MARKS = ['●', '○', '■', '□', '▲', '△', '◆', '◇'];

/** The chart as lines of text; series beyond eight share the last symbol. */
export function textChart(options: TextChartOptions): string[] {
  const width = options.width ?? 56;
  const height = options.height ?? 10;
  const all = options.series
    .flatMap((s) => s.points)
    .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (all.length === 0) return [options.title, '  (no values to plot)'];
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys, 0), Math.max(...ys)];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const grid = Array.from({ length: height }, () => Array.from({ length: width }, () => ' '));
  const col = (x: number): number => (x1 === x0 ? 0 : Math.round(((x - x0) / (x1 - x0)) * (width - 1)));
  const row = (y: number): number => height - 1 - Math.round(((y - y0) / (y1 - y0)) * (height - 1));
  options.series.forEach((s, i) => {
    const mark = MARKS[Math.min(i, MARKS.length - 1)]!;
    const points = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    // Dots between consecutive points, so the shape reads as a line.
    for (let k = 1; k < points.length; k++) {
      const [[ax, ay], [bx, by]] = [points[k - 1]!, points[k]!];
      const steps = Math.max(1, col(bx) - col(ax));
      for (let j = 1; j < steps; j++) {
        const c = col(ax) + j;
        const r = row(ay + ((by - ay) * j) / steps);
        if (grid[r]![c] === ' ') grid[r]![c] = '·';
      }
    }
    for (const [x, y] of points) grid[row(y)]![col(x)] = mark;
  });
  // The value a row stands for (rows are rounded positions): the middle label reads its own row.
  const valueAt = (r: number): number => y1 - ((y1 - y0) * r) / (height - 1);
  const middle = Math.floor((height - 1) / 2);
  const labels = new Map([
    [0, options.formatY(y1)],
    [middle, options.formatY(valueAt(middle))],
    [height - 1, options.formatY(y0)],
  ]);
  const labelWidth = Math.max(...[...labels.values()].map((l) => l.length));
  const lines = [options.title];
  for (const [r, cells] of grid.entries()) {
    lines.push(`${(labels.get(r) ?? '').padStart(labelWidth)} ┤${cells.join('')}`.trimEnd());
  }
  lines.push(`${' '.repeat(labelWidth)} └${'─'.repeat(width)}`);
  const left = options.formatX(x0);
  const right = options.formatX(x1);
  lines.push(`${' '.repeat(labelWidth + 2)}${left}${right.padStart(width - left.length)}  ${options.xLabel}`);
  if (options.series.length > 1 || options.series[0]!.name !== '') {
    lines.push(
      `${' '.repeat(labelWidth + 2)}${options.series.map((s, i) => `${MARKS[Math.min(i, MARKS.length - 1)]} ${s.name}`).join('   ')}`,
    );
  }
  return lines;
}
