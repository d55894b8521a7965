/**
 * The two statistical promises of issue 8, measured on the M/M/1 queue (λ = 8/s, μ = 10/s, whose
 * mean time in system is 1/(μ − λ) = 0.5 s):
 * - 95% intervals from replications cover the true value about 95% of the time;
 * - common random numbers shrink the variance of a paired difference.
 * Seeds are fixed (base seeds 1000 + i), so a pass is reproducible, not lucky.
 */
import { describe, expect, it } from 'vitest';
import { comparePaired } from '../../src/observe/comparison.ts';
import { interval } from '../../src/observe/replication-stats.ts';
import { replicate, replicationSeed } from '../../src/runtime/replications.ts';

const FILE = 'scenarios/mm1.yaml';
const MEAN = 'workloads.arrivals.latencyMs.mean';
/** Per-minute series points: the compared statistics do not depend on the series interval. */
const LEAN = { metrics: { interval: '60s' } };

describe('95% intervals over replications (M/M/1, W = 0.5 s)', () => {
  it('cover the true mean time in system in at least 90 of 100 independent studies', async () => {
    // 100 studies of 5 runs (20 min simulated each, 1 min warm-up): a study is what
    // `microsim run mm1.yaml --runs 5 --seed <1000+i>` computes. With exact 95% coverage, fewer than
    // 90 hits out of 100 has probability 2.8% (binomial); with these seeds we measured 93.
    // Shorter runs bias the mean low (the queue starts empty) and skew it: coverage then drops.
    const studies = 100;
    const n = 5;
    const { outcomes } = await replicate({
      file: FILE,
      overrides: { duration: '20m', warmup: '1m', ...LEAN },
      runs: Array.from({ length: studies * n }, (_, j) => ({
        replication: j,
        seed: replicationSeed(1000 + Math.floor(j / n), j % n),
      })),
      threads: 2,
    });
    const intervals = Array.from({ length: studies }, (_, i) =>
      interval(outcomes.slice(i * n, (i + 1) * n).map((o) => o.metrics[MEAN]!)),
    );
    const covers = (truth: number): number =>
      intervals.filter((iv) => iv!.low! <= truth && truth <= iv!.high!).length;
    if (process.env.MICROSIM_VALIDATION_LOG) console.log('covered', covers(500), covers(550));
    expect(covers(500)).toBeGreaterThanOrEqual(90);
    // The check has teeth: a truth 10% off (0.55 s) is covered far less often.
    expect(covers(550)).toBeLessThan(70);
  }, 300_000);
});

describe('common random numbers', () => {
  it('at least halve the variance of the paired difference of two service speeds', async () => {
    // a: work exp(100 ms); b: exp(90 ms). With CRN run k of a and b share a seed, so they see the
    // same arrivals and the same work draws (scaled): their latencies move together. Independent:
    // b uses other seeds. With 30 pairs, a variance ratio below 0.5 would arise by chance with
    // probability under 5% if CRN did nothing (the 5% quantile of F(29, 29) is 0.54); we
    // measured about 0.25 with these seeds.
    const n = 30;
    const variant = (work: string) => ({
      duration: '10m',
      warmup: '30s',
      ...LEAN,
      services: { server: { endpoints: { serve: { work } } } },
    });
    const seeds = Array.from({ length: n }, (_, k) => replicationSeed(77, k));
    const others = Array.from({ length: n }, (_, k) => replicationSeed(77, n + k));
    const { outcomes } = await replicate({
      file: FILE,
      overrides: {},
      threads: 2,
      runs: [
        ...seeds.map((seed, k) => ({ replication: k, seed, overrides: variant('exp(100ms)') })),
        ...seeds.map((seed, k) => ({ replication: n + k, seed, overrides: variant('exp(90ms)') })),
        ...others.map((seed, k) => ({ replication: 2 * n + k, seed, overrides: variant('exp(90ms)') })),
      ],
    });
    const a = outcomes.slice(0, n);
    const crn = comparePaired(a, outcomes.slice(n, 2 * n))[MEAN]!;
    const independent = comparePaired(a, outcomes.slice(2 * n))[MEAN]!;
    const ratio = crn.diff.sd! ** 2 / independent.diff.sd! ** 2;
    if (process.env.MICROSIM_VALIDATION_LOG) console.log('variance ratio', ratio, crn.diff);
    expect(ratio).toBeLessThan(0.5);
    // Both estimate the same difference: 1/(1/0.09 − 8) − 0.5 s ≈ −178.6 ms.
    const truth = 1000 / (1 / 0.09 - 8) - 500;
    expect(crn.diff.low!).toBeLessThan(truth);
    expect(crn.diff.high!).toBeGreaterThan(truth);
    expect(crn.verdict).toBe('better');
  }, 300_000);
});
