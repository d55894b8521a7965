/**
 * Little's law, L = λW, checked on synthetic but self-consistent signal streams: a FIFO queue
 * with c workers is simulated here, its hops are emitted, and its gauges are the exact integrals
 * of the piecewise-constant counts. When the system is empty at both edges of the measured
 * window the law holds exactly, so the tolerance is float rounding only.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMetricsCollector } from '../../src/observe/metrics.ts';
import type { ServiceGauges } from '../../src/signals.ts';
import { hop, newBus } from './fixture.ts';

interface Job {
  arrive: number;
  start: number;
  finish: number;
}

/** FIFO with `workers` servers; arrivals must be sorted. */
function simulateFifo(arrivals: number[], works: number[], workers: number): Job[] {
  const free = new Array<number>(workers).fill(0);
  return arrivals.map((arrive, i) => {
    const w = free.indexOf(Math.min(...free));
    const start = Math.max(arrive, free[w]!);
    const finish = start + works[i]!;
    free[w] = finish;
    return { arrive, start, finish };
  });
}

const overlap = (from: number, to: number, t: number): number => Math.max(0, Math.min(to, t) - from);

function gaugesAt(jobs: Job[], workers: number, t: number): ServiceGauges {
  const sum = (f: (j: Job) => number): number => jobs.reduce((acc, j) => acc + f(j), 0);
  const count = (f: (j: Job) => boolean): number => jobs.filter(f).length;
  return {
    service: 'svc',
    readyInstances: 1,
    workers,
    busy: count((j) => j.start <= t && t < j.finish),
    queued: count((j) => j.arrive <= t && t < j.start),
    inSystem: count((j) => j.arrive <= t && t < j.finish),
    busyArea: sum((j) => overlap(j.start, j.finish, t)),
    capacityArea: workers * t,
    queueArea: sum((j) => overlap(j.arrive, j.start, t)),
    inSystemArea: sum((j) => overlap(j.arrive, j.finish, t)),
    readyArea: t,
  };
}

const batch = fc.array(
  fc.tuple(fc.double({ min: 0, max: 50, noNaN: true }), fc.double({ min: 0.1, max: 80, noNaN: true })),
  {
    minLength: 1,
    maxLength: 60,
  },
);

describe("Little's law on the collector's service statistics", () => {
  it('holds exactly when the window starts and ends with the system empty', () => {
    const scenario = fc.tuple(batch, batch, fc.integer({ min: 1, max: 3 }));
    fc.assert(
      fc.property(scenario, ([warm, measured, workers]) => {
        // Batch 1 runs during warm-up; batch 2 starts after it has drained.
        const gapsToTimes = (gaps: number[], from: number): number[] => {
          let t = from;
          return gaps.map((g) => (t += g));
        };
        const a1 = gapsToTimes(
          warm.map(([g]) => g),
          0,
        );
        const jobs1 = simulateFifo(
          a1,
          warm.map(([, w]) => w),
          workers,
        );
        const drained = Math.max(...jobs1.map((j) => j.finish));
        const warmupMs = drained + 5;
        const a2 = gapsToTimes(
          measured.map(([g]) => g),
          warmupMs + 5,
        );
        const jobs2 = simulateFifo(
          a2,
          measured.map(([, w]) => w),
          workers,
        );
        const jobs = [...jobs1, ...jobs2];
        const durationMs = Math.max(...jobs2.map((j) => j.finish)) + 5;

        const bus = newBus();
        const collector = createMetricsCollector(bus, {
          warmupMs,
          durationMs,
          intervalMs: 100,
          services: [{ name: 'svc', endpoints: ['op'] }],
          workloads: [],
        });
        for (const j of jobs) {
          const wait = j.start - j.arrive;
          const residenceMs = j.finish - j.arrive;
          hop(bus, {
            service: 'svc',
            endpoint: 'op',
            arrivedAt: j.arrive,
            at: j.finish,
            waitMs: wait,
            residenceMs,
          });
        }
        bus.emit('gauges.sampled', { at: warmupMs, services: [gaugesAt(jobs, workers, warmupMs)] });
        bus.emit('gauges.sampled', { at: durationMs, services: [gaugesAt(jobs, workers, durationMs)] });
        bus.emit('run.ended', { at: durationMs, reason: 'completed' });

        const svc = collector.results({ scenario: { name: 'l', seed: 0 }, events: 0, endReason: 'completed' })
          .services.svc!;
        const windowS = (durationMs - warmupMs) / 1000;
        const little = (svc.arrivalsPerSec * svc.residenceMs.mean!) / 1000;
        expect(svc.meanInSystem).toBeCloseTo(little, 9);
        expect(svc.arrivalsPerSec).toBeCloseTo(jobs2.length / windowS, 9);
        // Its pieces: utilization = work / capacity, and L_q = λ W_q.
        const work = jobs2.reduce((acc, j) => acc + (j.finish - j.start), 0);
        expect(svc.utilization!).toBeCloseTo(work / (workers * (durationMs - warmupMs)), 9);
        const meanWait = svc.endpoints.op!.waitMs.mean!;
        expect(svc.meanQueueLength).toBeCloseTo((svc.arrivalsPerSec * meanWait) / 1000, 9);
      }),
      { numRuns: 60 },
    );
  });

  it('holds within the edge effect when jobs straddle the window edges', () => {
    // Exponential gaps (mean 10 ms) and work (mean 7 ms), one worker: ρ = 0.7, 20 000 jobs.
    let seed = 12345;
    const uniform = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return (seed + 0.5) / 2147483648;
    };
    const arrivals: number[] = [];
    let t = 0;
    for (let i = 0; i < 20_000; i++) {
      t += -10 * Math.log(uniform());
      arrivals.push(t);
    }
    const jobs = simulateFifo(
      arrivals,
      arrivals.map(() => -7 * Math.log(uniform())),
      1,
    );
    const warmupMs = 20_000;
    const durationMs = 180_000;
    const bus = newBus();
    const collector = createMetricsCollector(bus, {
      warmupMs,
      durationMs,
      intervalMs: 1000,
      services: [{ name: 'svc', endpoints: ['op'] }],
      workloads: [],
    });
    for (const j of jobs.filter((x) => x.finish <= durationMs)) {
      hop(bus, {
        service: 'svc',
        endpoint: 'op',
        arrivedAt: j.arrive,
        at: j.finish,
        residenceMs: j.finish - j.arrive,
      });
    }
    bus.emit('gauges.sampled', { at: warmupMs, services: [gaugesAt(jobs, 1, warmupMs)] });
    bus.emit('gauges.sampled', { at: durationMs, services: [gaugesAt(jobs, 1, durationMs)] });
    bus.emit('run.ended', { at: durationMs, reason: 'completed' });
    const svc = collector.results({ scenario: { name: 'l', seed: 0 }, events: 0, endReason: 'completed' })
      .services.svc!;
    const little = (svc.arrivalsPerSec * svc.residenceMs.mean!) / 1000;
    // Only the few jobs in the system at either edge (≈ L = 2.3 of ~16 000) can disagree.
    expect(Math.abs(svc.meanInSystem - little) / little).toBeLessThan(0.01);
    expect(svc.utilization!).toBeGreaterThan(0.65);
    expect(svc.utilization!).toBeLessThan(0.75);
  });
});
