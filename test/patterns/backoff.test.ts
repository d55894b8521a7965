import { describe, expect, it } from 'vitest';
import { createRandomStreams, type RandomStream } from '../../src/engine/random.ts';
import { type BackoffSpec, backoffMean, createBackoff } from '../../src/patterns/backoff.ts';

const SEED = 20240917;
const N = 100_000;

function stream(name: string, seed = SEED): RandomStream {
  return createRandomStreams(seed).stream(name);
}

/** A stream that counts its draws. */
function counting(rng: RandomStream): { rng: RandomStream; draws: () => number } {
  let n = 0;
  return {
    rng: () => {
      n++;
      return rng();
    },
    draws: () => n,
  };
}

function sample(spec: BackoffSpec, retry: number, name: string): Float64Array {
  const b = createBackoff(spec, stream(name));
  const xs = new Float64Array(N);
  for (let i = 0; i < N; i++) xs[i] = b.delay(retry, 0);
  return xs;
}

function range(xs: Float64Array): { lo: number; hi: number } {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const x of xs) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  return { lo, hi };
}

function meanAndSd(xs: Float64Array): { mean: number; sd: number } {
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / xs.length;
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  return { mean, sd: Math.sqrt(ss / (xs.length - 1)) };
}

describe('backoff: full jitter (AWS), retry numbering', () => {
  const spec: BackoffSpec = { kind: 'full-jitter', baseMs: 5, capMs: 2000 };

  it('retry 3 with base 5 ms and cap 2 s averages 20 ms (ceiling 5·2³ = 40 ms)', () => {
    expect(backoffMean(spec, 3)).toBe(20);
    const xs = sample(spec, 3, 'full-3');
    const { mean } = meanAndSd(xs);
    // Uniform[0, 40): sd = 40/√12 ≈ 11.55 ms, so the standard error of the mean of N = 1e5 draws
    // is ≈ 0.0365 ms; 5 standard errors ≈ 0.18 ms. A wrong exponent (2^2 or 2^4) would give 10 or 40.
    const se = 40 / Math.sqrt(12) / Math.sqrt(N);
    expect(Math.abs(mean - 20)).toBeLessThan(5 * se);
  });

  it('stays in [0, min(cap, base·2^retry)) and reaches near the ceiling', () => {
    for (const retry of [1, 2, 5, 8, 9, 20]) {
      const ceiling = Math.min(2000, 5 * 2 ** retry);
      const { lo, hi } = range(sample(spec, retry, `full-bounds-${retry}`));
      expect(lo).toBeGreaterThanOrEqual(0);
      expect(hi).toBeLessThan(ceiling);
      // With 1e5 uniform draws the chance that none lands in the top 0.1% is (0.999)^1e5 ≈ e^-100.
      expect(hi).toBeGreaterThan(0.999 * ceiling);
    }
  });
});

describe('backoff: equal jitter (AWS)', () => {
  const spec: BackoffSpec = { kind: 'equal-jitter', baseMs: 5, capMs: 2000 };

  it('stays in [v/2, v) with v = min(cap, base·2^retry), capped from retry 9 on', () => {
    for (const retry of [1, 3, 9, 12]) {
      const v = Math.min(2000, 5 * 2 ** retry);
      const { lo, hi } = range(sample(spec, retry, `equal-${retry}`));
      expect(lo).toBeGreaterThanOrEqual(v / 2);
      expect(hi).toBeLessThan(v);
    }
  });

  it('averages 3v/4', () => {
    expect(backoffMean(spec, 3)).toBe(30);
    const { mean } = meanAndSd(sample(spec, 3, 'equal-mean'));
    // v/2 + Uniform[0, 20): sd = 20/√12, SE ≈ 0.018 ms at N = 1e5; tolerance 5 SE.
    expect(Math.abs(mean - 30)).toBeLessThan((5 * 20) / Math.sqrt(12) / Math.sqrt(N));
  });
});

describe('backoff: exponential (Resilience4j)', () => {
  it('without randomization is initial × multiplier^(retry−1): 500, 750, 1125, then capped', () => {
    const spec: BackoffSpec = {
      kind: 'exponential',
      initialMs: 500,
      multiplier: 1.5,
      maxMs: 1500,
      randomization: 0,
    };
    const c = counting(stream('exp-plain'));
    const b = createBackoff(spec, c.rng);
    expect([1, 2, 3, 4, 5].map((n) => b.delay(n, 0))).toEqual([500, 750, 1125, 1500, 1500]);
    expect([1, 2, 3, 4].map((n) => backoffMean(spec, n))).toEqual([500, 750, 1125, 1500]);
    expect(c.draws()).toBe(0);
  });

  it('randomized lies in [i(1−f), i(1+f)) and the cap applies after randomizing', () => {
    // Retry 3: i = 1125, f = 0.5 → [562.5, 1687.5); the cap 1500 cuts the top.
    const spec: BackoffSpec = {
      kind: 'exponential',
      initialMs: 500,
      multiplier: 1.5,
      maxMs: 1500,
      randomization: 0.5,
    };
    const xs = sample(spec, 3, 'exp-random');
    const { lo, hi } = range(xs);
    expect(lo).toBeGreaterThanOrEqual(562.5);
    expect(hi).toBe(1500);
    let atCap = 0;
    for (const x of xs) if (x === 1500) atCap++;
    // P(draw ≥ 1500) = (1687.5 − 1500) / 1125 = 1/6. Binomial SE = √(p(1−p)/N) ≈ 0.0012;
    // tolerance 5 SE. Capping before randomizing would give 0 draws at exactly 1500.
    const p = 1 / 6;
    expect(Math.abs(atCap / N - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N));
    // The closed-form mean of the capped uniform, checked against the sample (5 SE).
    const mean = backoffMean(spec, 3)!;
    expect(mean).toBeCloseTo(((1500 ** 2 - 562.5 ** 2) / 2 + 1500 * 187.5) / 1125, 9);
    const s = meanAndSd(xs);
    expect(Math.abs(s.mean - mean)).toBeLessThan((5 * s.sd) / Math.sqrt(N));
  });

  it('retry 1 with the Resilience4j defaults (500 ms, f = 0.5) lies in [250, 750)', () => {
    const b = createBackoff(
      {
        kind: 'exponential',
        initialMs: 500,
        multiplier: 1.5,
        maxMs: Number.POSITIVE_INFINITY,
        randomization: 0.5,
      },
      stream('exp-r1'),
    );
    const { lo, hi } = range(Float64Array.from({ length: 10_000 }, () => b.delay(1, 0)));
    expect(lo).toBeGreaterThanOrEqual(250);
    expect(hi).toBeLessThan(750);
  });
});

describe('backoff: decorrelated jitter (AWS)', () => {
  const spec: BackoffSpec = { kind: 'decorrelated-jitter', baseMs: 5, capMs: 2000 };

  it('each delay lies in [base, min(cap, 3·prev)], prev starting at base', () => {
    const b = createBackoff(spec, stream('decorr'));
    let reachedCap = false;
    const outside: string[] = [];
    for (let chain = 0; chain < 2000; chain++) {
      let prev = 0;
      for (let retry = 1; retry <= 12; retry++) {
        const d = b.delay(retry, prev);
        if (d < 5 || d > Math.min(2000, 3 * Math.max(prev, 5))) outside.push(`${d} after ${prev}`);
        if (d === 2000) reachedCap = true;
        prev = d;
      }
    }
    expect(outside).toEqual([]);
    expect(reachedCap).toBe(true);
    expect(backoffMean(spec, 1)).toBeUndefined();
  });
});

describe('backoff: none, fixed, determinism, validation', () => {
  it('none is 0 and fixed is its delay, drawing nothing', () => {
    const c = counting(stream('plain'));
    const none = createBackoff({ kind: 'none' }, c.rng);
    const fixed = createBackoff({ kind: 'fixed', delayMs: 500 }, c.rng);
    expect([none.delay(1, 0), none.delay(4, 0), fixed.delay(1, 0), fixed.delay(7, 500)]).toEqual([
      0, 0, 500, 500,
    ]);
    expect(backoffMean({ kind: 'fixed', delayMs: 500 }, 2)).toBe(500);
    expect(c.draws()).toBe(0);
  });

  it('randomized kinds draw exactly one uniform per delay', () => {
    const specs: BackoffSpec[] = [
      { kind: 'full-jitter', baseMs: 5, capMs: 2000 },
      { kind: 'equal-jitter', baseMs: 5, capMs: 2000 },
      { kind: 'decorrelated-jitter', baseMs: 5, capMs: 2000 },
      { kind: 'exponential', initialMs: 500, multiplier: 1.5, maxMs: 5000, randomization: 0.5 },
    ];
    for (const spec of specs) {
      const c = counting(stream(`draws-${spec.kind}`));
      const b = createBackoff(spec, c.rng);
      for (let retry = 1; retry <= 5; retry++) b.delay(retry, 100);
      expect(c.draws()).toBe(5);
    }
  });

  it('the same seed gives the same delays; another seed gives others', () => {
    const spec: BackoffSpec = { kind: 'decorrelated-jitter', baseMs: 5, capMs: 2000 };
    const run = (seed: number) => {
      const b = createBackoff(spec, stream('retry/checkout', seed));
      const out: number[] = [];
      let prev = 0;
      for (let retry = 1; retry <= 8; retry++) {
        prev = b.delay(retry, prev);
        out.push(prev);
      }
      return out;
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('rejects retry numbers below 1 and bad specs', () => {
    const b = createBackoff({ kind: 'fixed', delayMs: 1 }, stream('v'));
    expect(() => b.delay(0, 0)).toThrow(RangeError);
    expect(() => b.delay(1.5, 0)).toThrow(RangeError);
    expect(() => backoffMean({ kind: 'none' }, 0)).toThrow(RangeError);
    expect(() =>
      createBackoff(
        { kind: 'exponential', initialMs: 500, multiplier: 1.5, maxMs: 1e4, randomization: 1.5 },
        stream('v'),
      ),
    ).toThrow(/randomization/);
    expect(() => createBackoff({ kind: 'full-jitter', baseMs: -1, capMs: 10 }, stream('v'))).toThrow(
      /baseMs/,
    );
  });
});
