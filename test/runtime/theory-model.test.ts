/**
 * Which closed-form model a scenario matches (src/runtime/theory-model.ts): the shipped theory
 * scenarios, variants of scenarios/mm1.yaml that must be refused or change the model, and — the
 * point of it all — the predicted values against long simulated runs, path by path.
 */
import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { flattenMetrics } from '../../src/observe/replication-stats.ts';
import type { ResultsDocument, TheoryValue } from '../../src/observe/results.ts';
import { erlangB, md1, mg1, mm1, mmck } from '../../src/observe/theory.ts';
import { mergeScenario, readScenarioData, type ScenarioOverrides } from '../../src/runtime/run-scenario.ts';
import { createSession } from '../../src/runtime/session.ts';
import { matchTheoryModel, type TheoryMatch } from '../../src/runtime/theory-model.ts';
import { loadScenario, type ResolvedScenario, resolveScenario } from '../../src/scenario/index.ts';
import {
  type AgreeOptions,
  expectAgrees,
  HOOK_TIMEOUT_MS,
  measure,
  NOISY,
  replicate,
  theoryScenario,
} from '../validation/replications.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const MM1 = `${ROOT}scenarios/mm1.yaml`;

/** scenarios/mm1.yaml with `overrides` merged in (as `runScenario(file, { overrides })` does). */
async function mm1With(overrides: ScenarioOverrides): Promise<ResolvedScenario> {
  return resolveScenario(mergeScenario(await readScenarioData(MM1), overrides), MM1);
}

type Matched = Extract<TheoryMatch, { model: string }>;

function matched(m: TheoryMatch): Matched {
  if (m.model === null) throw new Error(`expected a model, got: ${m.reason.en}`);
  return m;
}

function refusal(m: TheoryMatch): string {
  if (m.model !== null) throw new Error(`expected no model, got ${m.model}`);
  return m.reason.en;
}

const byPath = (m: Matched): Map<string, number> => new Map(m.values.map((v) => [v.path, v.value]));

describe('the shipped theory scenarios', () => {
  /** Every file of scenarios/theory/ and scenarios/mm1.yaml: a model name, or text its reason holds. */
  const EXPECTED: Readonly<Record<string, { model: string } | { reason: string }>> = {
    'scenarios/mm1.yaml': { model: 'M/M/1' },
    'scenarios/theory/mm1-ps.yaml': { model: 'M/M/1-PS' },
    'scenarios/theory/mmck.yaml': { model: 'M/M/2/5' },
    'scenarios/theory/closed-loop.yaml': { reason: 'a closed workload (10 users who think)' },
    'scenarios/theory/erlang-b.yaml': { reason: 'two services (exponential, constant)' },
    'scenarios/theory/jackson.yaml': { reason: 'three services (a, b, c)' },
    'scenarios/theory/mg1.yaml': { reason: 'two services (deterministic, lognormal)' },
    'scenarios/theory/mmc-vs-separate.yaml': { reason: 'two services (pool, separate)' },
    'scenarios/theory/ps-sizes.yaml': { reason: 'two services (shared, fifo)' },
    'scenarios/theory/tandem.yaml': { reason: 'two services (front, back)' },
  };

  it('lists every file of scenarios/theory/', () => {
    const files = readdirSync(`${ROOT}scenarios/theory`).map((f) => `scenarios/theory/${f}`);
    expect(Object.keys(EXPECTED).sort()).toEqual(['scenarios/mm1.yaml', ...files].sort());
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`${file}: ${'model' in expected ? expected.model : 'no model'}`, async () => {
      const m = matchTheoryModel(await loadScenario(`${ROOT}${file}`));
      if ('model' in expected) expect(matched(m).model).toBe(expected.model);
      else expect(refusal(m)).toContain(expected.reason);
    });
  }

  it('M/M/1 (λ = 8/s, μ = 10/s): every value and its path', async () => {
    const m = matched(matchTheoryModel(await loadScenario(MM1)));
    expect(m.parameters).toEqual({
      arrivalsPerSec: 8,
      meanWorkMs: 100,
      workers: 1,
      capacity: null,
      replicas: 1,
      load: 0.8,
    });
    expect(m.notes).toEqual([]);
    const q = mm1(8, 10);
    const expected: [string, number][] = [
      ['services.server.utilization', 0.8],
      ['services.server.meanQueueLength', 3.2],
      ['services.server.meanInSystem', 4],
      ['services.server.residenceMs.mean', 500],
      ['services.server.endpoints.serve.waitMs.mean', 400],
      // P(Wq > t) = ρe^(−(μ−λ)t) = 0.01 at t = ln(80)/2 s.
      ['services.server.endpoints.serve.waitMs.p99', (Math.log(80) / 2) * 1000],
      ['services.server.endpoints.serve.waitedFraction', 0.8],
      ['workloads.arrivals.latencyMs.mean', 500],
      ['workloads.arrivals.latencyMs.p99', q.sojournQuantile(0.99) * 1000],
    ];
    expect(m.values.map((v) => v.path)).toEqual(expected.map(([path]) => path));
    for (const [path, value] of expected) expect(byPath(m).get(path), path).toBeCloseTo(value, 6);
    const units = new Map(m.values.map((v) => [v.path, v.unit]));
    expect(units.get('services.server.utilization')).toBe('fraction');
    expect(units.get('services.server.meanInSystem')).toBe('requests');
    expect(units.get('workloads.arrivals.latencyMs.p99')).toBe('ms');
  });

  it('M/M/2/5: blocking as availability, waits and residence per arrival, latency of the answered', async () => {
    const m = matched(matchTheoryModel(await loadScenario(`${ROOT}scenarios/theory/mmck.yaml`)));
    const q = mmck(18, 10, 2, 5);
    const v = byPath(m);
    expect(v.get('workloads.arrivals.availability')).toBeCloseTo(1 - q.blocking, 12);
    expect(v.get('services.buffer.residenceMs.mean')).toBeCloseTo((q.L / 18) * 1000, 9);
    expect(v.get('services.buffer.endpoints.serve.waitMs.mean')).toBeCloseTo((q.Lq / 18) * 1000, 9);
    expect(v.get('workloads.arrivals.latencyMs.mean')).toBeCloseTo(q.W * 1000, 9);
    expect(v.has('workloads.arrivals.latencyMs.p99')).toBe(false);
    expect(m.notes[0]?.en).toContain('refused ones count 0');
  });
});

describe('variants of scenarios/mm1.yaml', () => {
  const refused = async (overrides: ScenarioOverrides) => refusal(matchTheoryModel(await mm1With(overrides)));
  const model = async (overrides: ScenarioOverrides) => matched(matchTheoryModel(await mm1With(overrides)));

  it('refuses two services, a fault, a rollout, a profile, even arrivals, a closed workload', async () => {
    expect(await refused({ services: { db: { endpoints: { get: { work: 'exp(10ms)' } } } } })).toBe(
      'two services (server, db): only a single service is one queue',
    );
    expect(await refused({ chaos: [{ at: '10m', for: '1m', kill: 'server' }] })).toContain(
      'faults on the timeline (chaos)',
    );
    expect(await refused({ workloads: { arrivals: { profile: [{ at: '10m', rate: '9/s' }] } } })).toContain(
      'the rate changes during the run (profile)',
    );
    expect(await refused({ workloads: { arrivals: { arrivals: 'constant' } } })).toContain('not Poisson');
    const rollout = {
      services: { server: { versions: { v1: {}, v2: { workFactor: 2 } } } },
      deploy: [{ at: '10m', service: 'server', to: 'v2', strategy: 'rolling' }],
    };
    expect(await refused(rollout)).toContain('rollouts (deploy)');
    // `rate: undefined` removes the open workload's rate from the merged file.
    const closed = { arrivals: { type: 'closed', users: 5, think: 'exp(1s)', rate: undefined } };
    expect(await refused({ workloads: closed })).toContain('a closed workload (5 users who think)');
  });

  it('refuses round robin over several replicas, but random balancing gives independent queues', async () => {
    const three = { replicas: 3, loadBalancing: 'round-robin' };
    expect(await refused({ services: { server: three } })).toContain(
      'round-robin over 3 replicas is not a closed-form model',
    );
    const random = await model({
      services: { server: { replicas: 3, loadBalancing: 'random' } },
      workloads: { arrivals: { rate: '24/s' } },
    });
    expect(random.model).toBe('3 × M/M/1');
    // Each instance is the M/M/1 of λ = 8/s; the service's time-averages add the three.
    expect(byPath(random).get('services.server.utilization')).toBeCloseTo(0.8, 12);
    expect(byPath(random).get('services.server.meanQueueLength')).toBeCloseTo(3 * 3.2, 9);
    expect(byPath(random).get('workloads.arrivals.latencyMs.mean')).toBeCloseTo(500, 9);
  });

  it('lognormal work: M/G/1 with Pollaczek–Khinchine means and no percentiles; refused with 2 workers', async () => {
    const work = 'lognormal(mu 4.105170186, sigma 1)'; // mean 100 ms, E[S²] = e^(2μ + 2σ²) ms²
    const m = await model({ services: { server: { endpoints: { serve: { work } } } } });
    expect(m.model).toBe('M/G/1');
    expect(m.notes.map((n) => n.en)).toEqual([
      'lognormal work: only mean values (Pollaczek–Khinchine), no percentiles',
    ]);
    expect(m.values.some((v) => v.path.endsWith('.p99'))).toBe(false);
    const variance = Math.exp(2 * 4.105170186 + 2) - 100 ** 2;
    const pk = mg1(8, 0.1, variance / 1e6);
    expect(byPath(m).get('services.server.endpoints.serve.waitMs.mean')).toBeCloseTo(pk.Wq * 1000, 3);
    expect(await refused({ services: { server: { workers: 2, endpoints: { serve: { work } } } } })).toContain(
      'M/G/2: lognormal work with 2 workers has no closed form',
    );
    expect(await refused({ services: { server: { queue: 3, endpoints: { serve: { work } } } } })).toContain(
      'lognormal work with a finite queue has no closed form',
    );
  });

  it('constant work is M/D/1; no queue is the Erlang loss system whatever the work', async () => {
    const d = await model({ services: { server: { endpoints: { serve: { work: 'const(100ms)' } } } } });
    expect(d.model).toBe('M/D/1');
    expect(byPath(d).get('services.server.endpoints.serve.waitMs.mean')).toBeCloseTo(
      md1(8, 0.1).Wq * 1000,
      9,
    );
    const loss = await model({
      services: { server: { workers: 2, queue: 0, endpoints: { serve: { work: 'const(100ms)' } } } },
    });
    expect(loss.model).toBe('M/D/2/2');
    expect(byPath(loss).get('workloads.arrivals.availability')).toBeCloseTo(1 - erlangB(2, 0.8), 12);
    expect(byPath(loss).get('workloads.arrivals.latencyMs.mean')).toBeCloseTo(100, 9);
  });

  it('network latency: no values for the client latency, and a note that says why', async () => {
    const m = await model({ network: { latency: '5ms' } });
    expect(m.model).toBe('M/M/1');
    expect(m.values.map((v) => v.path).filter((p) => p.startsWith('workloads.'))).toEqual([]);
    expect(byPath(m).get('services.server.residenceMs.mean')).toBeCloseTo(500, 9);
    expect(m.notes[0]?.en).toContain('the network adds latency between the client and server');
    // Only the client's edge counts: a zero-latency edge from the client overrides the default.
    const direct = await model({
      network: { latency: '5ms', edges: [{ from: 'client', to: 'server', latency: '0ms' }] },
    });
    expect(direct.notes).toEqual([]);
    expect(direct.values.some((v) => v.path === 'workloads.arrivals.latencyMs.p99')).toBe(true);
  });

  it('refuses an unstable queue, processor sharing over 2 cores, no replicas, an error rate, a slow start', async () => {
    expect(await refused({ workloads: { arrivals: { rate: '12/s' } } })).toContain(
      'unstable: the load per worker is ρ = 1.2 ≥ 1',
    );
    expect(await refused({ services: { server: { discipline: 'ps', workers: 2 } } })).toContain(
      'processor sharing over 2 cores',
    );
    // Found by the world property test: λ / 0 replicas made the load Infinity and the values NaN.
    expect(await refused({ services: { server: { replicas: 0 } } })).toContain(
      'server has no replicas: every request fails (no_instance)',
    );
    const buggy = { versions: { v1: { errorRate: '2%' } } };
    expect(await refused({ services: { server: buggy } })).toContain('version v1 fails 2% of requests');
    // The JVM profile starts in 20 s and warms up for 60 s: past the 1-minute warm-up.
    expect(await refused({ services: { server: { technology: 'jvm' } } })).toContain(
      'instances may still be starting or warming up after the warm-up',
    );
  });

  it('a technology profile’s work factor scales the work (node: ×1.3, warm within the warm-up)', async () => {
    const m = await model({
      services: { server: { technology: 'node' } },
      workloads: { arrivals: { rate: '5/s' } },
    });
    expect(m.parameters.meanWorkMs).toBeCloseTo(130, 9);
    expect(byPath(m).get('services.server.utilization')).toBeCloseTo(5 * 0.13, 12);
  });

  it('the session puts the match in the results, and refuses it after a live command', async () => {
    const short = await mm1With({ duration: '2m' });
    const results = createSession(short).runToEnd();
    expect(results.theory?.model).toBe('M/M/1');
    const session = createSession(short);
    session.command({
      name: 'slow server',
      action: { kind: 'latency', addMs: 5, jitterMs: 0 },
      target: { kind: 'edge', from: 'client', to: 'server' },
    });
    expect(session.runToEnd().theory).toEqual({
      model: null,
      reason: 'faults were applied during the run (live commands)',
    });
    const refusedDoc = createSession(
      await mm1With({ duration: '2m', workloads: { arrivals: { rate: '12/s' } } }),
    );
    expect(refusedDoc.runToEnd().theory?.model).toBeNull();
  });
});

/**
 * Long runs: the theory values the session writes into the results, each compared with the same
 * path of independent replications (test/validation/replications.ts, as the validation tests
 * run them): ten of scenarios/mm1.yaml (2 h each), tolerance 4.78 standard errors of the
 * replication mean (the 99.9% quantile of t with 9 degrees of freedom), and twenty of
 * scenarios/theory/mmck.yaml (15 min each), tolerance 3.88. Each comparison also checks that the
 * value 10% off would have been rejected — 15% for the noisier waits, queue lengths and mean
 * latencies, 30% for the 99th percentiles (their band is about ±17%).
 */
function agreementOptions(v: TheoryValue): AgreeOptions {
  if (v.path.endsWith('.p99')) return { detects: 0.3 };
  if (v.unit === 'fraction') return {};
  return NOISY;
}

function expectAllAgree(runs: readonly ResultsDocument[]): void {
  const theory = runs[0]!.theory;
  if (theory === undefined || theory.model === null) throw new Error('the runs have no theory');
  for (const run of runs) expect(run.theory).toEqual(theory);
  for (const v of theory.values) {
    expectAgrees(
      v.path,
      measure(runs, (r) => flattenMetrics(r)[v.path]),
      v.value,
      agreementOptions(v),
    );
  }
}

describe('theory values against replications of long runs', () => {
  let mm1Runs: ResultsDocument[];
  let mmckRuns: ResultsDocument[];
  beforeAll(async () => {
    mm1Runs = replicate(await theoryScenario('scenarios/mm1.yaml'), 10);
    mmckRuns = replicate(await theoryScenario('mmck'), 20);
  }, HOOK_TIMEOUT_MS);

  it('M/M/1 (scenarios/mm1.yaml, 10 runs): all nine values', () => {
    expect(mm1Runs[0]!.theory?.model).toBe('M/M/1');
    expectAllAgree(mm1Runs);
  });

  it('M/M/2/5 (scenarios/theory/mmck.yaml, 20 runs): the values per arrival and the availability', () => {
    expect(mmckRuns[0]!.theory?.model).toBe('M/M/2/5');
    expectAllAgree(mmckRuns);
  });

  it('the theory paths are read with flattenMetrics: numbers by path, none where there is none', () => {
    const r = flattenMetrics(mm1Runs[0]!);
    expect(r['services.server.utilization']).toBe(mm1Runs[0]!.services.server!.utilization);
    expect(r['services.nope.utilization']).toBeUndefined();
    expect(r['services.server']).toBeUndefined();
    expect(r['services.server.endpoints.serve.waitMs.p99']).toBe(
      mm1Runs[0]!.services.server!.endpoints.serve!.waitMs.p99,
    );
  });
});
