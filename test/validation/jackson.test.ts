/**
 * An open Jackson network with probabilistic routing and feedback
 * (scenarios/theory/jackson.yaml): external arrivals γ = 6/s at a; a → b or c with probability
 * 1/2 each; b → a with probability 1/2. The traffic equations give each node's arrival rate; by
 * Jackson's theorem each node is then an M/M/1 with that rate, and by Little's law the
 * end-to-end mean latency is Σ L_i / γ. Twenty replications of 30 min; tolerance 3.88 standard
 * errors of the replication mean (99.9% t quantile), and the theory value 10% off
 * (15% for the L of the busier nodes) would be rejected.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResultsDocument } from '../../src/observe/results.ts';
import { jacksonTraffic, mm1 } from '../../src/observe/theory.ts';
import { expectAgrees, HOOK_TIMEOUT_MS, measure, replicate, theoryScenario } from './replications.ts';

const gamma = [6, 0, 0];
// Routing probabilities P[from][to] over (a, b, c).
const P = [
  [0, 0.5, 0.5],
  [0.5, 0, 0],
  [0, 0, 0],
];
const lambdas = jacksonTraffic(gamma, P);
const meanWorkS = [0.0875, 0.15, 0.125];
// The L of the busier nodes (a at ρ = 0.7, b at 0.6) has a band of ~5%: held to 15%.
const lDetects = [0.15, 0.15, 0.1];
const nodes = ['a', 'b', 'c'].map((name, i) => ({
  name,
  lambda: lambdas[i]!,
  lDetects: lDetects[i]!,
  ...mm1(lambdas[i]!, 1 / meanWorkS[i]!),
}));
let runs: ResultsDocument[];

beforeAll(async () => {
  runs = replicate(await theoryScenario('jackson'));
}, HOOK_TIMEOUT_MS);

describe('open Jackson network a → {b, c}, b → a', () => {
  it('the traffic equations give λ = (8, 4, 4)/s', () => {
    expect(lambdas.map((l) => Math.round(l * 1e9) / 1e9)).toEqual([8, 4, 4]);
  });

  it('no request failed (call depth, queues) in any run', () => {
    for (const r of runs) {
      const w = r.workloads.arrivals!;
      expect(w.failed).toBe(0);
      expect(w.failures).toEqual({});
      expect(w.ok + w.inFlight).toBe(w.requests);
    }
  });

  for (const node of nodes) {
    it(`${node.name}: arrivals λ = ${node.lambda}/s, utilization ${node.rho.toFixed(2)}, L = ${node.L.toFixed(3)}`, () => {
      const svc = (r: ResultsDocument) => r.services[node.name]!;
      const arrivals = measure(runs, (r) => svc(r).arrivalsPerSec);
      const utilization = measure(runs, (r) => svc(r).utilization);
      const inSystem = measure(runs, (r) => svc(r).meanInSystem);
      expectAgrees(`${node.name} λ`, arrivals, node.lambda);
      expectAgrees(`${node.name} utilization`, utilization, node.rho);
      expectAgrees(`${node.name} L`, inSystem, node.L, { detects: node.lDetects });
    });
  }

  it('end-to-end mean latency is Σ L_i / γ ≈ 0.806 s (Little)', () => {
    const total = nodes.reduce((s, n) => s + n.L, 0) / gamma[0]!;
    const latency = measure(runs, (r) => r.workloads.arrivals!.latencyMs.mean);
    expectAgrees('T (ms)', latency, total * 1000);
  });
});
