/**
 * The resilience scenarios shipped in scenarios/06-fault-tolerance/ hold their expectations, and each pair
 * pins its contrast: the same world and fault without and with the patterns. These tests use the
 * public testing API, as a user's tests would.
 */
import { runScenario } from 'microsim';
import { describe, expect, it } from 'vitest';

const dir = 'scenarios/06-fault-tolerance';

describe('cascading failure through thread-pool exhaustion', () => {
  it('without patterns, a hang of payments takes browsing down too; contained, browsing is untouched', async () => {
    const bare = await runScenario(`${dir}/cascade-uncontained.yaml`);
    const contained = await runScenario(`${dir}/cascade-contained.yaml`);
    for (const run of [bare, contained]) {
      expect(run.expectations.map((v) => [v.name, v.passed, v.measuredText])).toEqual(
        run.expectations.map((v) => [v.name, true, v.measuredText]),
      );
      expect(run.passed).toBe(true);
    }
    const hang = 'payments-hang';
    const bareBrowse = bare.expectations.find((v) => v.name.startsWith('during the fault, browsing'))!;
    expect(bareBrowse.measured).toBeLessThan(0.5);
    // Blast radius: without patterns both workloads are hit; contained, neither is.
    const hitWorkloads = (run: typeof bare): string[] =>
      run
        .fault(hang)
        .blastRadius.filter((b) => b.kind === 'workload')
        .map((b) => b.name);
    expect(hitWorkloads(bare).sort()).toEqual(['browsers', 'buyers']);
    expect(hitWorkloads(contained)).toEqual([]);
    // Contained: the breaker detected the fault within seconds; buyers got the fallback.
    expect(contained.fault(hang).timeToDetectMs).toBeLessThan(5000);
    expect(contained.workload('buyers').fallback).toBeGreaterThan(1000);
    expect(contained.breaker('web#1->checkout').opened).toBeGreaterThanOrEqual(1);
  });
});

describe('retry storm (metastable failure)', () => {
  it('immediate retries keep the API down after a 10 s slowdown; backoff and a budget let it recover', async () => {
    const storm = await runScenario(`${dir}/retry-storm.yaml`);
    const fixed = await runScenario(`${dir}/retry-storm-fixed.yaml`);
    expect(storm.passed).toBe(true);
    expect(fixed.passed).toBe(true);
    expect(storm.fault('slowdown').timeToRecoverMs).toBeNull();
    expect(fixed.fault('slowdown').timeToRecoverMs).not.toBeNull();
    expect(storm.edge('clients', 'api').retryAmplification).toBeGreaterThan(3);
    expect(fixed.edge('clients', 'api').retryAmplification).toBeLessThan(1.2);
    expect(fixed.edge('clients', 'api').retriesDenied).toBeGreaterThan(0);
  });

  it('the fixed scenario breaks when the budget is taken away (the budget is doing the work)', async () => {
    const noBudget = await runScenario(`${dir}/retry-storm-fixed.yaml`, {
      overrides: { workloads: { clients: { client: { retry: { budget: false } } } } },
    });
    expect(noBudget.passed).toBe(false);
  });
});

describe('docs/en/testing.md', () => {
  it('its inline example holds: retries turn 30% failing attempts into 1 − 0.3³ available calls', async () => {
    const run = await runScenario({
      name: 'retries',
      description: { en: 'One flaky dependency.', es: 'Una dependencia inestable.' },
      duration: '2m',
      services: {
        api: {
          endpoints: { get: { work: 'exp(5ms)', calls: ['db.query'] } },
          clients: { db: { retry: { maxAttempts: 3, backoff: 'none' } } },
        },
        db: { endpoints: { query: { work: 'exp(5ms)' } } },
      },
      workloads: { users: { rate: '50/s', entry: 'api.get' } },
      chaos: [{ name: 'flaky', at: '0s', error: 'db', rate: '30%' }],
    });
    const edge = run.edge('api', 'db');
    const p = 1 - 0.3 ** 3;
    const se = Math.sqrt((p * (1 - p)) / edge.calls); // binomial standard error of the share
    expect(Math.abs(edge.availability! - p)).toBeLessThan(4 * se);
  });
});

describe('breaker special states', () => {
  const base = (state: string) => ({
    name: 'special',
    description: { en: 'A breaker in a special state.', es: 'Un breaker en un estado especial.' },
    duration: '20s',
    services: {
      api: {
        endpoints: { get: { work: 'exp(5ms)', calls: ['db.query'] } },
        clients: { db: { breaker: { state, window: '10 calls', minimumCalls: 5 } } },
      },
      db: { endpoints: { query: { work: 'exp(5ms)' } } },
    },
    workloads: { users: { rate: '20/s', entry: 'api.get' } },
    chaos: [{ name: 'broken', at: '0s', error: 'db', rate: '100%' }],
  });

  it('forced_open rejects every call; disabled and metrics_only let every call through and never open', async () => {
    const forced = await runScenario(base('forced_open'));
    expect(forced.edge('api', 'db').attempts).toBe(0);
    expect(forced.edge('api', 'db').rejections).toEqual({ circuit_open: forced.edge('api', 'db').calls });
    // Breakers are made on their scope's first call, and enter their starting state then.
    expect(forced.breaker('api#1->db').transitions[0]).toMatchObject({ from: 'closed', to: 'forced_open' });
    expect(forced.breaker('api#1->db').transitions).toHaveLength(1);
    for (const state of ['disabled', 'metrics_only']) {
      const run = await runScenario(base(state));
      const edge = run.edge('api', 'db');
      expect(edge.attempts).toBe(edge.calls);
      expect(edge.failed).toBe(edge.calls);
      expect(run.breaker('api#1->db').opened).toBe(0);
      expect(run.breaker('api#1->db').finalState).toBe(state);
    }
  });
});
