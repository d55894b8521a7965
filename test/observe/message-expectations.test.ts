import { describe, expect, it } from 'vitest';
import { createExpectationChecker, type ExpectationVerdict } from '../../src/observe/expectations.ts';
import { createMetricsCollector } from '../../src/observe/metrics.ts';
import type {
  ExpectationMetric,
  ExpectationScope,
  ExpectationSpec,
  ExpectationWindow,
} from '../../src/signals.ts';
import { newBus } from './fixture.ts';
import { M_END_MS, M_WARMUP_MS, runMessageScript } from './message-script.ts';

const RUN = { scenario: { name: 't', seed: 1 }, events: 0, endReason: 'completed' as const };
const ORDERS: ExpectationScope = { kind: 'queue', broker: 'bus', queue: 'orders' };
const BILLING: ExpectationScope = { kind: 'queue', broker: 'bus', queue: 'events/billing' };
const ALL: ExpectationScope = { kind: 'all' };
const RUN_W: ExpectationWindow = { kind: 'run' };
const phase = (p: 'before' | 'during' | 'after'): ExpectationWindow => ({
  kind: 'fault',
  fault: 'kill-bus',
  phase: p,
});
const range = (fromMs: number, toMs: number): ExpectationWindow => ({ kind: 'range', fromMs, toMs });

type Case = readonly [ExpectationMetric, ExpectationScope, ExpectationWindow];

/** Runs the message script with one checker of every case (`>= 0`), and returns the verdicts. */
function measure(cases: readonly Case[]): ExpectationVerdict[] {
  const bus = newBus();
  const collector = createMetricsCollector(bus, {
    warmupMs: M_WARMUP_MS,
    durationMs: M_END_MS,
    intervalMs: 1000,
    services: [],
    workloads: [],
  });
  const specs: ExpectationSpec[] = cases.map(([metric, scope, window], i) => ({
    name: `case ${i}`,
    metric,
    scope,
    window,
    op: '>=',
    value: 0,
  }));
  const checker = createExpectationChecker(bus, specs, { warmupMs: M_WARMUP_MS, durationMs: M_END_MS });
  runMessageScript(bus);
  const verdicts = checker.verdicts(collector.results(RUN));
  expect(bus.failureCount).toBe(0);
  return verdicts;
}

/** Each case's measured value, checked against `expected` one by one (the failing case is named). */
function expectMeasured(cases: readonly (readonly [...Case, number | null])[]): void {
  const verdicts = measure(cases.map(([m, s, w]) => [m, s, w] as const));
  cases.forEach(([metric, scope, window, value], i) => {
    const where = `${metric} ${JSON.stringify(scope)} ${JSON.stringify(window)}`;
    expect(verdicts[i]!.measured, where).toBe(value);
  });
}

describe('messaging expectations', () => {
  it('count events in the window by their time, for a queue and for all queues', () => {
    expectMeasured([
      ['messages_published', ORDERS, RUN_W, 5],
      ['messages_published', ALL, RUN_W, 6],
      ['messages_published', ORDERS, range(2000, 3000), 2], // 3000 is outside [2000, 3000)
      ['messages_published', ORDERS, phase('before'), 0],
      ['messages_published', ORDERS, phase('during'), 4],
      ['messages_published', ORDERS, phase('after'), 1],
      ['messages_processed', ALL, RUN_W, 2],
      ['messages_processed', ORDERS, range(2500, 9000), 0],
      ['dead_lettered', ORDERS, RUN_W, 1],
      ['dead_lettered', ORDERS, phase('after'), 0],
      ['redeliveries', ORDERS, RUN_W, 2],
      ['redeliveries', ORDERS, range(2200, 3000), 1],
      ['duplicates', ALL, RUN_W, 1],
      ['duplicates', BILLING, RUN_W, 0],
    ]);
  });

  it('count lost messages: failed publishes (to the queue or its topic), drops and expiries', () => {
    expectMeasured([
      // queue_full at 3500, dropped at 4000, expired at 5000; the warm-up failure at 800 is out.
      ['messages_lost', ORDERS, RUN_W, 3],
      // The publish to topic `events` was lost to its group queue too.
      ['messages_lost', BILLING, RUN_W, 1],
      ['messages_lost', ALL, RUN_W, 4],
      ['messages_lost', ALL, range(0, 1000), 1],
      ['messages_lost', ORDERS, phase('during'), 2], // 3500 and 4000; 5000 is the fault's end
      ['messages_lost', ORDERS, phase('after'), 1],
    ]);
  });

  it('measure the backlog as a level: carried into the window, most in it, and at its end', () => {
    expectMeasured([
      ['backlog_max', ORDERS, RUN_W, 3],
      ['backlog_max', ALL, RUN_W, 4], // orders 3 and billing 1 at 2050
      ['backlog_max', ORDERS, phase('before'), 1], // message 1 from the warm-up, nothing else
      ['backlog_max', ORDERS, phase('during'), 3],
      ['backlog_max', ORDERS, range(5000, 6500), 2], // carried in at 5000, before its expiry
      ['backlog_max', ORDERS, range(7500, 8000), 2], // no event inside: the level carried in
      ['backlog_end', ORDERS, RUN_W, 2],
      ['backlog_end', ORDERS, phase('during'), 2], // after the drop at 4000; 5000 is outside
      ['backlog_end', ORDERS, phase('before'), 1],
      ['backlog_end', ALL, range(2000, 2100), 4],
    ]);
  });

  it('measure the oldest waiting message at any moment of the window, its end included', () => {
    expectMeasured([
      ['oldest_message_age_ms', ORDERS, RUN_W, 3000], // message 5, stored 3000, delivered 6000
      ['oldest_message_age_ms', ORDERS, phase('before'), 1500], // message 1 at the fault's start
      ['oldest_message_age_ms', ORDERS, phase('during'), 2000],
      ['oldest_message_age_ms', ORDERS, phase('after'), 3000],
      ['oldest_message_age_ms', ORDERS, range(7000, 8500), 1500], // message 6 at the range's end
      ['oldest_message_age_ms', BILLING, RUN_W, 10],
      ['oldest_message_age_ms', ALL, range(2000, 2100), 1600],
    ]);
  });

  it('measure the delivery latency of messages processed in the window', () => {
    expectMeasured([
      ['delivery_latency_max', ALL, RUN_W, 1710],
      ['delivery_latency_max', ALL, range(2500, 3000), 5],
      ['delivery_latency_p50', BILLING, RUN_W, 5],
      ['delivery_latency_p99', ORDERS, phase('during'), 1710],
      ['delivery_latency_p50', ALL, phase('after'), null],
    ]);
  });

  it('say why there is nothing to measure, and never pass then', () => {
    const typo: ExpectationScope = { kind: 'queue', broker: 'bus', queue: 'ordres' };
    const verdicts = measure([
      ['dead_lettered', typo, RUN_W],
      ['delivery_latency_p50', ALL, phase('after')],
      ['backlog_max', { kind: 'service', service: 'front' }, RUN_W],
      ['availability', ORDERS, RUN_W],
    ]);
    expect(verdicts.map((v) => v.passed)).toEqual([false, false, false, false]);
    expect(verdicts.map((v) => v.detail)).toEqual([
      'no message signal or queue gauge named queue bus/ordres',
      'no message was processed in the window',
      'backlog_max cannot be measured for a service scope: use a queue (or no scope)',
      'availability cannot be measured for a queue scope: a queue takes the messaging metrics (messages_published, backlog_max, …)',
    ]);
  });

  it('judge and format in the metric units', () => {
    const bus = newBus();
    const specs: ExpectationSpec[] = [
      { name: 'few lost', metric: 'messages_lost', scope: ORDERS, window: RUN_W, op: '<=', value: 2 },
      { name: 'fresh', metric: 'oldest_message_age_ms', scope: ORDERS, window: RUN_W, op: '<', value: 5000 },
      { name: 'fast', metric: 'delivery_latency_max', scope: ALL, window: RUN_W, op: '<=', value: 1710 },
    ];
    const checker = createExpectationChecker(bus, specs, { warmupMs: M_WARMUP_MS, durationMs: M_END_MS });
    const collector = createMetricsCollector(bus, {
      warmupMs: M_WARMUP_MS,
      durationMs: M_END_MS,
      intervalMs: 1000,
      services: [],
      workloads: [],
    });
    runMessageScript(bus);
    const v = checker.verdicts(collector.results(RUN));
    expect(v.map((x) => [x.passed, x.measuredText, x.expected])).toEqual([
      [false, '3', '≤ 2'],
      [true, '3 s', '< 5 s'],
      [true, '1.71 s', '≤ 1.71 s'],
    ]);
  });

  it('subscribe to nothing about messages without messaging specs', () => {
    const bus = newBus();
    createExpectationChecker(
      bus,
      [{ name: 'a', metric: 'availability', scope: ALL, window: RUN_W, op: '>=', value: 0.9 }],
      { warmupMs: 0, durationMs: 1000 },
    );
    expect(bus.listening('message.published')).toBe(false);
    expect(bus.listening('gauges.sampled')).toBe(false);
  });
});
