/**
 * The scaling scenarios of scenarios/scaling/ hold their expectations, and the monolith/services
 * pair pins its contrast: same modules, load, spike and seed; the services scale only the hot
 * module and cost less for the same latency target.
 */
import { runScenario } from 'microsim';
import { describe, expect, it } from 'vitest';

const dir = 'scenarios/scaling';

describe('independent scaling', () => {
  it('a hot module forces the monolith to replicate everything; as services only search scales, for less', async () => {
    const monolith = await runScenario('scenarios/05-deployment-scaling/monolith-hot-module.yaml');
    const services = await runScenario('scenarios/05-deployment-scaling/services-hot-module.yaml');
    expect(monolith.passed).toBe(true);
    expect(services.passed).toBe(true);
    // Same load, answered in full, within the same latency bound.
    for (const run of [monolith, services]) {
      expect(run.workload('searching').availability).toBe(1);
      expect(run.workload('searching').latencyMs.p99!).toBeLessThan(2000);
    }
    const monolithCost = monolith.results.cost!.total;
    const servicesCost = services.results.cost!.total;
    expect(servicesCost).toBeLessThan(0.8 * monolithCost);
    // The catalog (the expensive memory) was copied by the monolith only.
    expect(monolith.service('shop').capacity!.peakReplicas).toBeGreaterThanOrEqual(3);
    expect(services.service('catalog').capacity!.peakReplicas).toBe(1);
  });

  it('a spike is absorbed by the HPA after a cold-start gap', async () => {
    const run = await runScenario(`${dir}/spike-autoscaled.yaml`);
    expect(run.passed).toBe(true);
    const capacity = run.service('api').capacity!;
    expect(capacity.peakReplicas).toBeGreaterThan(2);
    // The first change follows the spike (at 2 min) at the next 15 s sync, with its evidence.
    expect(capacity.scaling[0]).toMatchObject({ at: 135_000, from: 2, to: 4 });
    expect(capacity.scaling[0]!.why).toMatch(/^api 2 → 4: utilization 100% vs target 50%/);
    expect(capacity.scaleChanges).toBe(capacity.scaling.length);
  });
});

describe('technology and cold starts', () => {
  it('the same spike hurts the JVM service (20 s start-up, JIT warm-up) more than the Go one', async () => {
    const run = await runScenario('scenarios/03-technology/spike-two-technologies.yaml');
    expect(run.passed).toBe(true);
    const gap = (name: string) =>
      run.expectations.find(
        (v) =>
          v.spec.scope.kind === 'workload' &&
          v.spec.scope.workload === name &&
          v.spec.window.kind === 'range' &&
          v.spec.window.fromMs === 480_000,
      )!;
    const jvm = gap('jvm-users').measured as number;
    const go = gap('go-users').measured as number;
    expect(jvm).toBeGreaterThan(2 * go);
  });
});

describe('utilization per instance', () => {
  it('the time series gives each ready instance its own utilization, and they average to the service', async () => {
    const run = await runScenario('scenarios/scaling/spike-autoscaled.yaml');
    const points = run.results.timeSeries.points.filter((p) => p.at > 60_000 && p.at <= 120_000);
    expect(points.length).toBeGreaterThan(10);
    for (const p of points) {
      const api = p.services.api!;
      const values = Object.values(api.instances!);
      expect(Object.keys(api.instances!).sort()).toEqual(['api#1', 'api#2']);
      // Equal workers per instance: the service's utilization is the mean of the instances'.
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      expect(mean).toBeCloseTo(api.utilization!, 9);
    }
  });
});
