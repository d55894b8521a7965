/**
 * Probability distributions of non-negative quantities (work times, latencies, think times,
 * inter-arrival gaps). Values are plain numbers; the scenario layer converts units (times are ms).
 *
 * Negative draws: `normal` is truncated at zero by redrawing (rejection), so it never returns a
 * negative value; `distributionMean`/`distributionVariance` give the moments of that truncated
 * distribution, which differ from `mean`/`sd` when `mean < 3·sd`.
 */
import type { RandomStream } from './random.ts';

export type Distribution =
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'exponential'; readonly mean: number }
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number }
  | { readonly kind: 'normal'; readonly mean: number; readonly sd: number }
  /** Natural-log parameters: the underlying normal has mean `mu` and standard deviation `sigma`. */
  | { readonly kind: 'lognormal'; readonly mu: number; readonly sigma: number }
  /** Gamma with integer or real `shape` k and the given mean (scale = mean / k); Erlang-k when k is an integer. */
  | { readonly kind: 'gamma'; readonly shape: number; readonly mean: number }
  | { readonly kind: 'mixture'; readonly components: readonly MixtureComponent[] }
  /** Each listed value equally likely. */
  | { readonly kind: 'empirical'; readonly values: readonly number[] };

export interface MixtureComponent {
  readonly weight: number;
  readonly dist: Distribution;
}

/** z such that P(Z <= z) = 0.99 for a standard normal. */
export const Z99 = 2.3263478740408408;

/** Lognormal from its median and 99th percentile (p99 > median > 0). */
export function lognormalFromMedianP99(median: number, p99: number): Distribution {
  const mu = Math.log(median);
  return { kind: 'lognormal', mu, sigma: (Math.log(p99) - mu) / Z99 };
}

/** Returns a function drawing one value per call from `dist`, using `rng` for uniforms. */
export function createSampler(dist: Distribution, rng: RandomStream): () => number {
  switch (dist.kind) {
    case 'constant': {
      const v = dist.value;
      return () => v;
    }
    case 'exponential': {
      const m = dist.mean;
      return () => -m * Math.log(1 - rng());
    }
    case 'uniform': {
      const { min } = dist;
      const width = dist.max - dist.min;
      return () => min + width * rng();
    }
    case 'normal': {
      const std = createStdNormal(rng);
      const { mean, sd } = dist;
      return () => {
        for (;;) {
          const x = mean + sd * std();
          if (x >= 0) return x;
        }
      };
    }
    case 'lognormal': {
      const std = createStdNormal(rng);
      const { mu, sigma } = dist;
      return () => Math.exp(mu + sigma * std());
    }
    case 'gamma':
      return createGammaSampler(dist.shape, dist.mean / dist.shape, rng);
    case 'mixture': {
      const total = dist.components.reduce((s, c) => s + c.weight, 0);
      const cumulative: number[] = [];
      let acc = 0;
      for (const c of dist.components) {
        acc += c.weight / total;
        cumulative.push(acc);
      }
      const samplers = dist.components.map((c) => createSampler(c.dist, rng));
      const last = samplers.length - 1;
      return () => {
        const u = rng();
        for (let i = 0; i < last; i++) if (u < cumulative[i]!) return samplers[i]!();
        return samplers[last]!();
      };
    }
    case 'empirical': {
      const values = dist.values;
      const n = values.length;
      return () => values[Math.floor(rng() * n)]!;
    }
  }
}

/** Standard normal draws by Box–Muller; the second value of each pair is kept for the next call. */
function createStdNormal(rng: RandomStream): () => number {
  let spare = Number.NaN;
  return () => {
    if (!Number.isNaN(spare)) {
      const s = spare;
      spare = Number.NaN;
      return s;
    }
    const u1 = 1 - rng(); // (0, 1]
    const u2 = rng();
    const r = Math.sqrt(-2 * Math.log(u1));
    spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  };
}

/** Marsaglia–Tsang gamma sampler; shape < 1 uses the boost `G(k+1)·U^(1/k)`. */
function createGammaSampler(shape: number, scale: number, rng: RandomStream): () => number {
  const std = createStdNormal(rng);
  const boost = shape < 1;
  const k = boost ? shape + 1 : shape;
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  return () => {
    let v: number;
    for (;;) {
      const x = std();
      const t = 1 + c * x;
      if (t <= 0) continue;
      v = t * t * t;
      const u = 1 - rng();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) break;
    }
    const g = d * v * scale;
    return boost ? g * (1 - rng()) ** (1 / shape) : g;
  };
}

/** The exact mean of values drawn from `dist` (for `normal`, of the zero-truncated distribution). */
export function distributionMean(dist: Distribution): number {
  return moments(dist)[0];
}

/** The exact variance of values drawn from `dist` (for `normal`, of the zero-truncated distribution). */
export function distributionVariance(dist: Distribution): number {
  const [m, m2] = moments(dist);
  return m2 - m * m;
}

/** First and second raw moments. */
function moments(dist: Distribution): [number, number] {
  switch (dist.kind) {
    case 'constant':
      return [dist.value, dist.value * dist.value];
    case 'exponential':
      return [dist.mean, 2 * dist.mean * dist.mean];
    case 'uniform': {
      const { min: a, max: b } = dist;
      return [(a + b) / 2, (a * a + a * b + b * b) / 3];
    }
    case 'normal': {
      const { mean: m, sd: s } = dist;
      if (s === 0) return [m, m * m];
      const alpha = -m / s;
      const tail = 1 - stdNormalCdf(alpha);
      const lambda = stdNormalPdf(alpha) / tail;
      const mean = m + s * lambda;
      const variance = s * s * (1 + alpha * lambda - lambda * lambda);
      return [mean, variance + mean * mean];
    }
    case 'lognormal': {
      const { mu, sigma } = dist;
      return [Math.exp(mu + (sigma * sigma) / 2), Math.exp(2 * mu + 2 * sigma * sigma)];
    }
    case 'gamma': {
      const theta = dist.mean / dist.shape;
      return [dist.mean, dist.shape * (dist.shape + 1) * theta * theta];
    }
    case 'mixture': {
      const total = dist.components.reduce((s, c) => s + c.weight, 0);
      let m1 = 0;
      let m2 = 0;
      for (const c of dist.components) {
        const [a, b] = moments(c.dist);
        m1 += (c.weight / total) * a;
        m2 += (c.weight / total) * b;
      }
      return [m1, m2];
    }
    case 'empirical': {
      const n = dist.values.length;
      let m1 = 0;
      let m2 = 0;
      for (const v of dist.values) {
        m1 += v / n;
        m2 += (v * v) / n;
      }
      return [m1, m2];
    }
  }
}

function stdNormalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** Standard normal CDF via the complementary error function (Numerical Recipes erfc, |error| < 1.2e-7). */
export function stdNormalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}
