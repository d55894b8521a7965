import { describe, expect, it } from 'vitest';
import { createRateCurve } from '../../src/model/rate-curve.ts';

describe('rate curve', () => {
  it('inverts a ramp down to zero and a later step without losing arrivals', () => {
    // 2/s until 1 s, ramp to 0 by 4 s (3 arrivals more), nothing until 10 s, then 5/s.
    const curve = createRateCurve(2, [
      { atMs: 1000, ratePerSec: 0, rampMs: 3000 },
      { atMs: 10_000, ratePerSec: 5, rampMs: 0 },
    ]);
    const times: number[] = [];
    for (let level = 1; level <= 60; level++) times.push(curve.timeOf(level));
    expect(times.every((t) => Number.isFinite(t))).toBe(true);
    expect(times.filter((t) => t <= 4000)).toHaveLength(5);
    expect(times.filter((t) => t > 4000 && t < 10_000)).toHaveLength(0);
    // 20 s − 10 s at 5/s: levels 6..55 land in (10 s, 20 s]
    expect(times.filter((t) => t > 10_000 && t <= 20_000)).toHaveLength(50);
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
  });

  it('never returns NaN for levels swept across ramps to zero', () => {
    for (const rampMs of [1, 7, 333, 3000, 12_345]) {
      const curve = createRateCurve(3.7, [{ atMs: 500, ratePerSec: 0, rampMs }]);
      const total = (3.7 * 500) / 1000 + (3.7 * rampMs) / 2000;
      for (let k = 0; k < 1000; k++) {
        const t = curve.timeOf((total * k) / 999);
        expect(Number.isNaN(t)).toBe(false);
      }
    }
  });
});
