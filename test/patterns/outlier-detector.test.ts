import { describe, expect, it } from 'vitest';
import { OUTLIER_DEFAULTS, OutlierDetector, type OutlierSpec } from '../../src/patterns/outlier-detector.ts';

interface Host {
  readonly name: string;
}

const hosts: Host[] = Array.from({ length: 20 }, (_, i) => ({ name: `payments#${i}` }));
const h = (i: number): Host => hosts[i]!;

function detector(spec: Partial<OutlierSpec> = {}): OutlierDetector<Host> {
  return new OutlierDetector<Host>({ ...OUTLIER_DEFAULTS, ...spec }, (x) => x.name);
}

/** Reports `n` failures of `host` at `now`; returns the last result. */
function fail(d: OutlierDetector<Host>, host: Host, n: number, now: number, total = 10) {
  let last: ReturnType<OutlierDetector<Host>['onResult']>;
  for (let i = 0; i < n; i++) last = d.onResult(host, true, now, total);
  return last;
}

describe('outlier detector: consecutive errors (Envoy consecutive_5xx)', () => {
  it('defaults are Envoy’s', () => {
    expect(OUTLIER_DEFAULTS).toEqual({
      consecutiveErrors: 5,
      baseEjectionMs: 30_000,
      maxEjectionMs: 300_000,
      maxEjectionPercent: 10,
      alwaysEjectOneHost: false,
      intervalMs: 10_000,
    });
  });

  it('4 errors in a row do not eject; the 5th does, for 30 s', () => {
    const d = detector();
    expect(fail(d, h(2), 4, 31_200)).toBeUndefined();
    expect(d.isEjected(h(2), 31_200)).toBe(false);
    const e = d.onResult(h(2), true, 31_200, 10);
    expect(e).toEqual({
      host: h(2),
      at: 31_200,
      untilMs: 61_200,
      times: 1,
      multiplier: 1,
      why: 'payments#2 ejected at 31.2 s for 30 s: 5 consecutive errors (ejection 1)',
    });
    expect(d.ejectedCount).toBe(1);
    expect(d.isEjected(h(2), 61_199.999)).toBe(true);
    expect(d.isEjected(h(2), 61_200)).toBe(false);
    expect(d.isEjected(h(3), 31_200)).toBe(false);
  });

  it('a success resets the count', () => {
    const d = detector();
    fail(d, h(1), 4, 0);
    expect(d.onResult(h(1), false, 1, 10)).toBeUndefined();
    expect(fail(d, h(1), 4, 2)).toBeUndefined();
    expect(d.onResult(h(1), true, 3, 10)).toBeDefined();
  });

  it('counts per host', () => {
    const d = detector();
    for (let i = 0; i < 4; i++) {
      expect(d.onResult(h(1), true, i, 10)).toBeUndefined();
      expect(d.onResult(h(2), true, i, 10)).toBeUndefined();
    }
    expect(d.ejectedCount).toBe(0);
  });

  it('results while ejected are ignored, and the count restarts at 0 on return', () => {
    const d = detector({ maxEjectionPercent: 100 });
    fail(d, h(1), 5, 0);
    expect(fail(d, h(1), 20, 1000)).toBeUndefined(); // in flight when ejected: ignored
    expect(d.expire(30_000)).toEqual([h(1)]);
    expect(d.describe(h(1))).toBe('payments#1 back in service at 30 s after a 30 s ejection (ejection 1)');
    expect(fail(d, h(1), 4, 30_000)).toBeUndefined();
    expect(fail(d, h(1), 1, 30_000)).toBeDefined();
  });
});

describe('outlier detector: ejection time grows with ejections and is capped', () => {
  it('30, 60, …, 300 s, then stays at 300 s when the host fails right after each return', () => {
    const d = detector({ maxEjectionPercent: 100 });
    let now = 0;
    const durations: number[] = [];
    for (let k = 1; k <= 13; k++) {
      const e = fail(d, h(4), 5, now)!;
      expect(e.times).toBe(k);
      durations.push((e.untilMs - e.at) / 1000);
      now = e.untilMs;
      expect(d.expire(now)).toEqual([h(4)]);
    }
    expect(durations).toEqual([30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 300, 300, 300]);
    expect(d.lastWhy()).toBe(
      'payments#4 ejected at 2250 s for 300 s: 5 consecutive errors (ejection 13, 11 × base 30 s capped at 300 s)',
    );
  });

  it('the multiplier decays by one per interval back in service', () => {
    const d = detector({ maxEjectionPercent: 100 });
    let e = fail(d, h(4), 5, 0)!; // 30 s
    d.expire(e.untilMs);
    e = fail(d, h(4), 5, e.untilMs)!; // 60 s
    d.expire(e.untilMs);
    e = fail(d, h(4), 5, e.untilMs)!; // 90 s, multiplier 3
    expect(e.multiplier).toBe(3);
    d.expire(e.untilMs);
    // Back for 25 s = 2 whole intervals of 10 s: multiplier 3 − 2 = 1, then + 1 for this ejection.
    e = fail(d, h(4), 5, e.untilMs + 25_000)!;
    expect([e.multiplier, e.untilMs - e.at, e.times]).toEqual([2, 60_000, 4]);
    d.expire(e.untilMs);
    // Healthy for 10 minutes: the multiplier is back to 0, so the ejection is base again.
    e = fail(d, h(4), 5, e.untilMs + 600_000)!;
    expect([e.multiplier, e.untilMs - e.at]).toEqual([1, 30_000]);
  });
});

describe('outlier detector: max ejection percent (Envoy max_ejection_percent)', () => {
  it('10% of 10 hosts: one ejection; the second host overflows until the first returns', () => {
    const d = detector();
    expect(fail(d, h(1), 5, 0, 10)).toBeDefined();
    expect(fail(d, h(2), 5, 1000, 10)).toBeUndefined();
    expect(d.overflows).toBe(1);
    expect(d.lastWhy()).toBe(
      'payments#2 not ejected at 1 s: 5 consecutive errors, but 2 of 10 hosts ejected would exceed max 10%',
    );
    // The refused attempt reset the count: 4 more errors do nothing even after h1 is back.
    expect(fail(d, h(2), 4, 30_000, 10)).toBeUndefined();
    expect(d.ejectedCount).toBe(0); // onResult returned h1 (its time ended at 30 s)
    expect(fail(d, h(2), 1, 30_000, 10)).toBeDefined();
    expect(d.expire(30_000)).toEqual([h(1)]); // reported once, by the next expire
    expect(d.expire(30_000)).toEqual([]);
  });

  it('10% of 20 hosts: two ejections, the third is refused', () => {
    const d = detector();
    expect(fail(d, h(1), 5, 0, 20)).toBeDefined();
    expect(fail(d, h(2), 5, 0, 20)).toBeDefined();
    expect(fail(d, h(3), 5, 0, 20)).toBeUndefined();
    expect([d.ejectedCount, d.overflows]).toEqual([2, 1]);
  });

  it('fewer than 10 hosts: nothing ejected by default, one with alwaysEjectOneHost', () => {
    const plain = detector();
    expect(fail(plain, h(1), 5, 0, 5)).toBeUndefined();
    expect(plain.overflows).toBe(1);
    const one = detector({ alwaysEjectOneHost: true });
    expect(fail(one, h(1), 5, 0, 5)).toBeDefined();
    expect(fail(one, h(2), 5, 0, 5)).toBeUndefined();
    expect([one.ejectedCount, one.overflows]).toEqual([1, 1]);
  });

  it('expire returns hosts in the order their ejections end', () => {
    const d = detector({ maxEjectionPercent: 100 });
    fail(d, h(1), 5, 0); // until 30 s
    const e2 = fail(d, h(2), 5, 0)!; // until 30 s
    d.expire(e2.untilMs);
    fail(d, h(2), 5, 30_000); // 60 s: until 90 s
    fail(d, h(3), 5, 40_000); // until 70 s
    fail(d, h(1), 5, 50_000); // 20 s back: multiplier 1 − 2 → 0, then 1: until 80 s
    expect(d.expire(69_999)).toEqual([]);
    expect(d.expire(100_000)).toEqual([h(3), h(1), h(2)]);
    expect(d.ejectedCount).toBe(0);
  });

  it('rejects invalid specs', () => {
    expect(() => detector({ consecutiveErrors: 0 })).toThrow(RangeError);
    expect(() => detector({ maxEjectionMs: 10_000 })).toThrow(/maxEjectionMs/);
    expect(() => detector({ maxEjectionPercent: 101 })).toThrow(RangeError);
  });
});
