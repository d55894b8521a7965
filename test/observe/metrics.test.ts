import { describe, expect, it } from 'vitest';
import { createMetricsCollector, type MetricsCollectorOptions } from '../../src/observe/metrics.ts';
import { arrive, complete, gauges, hop, newBus, nonFinitePaths, type RequestSpec } from './fixture.ts';

const RUN = { scenario: { name: 'shop', seed: 42 }, events: 1234, endReason: 'completed' as const };

function setup(overrides: Partial<MetricsCollectorOptions> = {}) {
  const bus = newBus();
  const collector = createMetricsCollector(bus, {
    warmupMs: 1000,
    durationMs: 3000,
    intervalMs: 1000,
    services: [{ name: 'front', endpoints: ['home', 'search'] }],
    workloads: ['web'],
    ...overrides,
  });
  return { bus, collector };
}

describe('metrics collector: workloads', () => {
  it('counts only requests that arrived after the warm-up, and keeps the rest in flight', () => {
    const { bus, collector } = setup();
    const requests: RequestSpec[] = [
      { id: 'w1', arrivedAt: 100, at: 1100 }, // arrived in warm-up: not counted
      { id: 'r1', arrivedAt: 1000, at: 1010 }, // exactly at warm-up end: counted
      { id: 'r2', arrivedAt: 1500, at: 1530 },
      { id: 'r3', arrivedAt: 1600, at: 1700, outcome: 'failed', reason: 'timeout' },
      { id: 'r4', arrivedAt: 1700, at: 1701, outcome: 'failed', reason: 'circuit_open' },
      { id: 'r5', arrivedAt: 1800, at: 2100, outcome: 'failed', reason: 'timeout' },
    ];
    for (const r of requests) arrive(bus, r);
    for (const r of requests) complete(bus, r);
    arrive(bus, { id: 'r6', arrivedAt: 2900, at: 0 }); // never completes
    bus.emit('run.warmup_ended', { at: 1000 });
    bus.emit('run.ended', { at: 3000, reason: 'completed' });

    const doc = collector.results(RUN);
    expect(doc.simulated).toEqual({
      durationMs: 3000,
      plannedDurationMs: 3000,
      warmupMs: 1000,
      measuredMs: 2000,
      events: 1234,
    });
    const web = doc.workloads.web!;
    expect(web).toMatchObject({ requests: 6, ok: 2, failed: 3, inFlight: 1, availability: 0.4 });
    expect(web.failures).toEqual({ timeout: 2, circuit_open: 1 });
    expect(Object.keys(web.failures)).toEqual(['timeout', 'circuit_open']); // catalogue order
    expect(web.throughputPerSec).toBe(2.5); // 5 completions / 2 s
    expect(web.goodputPerSec).toBe(1);
    expect(web.latencyMs.mean).toBe(20); // (10 + 30) / 2, successes only
    expect(web.latencyMs.max).toBe(30);
    expect(web.failedLatencyMs).toEqual({ mean: (100 + 1 + 300) / 3, max: 300 });
  });

  it('keeps live counts since t = 0 in the snapshot: arrived = ok + fallback + failed + inFlight', () => {
    const { bus, collector } = setup();
    arrive(bus, { id: 'a', arrivedAt: 10, at: 0 });
    arrive(bus, { id: 'b', arrivedAt: 20, at: 0 });
    arrive(bus, { id: 'c', arrivedAt: 30, at: 0 });
    complete(bus, { id: 'a', arrivedAt: 10, at: 40 });
    complete(bus, { id: 'b', arrivedAt: 20, at: 50, outcome: 'failed', reason: 'queue_full' });
    expect(collector.snapshot().workloads).toEqual({
      web: { arrived: 3, ok: 1, fallback: 0, failed: 1, inFlight: 1 },
    });
  });

  it('adds workloads it was not told about instead of dropping their signals', () => {
    const { bus, collector } = setup({ warmupMs: 0 });
    const r = { id: 'x', arrivedAt: 5, at: 6, workload: 'batch' };
    arrive(bus, r);
    complete(bus, r);
    expect(collector.results(RUN).workloads.batch).toMatchObject({ requests: 1, ok: 1 });
  });

  it('counts a failure signalled without a reason as unspecified', () => {
    const { bus, collector } = setup({ warmupMs: 0 });
    complete(bus, { id: 'x', arrivedAt: 5, at: 6, outcome: 'failed' });
    expect(collector.results(RUN).workloads.web?.failures).toEqual({ unspecified: 1 });
  });
});

describe('metrics collector: services and endpoints', () => {
  it('summarizes hops per endpoint, counting in-process hops only at the endpoint', () => {
    const { bus, collector } = setup();
    hop(bus, { arrivedAt: 500, at: 600, waitMs: 50 }); // warm-up: ignored
    hop(bus, { arrivedAt: 1000, at: 1020, waitMs: 0, residenceMs: 10 });
    hop(bus, { arrivedAt: 1100, at: 1140, waitMs: 30, residenceMs: 35 });
    hop(bus, {
      arrivedAt: 1200,
      at: 1300,
      waitMs: 10,
      residenceMs: 15,
      outcome: 'failed',
      reason: 'timeout',
    });
    hop(bus, { arrivedAt: 1300, at: 1305, residenceMs: 5, inProcess: true });
    bus.emit('run.ended', { at: 3000, reason: 'completed' });
    const front = collector.results(RUN).services.front!;
    const home = front.endpoints.home!;
    expect(home).toMatchObject({ requests: 4, ok: 3, failed: 1, failures: { timeout: 1 } });
    expect(home.waitMs.mean).toBe(10); // (0 + 30 + 10 + 0) / 4
    expect(home.waitMs.p99).toBe(30);
    expect(home.waitedFraction).toBe(0.5);
    expect(home.residenceMs.mean).toBe((10 + 35 + 15 + 5) / 4);
    expect(home.latencyMs.mean).toBe((20 + 40 + 5) / 3);
    expect(front.arrivalsPerSec).toBe(1.5); // 3 non-in-process hops / 2 s
    // per arriving request, the in-process call's time included: (10 + 35 + 15 + 5) / 3
    expect(front.residenceMs.mean).toBeCloseTo(65 / 3, 12);
    // A declared endpoint without traffic is present, with nulls rather than NaN.
    expect(front.endpoints.search).toMatchObject({
      requests: 0,
      waitedFraction: null,
      residenceMs: { mean: null },
    });
    expect(front.endpoints.search?.latencyMs.p99).toBeNull();
  });

  it('takes utilization, queue, in-system and ready instances from area differences over the window', () => {
    const { bus, collector } = setup();
    const atWarmup = gauges('front', {
      busyArea: 900,
      capacityArea: 1000,
      queueArea: 5000,
      inSystemArea: 6000,
      readyArea: 1000,
    });
    const atEnd = gauges('front', {
      busyArea: 900 + 3000,
      capacityArea: 1000 + 4000,
      queueArea: 5000 + 1000,
      inSystemArea: 6000 + 4000,
      readyArea: 1000 + 3000,
    });
    bus.emit('gauges.sampled', { at: 1000, services: [atWarmup] });
    bus.emit('run.warmup_ended', { at: 1000 });
    bus.emit('gauges.sampled', { at: 1000, services: [atWarmup] });
    bus.emit('gauges.sampled', { at: 3000, services: [atEnd] });
    bus.emit('run.ended', { at: 3000, reason: 'completed' });
    expect(collector.results(RUN).services.front).toMatchObject({
      utilization: 0.75,
      meanQueueLength: 0.5,
      meanInSystem: 2,
      meanReadyInstances: 1.5,
    });
  });

  it('uses zero areas at t = 0 as the baseline without warm-up, and null utilization without capacity', () => {
    const { bus, collector } = setup({ warmupMs: 0, services: [] });
    bus.emit('gauges.sampled', { at: 3000, services: [gauges('db', { queueArea: 300 })] });
    bus.emit('run.ended', { at: 3000, reason: 'completed' });
    expect(collector.results(RUN).services.db).toMatchObject({ utilization: null, meanQueueLength: 0.1 });
  });
});

describe('metrics collector: the document', () => {
  it('never contains NaN or infinity, even for an empty run or one that ended during warm-up', () => {
    const { bus, collector } = setup({ warmupMs: 5000 });
    arrive(bus, { id: 'a', arrivedAt: 10, at: 0 });
    bus.emit('gauges.sampled', { at: 1000, services: [gauges('front')] });
    bus.emit('run.ended', { at: 1200, reason: 'event_limit', message: 'event budget spent' });
    const doc = collector.results({ ...RUN, endReason: 'event_limit', message: 'event budget spent' });
    expect(nonFinitePaths(doc)).toEqual([]);
    expect(doc.simulated.measuredMs).toBe(0);
    expect(doc.run).toEqual({ endReason: 'event_limit', message: 'event budget spent', warnings: [] });
    expect(doc.workloads.web).toMatchObject({ requests: 0, availability: null, throughputPerSec: 0 });
    expect(doc.workloads.web?.latencyMs).toEqual({
      mean: null,
      p50: null,
      p90: null,
      p99: null,
      p999: null,
      max: null,
    });
    expect(doc.services.front?.utilization).toBeNull();
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('carries the run facts and stops listening after dispose()', () => {
    const { bus, collector } = setup({ warmupMs: 0 });
    collector.dispose();
    complete(bus, { id: 'a', arrivedAt: 1, at: 2 });
    const doc = collector.results({ ...RUN, wallTimeMs: 12.5, warnings: ['w'] });
    expect(doc.schemaVersion).toBe(1);
    expect(doc.scenario).toEqual({ name: 'shop', seed: 42 });
    expect(doc.run).toEqual({ endReason: 'completed', wallTimeMs: 12.5, warnings: ['w'] });
    expect(doc.workloads.web?.ok).toBe(0);
    expect(bus.failureCount).toBe(0);
  });

  it('tracks instance states for the live read model', () => {
    const { bus, collector } = setup();
    bus.emit('instance.state', { at: 0, service: 'front', instance: 'front#1', state: 'starting' });
    bus.emit('instance.state', { at: 5, service: 'front', instance: 'front#1', state: 'ready' });
    expect(collector.snapshot().instances.get('front#1')).toBe('ready');
  });
});
