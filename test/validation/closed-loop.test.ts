/**
 * A closed loop (scenarios/theory/closed-loop.yaml): N = 10 users with exponential think time of
 * mean Z = 1 s and one exponential server of mean S = 100 ms, compared with exact mean value
 * analysis and with the response time law R = N/X − Z. Twenty replications of 30 min; tolerance
 * 3.88 standard errors of the replication mean (99.9% t quantile), and the theory value
 * 10% off would be rejected.
 */
import { beforeAll, describe, it } from 'vitest';
import type { ResultsDocument } from '../../src/observe/results.ts';
import { mvaSingleServer } from '../../src/observe/theory.ts';
import { expectAgrees, HOOK_TIMEOUT_MS, measure, replicate, theoryScenario } from './replications.ts';

const N = 10;
const Z = 1;
const theory = mvaSingleServer(N, 0.1, Z);
let runs: ResultsDocument[];

beforeAll(async () => {
  runs = replicate(await theoryScenario('closed-loop'));
}, HOOK_TIMEOUT_MS);

const users = (r: ResultsDocument) => r.workloads.users!;

describe('closed loop, N = 10, Z = 1 s, S = 100 ms', () => {
  it('throughput X and response time R match exact MVA', () => {
    const throughput = measure(runs, (r) => users(r).throughputPerSec);
    const latency = measure(runs, (r) => users(r).latencyMs.mean);
    const utilization = measure(runs, (r) => r.services.server!.utilization);
    const inSystem = measure(runs, (r) => r.services.server!.meanInSystem);
    expectAgrees('X (1/s)', throughput, theory.X);
    expectAgrees('R (ms)', latency, theory.R * 1000);
    expectAgrees('utilization', utilization, theory.utilization);
    expectAgrees('L at the server', inSystem, theory.Q);
  });

  it('the response time law R = N/X − Z holds', () => {
    // Per run, N/X − Z − R is zero up to the think times' sampling noise (their mean is 1 s only
    // on average) and the window's edges; its mean over runs must be 0 within the band, and the band
    // must be under 10% of R (a law off by 10% of R would be rejected).
    const gap = measure(runs, (r) => N / users(r).throughputPerSec - Z - users(r).latencyMs.mean! / 1000);
    expectAgrees('N/X − Z − R (s)', gap, 0, { reference: theory.R });
  });
});
