/**
 * Independent replications for the validation tests. Queue outputs are autocorrelated, so the
 * spread of one run's requests says little about the error of its mean; runs with different
 * seeds, however, are independent and identically distributed, so the standard error of a
 * statistic is the sample standard deviation of its per-run values over √n (Law & Kelton,
 * "Simulation Modeling and Analysis", §9.4), and (mean − truth)/SE follows Student's t with
 * n − 1 degrees of freedom. The tolerance is the two-sided 99.9% quantile of that t times the SE
 * (4.78 SE for 10 runs, 3.88 SE for 20): correct code fails a comparison with probability 10⁻³,
 * and the seeds are fixed, so a pass is reproducible, not lucky. Each comparison also asserts
 * that the theory value off by `detects` (10% unless stated) would have fallen outside the band:
 * the test can fail.
 */
import { expect } from 'vitest';
import type { ResultsDocument } from '../../src/observe/results.ts';
import { createSession } from '../../src/runtime/session.ts';
import { loadScenario, type ResolvedScenario } from '../../src/scenario/index.ts';

/** Time allowed to run a file's replications (a few seconds normally; generous for a loaded CI box). */
export const HOOK_TIMEOUT_MS = 120_000;

/** Two-sided 99.9% quantiles of Student's t, by degrees of freedom (any statistics table). */
const T_999: Readonly<Record<number, number>> = { 9: 4.781, 14: 4.14, 19: 3.883, 29: 3.659 };

/** The tolerance, in standard errors, for an estimate from `n` replications. */
export function tolerance(n: number): number {
  const t = T_999[n - 1];
  if (t === undefined) throw new Error(`no t quantile for ${n} replications`);
  return t;
}

/**
 * Seeds of the replications: fixed (1001, 1002, …), so every run of the suite sees the same
 * numbers. MICROSIM_VALIDATION_SEED=<first seed> draws other ones, to check that the tolerances
 * hold for other samples too (a robustness check, not for CI).
 */
export const seeds = (n: number): number[] => {
  const first = Number(process.env.MICROSIM_VALIDATION_SEED ?? 1001);
  return Array.from({ length: n }, (_, i) => first + i);
};

/** Loads `scenarios/theory/<name>.yaml` (or a path relative to the repo when it has a slash). */
export async function theoryScenario(name: string): Promise<ResolvedScenario> {
  const path = name.includes('/') ? name : `scenarios/theory/${name}.yaml`;
  return loadScenario(new URL(`../../${path}`, import.meta.url).pathname);
}

/** Time-series interval of the replications: the series is not compared here (see `replicate`). */
const SERIES_INTERVAL_MS = 60_000;

/**
 * Runs `scenario` once per seed; every run must complete (not stop as unstable or at a limit).
 * The time series gets a one-minute interval: the compared statistics are differences of
 * cumulative integrals and counters, identical (to float rounding) for any interval, and the
 * per-second series points (percentiles of each interval) cost about a fifth of the run time.
 */
export function replicate(scenario: ResolvedScenario, n = 20): ResultsDocument[] {
  return seeds(n).map((seed) => {
    const run = { ...scenario, seed, metrics: { intervalMs: SERIES_INTERVAL_MS } };
    const results = createSession(run).runToEnd();
    expect(results.run.endReason, results.run.message).toBe('completed');
    return results;
  });
}

/** Mean and standard error of one statistic over replications. */
export interface Estimate {
  readonly mean: number;
  readonly se: number;
  readonly n: number;
}

export function estimate(values: readonly (number | null | undefined)[]): Estimate {
  const xs = values.map((v) => {
    if (v === null || v === undefined || !Number.isFinite(v)) throw new Error(`not a number: ${v}`);
    return v;
  });
  const n = xs.length;
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  return { mean, se: Math.sqrt(variance / n), n };
}

/** The estimate of `pick` over `runs`. */
export const measure = (
  runs: readonly ResultsDocument[],
  pick: (r: ResultsDocument) => number | null | undefined,
): Estimate => estimate(runs.map(pick));

export interface AgreeOptions {
  /**
   * Relative error the comparison must be able to catch: asserts that expected values off by
   * this fraction, theory·(1 ± detects), would both fall outside the band and so fail. Default 10%.
   */
  readonly detects?: number;
  /** The magnitude `detects` is a fraction of, when the theory value is 0 (default |theory|). */
  readonly reference?: number;
}

/**
 * Asserts that `theory` lies within k standard errors of the replications' mean, and that
 * `theory` off by `detects` (either way) would have been rejected.
 */
export function expectAgrees(label: string, est: Estimate, theory: number, options: AgreeOptions = {}): void {
  const k = tolerance(est.n);
  const detects = options.detects ?? 0.1;
  const offBy = detects * (options.reference ?? Math.abs(theory));
  const band = k * est.se;
  const show = `${label}: theory ${fmt(theory)}, measured ${fmt(est.mean)} ± ${fmt(est.se)} (SE, n=${est.n}), tolerance ±${fmt(band)}`;
  expect(Math.abs(est.mean - theory), show).toBeLessThanOrEqual(band);
  const missed = `${show}: would accept a value ${detects * 100}% off`;
  expect(Math.abs(est.mean - (theory + offBy)), missed).toBeGreaterThan(band);
  expect(Math.abs(est.mean - (theory - offBy)), missed).toBeGreaterThan(band);
  if (process.env.MICROSIM_VALIDATION_LOG) console.log(show);
}

/** Asserts that `est` is positive beyond its tolerance band (a one-sided contrast). */
export function expectPositive(label: string, est: Estimate): void {
  const band = tolerance(est.n) * est.se;
  const show = `${label}: measured ${fmt(est.mean)} ± ${fmt(est.se)} (SE, n=${est.n}), must exceed ${fmt(band)}`;
  expect(est.mean, show).toBeGreaterThan(band);
  if (process.env.MICROSIM_VALIDATION_LOG) console.log(show);
}

/**
 * `detects` for comparisons whose band is typically 4–7% of the value (waits and queue lengths
 * at ρ ≈ 0.8, whose run-to-run spread is large): a 15% error is then rejected reliably, where
 * 10% would sit at the band's edge for some samples.
 */
export const NOISY = { detects: 0.15 } as const;

const fmt = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(1) : x.toPrecision(4));
