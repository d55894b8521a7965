import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMetricsCollector } from '../../src/observe/metrics.ts';
import { seriesIntervalMs } from '../../src/observe/series.ts';
import { complete, gauges, newBus } from './fixture.ts';

const RUN = { scenario: { name: 't', seed: 1 }, events: 0, endReason: 'completed' as const };

function setup(durationMs: number, warmupMs = 0) {
  const bus = newBus();
  const collector = createMetricsCollector(bus, {
    warmupMs,
    durationMs,
    intervalMs: 1000,
    services: [{ name: 'front', endpoints: ['home'] }],
    workloads: ['web'],
  });
  return { bus, collector };
}

describe('seriesIntervalMs', () => {
  it('keeps the requested interval when the run is short enough', () => {
    expect(seriesIntervalMs(60_000, 1000)).toBe(1000);
  });

  it('grows the interval so that a long run has at most maxPoints points', () => {
    expect(seriesIntervalMs(1e9, 1000)).toBe(100_000);
    expect(seriesIntervalMs(10_001, 1)).toBe(2);
    expect(seriesIntervalMs(500, 1, 100)).toBe(5);
  });

  it('rounds up to a whole ms', () => {
    expect(seriesIntervalMs(1000, 0.5)).toBe(1);
    expect(seriesIntervalMs(1000, 250.2)).toBe(251);
  });

  it('rejects nonsense', () => {
    expect(() => seriesIntervalMs(1000, 0)).toThrow(RangeError);
    expect(() => seriesIntervalMs(1000, Number.NaN)).toThrow(RangeError);
    expect(() => seriesIntervalMs(Number.POSITIVE_INFINITY, 1000)).toThrow(RangeError);
    expect(() => seriesIntervalMs(1000, 10, 0)).toThrow(RangeError);
  });

  it('always bounds the number of points', () => {
    const args = fc.tuple(
      fc.double({ min: 0, max: 1e10, noNaN: true }),
      fc.double({ min: 0.001, max: 1e6, noNaN: true }),
      fc.integer({ min: 1, max: 20_000 }),
    );
    fc.assert(
      fc.property(args, ([duration, requested, maxPoints]) => {
        const interval = seriesIntervalMs(duration, requested, maxPoints);
        expect(Number.isInteger(interval)).toBe(true);
        expect(interval).toBeGreaterThanOrEqual(requested);
        expect(Math.ceil(duration / interval)).toBeLessThanOrEqual(maxPoints);
      }),
    );
  });
});

describe('time series', () => {
  it('buckets completions by interval and takes service columns from area differences', () => {
    const { bus, collector } = setup(3000);
    complete(bus, { id: 'a', arrivedAt: 190, at: 200 });
    complete(bus, { id: 'b', arrivedAt: 850, at: 900, outcome: 'failed', reason: 'timeout' });
    complete(bus, { id: 'c', arrivedAt: 980, at: 1000 });
    const g1 = gauges('front', { busyArea: 500, capacityArea: 1000, readyArea: 1000 });
    bus.emit('gauges.sampled', { at: 1000, services: [g1] });
    complete(bus, { id: 'd', arrivedAt: 1470, at: 1500 });
    const g2 = gauges('front', { busyArea: 1300, capacityArea: 2000, readyArea: 2000 });
    bus.emit('gauges.sampled', { at: 2000, services: [g2] });
    const g3 = gauges('front', { busyArea: 1300, capacityArea: 2500, readyArea: 2500 });
    bus.emit('gauges.sampled', { at: 3000, services: [g3] });
    bus.emit('gauges.sampled', { at: 3000, services: [g3] }); // run-end sample, same instant
    bus.emit('run.ended', { at: 3000, reason: 'completed' });

    const { timeSeries } = collector.results(RUN);
    expect(timeSeries.intervalMs).toBe(1000);
    expect(timeSeries.points).toEqual([
      {
        at: 1000,
        throughputPerSec: 3,
        goodputPerSec: 2,
        errorsPerSec: 1,
        ok: 2,
        fallback: 0,
        failed: 1,
        availability: 2 / 3,
        p50Ms: expect.closeTo(10, 1), // 2-digit histogram: within 1%
        p99Ms: 20,
        services: { front: { utilization: 0.5, readyInstances: 1 } },
      },
      {
        at: 2000,
        throughputPerSec: 1,
        goodputPerSec: 1,
        errorsPerSec: 0,
        ok: 1,
        fallback: 0,
        failed: 0,
        availability: 1,
        p50Ms: 30,
        p99Ms: 30,
        services: { front: { utilization: 0.8, readyInstances: 1 } },
      },
      {
        at: 3000,
        throughputPerSec: 0,
        goodputPerSec: 0,
        errorsPerSec: 0,
        ok: 0,
        fallback: 0,
        failed: 0,
        availability: null,
        p50Ms: null,
        p99Ms: null,
        services: { front: { utilization: 0, readyInstances: 0.5 } },
      },
    ]);
  });

  it('folds completions emitted after a boundary sample at the same instant into that point', () => {
    const { bus, collector } = setup(1000);
    complete(bus, { id: 'a', arrivedAt: 400, at: 500 });
    bus.emit('gauges.sampled', { at: 1000, services: [gauges('front')] });
    complete(bus, { id: 'b', arrivedAt: 700, at: 1000 });
    bus.emit('gauges.sampled', { at: 1000, services: [gauges('front')] });
    bus.emit('run.ended', { at: 1000, reason: 'completed' });
    const { points } = collector.results(RUN).timeSeries;
    expect(points).toHaveLength(1);
    expect(points[0]).toMatchObject({
      at: 1000,
      throughputPerSec: 2,
      p50Ms: expect.closeTo(100, 0),
      p99Ms: 300,
    });
  });

  it('follows samples aligned to the warm-up end, and closes a final partial interval', () => {
    // The runtime's schedule: warm-up end, then every interval after it, then the (early) end.
    const { bus, collector } = setup(5000, 1500);
    complete(bus, { id: 'a', arrivedAt: 0, at: 100 });
    bus.emit('run.warmup_ended', { at: 1500 });
    bus.emit('gauges.sampled', { at: 1500, services: [] });
    complete(bus, { id: 'b', arrivedAt: 1500, at: 1600 });
    bus.emit('gauges.sampled', { at: 2500, services: [] });
    complete(bus, { id: 'c', arrivedAt: 2500, at: 2600, outcome: 'failed', reason: 'no_instance' });
    bus.emit('gauges.sampled', { at: 2750, services: [] }); // stopped early: run-end sample
    bus.emit('run.ended', { at: 2750, reason: 'event_limit' });
    const points = collector.results({ ...RUN, endReason: 'event_limit' }).timeSeries.points;
    expect(points.map((p) => [p.at, p.throughputPerSec, p.errorsPerSec])).toEqual([
      [1500, 1 / 1.5, 0],
      [2500, 1, 0],
      [2750, 4, 4],
    ]);
  });

  it('closes a point at the warm-up end even off the grid, and skips samples less than an interval apart', () => {
    const { bus, collector } = setup(3000, 1500);
    bus.emit('gauges.sampled', { at: 1000, services: [] });
    bus.emit('run.warmup_ended', { at: 1500 });
    bus.emit('gauges.sampled', { at: 1500, services: [] });
    bus.emit('gauges.sampled', { at: 2000, services: [] });
    bus.emit('gauges.sampled', { at: 3000, services: [] });
    bus.emit('run.ended', { at: 3000, reason: 'completed' });
    expect(collector.results(RUN).timeSeries.points.map((p) => p.at)).toEqual([1000, 1500, 3000]);
  });

  it('still gives late completions a point when the run ends without a final sample', () => {
    const { bus, collector } = setup(2000);
    bus.emit('gauges.sampled', { at: 1000, services: [gauges('front', { capacityArea: 1000 })] });
    complete(bus, { id: 'a', arrivedAt: 1000, at: 1200 });
    bus.emit('run.ended', { at: 1500, reason: 'wall_time_limit' });
    const points = collector.results(RUN).timeSeries.points;
    expect(points.at(-1)).toEqual({
      at: 1500,
      throughputPerSec: 2,
      goodputPerSec: 2,
      errorsPerSec: 0,
      ok: 1,
      fallback: 0,
      failed: 0,
      availability: 1,
      p50Ms: 200,
      p99Ms: 200,
      services: {},
    });
  });

  it('is exposed live through snapshot()', () => {
    const { bus, collector } = setup(3000);
    expect(collector.snapshot().points).toHaveLength(0);
    bus.emit('gauges.sampled', { at: 1000, services: [gauges('front', { readyInstances: 2 })] });
    const snap = collector.snapshot();
    expect(snap.points).toHaveLength(1);
    expect(snap.gauges[0]?.readyInstances).toBe(2);
  });
});
