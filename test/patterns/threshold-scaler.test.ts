import { describe, expect, it } from 'vitest';
import type { HpaDecision } from '../../src/patterns/hpa.ts';
import {
  THRESHOLD_DEFAULTS,
  ThresholdScaler,
  type ThresholdSpec,
} from '../../src/patterns/threshold-scaler.ts';

function scaler(over: Partial<ThresholdSpec> = {}): ThresholdScaler {
  return new ThresholdScaler('checkout', { ...THRESHOLD_DEFAULTS, ...over });
}

function at(s: ThresholdScaler, now: number, current: number, value: number | null): HpaDecision {
  return s.decide({ now, currentReplicas: current, value, readyPods: current });
}

describe('threshold scaler: defaults', () => {
  it('are MiSim’s thresholds and hold (0.8, 0.3, 120 s), step 1, 1..10 replicas, every 15 s', () => {
    expect(THRESHOLD_DEFAULTS).toEqual({
      upper: 0.8,
      lower: 0.3,
      step: 1,
      holdMs: 120_000,
      minReplicas: 1,
      maxReplicas: 10,
      periodMs: 15_000,
    });
  });
});

describe('threshold scaler: thresholds (strict)', () => {
  it('exactly at upper: no change; above: + step', () => {
    expect(at(scaler(), 0, 4, 0.8)).toEqual({
      desired: 4,
      recommendation: 4,
      ratio: null,
      limitedBy: null,
      why: 'checkout stays at 4: utilization 80% within [30%, 80%]',
      changed: false,
    });
    expect(at(scaler(), 0, 4, 0.81)).toEqual({
      desired: 5,
      recommendation: 5,
      ratio: null,
      limitedBy: null,
      why: 'checkout 4 → 5: utilization 81% > upper 80%, +1',
      changed: true,
    });
  });

  it('exactly at lower: no change; below: − step', () => {
    expect(at(scaler(), 0, 4, 0.3)).toMatchObject({ desired: 4, changed: false });
    const d = at(scaler(), 0, 4, 0.29);
    expect(d).toMatchObject({ desired: 3, recommendation: 3, limitedBy: null, changed: true });
    expect(d.why).toBe('checkout 4 → 3: utilization 29% < lower 30%, −1');
  });

  it('steps by `step`', () => {
    expect(at(scaler({ step: 3 }), 0, 4, 0.95).desired).toBe(7);
    expect(at(scaler({ step: 3 }), 0, 4, 0.1).desired).toBe(1);
  });

  it('no metric: no change', () => {
    expect(at(scaler(), 0, 4, null)).toMatchObject({
      desired: 4,
      changed: false,
      why: 'checkout stays at 4: no utilization metric',
    });
  });

  it('uses the caller’s metric name and label', () => {
    const s = new ThresholdScaler(
      'cart',
      { ...THRESHOLD_DEFAULTS, upper: 8, lower: 2 },
      { metricName: 'in-flight', metricLabel: (v) => v.toFixed(1) },
    );
    expect(at(s, 0, 2, 9).why).toBe('cart 2 → 3: in-flight 9.0 > upper 8.0, +1');
  });
});

describe('threshold scaler: hold after any change', () => {
  it('no change while now − lastChange ≤ holdMs (MiSim: allowed only when > holdTime)', () => {
    const s = scaler();
    expect(at(s, 0, 4, 0.9).desired).toBe(5);
    for (let t = 15_000; t <= 120_000; t += 15_000) {
      expect(at(s, t, 5, 0.9)).toMatchObject({
        desired: 5,
        recommendation: 6,
        limitedBy: 'Hold',
        changed: false,
      });
    }
    expect(at(s, 120_000, 5, 0.9).why).toBe(
      'checkout stays at 5: utilization 90% > upper 80%, +1, but held: last change 120 s ago, hold 120 s',
    );
    expect(at(s, 120_001, 5, 0.9)).toMatchObject({ desired: 6, changed: true });
  });

  it('holds both directions: a scale-in right after a scale-out waits', () => {
    const s = scaler();
    expect(at(s, 0, 4, 0.9).desired).toBe(5);
    expect(at(s, 60_000, 5, 0.1)).toMatchObject({ desired: 5, limitedBy: 'Hold' });
    expect(at(s, 135_000, 5, 0.1)).toMatchObject({ desired: 4, changed: true });
  });

  it('no hold before the first change, and none with holdMs 0 after one period', () => {
    expect(at(scaler(), 0, 4, 0.1).desired).toBe(3);
    const s = scaler({ holdMs: 0 });
    expect(at(s, 0, 4, 0.9).desired).toBe(5);
    expect(at(s, 15_000, 5, 0.9).desired).toBe(6);
  });

  it('a decision that changes nothing starts no hold', () => {
    const s = scaler();
    expect(at(s, 0, 4, 0.5).changed).toBe(false);
    expect(at(s, 15_000, 4, 0.9).desired).toBe(5);
  });
});

describe('threshold scaler: min and max', () => {
  it('clamps a step to maxReplicas and minReplicas', () => {
    const up = at(scaler({ step: 2, maxReplicas: 10 }), 0, 9, 0.9);
    expect(up).toMatchObject({
      desired: 10,
      recommendation: 11,
      limitedBy: 'TooManyReplicas',
      changed: true,
    });
    expect(up.why).toBe('checkout 9 → 10: utilization 90% > upper 80%, +2, capped at maxReplicas 10');
    const down = at(scaler({ step: 2, minReplicas: 2 }), 0, 3, 0.1);
    expect(down).toMatchObject({ desired: 2, recommendation: 1, limitedBy: 'TooFewReplicas', changed: true });
  });

  it('at a bound, pushing further changes nothing', () => {
    const s = scaler({ maxReplicas: 5 });
    const d = at(s, 0, 5, 0.99);
    expect(d).toMatchObject({ desired: 5, recommendation: 6, limitedBy: 'TooManyReplicas', changed: false });
    expect(d.why).toBe('checkout stays at 5: utilization 99% > upper 80%, +1, but already at maxReplicas 5');
    expect(at(scaler(), 0, 1, 0.0)).toMatchObject({
      desired: 1,
      limitedBy: 'TooFewReplicas',
      changed: false,
    });
  });

  it('a count outside [min, max] is corrected at once, hold or not', () => {
    const s = scaler({ minReplicas: 2, maxReplicas: 6 });
    expect(at(s, 0, 4, 0.9).desired).toBe(5);
    expect(at(s, 15_000, 9, 0.5)).toMatchObject({
      desired: 6,
      limitedBy: 'TooManyReplicas',
      why: 'checkout 9 → 6: above maxReplicas 6',
      changed: true,
    });
    expect(at(s, 30_000, 0, null)).toMatchObject({ desired: 2, why: 'checkout 0 → 2: below minReplicas 2' });
    // The correction was a change: the hold runs from t = 30 s.
    expect(at(s, 45_000, 2, 0.9)).toMatchObject({ desired: 2, limitedBy: 'Hold' });
  });
});

describe('threshold scaler: input and spec checks', () => {
  it('rejects invalid specs', () => {
    const bad: Partial<ThresholdSpec>[] = [
      { lower: 0.8, upper: 0.8 },
      { upper: Number.NaN },
      { step: 0 },
      { step: 1.5 },
      { holdMs: -1 },
      { minReplicas: 5, maxReplicas: 4 },
      { periodMs: 0 },
    ];
    for (const over of bad) expect(() => scaler(over)).toThrow(RangeError);
  });

  it('rejects time going backwards and malformed input', () => {
    const s = scaler();
    at(s, 30_000, 2, 0.5);
    expect(() => at(s, 15_000, 2, 0.5)).toThrow(/time went backwards/);
    expect(() => at(s, 45_000, -1, 0.5)).toThrow(RangeError);
    expect(() => at(s, 45_000, 2, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
