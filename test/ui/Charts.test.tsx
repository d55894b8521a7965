import { describe, expect, it } from 'vitest';
import type { DashboardSnapshot } from '../../src/observe/dashboard-model.ts';
import { Charts } from '../../src/ui/Charts.tsx';
import { expectFits, rows, rowWith } from './frame.ts';
import { FAULT_FROM, FAULT_TO, shopSnapshot } from './snapshots.ts';

const draw = (snapshot: DashboardSnapshot, width = 120, height = 12) =>
  rows(<Charts snapshot={snapshot} width={width} height={height} />);

/** Columns of `row` holding one of `chars`. */
const columnsOf = (row: string, chars: RegExp): number[] =>
  [...row].flatMap((ch, i) => (chars.test(ch) ? [i] : []));

describe('Charts', () => {
  it('draws four sparklines with their current value and maximum', () => {
    const frame = draw(shopSnapshot());
    expect(frame[0]).toContain('charts  checkout (service)');
    const throughput = rowWith(frame, 'throughput');
    expect(throughput).toMatch(/[▁▂▃▄▅▆▇█]{20,}/);
    expect(throughput).toMatch(/now\s+24\/s\s+max 24\/s/);
    expect(rowWith(frame, 'errors')).toMatch(/now\s+0%\s+max 40%/);
    expect(rowWith(frame, 'p99')).toMatch(/now\s+150ms\s+max 1\.20s/);
    expect(rowWith(frame, 'replicas')).toMatch(/▆+█+.*now\s+4\s+max 4/);
    expectFits(frame, 120, 12);
  });

  it('marks the fault window under exactly the seconds it covered, with its name', () => {
    const frame = draw(shopSnapshot());
    const fault = rowWith(frame, 'payments-down');
    const errors = rowWith(frame, 'errors');
    const marked = columnsOf(fault, /━/);
    expect(marked).toHaveLength(FAULT_TO - FAULT_FROM + 1);
    // The errors series is non-zero exactly during the fault: its bars sit over the marks.
    const sparkArea = (row: string) => [...row].slice(0, 12 + 60).join('');
    expect(columnsOf(sparkArea(errors), /[▁▂▃▄▅▆▇█]/)).toEqual(marked);
    // The axis row is above the fault row.
    expect(frame.findIndex((r) => r.includes('╵00:30'))).toBeLessThan(frame.indexOf(fault));
    expect(fault.indexOf('╵')).toBe(-1);
    expect(columnsOf(rowWith(frame, '╵00:30'), /╵/)).toContain(marked[0]! - (FAULT_FROM % 10));
  });

  it('scrolls to the latest seconds when narrow, moving the fault window with them', () => {
    const frame = draw(shopSnapshot(), 80, 12);
    const fault = rowWith(frame, 'payments-down');
    const marked = columnsOf(fault, /━/);
    const errors = [...rowWith(frame, 'errors')].slice(0, 50).join('');
    expect(columnsOf(errors, /[▁▂▃▄▅▆▇█]/)).toEqual(marked);
    expect(frame[0]).toContain('00:22.0 – 00:59.0');
    expectFits(frame, 80, 12);
  });

  it('shows two series, the fault window and no axis when only four rows are given', () => {
    const frame = draw(shopSnapshot(), 80, 4);
    expect(frame).toHaveLength(4);
    expect(frame[1]).toMatch(/^throughput/);
    expect(frame[2]).toMatch(/^errors/);
    expect(frame[3]).toContain('━ payments-down');
  });

  it('asks to select something when there is no chart', () => {
    expect(draw(shopSnapshot({ chart: null }))[0]).toContain('select a service with tab');
  });

  it('speaks Spanish', () => {
    const frame = draw(shopSnapshot({ lang: 'es' })).join('\n');
    for (const word of ['gráficas', 'caudal', 'errores', 'réplicas', 'ahora', 'máx', '(servicio)']) {
      expect(frame).toContain(word);
    }
  });
});

describe('Charts axis', () => {
  it('labels no second past the last point (early in a run, the chart is shorter than the width)', () => {
    const shop = shopSnapshot();
    const chart = shop.chart!;
    const short = {
      ...shop,
      chart: {
        ...chart,
        faultWindows: [],
        series: chart.series.map((s) => ({ ...s, points: s.points.slice(0, 25) })),
      },
    };
    const axis = rows(<Charts snapshot={short} width={120} height={12} />).find((r) => r.includes('╵'))!;
    expect(axis).toContain('╵00:20');
    expect(axis).not.toContain('╵00:30');
  });
});
