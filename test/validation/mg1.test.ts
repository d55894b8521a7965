/**
 * M/G/1 against the Pollaczek–Khinchine formula (scenarios/theory/mg1.yaml): constant and
 * lognormal work of mean 100 ms. Twenty replications of 45 min; tolerance 3.88 standard
 * errors of the replication mean (99.9% t quantile), and the theory value 10% off
 * (15% for the lognormal's wait and queue) would be rejected.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResultsDocument } from '../../src/observe/results.ts';
import { lognormalMean, mm1, pollaczekKhinchine, secondMoment } from '../../src/observe/theory.ts';
import { expectAgrees, HOOK_TIMEOUT_MS, measure, replicate, theoryScenario } from './replications.ts';

/** The lognormal's ln-parameters in ms, as written in the scenario: mean e^(μ + σ²/2) = 100 ms. */
const LN_MU_MS = 4.105170186;
const LN_SIGMA = 1;
const lnMu = LN_MU_MS - Math.log(1000); // the same distribution in seconds

const cases = [
  {
    service: 'deterministic',
    workload: 'to-deterministic',
    theory: pollaczekKhinchine(8, 0.1, secondMoment.constant(0.1)),
    detects: 0.1,
  },
  {
    service: 'lognormal',
    workload: 'to-lognormal',
    theory: pollaczekKhinchine(5, lognormalMean(lnMu, LN_SIGMA), secondMoment.lognormal(lnMu, LN_SIGMA)),
    // The rare long requests make its mean wait and queue noisy (band ~7%): held to 15%.
    detects: 0.15,
  },
] as const;

let runs: ResultsDocument[];

beforeAll(async () => {
  runs = replicate(await theoryScenario('mg1'));
}, HOOK_TIMEOUT_MS);

describe('M/G/1: Pollaczek–Khinchine, Wq = λE[S²]/(2(1 − ρ))', () => {
  it('the scenario’s lognormal has mean 100 ms; M/D/1 waits half as long as M/M/1', () => {
    expect(lognormalMean(lnMu, LN_SIGMA)).toBeCloseTo(0.1, 9);
    expect(cases[0].theory.Wq).toBeCloseTo(mm1(8, 10).Wq / 2, 12);
  });

  for (const { service, workload, theory, detects } of cases) {
    describe(`${service} work (ρ = ${theory.rho.toFixed(2)})`, () => {
      const svc = (r: ResultsDocument) => r.services[service]!;
      it(`mean wait Wq = ${(theory.Wq * 1000).toFixed(1)} ms`, () => {
        const wait = measure(runs, (r) => svc(r).endpoints.serve!.waitMs.mean);
        expectAgrees(`${service} Wq (ms)`, wait, theory.Wq * 1000, { detects });
      });

      it(`mean time in system W = Wq + E[S] = ${(theory.W * 1000).toFixed(1)} ms`, () => {
        const latency = measure(runs, (r) => r.workloads[workload]!.latencyMs.mean);
        expectAgrees(`${service} W (ms)`, latency, theory.W * 1000);
      });

      it(`mean queue Lq = λWq = ${theory.Lq.toFixed(3)} and utilization ρ`, () => {
        const inQueue = measure(runs, (r) => svc(r).meanQueueLength);
        const utilization = measure(runs, (r) => svc(r).utilization);
        expectAgrees(`${service} Lq`, inQueue, theory.Lq, { detects });
        expectAgrees(`${service} utilization`, utilization, theory.rho);
      });
    });
  }
});
