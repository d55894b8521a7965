/** Intervals over replications: Student t quantiles, the interval itself, and flattening results. */
import { describe, expect, it } from 'vitest';
import {
  aggregateMetrics,
  flattenMetrics,
  interval,
  tCdf,
  tQuantile,
  zeroWhenAbsent,
} from '../../src/observe/replication-stats.ts';
import { runScenario } from '../../src/runtime/run-scenario.ts';

describe('Student t', () => {
  // Two-sided 95% and 99.9% quantiles from any statistics table (4 significant digits).
  const table: [number, number, number][] = [
    [0.975, 1, 12.71],
    [0.975, 2, 4.303],
    [0.975, 4, 2.776],
    [0.975, 9, 2.262],
    [0.975, 19, 2.093],
    [0.975, 29, 2.045],
    [0.975, 99, 1.984],
    [0.9995, 9, 4.781],
    [0.9995, 19, 3.883],
  ];
  it.each(table)('quantile %s with %i degrees of freedom is %s', (p, df, expected) => {
    expect(tQuantile(p, df)).toBeCloseTo(expected, expected > 10 ? 1 : 2);
    expect(tQuantile(1 - p, df)).toBeCloseTo(-expected, expected > 10 ? 1 : 2);
  });
  it('tends to the normal quantile 1.95996 for many degrees of freedom', () => {
    expect(tQuantile(0.975, 1e6)).toBeCloseTo(1.95996, 4);
  });
  it('the CDF is symmetric and inverts the quantile', () => {
    expect(tCdf(0, 5)).toBeCloseTo(0.5, 12);
    expect(tCdf(2.571, 5)).toBeCloseTo(0.975, 3);
    expect(tCdf(tQuantile(0.9, 7), 7)).toBeCloseTo(0.9, 9);
  });
  it('refuses impossible arguments', () => {
    expect(() => tQuantile(1, 3)).toThrow(/0 < p < 1/);
    expect(() => tQuantile(0.9, 0)).toThrow(/positive/);
  });
});

describe('interval', () => {
  it('is mean ± t·s/√n', () => {
    const xs = [1, 2, 3, 4, 5];
    const stat = interval(xs)!;
    const sd = Math.sqrt(2.5);
    expect(stat.mean).toBe(3);
    expect(stat.sd).toBeCloseTo(sd, 12);
    expect(stat.halfWidth).toBeCloseTo((2.776 * sd) / Math.sqrt(5), 3);
    expect(stat.low! + stat.high!).toBeCloseTo(6, 12);
  });
  it('has no interval with one value, and is null with none', () => {
    expect(interval([7])).toEqual({ n: 1, mean: 7, sd: null, halfWidth: null, low: null, high: null });
    expect(interval([])).toBeNull();
  });
});

describe('aggregateMetrics', () => {
  it('counts a count that did not occur as 0 (reasons, breaker openings) and leaves out a missing statistic', () => {
    expect(zeroWhenAbsent('breakers.web#1→checkout.opened')).toBe(true);
    expect(zeroWhenAbsent('messaging.queues.mq/jobs.requeues.consumer_lost')).toBe(true);
    expect(zeroWhenAbsent('messaging.publishFailures.mq/jobs.failed')).toBe(true);
    expect(zeroWhenAbsent('workloads.w.latencyMs.p99')).toBe(false);
    const agg = aggregateMetrics([
      { 'workloads.w.failures.timeout': 4, 'workloads.w.latencyMs.p99': 10 },
      { 'workloads.w.latencyMs.p99': 20 },
      { 'workloads.w.failures.timeout': 2 },
    ]);
    expect(agg['workloads.w.failures.timeout']).toMatchObject({ n: 3, mean: 2 });
    expect(agg['workloads.w.latencyMs.p99']).toMatchObject({ n: 2, mean: 15 });
    expect(Object.keys(agg)).toEqual(['workloads.w.failures.timeout', 'workloads.w.latencyMs.p99']);
  });
});

describe('flattenMetrics', () => {
  it('keeps every statistic of a run by its JSON path, not the time series or metadata', async () => {
    const run = await runScenario('scenarios/06-fault-tolerance/cascade-contained.yaml');
    const flat = flattenMetrics(run.results);
    expect(flat['workloads.browsers.latencyMs.p99']).toBe(run.results.workloads.browsers!.latencyMs.p99);
    expect(flat['services.payments.utilization']).toBe(run.results.services.payments!.utilization);
    expect(flat['simulated.events']).toBe(run.results.simulated.events);
    const fault = run.results.faults![0]!;
    expect(flat[`faults.${fault.name}.during.completed`]).toBe(fault.during.completed);
    // Moments that describe the scenario (when the fault started) are not measurements.
    expect(`faults.${fault.name}.startedAt` in flat).toBe(false);
    const paths = Object.keys(flat);
    expect(paths.some((p) => p.includes('timeSeries') || p.includes('transitions'))).toBe(false);
    expect(paths.some((p) => p.startsWith('run.') || p.startsWith('scenario.'))).toBe(false);
    expect(Object.values(flat).every(Number.isFinite)).toBe(true);
  });
});
