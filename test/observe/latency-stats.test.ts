import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_LATENCY, LatencyStats, toMicros } from '../../src/observe/latency-stats.ts';

/** The exact nearest-rank percentile of sorted values. */
function exactPercentile(sorted: number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

describe('LatencyStats', () => {
  it('recordZero() is record(0), before and after the histogram is read', () => {
    const a = new LatencyStats();
    const b = new LatencyStats();
    const values = [0, 3.2, 0, 0, 17.5, 0, 250, 0.0004, 0];
    values.forEach((v, i) => {
      a.record(v);
      if (v === 0) b.recordZero();
      else b.record(v);
      if (i === 4) expect(b.summary()).toEqual(a.summary());
    });
    expect(b.summary()).toEqual(a.summary());
    expect(b.count).toBe(values.length);
    expect(b.percentile(50)).toBe(0);
  });

  it('is all null when empty', () => {
    const s = new LatencyStats();
    expect(s.summary()).toEqual(EMPTY_LATENCY);
    expect(s.mean()).toBeNull();
    expect(s.percentile(99)).toBeNull();
  });

  it('keeps the exact mean and max, not the histogram ones', () => {
    const s = new LatencyStats();
    for (const v of [1.2345, 10.5, 1234.5678]) s.record(v);
    const sum = s.summary();
    expect(sum.mean).toBeCloseTo((1.2345 + 10.5 + 1234.5678) / 3, 12);
    expect(sum.max).toBe(1234.5678);
  });

  it('never reports a percentile above the max', () => {
    const s = new LatencyStats();
    s.record(5.0);
    const sum = s.summary();
    expect(sum.p50).toBe(5);
    expect(sum.p999).toBe(5);
  });

  it('is within 0.1% of the exact percentiles over six decades (1 µs to 1000 s)', () => {
    const s = new LatencyStats();
    const values: number[] = [];
    // Log-uniform values, deterministic: 10^(-3 + 6 i / n) ms.
    const n = 20_000;
    for (let i = 0; i < n; i++) values.push(10 ** (-3 + (6 * i) / n));
    for (const v of values) s.record(v);
    const sorted = [...values].sort((a, b) => a - b);
    const sum = s.summary();
    const cases: Array<[number, number | null]> = [
      [50, sum.p50],
      [90, sum.p90],
      [99, sum.p99],
      [99.9, sum.p999],
    ];
    for (const [p, got] of cases) {
      const want = exactPercentile(sorted, p);
      expect(Math.abs(got! - want) / want).toBeLessThanOrEqual(0.001 + 0.0005 / want);
    }
  });

  it('keeps the percentiles of any sample within 1% of nearest-rank', () => {
    const sample = fc.array(fc.double({ min: 0.01, max: 1e6, noNaN: true }), {
      minLength: 1,
      maxLength: 300,
    });
    fc.assert(
      fc.property(sample, (values) => {
        const s = new LatencyStats();
        for (const v of values) s.record(v);
        const sorted = [...values].sort((a, b) => a - b);
        for (const p of [50, 90, 99, 99.9]) {
          const want = exactPercentile(sorted, p);
          const got = s.percentile(p)!;
          // 0.1% from the histogram, plus half a µs of rounding to whole microseconds.
          expect(Math.abs(got - want)).toBeLessThanOrEqual(want * 0.01 + 0.0005);
        }
      }),
    );
  });

  it('treats negative and NaN values as 0 instead of poisoning the sums', () => {
    const s = new LatencyStats();
    s.record(-3);
    s.record(Number.NaN);
    s.record(4);
    expect(s.summary()).toMatchObject({ mean: 4 / 3, max: 4, p50: 0 });
  });

  it('records whole microseconds', () => {
    expect(toMicros(1.2344)).toBe(1234);
    expect(toMicros(0.0004)).toBe(0);
    expect(toMicros(-1)).toBe(0);
  });
});
