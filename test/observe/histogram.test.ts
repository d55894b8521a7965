import fc from 'fast-check';
import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { LogHistogram } from '../../src/observe/histogram.ts';

/** The exact nearest-rank percentile of sorted values. */
function exact(sorted: number[], p: number): number {
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}

const PERCENTILES = [0, 1, 50, 90, 99, 99.9, 100];

describe('LogHistogram', () => {
  it('is exact below 2048 (3 digits)', () => {
    const h = new LogHistogram(3);
    for (let v = 0; v < 2048; v++) h.record(v);
    expect(h.valueAt(50)).toBe(1023);
    expect(h.valueAt(100)).toBe(2047);
    expect(h.valueAt(0)).toBe(0);
  });

  it('keeps every percentile within 0.05% (3 digits) or 0.4% (2 digits) of nearest-rank', () => {
    const values = fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { minLength: 1, maxLength: 200 });
    fc.assert(
      fc.property(values, (vs) => {
        const h3 = new LogHistogram(3);
        const h2 = new LogHistogram(2);
        for (const v of vs) {
          h3.record(v);
          h2.record(v);
        }
        const sorted = [...vs].sort((a, b) => a - b);
        for (const p of PERCENTILES) {
          const want = exact(sorted, p);
          expect(Math.abs(h3.valueAt(p) - want)).toBeLessThanOrEqual(want / 2048 + 1e-9);
          expect(Math.abs(h2.valueAt(p) - want)).toBeLessThanOrEqual(want / 256 + 1e-9);
        }
      }),
    );
  });

  it('agrees with hdr-histogram-js (3 digits) within their two error bounds', () => {
    const ours = new LogHistogram(3);
    const theirs = hdr.build({ numberOfSignificantValueDigits: 3, useWebAssembly: false });
    let seed = 7;
    for (let i = 0; i < 50_000; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const v = Math.round(10 ** (3 + (3 * seed) / 2147483648)); // log-uniform, 1 ms to 1 s in µs
      ours.record(v);
      theirs.recordValue(v);
    }
    for (const p of [50, 90, 99, 99.9]) {
      const want = theirs.getValueAtPercentile(p);
      // Ours is within 0.05% of the sample, theirs within 0.1%.
      expect(Math.abs(ours.valueAt(p) - want) / want).toBeLessThanOrEqual(0.0015);
    }
  });

  it('tracks count, exact min and max, and clamps nonsense to 0', () => {
    const h = new LogHistogram();
    h.record(5_000_000_000); // beyond 2^32: float path
    h.record(-4);
    h.record(Number.NaN);
    h.record(12345);
    expect(h.totalCount).toBe(4);
    expect(h.min).toBe(0);
    expect(h.max).toBe(5_000_000_000);
    expect(h.valueAt(100)).toBe(5_000_000_000);
    expect(h.valueAt(50)).toBe(0);
    expect(Math.abs(h.valueAt(75) - 12345) / 12345).toBeLessThan(0.0005);
  });

  it('adds and resets', () => {
    const a = new LogHistogram(2);
    const b = new LogHistogram(2);
    a.record(100);
    b.record(300);
    b.record(1_000_000);
    a.add(b);
    expect(a.totalCount).toBe(3);
    expect(a.valueAt(50)).toBe(300.5); // the midpoint of [300, 301], 2 digits
    expect(a.max).toBe(1_000_000);
    a.reset();
    expect(a.totalCount).toBe(0);
    expect(a.valueAt(50)).toBe(0);
    a.record(7);
    expect(a.valueAt(100)).toBe(7);
    expect(() => a.add(new LogHistogram(3))).toThrow();
  });

  it('recordMany(v, n) is n records of v', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -5, max: 6_000_000_000 }), fc.nat(5)), {
          maxLength: 40,
          size: 'max',
        }),
        (pairs) => {
          const one = new LogHistogram();
          const many = new LogHistogram();
          for (const [v, n] of pairs) {
            for (let i = 0; i < n; i++) one.record(v);
            many.recordMany(v, n);
          }
          expect(many.totalCount).toBe(one.totalCount);
          expect(many.min).toBe(one.min);
          expect(many.max).toBe(one.max);
          for (const p of [0, 1, 25, 50, 90, 99, 99.9, 100]) expect(many.valueAt(p)).toBe(one.valueAt(p));
        },
      ),
    );
  });
});

describe('LogHistogram percentiles skip whole groups of buckets', () => {
  // valueAt sums whole bucket groups before scanning one group: these runs spread values over
  // dozens of groups and mix every way of counting (record, recordMany, add, reset), and check
  // every half percentile against the exact nearest-rank value. A wrong group is off by far more
  // than the bound; a neighbouring bucket is not always (its midpoint can be within the bound),
  // so the tests below also check exact answers.
  type Op =
    | { kind: 'record'; v: number }
    | { kind: 'many'; v: number; n: number }
    | { kind: 'add'; vs: number[] }
    | { kind: 'reset' };
  const value = fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 2 ** 44 }));
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 8, arbitrary: value.map((v) => ({ kind: 'record' as const, v })) },
    { weight: 2, arbitrary: fc.tuple(value, fc.nat(4)).map(([v, n]) => ({ kind: 'many' as const, v, n })) },
    { weight: 1, arbitrary: fc.array(value, { maxLength: 80 }).map((vs) => ({ kind: 'add' as const, vs })) },
    { weight: 1, arbitrary: fc.constant({ kind: 'reset' as const }) },
  );

  it.each([2, 3] as const)(
    '%i digits: every half percentile is within the bound after any mix of operations',
    (digits) => {
      const bound = digits === 3 ? 1 / 2048 : 1 / 256;
      fc.assert(
        fc.property(fc.array(op, { minLength: 1, maxLength: 300, size: 'max' }), (ops) => {
          const h = new LogHistogram(digits);
          let kept: number[] = [];
          for (const o of ops) {
            if (o.kind === 'record') {
              h.record(o.v);
              kept.push(o.v);
            } else if (o.kind === 'many') {
              h.recordMany(o.v, o.n);
              for (let i = 0; i < o.n; i++) kept.push(o.v);
            } else if (o.kind === 'add') {
              const other = new LogHistogram(digits);
              for (const v of o.vs) other.record(v);
              h.add(other);
              kept.push(...o.vs);
            } else {
              h.reset();
              kept = [];
            }
          }
          expect(h.totalCount).toBe(kept.length);
          if (kept.length === 0) return;
          const sorted = kept.sort((a, b) => a - b);
          for (let p = 0; p <= 100; p += 0.5) {
            const want = exact(sorted, p);
            expect(Math.abs(h.valueAt(p) - want)).toBeLessThanOrEqual(want * bound + 1e-9);
          }
        }),
        { numRuns: 60 },
      );
    },
  );

  it('keeps the group of a count made straight into the last group before the array grows', () => {
    // 3 digits: 5000 is in group 3, the last of the initial counts (4 groups); recordMany counts
    // it at once, before 10000 grows the array. Then the same with the grown array's last group.
    const a = new LogHistogram(3);
    a.recordMany(5000, 1);
    a.record(10000);
    expect(a.valueAt(50)).toBe(5001.5);
    const b = new LogHistogram(3);
    b.record(10000);
    b.recordMany(100000, 1);
    b.record(2 ** 20);
    expect(b.valueAt(50)).toBe(99999.5);
  });

  it('finds a percentile on either side of a group boundary', () => {
    // 2 digits: groups of 128 buckets; 256 and 512 start groups 2 and 3 (buckets 1 wide, 2 wide).
    const h = new LogHistogram(2);
    for (const v of [255, 256, 511, 512]) h.record(v);
    expect([25, 50, 75, 100].map((p) => h.valueAt(p))).toEqual([255, 256.5, 510.5, 512]);
    expect(h.valueAt(0)).toBe(255);
  });
});

describe('LogHistogram counts beyond 32 bits', () => {
  /** A histogram holding `5` exactly `count` times, built by doubling (no 4-billion-step loop). */
  function holdingFive(count: number): LogHistogram {
    const result = new LogHistogram();
    const power = new LogHistogram();
    power.record(5);
    for (let rest = count; rest > 0; rest = Math.floor(rest / 2)) {
      if (rest % 2 === 1) result.add(power);
      power.add(power);
    }
    return result;
  }

  it('a bucket passing 2^32 − 1 through record keeps counting exactly', () => {
    const h = holdingFive(2 ** 32 - 1);
    expect(h.totalCount).toBe(2 ** 32 - 1);
    h.record(5);
    h.record(7);
    expect(h.totalCount).toBe(2 ** 32 + 1);
    // 2^32 fives and one seven: the median is 5 and the maximum's bucket is 7.
    expect(h.valueAt(0)).toBe(5);
    expect(h.valueAt(1)).toBe(5);
    expect(h.valueAt(50)).toBe(5);
    expect(h.valueAt(100)).toBe(7);
    expect(h.valueAt((2 ** 32 / (2 ** 32 + 1)) * 100)).toBe(5);
  });

  it('a bucket passing 2^32 − 1 through recordMany keeps counting exactly', () => {
    const h = new LogHistogram();
    h.recordMany(7, 4_294_967_290);
    h.recordMany(7, 10);
    h.record(7);
    expect(h.totalCount).toBe(4_294_967_301);
    expect(h.valueAt(50)).toBe(7);
    h.recordMany(9, 1);
    expect(h.valueAt(100)).toBe(9);
  });

  it('a bucket passing 2^32 − 1 through add keeps counting exactly', () => {
    const h = holdingFive(2 ** 33 + 3);
    h.record(9);
    expect(h.totalCount).toBe(2 ** 33 + 4);
    expect(h.valueAt(1)).toBe(5);
    expect(h.valueAt(99.9)).toBe(5);
    expect(h.valueAt(100)).toBe(9);
  });
});
