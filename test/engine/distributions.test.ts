import { describe, expect, it } from 'vitest';
import {
  createSampler,
  type Distribution,
  distributionMean,
  distributionVariance,
  lognormalFromMedianP99,
  stdNormalCdf,
  Z99,
} from '../../src/engine/distributions.ts';
import { createRandomStreams } from '../../src/engine/random.ts';

const N = 200_000;

function draw(dist: Distribution, name: string): Float64Array {
  const next = createSampler(dist, createRandomStreams(20240917).stream(name));
  const xs = new Float64Array(N);
  for (let i = 0; i < N; i++) xs[i] = next();
  return xs;
}

/** Sample mean and unbiased sample variance (two passes, for accuracy). */
function stats(xs: Float64Array): { mean: number; variance: number } {
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / xs.length;
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  return { mean, variance: ss / (xs.length - 1) };
}

/** Raw moments E[X^k], k = 0..4, of a normal(m, s) truncated to x >= 0, by Simpson's rule. */
function truncatedNormalRawMoments(m: number, s: number): number[] {
  const lo = 0;
  const hi = Math.max(m, 0) + 14 * s;
  const steps = 40_000;
  const h = (hi - lo) / steps;
  const acc = [0, 0, 0, 0, 0];
  for (let i = 0; i <= steps; i++) {
    const x = lo + i * h;
    const w = (i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2) * Math.exp(-0.5 * ((x - m) / s) ** 2);
    for (let k = 0; k <= 4; k++) acc[k]! += w * x ** k;
  }
  return acc.map((a) => a / acc[0]!);
}

/** Central fourth moment from raw moments E[X^1..4]. */
function central4([, e1, e2, e3, e4]: number[]): number {
  return e4! - 4 * e1! * e3! + 6 * e1! ** 2 * e2! - 3 * e1! ** 4;
}

const lognormalRaw = (mu: number, sigma: number): number[] =>
  [0, 1, 2, 3, 4].map((k) => Math.exp(k * mu + (k * k * sigma * sigma) / 2));
const empiricalRaw = (values: number[]): number[] =>
  [0, 1, 2, 3, 4].map((k) => values.reduce((s, v) => s + v ** k, 0) / values.length);

interface Case {
  readonly name: string;
  readonly dist: Distribution;
  /** Central fourth moment mu4, used for the standard error of the sample variance. */
  readonly mu4: number;
}

const median40p99 = lognormalFromMedianP99(40, 400);
const p = 0.1; // mixture: X = 50 + 500·B with B ~ Bernoulli(0.1)

const cases: Case[] = [
  { name: 'constant 20', dist: { kind: 'constant', value: 20 }, mu4: 0 },
  { name: 'exponential mean 100', dist: { kind: 'exponential', mean: 100 }, mu4: 9 * 100 ** 4 },
  { name: 'uniform 5..15', dist: { kind: 'uniform', min: 5, max: 15 }, mu4: 10 ** 4 / 80 },
  { name: 'normal 50, sd 10 (truncation negligible)', dist: { kind: 'normal', mean: 50, sd: 10 }, mu4: 3e4 },
  {
    name: 'normal 10, sd 10 (truncation matters)',
    dist: { kind: 'normal', mean: 10, sd: 10 },
    mu4: central4(truncatedNormalRawMoments(10, 10)),
  },
  {
    name: 'normal 0, sd 10 (half-normal)',
    dist: { kind: 'normal', mean: 0, sd: 10 },
    mu4: central4(truncatedNormalRawMoments(0, 10)),
  },
  {
    name: 'lognormal mu 3, sigma 0.5',
    dist: { kind: 'lognormal', mu: 3, sigma: 0.5 },
    mu4: central4(lognormalRaw(3, 0.5)),
  },
  {
    name: 'lognormal median 40, p99 400',
    dist: median40p99,
    mu4: central4(lognormalRaw(Math.log(40), Math.log(10) / Z99)),
  },
  // Gamma(k, theta): mu4 = 3k(k+2)·theta^4.
  { name: 'gamma k=1 (exponential)', dist: { kind: 'gamma', shape: 1, mean: 10 }, mu4: 3 * 1 * 3 * 10 ** 4 },
  { name: 'gamma k=3 (Erlang-3)', dist: { kind: 'gamma', shape: 3, mean: 30 }, mu4: 3 * 3 * 5 * 10 ** 4 },
  { name: 'gamma k=2.5', dist: { kind: 'gamma', shape: 2.5, mean: 10 }, mu4: 3 * 2.5 * 4.5 * 4 ** 4 },
  {
    name: 'gamma k=0.5 (shape < 1)',
    dist: { kind: 'gamma', shape: 0.5, mean: 10 },
    mu4: 3 * 0.5 * 2.5 * 20 ** 4,
  },
  {
    name: 'mixture 90% const 50 / 10% const 550',
    dist: {
      kind: 'mixture',
      components: [
        { weight: 9, dist: { kind: 'constant', value: 50 } }, // weights 9:1, normalized by the sampler
        { weight: 1, dist: { kind: 'constant', value: 550 } },
      ],
    },
    mu4: 500 ** 4 * p * (1 - p) * (1 - 3 * p + 3 * p * p), // Bernoulli central 4th moment, scaled
  },
  {
    name: 'empirical [1, 2, 3, 10]',
    dist: { kind: 'empirical', values: [1, 2, 3, 10] },
    mu4: central4(empiricalRaw([1, 2, 3, 10])),
  },
];

describe('distributionMean / distributionVariance against hand-computed closed forms', () => {
  const phi1 = Math.exp(-0.5) / Math.sqrt(2 * Math.PI); // φ(1)
  const lambda = phi1 / 0.8413447460685429; // φ(1) / Φ(1): inverse Mills ratio at alpha = -1
  // normal(50, 10): alpha = -5; the truncated moments differ from 50 / 100 only by ~1e-5 relative.
  const lambda5 = Math.exp(-12.5) / Math.sqrt(2 * Math.PI) / (1 - 2.866515718791939e-7); // φ(5) / Φ(5)
  it.each<[string, Distribution, number, number]>([
    ['constant 20', { kind: 'constant', value: 20 }, 20, 0],
    ['exponential 100', { kind: 'exponential', mean: 100 }, 100, 100 * 100],
    ['uniform 5..15', { kind: 'uniform', min: 5, max: 15 }, 10, 100 / 12],
    [
      'normal 50, 10',
      { kind: 'normal', mean: 50, sd: 10 },
      50 + 10 * lambda5,
      100 * (1 - 5 * lambda5 - lambda5 ** 2),
    ],
    [
      'normal 10, 10 truncated',
      { kind: 'normal', mean: 10, sd: 10 },
      10 + 10 * lambda,
      100 * (1 - lambda - lambda ** 2),
    ],
    [
      'half-normal sd 10',
      { kind: 'normal', mean: 0, sd: 10 },
      10 * Math.sqrt(2 / Math.PI),
      100 * (1 - 2 / Math.PI),
    ],
    ['normal sd 0', { kind: 'normal', mean: 7, sd: 0 }, 7, 0],
    ['lognormal 0, 1', { kind: 'lognormal', mu: 0, sigma: 1 }, Math.exp(0.5), (Math.E - 1) * Math.E],
    ['gamma k=3 mean 30', { kind: 'gamma', shape: 3, mean: 30 }, 30, 3 * 10 * 10],
    ['gamma k=0.5 mean 10', { kind: 'gamma', shape: 0.5, mean: 10 }, 10, 0.5 * 20 * 20],
    ['mixture 90/10', cases[12]!.dist, 0.9 * 50 + 0.1 * 550, 500 * 500 * 0.1 * 0.9],
    ['empirical', { kind: 'empirical', values: [1, 2, 3, 10] }, 4, 12.5],
  ])('%s', (_name, dist, mean, variance) => {
    // 1e-6 relative: the closed forms are exact; the normal CDF approximation has |error| < 1.2e-7.
    expect(distributionMean(dist)).toBeCloseTo(mean, 4);
    expect(Math.abs(distributionMean(dist) - mean)).toBeLessThanOrEqual(1e-6 * Math.max(1, mean));
    expect(Math.abs(distributionVariance(dist) - variance)).toBeLessThanOrEqual(1e-6 * Math.max(1, variance));
  });

  it('truncated-normal moments agree with numerical integration of the density', () => {
    for (const [m, s] of [
      [10, 10],
      [0, 10],
      [5, 20],
      [-5, 10],
      [30, 10],
    ] as const) {
      const [, e1, e2] = truncatedNormalRawMoments(m, s);
      const dist: Distribution = { kind: 'normal', mean: m, sd: s };
      expect(Math.abs(distributionMean(dist) - e1!) / e1!).toBeLessThan(1e-5);
      expect(Math.abs(distributionVariance(dist) - (e2! - e1! ** 2)) / (e2! - e1! ** 2)).toBeLessThan(1e-5);
    }
  });

  it('lognormalFromMedianP99 sets mu = ln(median) and sigma = ln(p99/median) / z99', () => {
    const d = lognormalFromMedianP99(40, 400);
    expect(d).toEqual({
      kind: 'lognormal',
      mu: Math.log(40),
      sigma: expect.closeTo(Math.log(10) / 2.3263478740408408, 12),
    });
    expect(stdNormalCdf(Z99)).toBeCloseTo(0.99, 6);
    expect(stdNormalCdf(0)).toBeCloseTo(0.5, 6);
    expect(stdNormalCdf(-1.959963984540054)).toBeCloseTo(0.025, 6);
  });
});

describe('sampled moments match distributionMean / distributionVariance (N = 200,000)', () => {
  // Tolerances: 5 standard errors. SE(mean) = sqrt(var / N). For the sample variance,
  // SE = sqrt((mu4 - var^2) / N), with mu4 the exact central fourth moment given per case
  // (hand-derived, or from the exact raw moments; by numerical integration for the truncated normal).
  // With a fixed seed the outcome is deterministic; a real bias of > 5 SE fails.
  it.each(cases)('$name', ({ name, dist, mu4 }) => {
    const xs = draw(dist, name);
    for (let i = 0; i < N; i++) {
      const x = xs[i]!;
      if (!(x >= 0)) expect.fail(`sample ${i} is negative or NaN: ${x}`);
    }
    const { mean, variance } = stats(xs);
    const mu = distributionMean(dist);
    const v = distributionVariance(dist);
    const seMean = Math.sqrt(v / N);
    const seVar = Math.sqrt(Math.max(0, mu4 - v * v) / N);
    expect(Math.abs(mean - mu), `mean ${mean} vs ${mu}`).toBeLessThanOrEqual(
      5 * seMean + 1e-9 * Math.abs(mu),
    );
    expect(Math.abs(variance - v), `variance ${variance} vs ${v}`).toBeLessThanOrEqual(5 * seVar + 1e-9 * v);
  });

  it('lognormalFromMedianP99(40, 400) has empirical median 40 and p99 400', () => {
    const xs = draw(median40p99, 'lognormal quantiles');
    let belowMedian = 0;
    let belowP99 = 0;
    for (const x of xs) {
      if (x <= 40) belowMedian++;
      if (x <= 400) belowP99++;
    }
    // The count of draws <= q is Binomial(N, P): tolerance 5·sqrt(P(1-P)/N) on the fraction.
    expect(Math.abs(belowMedian / N - 0.5)).toBeLessThan(5 * Math.sqrt((0.5 * 0.5) / N));
    expect(Math.abs(belowP99 / N - 0.99)).toBeLessThan(5 * Math.sqrt((0.99 * 0.01) / N));
  });

  it('empirical draws each listed value with frequency 1/n, and only those values', () => {
    const values = [1, 2, 3, 10];
    const xs = draw({ kind: 'empirical', values }, 'empirical freq');
    const counts = new Map<number, number>();
    for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual(values);
    // Binomial(N, 1/4) counts: sd = sqrt(N·(1/4)(3/4)) ≈ 194; 5 sd.
    for (const c of counts.values()) expect(Math.abs(c - N / 4)).toBeLessThan(5 * Math.sqrt(N * 0.25 * 0.75));
  });

  it('the mixture draws only its two constants, in a 90/10 proportion', () => {
    const xs = draw(cases[12]!.dist, 'mixture freq');
    let high = 0;
    for (const x of xs) {
      if (x === 550) high++;
      else if (x !== 50) expect.fail(`unexpected mixture value ${x}`);
    }
    expect(Math.abs(high / N - 0.1)).toBeLessThan(5 * Math.sqrt((0.1 * 0.9) / N));
  });

  it('the same seed and stream reproduce the same samples', () => {
    const a = draw({ kind: 'gamma', shape: 0.7, mean: 3 }, 'repro');
    const b = draw({ kind: 'gamma', shape: 0.7, mean: 3 }, 'repro');
    const firstDiff = a.findIndex((x, i) => x !== b[i]);
    expect(firstDiff).toBe(-1);
  });
});
