/**
 * Statistics over independent replications: every number of a results document becomes a mean
 * with a confidence interval.
 *
 * Runs with different seeds are independent and identically distributed, so for a statistic with
 * per-run values x₁…xₙ the interval mean ± t(1 − α/2, n − 1) · s/√n covers the true expected value
 * with probability 1 − α when the per-run values are close to normal (Law & Kelton, "Simulation
 * Modeling and Analysis", §9.4.1). One run's requests are autocorrelated, so a single run's own
 * spread says little about its error: only replications give an honest interval.
 */
import type { ResultsDocument } from './results.ts';

/** A statistic over replications. With one value there is no interval: `low`/`high` are null. */
export interface Interval {
  /** Runs that had a value for it (a statistic with no samples in a run, e.g. a p99 of nothing, is absent there). */
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1 in the denominator); null when n < 2. */
  readonly sd: number | null;
  /** Half the width of the confidence interval; null when n < 2. */
  readonly halfWidth: number | null;
  readonly low: number | null;
  readonly high: number | null;
}

/** The confidence level of every interval microsim reports. */
export const CONFIDENCE = 0.95;

/** Mean and `confidence` interval (Student t) of `values`; null for no values. */
export function interval(values: readonly number[], confidence = CONFIDENCE): Interval | null {
  const n = values.length;
  if (n === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  if (n < 2) return { n, mean, sd: null, halfWidth: null, low: null, high: null };
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const sd = Math.sqrt(squares / (n - 1));
  const halfWidth = tQuantile(1 - (1 - confidence) / 2, n - 1) * (sd / Math.sqrt(n));
  return { n, mean, sd, halfWidth, low: mean - halfWidth, high: mean + halfWidth };
}

/** The quantile `p` of Student's t with `df` degrees of freedom (bisection on the CDF, 1e-12). */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`a quantile needs 0 < p < 1, got ${p}`);
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be positive, got ${df}`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -tQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (tCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom, through the regularized incomplete beta. */
export function tCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The regularized incomplete beta I_x(a, b) (continued fraction; Numerical Recipes §6.4). */
function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2)
    ? (front * betaFraction(x, a, b)) / a
    : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    for (const aa of [
      (m * (b - m) * x) / ((a + m2 - 1) * (a + m2)),
      (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1)),
    ]) {
      d = 1 + aa * d;
      if (Math.abs(d) < tiny) d = tiny;
      c = 1 + aa / c;
      if (Math.abs(c) < tiny) c = tiny;
      d = 1 / d;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return h;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; about 15 significant digits). */
function logGamma(x: number): number {
  const g = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = g[0]!;
  for (let i = 1; i < 9; i++) sum += g[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Sections of a results document whose numbers are statistics of the run (the rest is metadata). */
const MEASURED_SECTIONS = [
  'workloads',
  'services',
  'work',
  'cost',
  'edges',
  'breakers',
  'faults',
  'deploys',
  'messaging',
] as const;

/**
 * Keys left out: time series and timelines (sequences over time, not statistics of the run), and
 * moments that describe the scenario rather than measure the run (when a fault started, the
 * bounds of its baseline window, when a conservation check ran).
 */
const SKIPPED_KEYS = new Set([
  'timeSeries',
  'transitions',
  'points',
  'startedAt',
  'endedAt',
  'fromMs',
  'toMs',
  'at',
]);

/**
 * Every number of a results document that measures the run, by its JSON path
 * (`workloads.shoppers.latencyMs.p99`), plus `simulated.events`. Lists of named entries (faults,
 * deploys) are keyed by name; time series, timelines, moments (`startedAt`…), nulls and metadata
 * are left out.
 */
export function flattenMetrics(results: ResultsDocument): Record<string, number> {
  const out: Record<string, number | null> = {};
  walkSections(results, out);
  for (const [path, value] of Object.entries(out)) if (value === null) delete out[path];
  return out as Record<string, number>;
}

/** The paths of every metric of the document, those without a value (null) included. */
export function metricPaths(results: ResultsDocument): Set<string> {
  const out: Record<string, number | null> = {};
  walkSections(results, out);
  return new Set(Object.keys(out));
}

function walkSections(results: ResultsDocument, out: Record<string, number | null>): void {
  out['simulated.events'] = results.simulated.events;
  const doc = results as unknown as Record<string, unknown>;
  for (const section of MEASURED_SECTIONS) {
    if (doc[section] !== undefined) walk(doc[section], section, out);
  }
}

function walk(value: unknown, path: string, out: Record<string, number | null>): void {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) out[path] = value;
  } else if (value === null) {
    out[path] = null;
  } else if (Array.isArray(value)) {
    for (const item of value) {
      const name = (item as { name?: unknown } | null)?.name;
      if (typeof name === 'string') walk(item, `${path}.${name}`, out);
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      if (!SKIPPED_KEYS.has(key)) walk(child, `${path}.${key}`, out);
    }
  }
}

/**
 * Counts that the results document lists only when they occurred — by reason (`failures`,
 * `rootCauses`, `rejections`, `requeues`, `reasons`), a message destination's failed publishes,
 * and a breaker's openings (a breaker appears only once it changed state): a run without one had
 * zero of it, not an unknown number.
 */
const ZERO_WHEN_ABSENT = [
  /\.(failures|rootCauses|rejections|requeues|reasons)\.[^.]+$/,
  /^messaging\.publishFailures\.[^.]+\.failed$/,
  /^breakers\.[^.]+\.(opened|openMs)$/,
];

/** True when a run without `path` had zero of it (see ZERO_WHEN_ABSENT). */
export function zeroWhenAbsent(path: string): boolean {
  return ZERO_WHEN_ABSENT.some((re) => re.test(path));
}

/**
 * The values of `path` over the runs: a count missing from a run is 0 there; any other missing
 * value (a statistic with no samples) is left out.
 */
export function metricValues(perRun: readonly Readonly<Record<string, number>>[], path: string): number[] {
  const zero = zeroWhenAbsent(path);
  const values: number[] = [];
  for (const run of perRun) {
    const v = run[path];
    if (v !== undefined) values.push(v);
    else if (zero) values.push(0);
  }
  return values;
}

/**
 * The interval of every metric over the runs (`perRun[k]` is the flattened metrics of run k), by
 * `metricValues`. Keys are sorted, so the result does not depend on the order runs finished in.
 */
export function aggregateMetrics(
  perRun: readonly Readonly<Record<string, number>>[],
  confidence = CONFIDENCE,
): Record<string, Interval> {
  const paths = new Set<string>();
  for (const run of perRun) for (const key of Object.keys(run)) paths.add(key);
  const out: Record<string, Interval> = {};
  for (const path of [...paths].sort()) {
    const stat = interval(metricValues(perRun, path), confidence);
    if (stat !== null) out[path] = stat;
  }
  return out;
}
