/**
 * Finite queues: M/M/c/K blocking (scenarios/theory/mmck.yaml) and the Erlang B loss system
 * (scenarios/theory/erlang-b.yaml). Refused requests fail with `queue_full`; their share of the
 * requests is the blocking probability (PASTA). Twenty replications (15 min and 5 min);
 * tolerance 3.88 standard errors (99.9% t quantile), and the theory value 10% off
 * would be rejected.
 */
import { beforeAll, describe, it } from 'vitest';
import type { ResultsDocument } from '../../src/observe/results.ts';
import { erlangB, mmck } from '../../src/observe/theory.ts';
import { expectAgrees, HOOK_TIMEOUT_MS, measure, replicate, theoryScenario } from './replications.ts';

/** Share of a workload's requests refused with `queue_full`. */
const blockedShare =
  (workload: string) =>
  (r: ResultsDocument): number => {
    const w = r.workloads[workload]!;
    return (w.failures.queue_full ?? 0) / w.requests;
  };

describe('M/M/2/5: λ = 18/s, μ = 10/s, two workers, three waiting places', () => {
  const theory = mmck(18, 10, 2, 5);
  let runs: ResultsDocument[];
  beforeAll(async () => {
    runs = replicate(await theoryScenario('mmck'));
  }, HOOK_TIMEOUT_MS);
  const svc = (r: ResultsDocument) => r.services.buffer!;

  it('the share refused with queue_full is p_K ≈ 0.141', () => {
    expectAgrees('P(block)', measure(runs, blockedShare('arrivals')), theory.blocking);
  });

  it('accepted requests: L, Lq, utilization and W = L/(λ(1 − p_K)) as the birth–death chain says', () => {
    const inSystem = measure(runs, (r) => svc(r).meanInSystem);
    const inQueue = measure(runs, (r) => svc(r).meanQueueLength);
    const utilization = measure(runs, (r) => svc(r).utilization);
    const latency = measure(runs, (r) => r.workloads.arrivals!.latencyMs.mean);
    expectAgrees('L', inSystem, theory.L);
    expectAgrees('Lq', inQueue, theory.Lq);
    // Busy workers = accepted rate × E[S], shared by c = 2 workers.
    expectAgrees('utilization', utilization, (theory.throughput * 0.1) / 2);
    expectAgrees('W (ms)', latency, theory.W * 1000);
  });
});

describe('Erlang B: three workers, no queue, offered load 2 erlangs', () => {
  const loss = erlangB(3, 2);
  let runs: ResultsDocument[];
  beforeAll(async () => {
    runs = replicate(await theoryScenario('erlang-b'));
  }, HOOK_TIMEOUT_MS);

  for (const kind of ['exponential', 'constant'] as const) {
    it(`${kind} work: the share lost is B(3, 2) = 4/19 ≈ 0.2105 (insensitive to the distribution)`, () => {
      expectAgrees(`${kind} P(loss)`, measure(runs, blockedShare(`to-${kind}`)), loss);
    });

    it(`${kind} work: mean busy workers = a(1 − B) and utilization a(1 − B)/c`, () => {
      const inSystem = measure(runs, (r) => r.services[kind]!.meanInSystem);
      const utilization = measure(runs, (r) => r.services[kind]!.utilization);
      expectAgrees(`${kind} L`, inSystem, 2 * (1 - loss));
      expectAgrees(`${kind} utilization`, utilization, (2 * (1 - loss)) / 3);
    });
  }
});
