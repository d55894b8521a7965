/**
 * M/M/1 (scenarios/mm1.yaml: λ = 8/s, μ = 10/s, one worker, FIFO, no network latency) against
 * its closed forms. Ten replications of 2 h simulated (≈ 57 000 requests each); the tolerance of
 * each comparison is 4.78 standard errors of the replication mean (the 99.9% quantile of t with
 * 9 degrees of freedom, see replications.ts), and each comparison also asserts that the theory value 10% off (15% for the noisier waits and queue
 * lengths, 30% for p99) would fall outside that band (e.g. a utilization of 0.88 or 0.72 against
 * a band of ±0.003 around 0.799).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResultsDocument } from '../../src/observe/results.ts';
import { mm1 } from '../../src/observe/theory.ts';
import { expectAgrees, HOOK_TIMEOUT_MS, measure, NOISY, replicate, theoryScenario } from './replications.ts';

const theory = mm1(8, 10);
let runs: ResultsDocument[];

beforeAll(async () => {
  runs = replicate(await theoryScenario('scenarios/mm1.yaml'), 10);
}, HOOK_TIMEOUT_MS);

const server = (r: ResultsDocument) => r.services.server!;
const endpoint = (r: ResultsDocument) => server(r).endpoints.serve!;
const client = (r: ResultsDocument) => r.workloads.arrivals!;

describe('M/M/1, λ = 8/s, μ = 10/s', () => {
  it('utilization is ρ = λ/μ = 0.8', () => {
    const utilization = measure(runs, (r) => server(r).utilization);
    expectAgrees('utilization', utilization, theory.rho);
  });

  it('mean time in system is W = 1/(μ − λ) = 0.5 s', () => {
    const latency = measure(runs, (r) => client(r).latencyMs.mean);
    expectAgrees('W (ms)', latency, theory.W * 1000, NOISY);
  });

  it('mean wait is Wq = ρ/(μ − λ) = 0.4 s', () => {
    const wait = measure(runs, (r) => endpoint(r).waitMs.mean);
    expectAgrees('Wq (ms)', wait, theory.Wq * 1000, NOISY);
  });

  it('p99 of the time in system is ln(100)/(μ − λ) ≈ 2.303 s (exponential sojourn)', () => {
    // A 99th percentile depends on the rare long busy periods, so it converges slower than a
    // mean: its band is about ±17% here, and this comparison is stated to detect a 30% error.
    const p99 = measure(runs, (r) => client(r).latencyMs.p99);
    expectAgrees('p99 (ms)', p99, theory.sojournQuantile(0.99) * 1000, { detects: 0.3 });
  });

  it('the share of requests that wait is ρ (PASTA: arrivals see time averages)', () => {
    const waited = measure(runs, (r) => endpoint(r).waitedFraction);
    expectAgrees('waitedFraction', waited, theory.waitProbability);
  });

  it('mean number in system L = ρ/(1 − ρ) = 4 and in queue Lq = ρ²/(1 − ρ) = 3.2', () => {
    const inSystem = measure(runs, (r) => server(r).meanInSystem);
    const inQueue = measure(runs, (r) => server(r).meanQueueLength);
    expectAgrees('L', inSystem, theory.L, NOISY);
    expectAgrees('Lq', inQueue, theory.Lq, NOISY);
  });

  it("Little's law L = λW holds in every run, up to the window's edges", () => {
    // Not statistical: L and λW are two accountings of the same customer-seconds. They differ
    // only by the requests present at the window's edges (about L of them, each a few W), i.e.
    // by ~2·L·W/T ≈ 3·10⁻⁴ of L for T = 7140 s. 0.5% leaves a 15× margin and still rejects a
    // residence that forgot the wait (80% of W) or a λ off by 10%.
    for (const r of runs) {
      const s = server(r);
      const lambdaW = (s.arrivalsPerSec * s.residenceMs.mean!) / 1000;
      expect(Math.abs(s.meanInSystem - lambdaW) / s.meanInSystem).toBeLessThan(0.005);
    }
  });
});
