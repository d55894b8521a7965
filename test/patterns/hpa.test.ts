import { describe, expect, it } from 'vitest';
import { HPA_DEFAULTS, Hpa, type HpaDecision, type HpaRules, type HpaSpec } from '../../src/patterns/hpa.ts';

const SYNC = 15_000;

function hpa(over: Partial<HpaSpec> = {}, label?: (v: number) => string): Hpa {
  return new Hpa('checkout', { ...HPA_DEFAULTS, ...over }, label === undefined ? {} : { metricLabel: label });
}

/** One decision with every pod ready unless `ready` is given. */
function at(h: Hpa, now: number, current: number, value: number | null, ready = current): HpaDecision {
  return h.decide({ now, currentReplicas: current, value, readyPods: ready });
}

/**
 * Drives `h` every 15 s from t = `from` for `steps` decisions, applying each one (new pods are
 * ready at once); `value(current, t)` is the metric. Returns every decision with its time.
 */
function run(
  h: Hpa,
  start: number,
  steps: number,
  value: (current: number, t: number) => number | null,
  from = 0,
): { t: number; d: HpaDecision }[] {
  const out: { t: number; d: HpaDecision }[] = [];
  let current = start;
  for (let i = 0; i < steps; i++) {
    const t = from + i * SYNC;
    const d = at(h, t, current, value(current, t));
    out.push({ t, d });
    current = d.desired;
  }
  return out;
}

const noDownWindow: HpaRules = { ...HPA_DEFAULTS.scaleDown, stabilizationWindowMs: 0 };

describe('hpa: defaults', () => {
  it('are Kubernetes’ (controller-manager config, API defaults, defaultHPAScale{Up,Down}Rules)', () => {
    expect(HPA_DEFAULTS).toEqual({
      minReplicas: 1,
      maxReplicas: 10,
      target: 0.8,
      tolerance: 0.1,
      syncPeriodMs: 15_000,
      scaleUp: {
        stabilizationWindowMs: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Percent', value: 100, periodMs: 15_000 },
          { type: 'Pods', value: 4, periodMs: 15_000 },
        ],
      },
      scaleDown: {
        stabilizationWindowMs: 300_000,
        selectPolicy: 'Max',
        policies: [{ type: 'Percent', value: 100, periodMs: 15_000 }],
      },
    });
  });
});

describe('hpa: desired = ceil(ratio × ready pods), with tolerance', () => {
  it('50 replicas at 90% vs target 75% → 60 (the Kubernetes docs’ example)', () => {
    const d = at(hpa({ target: 0.75, maxReplicas: 100 }), 0, 50, 0.9);
    expect(d).toMatchObject({ desired: 60, recommendation: 60, limitedBy: null, changed: true });
    expect(d.ratio).toBeCloseTo(1.2, 12);
  });

  it('3 replicas at 90% vs target 50% → 6', () => {
    const d = at(hpa({ target: 0.5 }), 0, 3, 0.9);
    expect(d).toMatchObject({ desired: 6, recommendation: 6, ratio: 1.8, limitedBy: null, changed: true });
    expect(d.why).toBe(
      'checkout 3 → 6: utilization 90% vs target 50%, ratio 1.8; wants 6 = ceil(1.8 × 3 ready)',
    );
  });

  it('10 replicas at 45% vs target 50% → no change (ratio 0.9 is within the 10% tolerance)', () => {
    const d = at(hpa({ target: 0.5, scaleDown: noDownWindow }), 0, 10, 0.45);
    expect(d).toMatchObject({ desired: 10, recommendation: 10, ratio: 0.9, limitedBy: null, changed: false });
    expect(d.why).toBe(
      'checkout stays at 10: utilization 45% vs target 50%, ratio 0.9, within tolerance (|1 − ratio| = 0.09999999999999998 ≤ 0.1)',
    );
  });

  it('10 replicas at 44% vs target 50% → 9, once the 300 s scale-down window has passed', () => {
    // Sync every 15 s from t = 0 with the load steady at 44%. The first sync records the current
    // count (10) as a recommendation; it stops counting when it is 300 s old (t = 300 s).
    const steps = run(hpa({ target: 0.5 }), 10, 22, () => 0.44);
    for (const { t, d } of steps.filter((s) => s.t < 300_000)) {
      expect([t, d.desired, d.recommendation, d.limitedBy]).toEqual([t, 10, 9, 'ScaleDownStabilized']);
    }
    const at300 = steps.find((s) => s.t === 300_000)!.d;
    expect(at300).toMatchObject({ desired: 9, recommendation: 9, limitedBy: null, changed: true });
    expect(at300.why).toBe(
      'checkout 10 → 9: utilization 44% vs target 50%, ratio 0.88; wants 9 = ceil(0.88 × 10 ready)',
    );
    expect(steps[1]!.d.why).toBe(
      'checkout stays at 10: utilization 44% vs target 50%, ratio 0.88; wants 9 = ceil(0.88 × 10 ready); ' +
        'scale-down stabilized at 10: highest recommendation of the last 300 s is 10',
    );
  });

  it('tolerance is |1 − ratio| ≤ 0.1 in float64: 110 vs 100 scales up, 90 vs 100 does not scale down', () => {
    expect(1 - 110 / 100).toBe(-0.10000000000000009);
    expect(1 - 90 / 100).toBe(0.09999999999999998);
    const raw = (v: number) => String(v);
    const up = at(hpa({ target: 100, maxReplicas: 20 }, raw), 0, 10, 110);
    expect(up).toMatchObject({ desired: 11, recommendation: 11, changed: true });
    expect(up.why).toBe(
      'checkout 10 → 11: utilization 110 vs target 100, ratio 1.1 (|1 − ratio| = 0.10000000000000009 > 0.1); ' +
        'wants 11 = ceil(1.1 × 10 ready)',
    );
    // No scale-down window, so nothing but the tolerance keeps it at 10.
    const down = at(hpa({ target: 100, scaleDown: noDownWindow }, raw), 0, 10, 90);
    expect(down).toMatchObject({ desired: 10, recommendation: 10, limitedBy: null, changed: false });
    expect(down.why).toContain('within tolerance (|1 − ratio| = 0.09999999999999998 ≤ 0.1)');
  });

  it('a tolerance of 0 scales on any difference', () => {
    expect(at(hpa({ target: 0.5, tolerance: 0, maxReplicas: 20 }), 0, 10, 0.51).desired).toBe(11);
  });

  it('no metric keeps the current count and records no recommendation', () => {
    const h = hpa({ target: 0.5 });
    const d = at(h, 0, 4, null);
    expect(d).toEqual({
      desired: 4,
      recommendation: 4,
      ratio: null,
      limitedBy: null,
      why: 'checkout stays at 4: no utilization metric',
      changed: false,
    });
    expect(at(h, SYNC, 4, 0.9, 0)).toMatchObject({ desired: 4, ratio: null, changed: false });
    expect(at(h, SYNC, 4, 0.9, 0).why).toBe('checkout stays at 4: no ready pod to read utilization from');
  });

  it('uses the metric name and label given by the caller', () => {
    const h = new Hpa(
      'cart',
      { ...HPA_DEFAULTS, target: 10 },
      { metricName: 'in-flight', metricLabel: (v) => v.toFixed(1) },
    );
    expect(at(h, 0, 2, 25).why).toBe(
      'cart 2 → 5: in-flight 25.0 vs target 10.0, ratio 2.5; wants 5 = ceil(2.5 × 2 ready)',
    );
  });
});

describe('hpa: not-ready pods (replica_calculator)', () => {
  it('are set aside: the recommendation counts ready pods only', () => {
    // 10 replicas, 5 ready at 20% vs 50%: ceil(0.4 × 5) = 2.
    const d = at(hpa({ target: 0.5, scaleDown: noDownWindow }), 0, 10, 0.2, 5);
    expect(d).toMatchObject({ desired: 2, recommendation: 2, changed: true });
    expect(d.why).toContain('wants 2 = ceil(0.4 × 5 ready, 5 not ready set aside)');
  });

  it('on a scale-up they count as using 0: 4 replicas, 3 ready at 90% vs 50% → 6', () => {
    const d = at(hpa({ target: 0.5 }), 0, 4, 0.9, 3);
    expect(d).toMatchObject({ desired: 6, recommendation: 6, ratio: 1.8 });
    expect(d.why).toBe(
      'checkout 4 → 6: utilization 90% vs target 50%, ratio 1.8; with 1 not-ready pod counted at 0, ratio 1.35; ' +
        'wants 6 = ceil(1.35 × 4 pods)',
    );
  });

  it('no scale-up when counting them at 0 reverses the direction (10 replicas, 2 ready at 100% vs 50%)', () => {
    // The ready pods alone would give ceil(2 × 2) = 4, a scale-DOWN; Kubernetes keeps 10.
    const d = at(hpa({ target: 0.5, scaleDown: noDownWindow }), 0, 10, 1.0, 2);
    expect(d).toMatchObject({ desired: 10, recommendation: 10, ratio: 2, changed: false });
    expect(d.why).toContain('with 8 not-ready pods counted at 0, ratio 0.4 < 1: no scale-up');
  });

  it('no scale-up when counting them at 0 brings the ratio within tolerance', () => {
    // 5 replicas, 4 ready at 60% vs 50%: ratio 1.2, with the fifth at 0: 0.96.
    const d = at(hpa({ target: 0.5 }), 0, 5, 0.6, 4);
    expect(d).toMatchObject({ desired: 5, recommendation: 5, changed: false });
    expect(d.why).toContain('ratio 0.96, within tolerance (|1 − ratio| = 0.04 ≤ 0.1)');
  });
});

describe('hpa: stabilization windows', () => {
  it('a one-sample dip removes no pod; a dip that lasts removes them once every higher recommendation is 300 s old', () => {
    const h = hpa({ target: 0.5 });
    // 10 replicas at target (within tolerance: recommendation 10) until t = 150 s.
    for (const { d } of run(h, 10, 11, () => 0.5)) expect(d.desired).toBe(10);
    // One sample at 30% (recommendation 6) at t = 165 s: stabilized at 10.
    const dip = at(h, 165_000, 10, 0.3);
    expect(dip).toMatchObject({
      desired: 10,
      recommendation: 6,
      limitedBy: 'ScaleDownStabilized',
      changed: false,
    });
    // Back at target through t = 285 s: nothing happens.
    for (const { d } of run(h, 10, 8, () => 0.5, 180_000)) {
      expect(d).toMatchObject({ desired: 10, limitedBy: null });
    }
    // From t = 300 s the load stays at 30%. The last recommendation of 10 was at t = 285 s; it
    // leaves the window (strictly after now − 300 s) at t = 585 s.
    const low = run(h, 10, 20, () => 0.3, 300_000);
    for (const { t, d } of low.filter((s) => s.t < 585_000)) {
      expect([t, d.desired, d.limitedBy]).toEqual([t, 10, 'ScaleDownStabilized']);
    }
    expect(low.find((s) => s.t === 585_000)!.d).toMatchObject({ desired: 6, limitedBy: null, changed: true });
  });

  it('docs example: a 60 s scale-down window scales down after 60 s instead of 300 s', () => {
    const h = hpa({ target: 0.5, scaleDown: { ...HPA_DEFAULTS.scaleDown, stabilizationWindowMs: 60_000 } });
    const steps = run(h, 10, 6, (_c, t) => (t === 0 ? 0.5 : 0.3));
    expect(steps.map((s) => [s.t / 1000, s.d.desired])).toEqual([
      [0, 10],
      [15, 10],
      [30, 10],
      [45, 10],
      [60, 6],
      [75, 6],
    ]);
  });

  it('a scale-up window takes the lowest recommendation: scale-up waits until the window holds only high ones', () => {
    const h = hpa({ target: 0.5, scaleUp: { ...HPA_DEFAULTS.scaleUp, stabilizationWindowMs: 60_000 } });
    const steps = run(h, 5, 6, () => 1.0);
    expect(steps.map((s) => s.d.desired)).toEqual([5, 5, 5, 5, 10, 10]);
    expect(steps[0]!.d).toMatchObject({ recommendation: 10, limitedBy: 'ScaleUpStabilized' });
    expect(steps[0]!.d.why).toContain(
      'scale-up stabilized at 5: lowest recommendation of the last 60 s is 5',
    );
  });
});

describe('hpa: scaling policies (rate limits)', () => {
  it('default policies scale 1 → 5 → 10 → 20 → 40 in 15 s steps while the load stays high', () => {
    const steps = run(hpa({ target: 1, maxReplicas: 40 }), 1, 5, () => 50);
    expect(steps.map((s) => s.d.desired)).toEqual([5, 10, 20, 40, 40]);
    expect(steps.map((s) => s.d.limitedBy)).toEqual([
      'ScaleUpLimit',
      'ScaleUpLimit',
      'ScaleUpLimit',
      'TooManyReplicas',
      'TooManyReplicas',
    ]);
    expect(steps[0]!.d.why).toBe(
      'checkout 1 → 5: utilization 5000% vs target 100%, ratio 50; wants 50 = ceil(50 × 1 ready); ' +
        'scale-up limited to +4 by 100% per 15 s or 4 pods per 15 s, whichever allows more',
    );
    expect(steps[4]!.d.why).toContain('capped at maxReplicas 40');
  });

  it('explains a limited scale-up', () => {
    const d = at(hpa({ target: 0.5 }), 0, 3, 3.0);
    expect(d).toMatchObject({
      desired: 7,
      recommendation: 18,
      ratio: 6,
      limitedBy: 'ScaleUpLimit',
      changed: true,
    });
    expect(d.why).toBe(
      'checkout 3 → 7: utilization 300% vs target 50%, ratio 6; wants 18 = ceil(6 × 3 ready); ' +
        'scale-up limited to +4 by 100% per 15 s or 4 pods per 15 s, whichever allows more',
    );
  });

  it('Percent: ceil(periodStart × (1 + value/100)), shared across the period', () => {
    const scaleUp: HpaRules = {
      stabilizationWindowMs: 0,
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 50, periodMs: 60_000 }],
    };
    const steps = run(hpa({ target: 0.5, maxReplicas: 50, scaleUp }), 4, 6, () => 2.0);
    // 4 → ceil(6) = 6 at t = 0; the +2 counts until t = 60 s (events strictly after now − 60 s).
    expect(steps.map((s) => s.d.desired)).toEqual([6, 6, 6, 6, 9, 9]);
    expect(steps[1]!.d).toMatchObject({ limitedBy: 'ScaleUpLimit', changed: false });
    expect(steps[1]!.d.why).toContain('scale-up limited to +0 by 50% per 60 s');
  });

  it('Pods: periodStart + value', () => {
    const scaleUp: HpaRules = {
      stabilizationWindowMs: 0,
      selectPolicy: 'Max',
      policies: [{ type: 'Pods', value: 2, periodMs: 60_000 }],
    };
    const steps = run(hpa({ target: 0.5, maxReplicas: 50, scaleUp }), 4, 6, () => 2.0);
    expect(steps.map((s) => s.d.desired)).toEqual([6, 6, 6, 6, 8, 8]);
  });

  it('selectPolicy Min picks the policy allowing the smallest change, Max the largest', () => {
    const min = at(
      hpa({ target: 0.5, maxReplicas: 100, scaleUp: { ...HPA_DEFAULTS.scaleUp, selectPolicy: 'Min' } }),
      0,
      10,
      5,
    );
    expect(min).toMatchObject({ desired: 14, recommendation: 100, limitedBy: 'ScaleUpLimit' });
    expect(min.why).toContain(
      'scale-up limited to +4 by 100% per 15 s or 4 pods per 15 s, whichever allows less',
    );
    const max = at(hpa({ target: 0.5, maxReplicas: 100 }), 0, 10, 5);
    expect(max.desired).toBe(20);
  });

  it('selectPolicy Disabled forbids scaling in that direction only', () => {
    const noUp = hpa({ target: 0.5, scaleUp: { ...HPA_DEFAULTS.scaleUp, selectPolicy: 'Disabled' } });
    const up = at(noUp, 0, 3, 1.0);
    expect(up).toMatchObject({ desired: 3, recommendation: 6, limitedBy: 'ScaleUpLimit', changed: false });
    expect(up.why).toContain('scale-up disabled (selectPolicy Disabled)');
    expect(at(noUp, SYNC, 3, 0.1).desired).toBe(3); // the 300 s window still holds it
    // Docs example "disable scale down".
    const noDown = hpa({
      target: 0.5,
      maxReplicas: 30,
      scaleDown: { ...noDownWindow, selectPolicy: 'Disabled' },
    });
    const down = at(noDown, 0, 10, 0.1);
    expect(down).toMatchObject({
      desired: 10,
      recommendation: 2,
      limitedBy: 'ScaleDownLimit',
      changed: false,
    });
    expect(down.why).toContain('scale-down disabled (selectPolicy Disabled)');
    expect(at(noDown, SYNC, 10, 1.0).desired).toBe(20); // scaling up still works
  });

  it('docs example: 4 pods or 10% per minute (Max) goes 80 → 72 → 64 …, 4 at a time below 40', () => {
    const scaleDown: HpaRules = {
      stabilizationWindowMs: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodMs: 60_000 },
        { type: 'Percent', value: 10, periodMs: 60_000 },
      ],
    };
    // The load asks for 10 replicas throughout: ceil(9.5) = 10.
    const steps = run(hpa({ target: 0.5, maxReplicas: 100, scaleDown }), 80, 60, (c) => (0.5 * 9.5) / c);
    const changes = steps.filter((s) => s.d.changed).map((s) => [s.t / 1000, s.d.desired]);
    // 10% of 72 is 7.2: 64.8 is truncated to 64, i.e. 8 pods go ("rounded up to 8" in the docs).
    expect(changes).toEqual([
      [0, 72],
      [60, 64],
      [120, 57],
      [180, 51],
      [240, 45],
      [300, 40],
      [360, 36],
      [420, 32],
      [480, 28],
      [540, 24],
      [600, 20],
      [660, 16],
      [720, 12],
      [780, 10],
    ]);
    expect(steps[0]!.d.why).toContain(
      'scale-down limited to −8 by 4 pods per 60 s or 10% per 60 s, whichever allows more',
    );
    expect(steps[1]!.d).toMatchObject({ desired: 72, limitedBy: 'ScaleDownLimit', changed: false });
  });

  it('docs example: 10% or 5 pods per minute with selectPolicy Min removes at most 5 (and 10% when smaller)', () => {
    const scaleDown: HpaRules = {
      stabilizationWindowMs: 0,
      selectPolicy: 'Min',
      policies: [
        { type: 'Percent', value: 10, periodMs: 60_000 },
        { type: 'Pods', value: 5, periodMs: 60_000 },
      ],
    };
    const spec = { target: 0.5, maxReplicas: 100, scaleDown };
    expect(at(hpa(spec), 0, 80, 0.05)).toMatchObject({ desired: 75, limitedBy: 'ScaleDownLimit' });
    expect(at(hpa(spec), 0, 40, 0.05)).toMatchObject({ desired: 36, limitedBy: 'ScaleDownLimit' });
  });

  it('a scale-up within the period lowers the base of a scale-down (periodStart = current − added + removed)', () => {
    const scaleDown: HpaRules = {
      stabilizationWindowMs: 0,
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 50, periodMs: 60_000 }],
    };
    const h = hpa({ target: 0.5, scaleDown });
    expect(at(h, 0, 4, 1.0).desired).toBe(8);
    // 15 s later: periodStart = 8 − 4 + 0 = 4, so the limit is trunc(4 × 0.5) = 2, not 4.
    expect(at(h, SYNC, 8, 0.05)).toMatchObject({
      desired: 2,
      recommendation: 1,
      limitedBy: 'ScaleDownLimit',
    });
  });
});

describe('hpa: min and max', () => {
  it('clamps a recommendation to maxReplicas and minReplicas', () => {
    const up = at(hpa({ target: 0.5, maxReplicas: 10 }), 0, 8, 1.0);
    expect(up).toMatchObject({
      desired: 10,
      recommendation: 16,
      limitedBy: 'TooManyReplicas',
      changed: true,
    });
    expect(up.why).toContain('capped at maxReplicas 10');
    const down = at(hpa({ target: 0.5, minReplicas: 3, scaleDown: noDownWindow }), 0, 8, 0.05);
    expect(down).toMatchObject({ desired: 3, recommendation: 1, limitedBy: 'TooFewReplicas', changed: true });
    expect(down.why).toContain('floored at minReplicas 3');
  });

  it('the stricter of rate limit and bound wins', () => {
    const scaleDown: HpaRules = {
      stabilizationWindowMs: 0,
      selectPolicy: 'Max',
      policies: [{ type: 'Pods', value: 1, periodMs: 15_000 }],
    };
    expect(at(hpa({ target: 0.5, minReplicas: 3, scaleDown }), 0, 10, 0.05)).toMatchObject({
      desired: 9,
      limitedBy: 'ScaleDownLimit',
    });
  });

  it('a count outside [min, max] is corrected at once, before any metric', () => {
    const h = hpa({ minReplicas: 2, maxReplicas: 6 });
    expect(at(h, 0, 9, null)).toEqual({
      desired: 6,
      recommendation: 6,
      ratio: null,
      limitedBy: 'TooManyReplicas',
      why: 'checkout 9 → 6: above maxReplicas 6',
      changed: true,
    });
    expect(at(h, SYNC, 1, 0.99)).toMatchObject({
      desired: 2,
      limitedBy: 'TooFewReplicas',
      why: 'checkout 1 → 2: below minReplicas 2',
    });
  });

  it('0 replicas with minReplicas > 0 disables scaling (implicit maintenance mode)', () => {
    const d = at(hpa(), 0, 0, 5);
    expect(d).toMatchObject({ desired: 0, changed: false });
    expect(d.why).toBe('checkout stays at 0: scaling is disabled while the target has 0 replicas');
  });
});

describe('hpa: input and spec checks', () => {
  it('rejects invalid specs', () => {
    const bad: Partial<HpaSpec>[] = [
      { minReplicas: 5, maxReplicas: 4 },
      { minReplicas: 1.5 },
      { target: 0 },
      { tolerance: -0.1 },
      { syncPeriodMs: 0 },
      { scaleDown: { ...HPA_DEFAULTS.scaleDown, stabilizationWindowMs: 3_600_001 } },
      { scaleUp: { ...HPA_DEFAULTS.scaleUp, policies: [] } },
      { scaleUp: { ...HPA_DEFAULTS.scaleUp, policies: [{ type: 'Pods', value: 0, periodMs: 15_000 }] } },
      { scaleUp: { ...HPA_DEFAULTS.scaleUp, policies: [{ type: 'Percent', value: 10, periodMs: 0 }] } },
    ];
    for (const over of bad) expect(() => hpa(over)).toThrow(RangeError);
  });

  it('rejects time going backwards and malformed input', () => {
    const h = hpa();
    at(h, 30_000, 2, 0.5);
    expect(() => at(h, 15_000, 2, 0.5)).toThrow(/time went backwards/);
    expect(() => at(h, 45_000, 2.5, 0.5)).toThrow(RangeError);
    expect(() => at(h, 45_000, 2, Number.NaN)).toThrow(RangeError);
    expect(() => at(h, 45_000, 2, 0.5, -1)).toThrow(RangeError);
  });
});
