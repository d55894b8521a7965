/**
 * Processor sharing: M/M/1-PS (scenarios/theory/mm1-ps.yaml) has the FIFO queue's means, and
 * in M/G/1-PS (scenarios/theory/ps-sizes.yaml) a job's mean response time is proportional to its
 * size, E[T | s] = s/(1 − ρ), while FIFO makes every size wait the same Pollaczek–Khinchine Wq.
 * Twenty replications; tolerance 3.88 standard errors (99.9% t quantile), and the theory value
 * 10% off (15% for the noisier mean latencies at ρ = 0.8) would be rejected.
 */
import { beforeAll, describe, it } from 'vitest';
import type { ResultsDocument } from '../../src/observe/results.ts';
import { mm1, pollaczekKhinchine, psConditionalResponse } from '../../src/observe/theory.ts';
import {
  expectAgrees,
  expectPositive,
  HOOK_TIMEOUT_MS,
  measure,
  NOISY,
  replicate,
  theoryScenario,
} from './replications.ts';

describe('M/M/1-PS, λ = 8/s, μ = 10/s', () => {
  const theory = mm1(8, 10);
  let runs: ResultsDocument[];
  beforeAll(async () => {
    runs = replicate(await theoryScenario('mm1-ps'));
  }, HOOK_TIMEOUT_MS);
  const server = (r: ResultsDocument) => r.services.server!;

  it('mean time in system is 1/(μ − λ) = 0.5 s, as under FIFO', () => {
    const latency = measure(runs, (r) => r.workloads.arrivals!.latencyMs.mean);
    expectAgrees('W (ms)', latency, theory.W * 1000, NOISY);
  });

  it('L = ρ/(1 − ρ) = 4 and utilization ρ = 0.8', () => {
    const inSystem = measure(runs, (r) => server(r).meanInSystem);
    const utilization = measure(runs, (r) => server(r).utilization);
    expectAgrees('L', inSystem, theory.L, NOISY);
    expectAgrees('utilization', utilization, theory.rho);
  });
});

describe('short (50 ms) and long (150 ms) jobs, half each, λ = 8/s, ρ = 0.8', () => {
  const rho = 0.8;
  const fifo = pollaczekKhinchine(8, 0.1, (0.05 ** 2 + 0.15 ** 2) / 2);
  let runs: ResultsDocument[];
  beforeAll(async () => {
    runs = replicate(await theoryScenario('ps-sizes'));
  }, HOOK_TIMEOUT_MS);
  const mean = (r: ResultsDocument, service: string, endpoint: string): number =>
    r.services[service]!.endpoints[endpoint]!.latencyMs.mean!;
  const latency = (service: string, endpoint: string) => measure(runs, (r) => mean(r, service, endpoint));

  it('PS: E[T | s] = s/(1 − ρ): 250 ms for short jobs, 750 ms for long ones', () => {
    expectAgrees('PS short (ms)', latency('shared', 'short'), psConditionalResponse(50, rho), NOISY);
    expectAgrees('PS long (ms)', latency('shared', 'long'), psConditionalResponse(150, rho), NOISY);
  });

  it('PS: the response time is proportional to the size (long/short = 3)', () => {
    const ratio = measure(runs, (r) => mean(r, 'shared', 'long') / mean(r, 'shared', 'short'));
    expectAgrees('PS long/short', ratio, 3);
  });

  it('FIFO: both sizes wait the same Wq = 250 ms, so short 300 ms and long 400 ms', () => {
    expectAgrees('FIFO short (ms)', latency('fifo', 'short'), (fifo.Wq + 0.05) * 1000, NOISY);
    expectAgrees('FIFO long (ms)', latency('fifo', 'long'), (fifo.Wq + 0.15) * 1000, NOISY);
  });

  it('short jobs are faster under PS than under FIFO (by 50 ms), long ones slower (by 350 ms)', () => {
    const shortGain = measure(runs, (r) => mean(r, 'fifo', 'short') - mean(r, 'shared', 'short'));
    const longLoss = measure(runs, (r) => mean(r, 'shared', 'long') - mean(r, 'fifo', 'long'));
    expectPositive('FIFO short − PS short (ms)', shortGain);
    expectPositive('PS long − FIFO long (ms)', longLoss);
  });
});
