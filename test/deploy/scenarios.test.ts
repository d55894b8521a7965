/** The rollout scenario of scenarios/deploy/: a faulty canary is caught and rolled back. */
import { runScenario } from 'microsim';
import { describe, expect, it } from 'vitest';

describe('canary rollback', () => {
  it('the faulty canary is rolled back after its first step; payments never notices', async () => {
    const run = await runScenario('scenarios/07-evolution/canary-rollback.yaml');
    expect(run.passed).toBe(true);
    const [deploy] = run.results.deploys!;
    expect(deploy).toMatchObject({
      service: 'checkout',
      from: 'v1',
      to: 'v2',
      strategy: 'canary',
      outcome: 'rolled_back',
    });
    expect(deploy!.endedAt).toBe(180_000);
    // Every failure of the run came from the canary, while the rollout ran.
    expect(run.workload('shoppers').failed).toBe(deploy!.failedRequestsDuring);
    expect(run.service('payments').failed).toBe(0);
    // After the rollback all 10 checkout instances run v1 again.
    expect(deploy!.mix.at(-1)!.why).toMatch(/^canary: rolled back/);
  });

  it('the same rollout of a healthy version is promoted step by step', async () => {
    const run = await runScenario('scenarios/07-evolution/canary-rollback.yaml', {
      overrides: { services: { checkout: { versions: { v2: { errorRate: '0%' } } } }, expect: [] },
    });
    expect(run.results.deploys![0]).toMatchObject({ outcome: 'completed', endedAt: 300_000 });
    expect(run.workload('shoppers').failed).toBe(0);
  });
});

describe('a version on another technology', () => {
  it('a rewrite of checkout in Go (v2) rolls out with Go start-up and work', async () => {
    const run = await runScenario('scenarios/07-evolution/canary-rollback.yaml', {
      overrides: {
        services: {
          checkout: {
            technology: 'jvm',
            startup: '20s',
            versions: { v2: { errorRate: '0%', technology: 'go' } },
          },
        },
        warmup: '2m',
        expect: [],
      },
    });
    const [deploy] = run.results.deploys!;
    expect(deploy).toMatchObject({ outcome: 'completed' });
    expect(deploy!.mix.at(-1)!.ready).toEqual({ v2: 10 });
  });

  it('an unknown technology on a version is a located error', async () => {
    await expect(
      runScenario('scenarios/07-evolution/canary-rollback.yaml', {
        overrides: { services: { checkout: { versions: { v2: { technology: 'cobol' } } } } },
      }),
    ).rejects.toThrow(/services\.checkout\.versions\.v2\.technology: .*"cobol"/);
  });
});
