import { describe, expect, it } from 'vitest';
import { createMetricsCollector, type MetricsCollectorOptions } from '../../src/observe/metrics.ts';
import { bandFloor, MAX_LISTED, timeToRecoverMs } from '../../src/observe/resilience.ts';
import type { SeriesPoint } from '../../src/observe/results.ts';
import { arrive, complete, hop, newBus, nonFinitePaths } from './fixture.ts';
import { DURATION_MS, FAULT_END, FAULT_START, Script, scriptFaultRun, WARMUP_MS } from './scripted-fault.ts';

const RUN = { scenario: { name: 't', seed: 1 }, events: 0, endReason: 'completed' as const };

function setup(overrides: Partial<MetricsCollectorOptions> = {}) {
  const bus = newBus();
  const collector = createMetricsCollector(bus, {
    warmupMs: 1000,
    durationMs: 3000,
    intervalMs: 1000,
    services: [
      { name: 'front', endpoints: ['home'] },
      { name: 'pay', endpoints: ['charge'] },
    ],
    workloads: ['web'],
    ...overrides,
  });
  return { bus, collector };
}

function scriptedDoc() {
  const bus = newBus();
  const collector = createMetricsCollector(bus, {
    warmupMs: WARMUP_MS,
    durationMs: DURATION_MS,
    intervalMs: 1000,
    services: [
      { name: 'front', endpoints: ['home'] },
      { name: 'db', endpoints: ['get'] },
    ],
    workloads: ['web'],
  });
  const script = new Script(bus);
  scriptFaultRun(script);
  script.run();
  return collector.results(RUN);
}

/** A point per second with `ok` answers and `failed` failures. */
function point(at: number, ok: number, failed: number): SeriesPoint {
  const n = ok + failed;
  return {
    at,
    throughputPerSec: n,
    goodputPerSec: ok,
    errorsPerSec: failed,
    ok,
    fallback: 0,
    failed,
    availability: n > 0 ? ok / n : null,
    p50Ms: null,
    p99Ms: null,
    services: {},
  };
}

describe('results: the fallback outcome', () => {
  it('counts fallbacks as answers: availability, goodput and latency include them, successRate does not', () => {
    const { bus, collector } = setup({ warmupMs: 0, durationMs: 2000 });
    const rs = [
      { id: 'fb1', arrivedAt: 0, at: 100, outcome: 'ok' as const },
      { id: 'fb2', arrivedAt: 0, at: 300, outcome: 'fallback' as const },
      { id: 'fb3', arrivedAt: 0, at: 50, outcome: 'failed' as const, reason: 'timeout' as const },
      { id: 'fb4', arrivedAt: 500, at: 700, outcome: 'fallback' as const },
    ];
    for (const r of rs) arrive(bus, r);
    for (const r of rs) complete(bus, r);
    hop(bus, { arrivedAt: 0, at: 300, outcome: 'fallback' });
    hop(bus, { arrivedAt: 0, at: 100 });
    expect(collector.snapshot().workloads.web).toEqual({
      arrived: 4,
      ok: 1,
      fallback: 2,
      failed: 1,
      inFlight: 0,
    });
    bus.emit('gauges.sampled', { at: 1000, services: [] });
    bus.emit('run.ended', { at: 2000, reason: 'completed' });
    const doc = collector.results(RUN);
    const web = doc.workloads.web!;
    expect(web).toMatchObject({ requests: 4, ok: 1, fallback: 2, failed: 1, inFlight: 0 });
    expect(web.availability).toBe(0.75);
    expect(web.successRate).toBe(0.25);
    expect(web.throughputPerSec).toBe(2); // 4 completions / 2 s
    expect(web.goodputPerSec).toBe(1.5); // 3 answers / 2 s
    expect(web.latencyMs.mean).toBe((100 + 300 + 200) / 3);
    expect(web.latencyMs.max).toBe(300);
    expect(doc.services.front?.endpoints.home).toMatchObject({ requests: 2, ok: 1, fallback: 1, failed: 0 });
    expect(doc.services.front).toMatchObject({
      requests: 2,
      ok: 1,
      fallback: 1,
      availability: 1,
      successRate: 0.5,
    });
    expect(doc.timeSeries.points[0]).toMatchObject({
      at: 1000,
      ok: 1,
      fallback: 2,
      failed: 1,
      availability: 0.75,
      throughputPerSec: 4,
      goodputPerSec: 3,
      errorsPerSec: 1,
    });
  });
});

describe('results: edges', () => {
  it('counts plain hops as logical calls, one attempt each, by caller, with failures by reason', () => {
    const { bus, collector } = setup();
    hop(bus, { caller: 'web', arrivedAt: 500, at: 510 }); // warm-up: not counted
    hop(bus, { caller: 'web', arrivedAt: 1000, at: 1010 });
    hop(bus, { caller: 'web', arrivedAt: 1100, at: 1110, outcome: 'failed', reason: 'queue_full' });
    hop(bus, { caller: 'front', arrivedAt: 1200, at: 1210, inProcess: true });
    bus.emit('run.ended', { at: 3000, reason: 'completed' });
    const { edges } = collector.results(RUN);
    expect(edges?.['web→front']).toEqual({
      caller: 'web',
      service: 'front',
      policy: false,
      calls: 2,
      ok: 1,
      fallback: 0,
      failed: 1,
      failures: { queue_full: 1 },
      availability: 0.5,
      successRate: 0.5,
      attempts: 2,
      retryAmplification: 1,
      hops: 2,
      retries: 0,
      retriesDenied: 0,
      rejections: {},
    });
    expect(edges?.['front→front']).toMatchObject({ calls: 1, ok: 1, retryAmplification: 1 });
  });

  it('takes logical calls from call.completed on edges with policies: 4 attempts per call is an amplification of 4', () => {
    const { bus, collector } = setup();
    const call = (at: number, latencyMs: number, outcome: 'ok' | 'fallback' | 'failed', reason?: 'timeout') =>
      bus.emit('call.completed', {
        at,
        requestId: 1,
        caller: 'front',
        service: 'pay',
        endpoint: 'charge',
        attempts: 4,
        latencyMs,
        outcome,
        ...(reason === undefined ? {} : { reason }),
      });
    const edge = { caller: 'front', service: 'pay', endpoint: 'charge' };
    call(1200, 300, 'ok'); // started in warm-up (900): not counted, but marks the edge as a policy edge
    for (let i = 0; i < 3; i++) {
      const start = 1000 + i * 500;
      for (let a = 0; a < 4; a++) {
        hop(bus, {
          service: 'pay',
          endpoint: 'charge',
          caller: 'front',
          arrivedAt: start + a * 100,
          at: start + a * 100 + 50,
          outcome: a < 3 ? 'failed' : 'ok',
          ...(a < 3 ? { reason: 'error_injected' as const } : {}),
        });
        if (a < 3) {
          bus.emit('call.retried', {
            at: start + a * 100 + 50,
            requestId: 1,
            ...edge,
            retry: a + 1,
            delayMs: 50,
            after: 'error_injected',
          });
        }
      }
    }
    call(1400, 400, 'ok');
    call(1900, 400, 'fallback');
    call(2400, 400, 'failed', 'timeout');
    bus.emit('retry.denied', { at: 2500, ...edge, why: 'budget spent' });
    bus.emit('retry.denied', { at: 900, ...edge, why: 'warm-up: not counted' });
    bus.emit('call.rejected', {
      at: 2600,
      ...edge,
      reason: 'circuit_open',
      why: 'front→pay breaker is open',
    });
    bus.emit('call.rejected', {
      at: 2700,
      ...edge,
      reason: 'circuit_open',
      why: 'front→pay breaker is open',
    });
    bus.emit('call.rejected', { at: 2800, ...edge, reason: 'bulkhead_full', why: 'full' });
    bus.emit('run.ended', { at: 3000, reason: 'completed' });
    expect(collector.results(RUN).edges?.['front→pay']).toEqual({
      caller: 'front',
      service: 'pay',
      policy: true,
      calls: 3,
      ok: 1,
      fallback: 1,
      failed: 1,
      failures: { timeout: 1 },
      availability: 2 / 3,
      successRate: 1 / 3,
      attempts: 12,
      retryAmplification: 4,
      hops: 12,
      retries: 9,
      retriesDenied: 1,
      rejections: { circuit_open: 2, bulkhead_full: 1 },
    });
  });
});

describe('results: wasted work', () => {
  it('sums own work and wasted work per service and overall', () => {
    const { bus, collector } = setup();
    hop(bus, { arrivedAt: 500, at: 600, workMs: 1000, wasted: true }); // warm-up: not counted
    hop(bus, { arrivedAt: 1000, at: 1010, workMs: 10 });
    hop(bus, { arrivedAt: 1000, at: 1030, workMs: 30, wasted: true });
    hop(bus, { service: 'pay', endpoint: 'charge', arrivedAt: 1000, at: 1020, workMs: 20, wasted: true });
    hop(bus, { service: 'pay', endpoint: 'charge', arrivedAt: 1000, at: 1040, workMs: 40 });
    bus.emit('run.ended', { at: 3000, reason: 'completed' });
    const doc = collector.results(RUN);
    expect(doc.services.front?.work).toEqual({ totalMs: 40, wastedMs: 30, wastedShare: 0.75 });
    expect(doc.services.pay?.work).toEqual({ totalMs: 60, wastedMs: 20, wastedShare: 1 / 3 });
    expect(doc.work).toEqual({ totalMs: 100, wastedMs: 50, wastedShare: 0.5 });
  });

  it('reports a null share without work', () => {
    const { bus, collector } = setup();
    bus.emit('run.ended', { at: 3000, reason: 'completed' });
    expect(collector.results(RUN).work).toEqual({ totalMs: 0, wastedMs: 0, wastedShare: null });
  });
});

describe('results: breakers, ejections and faults of a scripted run', () => {
  const doc = scriptedDoc();

  it('keeps the breaker timeline, its openings and time open in the window, and its final state', () => {
    const b = doc.breakers?.['web→front'];
    expect(b).toMatchObject({
      caller: 'web',
      service: 'front',
      opened: 2,
      openMs: 2000,
      finalState: 'closed',
    });
    expect(b?.transitions.map((t) => [t.at, t.from, t.to])).toEqual([
      [5600, 'closed', 'open'],
      [6600, 'open', 'half_open'],
      [6600, 'half_open', 'open'],
      [7600, 'open', 'half_open'],
      [8500, 'half_open', 'closed'],
    ]);
    expect(b?.transitions[0]?.why).toBe('closed → open');
  });

  it('lists ejections with the time the instance returned', () => {
    expect(doc.ejections).toEqual([
      {
        at: 5300,
        service: 'front',
        instance: 'front#1',
        untilMs: 35_300,
        why: 'front#1: 5 consecutive failures',
        returnedAt: 9300,
      },
    ]);
  });

  it('measures time to detect, time to recover and blast radius of the fault', () => {
    expect(doc.faults).toHaveLength(1);
    const f = doc.faults![0]!;
    expect(f).toMatchObject({
      name: 'kill-front',
      kind: 'kill',
      target: 'front (1 of 2 instances: front#2)',
      startedAt: FAULT_START,
      endedAt: FAULT_END,
      // The ejection at 5.3 s came before the breaker opened at 5.6 s.
      timeToDetectMs: 300,
      detectedBy: 'front#1 ejected',
      // Intervals ending at 9 s and 10 s are at 50%; from 10 s on every request is answered.
      timeToRecoverMs: 2000,
      // Completions in [1 s, 5 s): requests arriving at 1.0 … 4.9 s.
      baseline: { fromMs: WARMUP_MS, toMs: FAULT_START, completed: 40, availability: 1 },
      during: { completed: 30, availability: 0 },
    });
    // db kept answering: it is not in the blast radius.
    expect(f.blastRadius).toEqual([
      { kind: 'workload', name: 'web', before: 1, during: 0 },
      { kind: 'service', name: 'front', before: 1, during: 0 },
    ]);
    expect(nonFinitePaths(doc)).toEqual([]);
  });

  it('gives every series point its outcome counts and availability', () => {
    const at9 = doc.timeSeries.points.find((p) => p.at === 9000);
    expect(at9).toMatchObject({ ok: 5, fallback: 0, failed: 5, availability: 0.5 });
    const at12 = doc.timeSeries.points.find((p) => p.at === 12_000);
    expect(at12).toMatchObject({ ok: 10, failed: 0, availability: 1 });
  });
});

describe('results: faults, edge cases', () => {
  it('leaves endedAt and time to recover null for a fault that never ended, and detects it by a breaker', () => {
    const { bus, collector } = setup({ warmupMs: 0 });
    const fault = { fault: 'slow-pay', kind: 'latency', target: 'pay' };
    bus.emit('breaker.transition', {
      at: 100,
      breaker: 'front→pay',
      caller: 'front',
      service: 'pay',
      from: 'closed',
      to: 'open',
      why: 'before the fault: not a detection',
    });
    bus.emit('fault.started', { at: 1000, ...fault });
    bus.emit('breaker.transition', {
      at: 1250,
      breaker: 'front→pay',
      caller: 'front',
      service: 'pay',
      from: 'half_open',
      to: 'open',
      why: 'after',
    });
    bus.emit('run.ended', { at: 3000, reason: 'completed' });
    const doc = collector.results(RUN);
    expect(doc.faults?.[0]).toMatchObject({
      endedAt: null,
      timeToDetectMs: 250,
      detectedBy: 'breaker front→pay opened',
      timeToRecoverMs: null,
      baseline: { fromMs: 0, toMs: 1000, completed: 0, availability: null },
      blastRadius: [],
    });
    // Open from 100 ms to the end, with a stray half_open → open: still open at the end.
    expect(doc.breakers?.['front→pay']).toMatchObject({ opened: 2, finalState: 'open', openMs: 2900 });
  });

  it('starts the baseline of a fault after the end of an earlier one', () => {
    const { bus, collector } = setup({ warmupMs: 0, durationMs: 10_000 });
    const a = { fault: 'a', kind: 'kill', target: 'front' };
    const b = { fault: 'b', kind: 'kill', target: 'front' };
    const at = (t: number, outcome: 'ok' | 'failed') => {
      const r = { id: `e${t}`, arrivedAt: t - 1, at: t, outcome, reason: 'timeout' as const };
      arrive(bus, r);
      complete(bus, outcome === 'ok' ? { ...r, reason: undefined } : r);
    };
    at(500, 'ok');
    bus.emit('fault.started', { at: 1000, ...a });
    at(1500, 'failed');
    bus.emit('fault.ended', { at: 2000, ...a });
    at(2500, 'ok');
    at(2600, 'ok');
    bus.emit('fault.started', { at: 3000, ...b });
    bus.emit('fault.ended', { at: 4000, ...b });
    bus.emit('run.ended', { at: 10_000, reason: 'completed' });
    const faults = collector.results(RUN).faults!;
    expect(faults.map((f) => f.baseline)).toEqual([
      { fromMs: 0, toMs: 1000, completed: 1, availability: 1 },
      { fromMs: 2000, toMs: 3000, completed: 2, availability: 1 },
    ]);
  });

  it('lists at most MAX_LISTED transitions per breaker and says so in the warnings', () => {
    const { bus, collector } = setup({ warmupMs: 0 });
    for (let i = 0; i < MAX_LISTED + 10; i++) {
      const open = i % 2 === 0;
      bus.emit('breaker.transition', {
        at: i,
        breaker: 'front→pay',
        caller: 'front',
        service: 'pay',
        from: open ? 'closed' : 'open',
        to: open ? 'open' : 'closed',
        why: '',
      });
    }
    bus.emit('run.ended', { at: 3000, reason: 'completed' });
    const doc = collector.results(RUN);
    expect(doc.breakers?.['front→pay']?.transitions).toHaveLength(MAX_LISTED);
    expect(doc.breakers?.['front→pay']?.opened).toBe((MAX_LISTED + 10) / 2);
    expect(doc.run.warnings).toEqual([
      `breaker front→pay changed state ${MAX_LISTED + 10} times; the results list the first ${MAX_LISTED}`,
    ]);
  });
});

describe('the pre-fault band and time to recover', () => {
  it('is the baseline minus max(1 point, 3 standard errors)', () => {
    expect(bandFloor(1, 100)).toBe(0.99);
    expect(bandFloor(0.9, 100)).toBeCloseTo(0.9 - 3 * 0.03, 12);
    expect(bandFloor(0.999, 1_000_000)).toBeCloseTo(0.989, 12);
  });

  it('needs 5 consecutive non-empty intervals in the band, skipping empty ones', () => {
    const points = [
      point(1000, 10, 0),
      point(2000, 0, 10), // the fault ends at 1500
      point(3000, 10, 0), // a lucky interval…
      point(4000, 5, 5), // …then degraded again
      point(5000, 10, 0),
      point(6000, 0, 0), // empty: skipped
      point(7000, 10, 0),
      point(8000, 10, 0),
      point(9000, 10, 0),
      point(10_000, 10, 0),
      point(11_000, 3, 1), // a dip after recovery does not undo it
    ];
    expect(timeToRecoverMs(points, 1500, 1)).toBe(4000 - 1500);
  });

  it('is 0 when the interval holding the end is already in the band, and accepts a short tail', () => {
    expect(timeToRecoverMs([point(1000, 10, 0), point(2000, 10, 0)], 1500, 1)).toBe(0);
    expect(timeToRecoverMs([point(1000, 0, 10), point(2000, 0, 10), point(3000, 10, 0)], 1500, 1)).toBe(500);
    expect(timeToRecoverMs([point(1000, 0, 10), point(2000, 0, 10)], 1500, 1)).toBeNull();
  });
});
