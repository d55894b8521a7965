import { describe, expect, it } from 'vitest';
import type { Bus } from '../../src/engine/bus.ts';
import {
  createExpectationChecker,
  type ExpectationVerdict,
  formatExpected,
  formatMeasured,
} from '../../src/observe/expectations.ts';
import { createMetricsCollector } from '../../src/observe/metrics.ts';
import type { ResultsDocument } from '../../src/observe/results.ts';
import type { ExpectationSpec, Signals } from '../../src/signals.ts';
import { arrive, complete, hop, newBus, type RequestSpec } from './fixture.ts';
import { DURATION_MS, Script, scriptFaultRun, WARMUP_MS } from './scripted-fault.ts';

const RUN = { scenario: { name: 't', seed: 1 }, events: 0, endReason: 'completed' as const };

type SpecInput = Omit<ExpectationSpec, 'name' | 'scope' | 'window'> &
  Partial<Pick<ExpectationSpec, 'name' | 'scope' | 'window'>>;

function spec(s: SpecInput): ExpectationSpec {
  return { name: s.name ?? s.metric, scope: { kind: 'all' }, window: { kind: 'run' }, ...s };
}

interface Checked {
  readonly verdicts: ExpectationVerdict[];
  readonly doc: ResultsDocument;
}

/** Runs `drive` on a bus with a collector and a checker of `specs`; ends the run at `endMs`. */
function check(
  specs: readonly SpecInput[],
  drive: (bus: Bus<Signals>) => void,
  { warmupMs = 1000, endMs = 3000 }: { warmupMs?: number; endMs?: number } = {},
): Checked {
  const bus = newBus();
  const collector = createMetricsCollector(bus, {
    warmupMs,
    durationMs: endMs,
    intervalMs: 1000,
    services: [{ name: 'front', endpoints: ['home', 'search'] }],
    workloads: ['web'],
  });
  const full = specs.map(spec);
  const checker = createExpectationChecker(bus, full, { warmupMs, durationMs: endMs });
  drive(bus);
  bus.emit('run.ended', { at: endMs, reason: 'completed' });
  const doc = collector.results(RUN);
  const verdicts = checker.verdicts(doc);
  expect(bus.failureCount).toBe(0);
  return { verdicts, doc };
}

/** The measured values, in spec order. */
const measured = (c: Checked) => c.verdicts.map((v) => v.measured);

function requests(bus: Bus<Signals>, rs: readonly RequestSpec[]): void {
  for (const r of rs) arrive(bus, r);
  for (const r of [...rs].sort((a, b) => a.at - b.at)) complete(bus, r);
}

/** Five counted requests (and one of the warm-up, one never answered) on the run window. */
const FIVE: readonly RequestSpec[] = [
  { id: 'x0', arrivedAt: 500, at: 1500, outcome: 'failed', reason: 'timeout' }, // warm-up
  // Latencies 1, 1.5 and 2 ms: under 2.048 ms the histogram is exact to the microsecond.
  { id: 'x1', arrivedAt: 1000, at: 1001 },
  { id: 'x2', arrivedAt: 1100, at: 1101.5 },
  { id: 'x3', arrivedAt: 1200, at: 1202, outcome: 'fallback' },
  { id: 'x4', arrivedAt: 1300, at: 1400, outcome: 'failed', reason: 'timeout' },
  { id: 'x5', arrivedAt: 1400, at: 1401, outcome: 'failed', reason: 'queue_full' },
];

function scriptedRun(specs: readonly SpecInput[]): Checked {
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
  const checker = createExpectationChecker(bus, specs.map(spec), {
    warmupMs: WARMUP_MS,
    durationMs: DURATION_MS,
  });
  const script = new Script(bus);
  scriptFaultRun(script);
  script.run();
  const doc = collector.results(RUN);
  return { verdicts: checker.verdicts(doc), doc };
}

const FAULT = 'kill-front';
const during = { kind: 'fault', fault: FAULT, phase: 'during' } as const;
const before = { kind: 'fault', fault: FAULT, phase: 'before' } as const;
const after = { kind: 'fault', fault: FAULT, phase: 'after' } as const;

describe('expectations: request metrics (scope all, window run)', () => {
  it('measures each metric exactly, counting requests that arrived after the warm-up', () => {
    const c = check(
      [
        { metric: 'availability', op: '==', value: 0.6 },
        { metric: 'success_rate', op: '==', value: 0.4 },
        { metric: 'throughput', op: '==', value: 2.5 },
        { metric: 'goodput', op: '==', value: 1.5 },
        { metric: 'errors', op: '==', value: 2 },
        { metric: 'errors', reason: 'timeout', op: '==', value: 1 },
        { metric: 'errors', reason: 'no_instance', op: '==', value: 0 },
        { metric: 'fallbacks', op: '==', value: 1 },
        { metric: 'latency_mean', op: '==', value: 1.5 },
        { metric: 'latency_p50', op: '==', value: 1.5 },
        { metric: 'latency_p90', op: '==', value: 2 },
        { metric: 'latency_p95', op: '==', value: 2 },
        { metric: 'latency_p99', op: '==', value: 2 },
        { metric: 'latency_p999', op: '==', value: 2 },
        { metric: 'latency_max', op: '==', value: 2 },
      ],
      (bus) => {
        requests(bus, FIVE);
        arrive(bus, { id: 'x6', arrivedAt: 2900, at: 0 }); // in flight at the end: not counted
      },
    );
    expect(measured(c)).toEqual([0.6, 0.4, 2.5, 1.5, 2, 1, 0, 1, 1.5, 1.5, 2, 2, 2, 2, 2]);
    expect(c.verdicts.every((v) => v.passed)).toBe(true);
    // The same numbers as the results document's.
    const web = c.doc.workloads.web!;
    expect([web.availability, web.successRate, web.throughputPerSec, web.goodputPerSec]).toEqual(
      measured(c).slice(0, 4),
    );
    expect([web.latencyMs.mean, web.latencyMs.p50, web.latencyMs.max]).toEqual([1.5, 1.5, 2]);
  });

  it('takes percentiles from the same histogram as the results (within 0.05%)', () => {
    const rs: RequestSpec[] = [];
    for (let i = 1; i <= 1000; i++) rs.push({ id: `l${i}`, arrivedAt: 1000, at: 1000 + i });
    const c = check(
      [
        { metric: 'latency_p50', op: '>', value: 0 },
        { metric: 'latency_p99', op: '>', value: 0 },
        { metric: 'latency_p999', op: '>', value: 0 },
      ],
      (bus) => requests(bus, rs),
    );
    const values = measured(c) as number[];
    // The value of nearest rank ⌈p/100 · n⌉ among 1..1000 ms is that rank in ms; buckets within 0.05%.
    [50, 99, 99.9].forEach((p, i) => {
      const exact = Math.max(1, Math.ceil((p / 100) * 1000));
      expect(Math.abs(values[i]! - exact) / exact).toBeLessThanOrEqual(0.0005);
    });
    const [p50, p99, p999] = values;
    const lat = c.doc.workloads.web!.latencyMs;
    expect([lat.p50, lat.p99, lat.p999]).toEqual([p50, p99, p999]);
  });
});

describe('expectations: comparisons at the boundary', () => {
  // 99 answers and 1 failure: availability exactly 0.99.
  const rs: RequestSpec[] = [];
  for (let i = 0; i < 100; i++) {
    rs.push({
      id: `b${i}`,
      arrivedAt: 1000 + i,
      at: 1100 + i,
      ...(i === 0 ? { outcome: 'failed' as const, reason: 'timeout' as const } : {}),
    });
  }
  const ops = ['>=', '>', '<=', '<', '==', '!='] as const;
  const c = check(
    ops.map((op) => ({ metric: 'availability' as const, op, value: 0.99 })),
    (bus) => requests(bus, rs),
  );

  it('compares exactly as the operator says', () => {
    expect(measured(c)).toEqual(ops.map(() => 0.99));
    expect(c.verdicts.map((v) => v.passed)).toEqual([true, false, true, false, true, false]);
  });

  it('writes the expectation with ≥ ≤ < > = ≠ and the unit', () => {
    expect(c.verdicts.map((v) => v.expected)).toEqual(['≥ 99%', '> 99%', '≤ 99%', '< 99%', '= 99%', '≠ 99%']);
    expect(c.verdicts[0]?.measuredText).toBe('99%');
  });

  it('shows more digits when a failing value would look equal to its threshold', () => {
    const slow = check([{ metric: 'latency_max', op: '<=', value: 300 }], (bus) =>
      requests(bus, [{ id: 's1', arrivedAt: 1000, at: 1300.375 }]),
    );
    expect(slow.verdicts[0]).toMatchObject({
      passed: false,
      measured: 300.375,
      measuredText: '300.4 ms',
      expected: '≤ 300 ms',
    });
  });
});

describe('expectations: no data is never a pass', () => {
  it('fails with a detail when nothing arrived in the window, whatever the comparison', () => {
    const c = check(
      [
        { metric: 'availability', op: '>=', value: 0 },
        { metric: 'errors', op: '<=', value: 0 },
        { metric: 'throughput', op: '>=', value: 0 },
        { metric: 'latency_p99', op: '<=', value: 1e9 },
      ],
      (bus) => requests(bus, [FIVE[0]!]), // only a warm-up request
    );
    expect(measured(c)).toEqual([null, null, null, null]);
    expect(c.verdicts.every((v) => !v.passed)).toBe(true);
    expect(c.verdicts[0]?.detail).toBe('no requests arrived in the window and completed');
    expect(c.verdicts[0]?.measuredText).toBe('no data');
  });

  it('fails latency when every request in the window failed', () => {
    const c = check([{ metric: 'latency_mean', op: '>=', value: 0 }], (bus) => requests(bus, [FIVE[4]!]));
    expect(c.verdicts[0]).toMatchObject({ passed: false, measured: null });
    expect(c.verdicts[0]?.detail).toMatch(/answered/);
  });

  it('fails a metric that cannot be measured for its scope, or a value of the wrong kind', () => {
    const c = check(
      [
        { metric: 'availability', scope: { kind: 'breaker', breaker: 'a→b' }, op: '>=', value: 0 },
        { metric: 'replicas', scope: { kind: 'edge', from: 'a', to: 'b' }, op: '>=', value: 0 },
        { metric: 'wasted_work_ms', scope: { kind: 'workload', workload: 'web' }, op: '>=', value: 0 },
        { metric: 'breaker_state', scope: { kind: 'breaker', breaker: 'a→b' }, op: '==', value: 1 },
        { metric: 'breaker_state', scope: { kind: 'breaker', breaker: 'a→b' }, op: '>=', value: 'open' },
        { metric: 'availability', op: '>=', value: 'high' },
      ],
      (bus) => requests(bus, FIVE),
    );
    expect(c.verdicts.map((v) => v.passed)).toEqual([false, false, false, false, false, false]);
    expect(c.verdicts[0]?.detail).toMatch(/cannot be measured for a breaker scope/);
    expect(c.verdicts[1]?.detail).toMatch(/replicas cannot be measured for a edge scope/);
    expect(c.verdicts[3]?.detail).toMatch(/state name/);
    expect(c.verdicts[4]?.detail).toMatch(/== or !=/);
    expect(c.verdicts[5]?.detail).toMatch(/compares with a number/);
  });
});

describe('expectations: windows', () => {
  it('range: [from, to) by arrival time, rates over its length', () => {
    const c = check(
      [
        { metric: 'throughput', window: { kind: 'range', fromMs: 1500, toMs: 2500 }, op: '==', value: 2 },
        { metric: 'availability', window: { kind: 'range', fromMs: 1500, toMs: 2500 }, op: '==', value: 0.5 },
        { metric: 'availability', window: { kind: 'range', fromMs: 5000, toMs: 6000 }, op: '>=', value: 0 },
      ],
      (bus) =>
        requests(bus, [
          { id: 'g1', arrivedAt: 1400, at: 1600 }, // arrived before: out
          { id: 'g2', arrivedAt: 1500, at: 1600 }, // at `from`: in
          { id: 'g3', arrivedAt: 2400, at: 2700, outcome: 'failed', reason: 'timeout' }, // completes after: in
          { id: 'g4', arrivedAt: 2500, at: 2510 }, // at `to`: out
        ]),
    );
    expect(measured(c)).toEqual([2, 0.5, null]);
    expect(c.verdicts[2]?.detail).toMatch(/is empty/);
  });

  it('fault phases: before [warm-up, start), during [start, end), after [end, run end], by arrival', () => {
    const f = (phase: 'before' | 'during' | 'after') => ({ kind: 'fault', fault: 'f', phase }) as const;
    const c = check(
      [
        { metric: 'availability', window: f('before'), op: '==', value: 1 },
        { metric: 'throughput', window: f('before'), op: '==', value: 2 },
        { metric: 'availability', window: f('during'), op: '==', value: 0 },
        { metric: 'throughput', window: f('during'), op: '==', value: 4 },
        { metric: 'availability', window: f('after'), op: '==', value: 1 },
        { metric: 'throughput', window: f('after'), op: '==', value: 2 / 1.5 },
      ],
      (bus) => {
        const fault = { fault: 'f', kind: 'error', target: 'front' };
        const r = (
          id: string,
          arrivedAt: number,
          at: number,
          outcome: 'ok' | 'failed' = 'ok',
        ): RequestSpec => ({
          id,
          arrivedAt,
          at,
          outcome,
          ...(outcome === 'failed' ? { reason: 'error_injected' as const } : {}),
        });
        requests(bus, [r('h1', 1000, 1100), r('h2', 1900, 1950)]);
        bus.emit('fault.started', { at: 2000, ...fault });
        const a = r('h3', 1990, 2100); // arrived before, completes during: before
        const b = r('h4', 2000, 2050, 'failed'); // arrived at the start: during
        const c2 = r('h5', 2400, 2600, 'failed'); // completes after the end: during
        for (const x of [a, b, c2]) arrive(bus, x);
        complete(bus, b);
        complete(bus, a);
        bus.emit('fault.ended', { at: 2500, ...fault });
        const d = r('h6', 2500, 2510); // arrived at the end: after
        arrive(bus, d);
        complete(bus, d);
        complete(bus, c2);
        requests(bus, [r('h7', 3000, 3100)]);
      },
      { endMs: 4000 },
    );
    // before: h1, h2, h3 in [1 s, 2 s); during: h4, h5 in 0.5 s; after: h6, h7 in 1.5 s.
    expect(measured(c)).toEqual([1, 3, 0, 4, 1, 2 / 1.5]);
    expect(c.verdicts.map((v) => v.passed)).toEqual([true, false, true, true, true, true]);
  });

  it('a fault that never ended has an empty after; one that never started has no windows', () => {
    const c = check(
      [
        { metric: 'availability', window: { kind: 'fault', fault: 'f', phase: 'after' }, op: '>=', value: 0 },
        {
          metric: 'availability',
          window: { kind: 'fault', fault: 'f', phase: 'during' },
          op: '==',
          value: 1,
        },
        {
          metric: 'availability',
          window: { kind: 'fault', fault: 'nope', phase: 'before' },
          op: '>=',
          value: 0,
        },
        {
          metric: 'availability',
          window: { kind: 'fault', fault: 'early', phase: 'before' },
          op: '>=',
          value: 0,
        },
      ],
      (bus) => {
        bus.emit('fault.started', { at: 500, fault: 'early', kind: 'kill', target: 'front' });
        bus.emit('fault.started', { at: 2000, fault: 'f', kind: 'kill', target: 'front' });
        requests(bus, [{ id: 'n1', arrivedAt: 2500, at: 2600 }]);
      },
    );
    expect(c.verdicts.map((v) => [v.passed, v.measured, v.detail])).toEqual([
      [false, null, 'the fault f never ended'],
      [true, 1, undefined],
      [false, null, 'the fault nope never started'],
      [false, null, 'the window [1000 ms, 500 ms) is empty'],
    ]);
  });
});

describe('expectations: scopes', () => {
  it('workload: only that workload’s requests', () => {
    const c = check(
      [{ metric: 'availability', scope: { kind: 'workload', workload: 'batch' }, op: '==', value: 0 }],
      (bus) =>
        requests(bus, [
          { id: 'w1', arrivedAt: 1000, at: 1010 },
          { id: 'w2', arrivedAt: 1000, at: 1010, workload: 'batch', outcome: 'failed', reason: 'shed' },
        ]),
    );
    expect(measured(c)).toEqual([0]);
  });

  it('service and endpoint: hops (server view), in-process ones included', () => {
    const c = check(
      [
        { metric: 'availability', scope: { kind: 'service', service: 'front' }, op: '==', value: 0.75 },
        {
          metric: 'errors',
          scope: { kind: 'service', service: 'front' },
          reason: 'queue_full',
          op: '==',
          value: 1,
        },
        {
          metric: 'availability',
          scope: { kind: 'endpoint', service: 'front', endpoint: 'search' },
          op: '==',
          value: 0,
        },
        { metric: 'latency_max', scope: { kind: 'service', service: 'front' }, op: '==', value: 50 },
        { metric: 'throughput', scope: { kind: 'service', service: 'db' }, op: '>=', value: 0 },
      ],
      (bus) => {
        hop(bus, { arrivedAt: 900, at: 1000, outcome: 'failed', reason: 'shed' }); // warm-up
        hop(bus, { arrivedAt: 1000, at: 1050 });
        hop(bus, { arrivedAt: 1000, at: 1010, inProcess: true, caller: 'front' });
        hop(bus, { arrivedAt: 1000, at: 1020, outcome: 'fallback' });
        hop(bus, { endpoint: 'search', arrivedAt: 1000, at: 1001, outcome: 'failed', reason: 'queue_full' });
      },
    );
    expect(measured(c)).toEqual([0.75, 1, 0, 50, null]);
    expect(c.verdicts[4]?.detail).toBe('no visits to db arrived in the window and completed');
  });

  it('edge: hops on a plain edge, call.completed on an edge with policies', () => {
    const call = (bus: Bus<Signals>, at: number, outcome: 'ok' | 'failed', attempts: number) =>
      bus.emit('call.completed', {
        at,
        requestId: 1,
        caller: 'front',
        service: 'pay',
        endpoint: 'charge',
        attempts,
        latencyMs: 100,
        outcome,
        ...(outcome === 'failed' ? { reason: 'timeout' as const } : {}),
      });
    const edge = (from: string, to: string) => ({ kind: 'edge', from, to }) as const;
    const c = check(
      [
        { metric: 'availability', scope: edge('web', 'front'), op: '==', value: 0.5 },
        { metric: 'availability', scope: edge('front', 'pay'), op: '==', value: 0.5 },
        { metric: 'retry_amplification', scope: edge('front', 'pay'), op: '==', value: 4 },
        { metric: 'retry_amplification', scope: edge('web', 'front'), op: '==', value: 1 },
        // Every edge: (2 calls × 4 attempts + 2 plain hops) / 4 logical calls.
        { metric: 'retry_amplification', op: '==', value: 2.5 },
        { metric: 'retry_amplification', scope: { kind: 'service', service: 'pay' }, op: '==', value: 4 },
        { metric: 'latency_mean', scope: edge('front', 'pay'), op: '==', value: 100 },
        { metric: 'errors', scope: edge('front', 'pay'), reason: 'timeout', op: '==', value: 1 },
        { metric: 'availability', scope: edge('nobody', 'front'), op: '>=', value: 0 },
      ],
      (bus) => {
        hop(bus, { caller: 'web', arrivedAt: 1000, at: 1010 });
        hop(bus, { caller: 'web', arrivedAt: 1000, at: 1010, outcome: 'failed', reason: 'queue_full' });
        // The attempts of the policy calls: every one failed, yet the calls' outcomes count.
        for (let i = 0; i < 8; i++) {
          hop(bus, {
            service: 'pay',
            endpoint: 'charge',
            caller: 'front',
            arrivedAt: 1100 + i,
            at: 1101 + i,
            outcome: 'failed',
            reason: 'error_injected',
          });
        }
        call(bus, 1200, 'ok', 4);
        call(bus, 1300, 'failed', 4);
      },
    );
    expect(measured(c)).toEqual([0.5, 0.5, 4, 1, 2.5, 4, 100, 1, null]);
    expect(c.verdicts[8]?.detail).toBe('no calls from nobody to front arrived in the window and completed');
  });

  it('breaker: openings in the window and the state at its end', () => {
    const b = { kind: 'breaker', breaker: 'web→front' } as const;
    const c = scriptedRun([
      { metric: 'breaker_opened', scope: b, window: during, op: '==', value: 2 },
      { metric: 'breaker_opened', scope: b, window: before, op: '==', value: 0 },
      { metric: 'breaker_state', scope: b, window: during, op: '==', value: 'half_open' },
      { metric: 'breaker_state', scope: b, op: '==', value: 'closed' },
      {
        metric: 'breaker_state',
        scope: b,
        window: { kind: 'range', fromMs: 0, toMs: 6000 },
        op: '!=',
        value: 'closed',
      },
      { metric: 'breaker_state', scope: { kind: 'breaker', breaker: 'quiet' }, op: '==', value: 'closed' },
    ]);
    expect(measured(c)).toEqual([2, 0, 'half_open', 'closed', 'open', 'closed']);
    expect(c.verdicts.every((v) => v.passed)).toBe(true);
    expect(c.verdicts[5]?.detail).toBe('breaker quiet never changed state (breakers start closed)');
    expect(c.verdicts[2]?.expected).toBe('= half_open');
  });
});

describe('expectations: resilience metrics on the scripted fault', () => {
  const c = scriptedRun([
    { metric: 'availability', window: before, op: '==', value: 1 },
    { metric: 'availability', window: during, op: '>=', value: 0.5 },
    { metric: 'availability', window: after, op: '==', value: 110 / 120 },
    { metric: 'time_to_detect_ms', window: during, op: '<=', value: 1000 },
    { metric: 'time_to_recover_ms', window: after, op: '<=', value: 5000 },
    { metric: 'time_to_recover_ms', op: '<=', value: 5000 },
    { metric: 'replicas', scope: { kind: 'service', service: 'front' }, window: during, op: '==', value: 1 },
    { metric: 'replicas', scope: { kind: 'service', service: 'front' }, op: '==', value: 34 / 19 },
    { metric: 'replicas', scope: { kind: 'service', service: 'db' }, op: '>=', value: 0 },
    { metric: 'wasted_work_ms', op: '==', value: 30 * 4 + 10 * 4 },
    {
      metric: 'wasted_work_ms',
      scope: { kind: 'service', service: 'front' },
      window: during,
      op: '==',
      value: 120,
    },
    { metric: 'wasted_work_ms', scope: { kind: 'service', service: 'db' }, op: '==', value: 0 },
    {
      metric: 'wasted_work_ms',
      scope: { kind: 'edge', from: 'web', to: 'front' },
      window: before,
      op: '==',
      value: 0,
    },
    {
      metric: 'wasted_work_ms',
      scope: { kind: 'endpoint', service: 'front', endpoint: 'home' },
      window: after,
      op: '==',
      value: 40,
    },
    { metric: 'goodput', window: during, op: '>=', value: 1 },
    {
      metric: 'success_rate',
      scope: { kind: 'workload', workload: 'web' },
      window: after,
      op: '>',
      value: 0.9,
    },
  ]);

  it('measures each window of the fault', () => {
    expect(measured(c).slice(0, 3)).toEqual([1, 0, 110 / 120]);
    expect(c.verdicts.slice(0, 3).map((v) => v.passed)).toEqual([true, false, true]);
    expect(c.verdicts[1]?.measuredText).toBe('0%');
  });

  it('takes time to detect and to recover from the results, and needs a fault window for them', () => {
    expect(c.verdicts[3]).toMatchObject({
      passed: true,
      measured: 300,
      detail: 'detected by front#1 ejected',
    });
    expect(c.verdicts[4]).toMatchObject({ passed: true, measured: 2000, measuredText: '2 s' });
    expect(c.doc.faults?.[0]).toMatchObject({ timeToDetectMs: 300, timeToRecoverMs: 2000 });
    expect(c.verdicts[5]).toMatchObject({ passed: false, measured: null });
    expect(c.verdicts[5]?.detail).toMatch(/needs a fault window/);
  });

  it('averages ready instances exactly over the window', () => {
    expect(measured(c).slice(6, 9)).toEqual([1, 34 / 19, null]);
    expect(c.verdicts[6]?.measuredText).toBe('1 instance');
    expect(c.verdicts[8]?.detail).toBe('no instance of db was seen');
  });

  it('sums wasted work by scope and window', () => {
    // Front's failed hops waste 4 ms each: 30 during the fault, 10 after it.
    expect(measured(c).slice(9, 14)).toEqual([160, 120, 0, 0, 40]);
    expect(c.doc.work).toEqual({ totalMs: 190 * 6, wastedMs: 160, wastedShare: 160 / (190 * 6) });
  });

  it('measures goodput and success rate in fault windows', () => {
    expect(c.verdicts[14]).toMatchObject({ passed: false, measured: 0 });
    expect(c.verdicts[15]).toMatchObject({ passed: true, measured: 110 / 120 });
  });
});

describe('expectations: time to recover without recovery', () => {
  it('fails with the reason: the fault never ended', () => {
    const bus = newBus();
    const spec0 = spec({
      metric: 'time_to_recover_ms',
      window: { kind: 'fault', fault: 'f', phase: 'after' },
      op: '<=',
      value: 1,
    });
    const collector = createMetricsCollector(bus, {
      warmupMs: 0,
      durationMs: 2000,
      intervalMs: 1000,
      services: [],
      workloads: ['web'],
    });
    const checker = createExpectationChecker(bus, [spec0], { warmupMs: 0, durationMs: 2000 });
    requests(bus, [{ id: 'r1', arrivedAt: 100, at: 200 }]);
    bus.emit('fault.started', { at: 1000, fault: 'f', kind: 'kill', target: 'front' });
    bus.emit('run.ended', { at: 2000, reason: 'completed' });
    const [v] = checker.verdicts(collector.results(RUN));
    expect(v).toMatchObject({ passed: false, measured: null, detail: 'the fault f never ended' });
  });
});

describe('expectations: subscriptions', () => {
  it('listens to nothing without specs, only to what the specs need, and stops on dispose', () => {
    const bus = newBus();
    const none = createExpectationChecker(bus, [], { warmupMs: 0, durationMs: 1000 });
    expect(bus.listening('request.completed') || bus.listening('hop.completed')).toBe(false);
    none.dispose();
    const one = createExpectationChecker(bus, [spec({ metric: 'availability', op: '>=', value: 0.9 })], {
      warmupMs: 0,
      durationMs: 1000,
    });
    expect(bus.listening('request.completed')).toBe(true);
    expect(bus.listening('hop.completed')).toBe(false);
    expect(bus.listening('fault.started')).toBe(false);
    one.dispose();
    expect(bus.listening('request.completed')).toBe(false);
  });
});

describe('formatMeasured and formatExpected', () => {
  it('writes values in their unit', () => {
    const f = (metric: ExpectationSpec['metric'], value: number | string | null) =>
      formatMeasured({ metric }, value);
    expect(f('availability', 0.992)).toBe('99.2%');
    expect(f('availability', 0.99995)).toBe('99.995%'); // never a rounded 100%
    expect(f('availability', 1)).toBe('100%');
    expect(f('latency_p99', 312.44)).toBe('312 ms');
    expect(f('latency_p99', 1.2345)).toBe('1.23 ms');
    expect(f('throughput', 41.52)).toBe('41.5/s');
    expect(f('errors', 3)).toBe('3');
    expect(f('retry_amplification', 1.25)).toBe('1.25×');
    expect(f('replicas', 2.5)).toBe('2.5 instances');
    expect(f('breaker_state', 'open')).toBe('open');
    expect(f('availability', null)).toBe('no data');
    expect(formatExpected(spec({ metric: 'time_to_recover_ms', op: '<', value: 30_000 }))).toBe('< 30 s');
  });
});
