/**
 * An open workload's arrival rate over time: piecewise linear through knots (steps are two knots
 * at the same time), constant after the last knot. Arrival times come from inverting the
 * cumulative rate Λ(t): constant arrivals sit at Λ = 1, 2, 3…; Poisson arrivals at Λ increments
 * drawn from Exp(1). Exact for steps and ramps, and a zero rate simply produces no arrivals.
 */
import type { RateChange } from './world-spec.ts';

interface Knot {
  readonly t: number;
  /** Requests per ms. */
  readonly rate: number;
  /** Λ(t): expected arrivals in [0, t]. */
  cumulative: number;
}

export interface RateCurve {
  /** The time (ms) at which Λ reaches `target`, or Infinity if it never does. */
  timeOf(target: number): number;
}

export function createRateCurve(initialPerSec: number, profile: readonly RateChange[]): RateCurve {
  const knots: Knot[] = [{ t: 0, rate: initialPerSec / 1000, cumulative: 0 }];
  const valueAt = (t: number): number => {
    let i = knots.length - 1;
    while (i > 0 && knots[i]!.t > t) i--;
    const a = knots[i]!;
    const b = knots[i + 1];
    if (b === undefined || b.t === a.t) return a.rate;
    return a.rate + ((b.rate - a.rate) * (t - a.t)) / (b.t - a.t);
  };
  for (const change of profile) {
    const start = valueAt(change.atMs);
    while (knots.length > 1 && knots[knots.length - 1]!.t > change.atMs) knots.pop();
    knots.push({ t: change.atMs, rate: start, cumulative: 0 });
    knots.push({ t: change.atMs + change.rampMs, rate: change.ratePerSec / 1000, cumulative: 0 });
  }
  for (let i = 1; i < knots.length; i++) {
    const a = knots[i - 1]!;
    const b = knots[i]!;
    b.cumulative = a.cumulative + ((a.rate + b.rate) / 2) * (b.t - a.t);
  }

  return {
    timeOf(target) {
      let i = 0;
      while (i + 1 < knots.length && knots[i + 1]!.cumulative < target) i++;
      const a = knots[i]!;
      const b = knots[i + 1];
      const need = target - a.cumulative;
      if (need <= 0) return a.t;
      if (b === undefined) return a.rate > 0 ? a.t + need / a.rate : Number.POSITIVE_INFINITY;
      const width = b.t - a.t;
      const slope = (b.rate - a.rate) / width;
      // Solve a.rate·x + slope/2·x² = need for x in [0, width], in a cancellation-free form.
      // max(0, …): rounding can make the discriminant slightly negative at the end of a ramp to 0.
      const x =
        slope === 0
          ? need / a.rate
          : (2 * need) / (a.rate + Math.sqrt(Math.max(0, a.rate * a.rate + 2 * slope * need)));
      return a.t + Math.min(Math.max(x, 0), width);
    },
  };
}
