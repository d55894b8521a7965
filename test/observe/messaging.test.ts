import { describe, expect, it } from 'vitest';
import type { Bus } from '../../src/engine/bus.ts';
import { QueueLedger } from '../../src/observe/message-ledger.ts';
import { createMetricsCollector } from '../../src/observe/metrics.ts';
import type { ResultsDocument } from '../../src/observe/results.ts';
import type { QueueGauges, Signals } from '../../src/signals.ts';
import { arrive, complete, newBus, nonFinitePaths } from './fixture.ts';
import {
  END_GAUGES,
  M_END_MS,
  M_WARMUP_MS,
  publishFailed,
  Queue,
  runMessageScript,
} from './message-script.ts';

const RUN = { scenario: { name: 't', seed: 1 }, events: 0, endReason: 'completed' as const };
const QUEUES = [
  { broker: 'bus', queue: 'orders' },
  { broker: 'bus', queue: 'events/billing' },
];

function collect(
  drive: (bus: Bus<Signals>) => void,
  opts: { warmupMs?: number; endMs?: number; intervalMs?: number; queues?: typeof QUEUES } = {},
): ResultsDocument {
  const bus = newBus();
  const endMs = opts.endMs ?? M_END_MS;
  const collector = createMetricsCollector(bus, {
    warmupMs: opts.warmupMs ?? M_WARMUP_MS,
    durationMs: endMs,
    intervalMs: opts.intervalMs ?? 1000,
    services: [],
    workloads: ['web'],
    ...(opts.queues === undefined ? {} : { queues: opts.queues }),
  });
  drive(bus);
  const doc = collector.results(RUN);
  expect(bus.failureCount).toBe(0);
  return doc;
}

/** Emits directly on the bus (for short hand-made sequences). */
function queueOn(bus: Bus<Signals>, queue = 'orders'): Queue {
  return new Queue((signal, payload) => bus.emit(signal, payload), queue);
}

describe('messaging results of the scripted run', () => {
  const doc = collect((bus) => runMessageScript(bus), { queues: QUEUES });
  const m = doc.messaging!;
  const orders = m.queues['bus/orders']!;
  const billing = m.queues['bus/events/billing']!;

  it('counts every event of the measured window (at or after the warm-up) exactly', () => {
    expect(Object.keys(m.queues)).toEqual(['bus/orders', 'bus/events/billing']);
    expect(orders).toMatchObject({
      broker: 'bus',
      queue: 'orders',
      published: 5, // message 1 was stored during the warm-up
      processed: 1,
      deadLettered: 1,
      dropped: 1,
      expired: 1,
      deliveries: 4, // 600 is in the warm-up
      redeliveries: 2,
      duplicates: 1,
      requeues: { consumer_lost: 1, ack_timeout: 1 },
      waiting: 1,
      inFlight: 1,
    });
    expect(Object.keys(orders.requeues)).toEqual(['consumer_lost', 'ack_timeout']);
    expect(orders.publishedPerSec).toBe(5 / 8);
    expect(orders.processedPerSec).toBe(1 / 8);
    expect(billing).toMatchObject({ published: 1, processed: 1, deliveries: 1, redeliveries: 0, waiting: 0 });
  });

  it('keeps failed publishes per broker and destination (a topic is a destination), after the warm-up', () => {
    expect(m.publishFailures).toEqual({
      'bus/orders': { broker: 'bus', destination: 'orders', failed: 1, reasons: { queue_full: 1 } },
      'bus/events': { broker: 'bus', destination: 'events', failed: 1, reasons: { lost_in_transit: 1 } },
    });
  });

  it('follows the backlog and the oldest waiting message exactly', () => {
    expect(orders.backlog).toEqual({ start: 1, max: 3, end: 2 });
    // Over the window: what was there at its start and what came in is processed, lost or left.
    const out = orders.processed + orders.deadLettered + orders.dropped + orders.expired + orders.backlog.end;
    expect(orders.backlog.start + orders.published).toBe(out);
    // Message 5 (stored at 3000) waited until it was delivered at 6000; message 6 has waited 2 s at the end.
    expect(orders.oldestAgeMs).toEqual({ max: 3000, end: 2000 });
    expect(billing.backlog).toEqual({ start: 0, max: 1, end: 0 });
    expect(billing.oldestAgeMs).toEqual({ max: 10, end: 0 });
  });

  it('reports the end-to-end delivery latency of processed messages', () => {
    expect(orders.latencyMs.max).toBe(1710);
    expect(orders.latencyMs.mean).toBe(1710);
    // One sample: every percentile is it (clamped to the exact max).
    expect(orders.latencyMs.p50).toBe(1710);
    expect(billing.latencyMs).toEqual({ mean: 5, p50: 5, p95: 5, p99: 5, max: 5 });
  });

  it('finds the conservation law holding, by the signals and by the broker gauges', () => {
    expect(m.conserved).toBe(true);
    expect(orders.conservation).toEqual({
      conserved: true,
      published: 6,
      processed: 1,
      waiting: 1,
      inFlight: 1,
      deadLettered: 1,
      dropped: 1,
      expired: 1,
      anomalies: 0,
      broker: { at: M_END_MS, ready: 1, inFlight: 1 },
    });
    expect(orders.conservation.explanation).toBeUndefined();
  });

  it('has one messaging point per time-series point, with backlog, ages and rates', () => {
    const points = m.timeSeries.points;
    expect(m.timeSeries.intervalMs).toBe(1000);
    expect(points.map((p) => p.at)).toEqual(doc.timeSeries.points.map((p) => p.at));
    expect(points.map((p) => p.at)).toEqual([1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000]);
    const at = (t: number) => points.find((p) => p.at === t)!.queues['bus/orders'];
    expect(at(2000)).toEqual({
      backlog: 3,
      backlogMax: 3,
      oldestAgeMs: 1500,
      oldestAgeMaxMs: 1500,
      publishedPerSec: 2,
      processedPerSec: 0,
    });
    expect(at(3000)).toEqual({
      backlog: 3,
      backlogMax: 3,
      oldestAgeMs: 1000,
      oldestAgeMaxMs: 1600, // message 1, just before its redelivery at 2100
      publishedPerSec: 2,
      processedPerSec: 1,
    });
    expect(at(1000)).toMatchObject({ backlog: 1, oldestAgeMs: 0, publishedPerSec: 1 });
    expect(at(9000)).toMatchObject({ backlog: 2, oldestAgeMs: 2000, oldestAgeMaxMs: 2000 });
    // Nothing is lost between points: rate × length sums to every publish of the run.
    let published = 0;
    let processed = 0;
    let prev = 0;
    for (const p of points) {
      published += (p.queues['bus/orders']!.publishedPerSec * (p.at - prev)) / 1000;
      processed += (p.queues['bus/orders']!.processedPerSec * (p.at - prev)) / 1000;
      prev = p.at;
    }
    expect(published).toBe(6);
    expect(processed).toBe(1);
  });

  it('is JSON-safe', () => {
    expect(nonFinitePaths(doc)).toEqual([]);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });
});

describe('conservation checks', () => {
  it('fails, saying why, when the broker gauges disagree with the signals', () => {
    const gauges: QueueGauges[] = [{ ...END_GAUGES[0]!, ready: 2 }, END_GAUGES[1]!];
    const m = collect((bus) => runMessageScript(bus, gauges), { queues: QUEUES }).messaging!;
    expect(m.conserved).toBe(false);
    const c = m.queues['bus/orders']!.conservation;
    expect(c.conserved).toBe(false);
    expect(c.broker).toEqual({ at: M_END_MS, ready: 2, inFlight: 1 });
    expect(c.explanation).toBe(
      "by the broker's gauges at 9000 ms: published 6 ≠ processed 1 + waiting 2 + in flight 1 + " +
        'dead-lettered 1 + dropped 1 + expired 1 = 7 (the broker reports 2 waiting and 1 in flight; ' +
        'the signals account for 1 waiting and 1 in flight)',
    );
    expect(m.queues['bus/events/billing']!.conservation.conserved).toBe(true);
  });

  it('fails when the broker agrees on the total but not on waiting versus in flight', () => {
    const gauges: QueueGauges[] = [{ ...END_GAUGES[0]!, ready: 2, inFlight: 0 }];
    const c = collect((bus) => runMessageScript(bus, gauges)).messaging!.queues['bus/orders']!.conservation;
    expect(c.conserved).toBe(false);
    expect(c.explanation).toBe(
      "the broker's gauges at 9000 ms report 2 waiting and 0 in flight; the signals account for 1 waiting and 1 in flight",
    );
  });

  it('fails when a signal breaks a message lifecycle (processed twice)', () => {
    const m = collect(
      (bus) => {
        const q = queueOn(bus);
        q.published(100, 1);
        q.delivered(200, 1);
        q.processed(300, 1, 200);
        q.processed(400, 1, 300);
        bus.emit('run.ended', { at: 1000, reason: 'completed' });
      },
      { warmupMs: 0, endMs: 1000 },
    ).messaging!;
    const c = m.queues['bus/orders']!.conservation;
    expect(c).toMatchObject({ conserved: false, published: 1, processed: 2, anomalies: 1, broker: null });
    expect(c.explanation).toBe(
      'the signals do not add up: published 1 ≠ processed 2 + waiting 0 + in flight 0 + dead-lettered 0 + ' +
        "dropped 0 + expired 0 = 2; 1 signal out of a message's lifecycle: message 1 was processed but is " +
        'not in the queue (never stored, or gone already) (at 400 ms)',
    );
  });

  it('flags a message that leaves from the wrong state even when the counts add up', () => {
    const c = collect(
      (bus) => {
        const q = queueOn(bus);
        q.published(100, 1);
        q.published(300, 2);
        q.delivered(400, 2);
        q.dropped(500, 2); // in flight: a drop takes a waiting message
        bus.emit('run.ended', { at: 1000, reason: 'completed' });
      },
      { warmupMs: 0, endMs: 1000 },
    ).messaging!.queues['bus/orders']!.conservation;
    expect(c).toMatchObject({
      conserved: false,
      published: 2,
      waiting: 1,
      inFlight: 0,
      dropped: 1,
      anomalies: 1,
    });
    expect(c.explanation).toBe(
      "1 signal out of a message's lifecycle: message 2 was dropped while in flight (it leaves from waiting) (at 500 ms)",
    );
  });
});

describe('the oldest waiting message', () => {
  it('is the one stored first, though a requeue put a younger one before it', () => {
    const q = new QueueLedger('bus', 'orders');
    q.store(1, 0);
    q.store(2, 100);
    q.deliver(1, 200);
    q.deliver(2, 300);
    q.requeue(1, 400); // back to the front: [1]
    q.requeue(2, 500); // back to the front: [2, 1]; the head is 2, the oldest is still 1
    expect(q.oldestStoredAt()).toBe(0);
    expect(q.oldestAgeMs(600)).toBe(600);
    q.deliver(2, 700);
    expect(q.oldestStoredAt()).toBe(0);
    q.deliver(1, 800);
    expect(q.oldestStoredAt()).toBeUndefined();
    expect(q.oldestAgeMs(900)).toBe(0);
    expect({ waiting: q.waiting, inFlight: q.inFlight, anomalies: q.anomalies }).toEqual({
      waiting: 0,
      inFlight: 2,
      anomalies: 0,
    });
  });

  it('keeps its original store time across a requeue, in the results and the series', () => {
    const doc = collect(
      (bus) => {
        const q = queueOn(bus);
        q.published(0, 1);
        q.published(100, 2);
        q.delivered(200, 1);
        q.delivered(300, 2);
        q.requeued(400, 1, 'processing_failed');
        q.requeued(500, 2, 'processing_failed');
        bus.emit('gauges.sampled', { at: 600, services: [] });
        q.delivered(700, 2, 2);
        q.delivered(800, 1, 2);
        q.processed(900, 1, 900, 2);
        q.processed(900, 2, 800, 2);
        bus.emit('gauges.sampled', { at: 1000, services: [] });
        bus.emit('run.ended', { at: 1000, reason: 'completed' });
      },
      { warmupMs: 0, endMs: 1000, intervalMs: 200 },
    );
    const orders = doc.messaging!.queues['bus/orders']!;
    expect(orders.oldestAgeMs).toEqual({ max: 800, end: 0 });
    expect(orders.requeues).toEqual({ processing_failed: 2 });
    expect(orders.redeliveries).toBe(2);
    const points = doc.messaging!.timeSeries.points;
    expect(points.map((p) => p.at)).toEqual([600, 1000]);
    expect(points[0]!.queues['bus/orders']).toMatchObject({
      backlog: 2,
      oldestAgeMs: 600,
      oldestAgeMaxMs: 600,
    });
    expect(points[1]!.queues['bus/orders']).toMatchObject({
      backlog: 0,
      oldestAgeMs: 0,
      oldestAgeMaxMs: 800,
    });
  });
});

describe('delivery latency', () => {
  it('gives exact percentiles (nearest rank) for latencies under 2 ms, and the exact mean and max', () => {
    const orders = collect(
      (bus) => {
        const q = queueOn(bus);
        for (let i = 1; i <= 100; i++) {
          q.published(i, i);
          q.delivered(i, i);
        }
        // Processed in a shuffled order: statistics must not depend on it.
        for (let k = 0; k < 100; k++) {
          const i = ((k * 37) % 100) + 1;
          q.processed(200 + k, i, i / 100);
        }
        bus.emit('run.ended', { at: 1000, reason: 'completed' });
      },
      { warmupMs: 0, endMs: 1000 },
    ).messaging!.queues['bus/orders']!;
    expect(orders.latencyMs.p50).toBe(0.5);
    expect(orders.latencyMs.p95).toBe(0.95);
    expect(orders.latencyMs.p99).toBe(0.99);
    expect(orders.latencyMs.max).toBe(1);
    expect(orders.latencyMs.mean).toBeCloseTo(0.505, 12);
    expect(orders.processed).toBe(100);
    expect(orders.conservation.conserved).toBe(true);
  });

  it('is null without processed messages', () => {
    const orders = collect((bus) => {
      queueOn(bus).published(2000, 1);
      bus.emit('run.ended', { at: 3000, reason: 'completed' });
    }).messaging!.queues['bus/orders']!;
    expect(orders.latencyMs).toEqual({ mean: null, p50: null, p95: null, p99: null, max: null });
  });
});

describe('when the messaging section appears', () => {
  it('is absent from a run without brokers (the document is unchanged)', () => {
    const doc = collect((bus) => {
      const r = { id: 'm1', arrivedAt: 1500, at: 1510 };
      arrive(bus, r);
      complete(bus, r);
      bus.emit('gauges.sampled', { at: 2000, services: [] });
      bus.emit('run.ended', { at: 3000, reason: 'completed' });
    });
    expect('messaging' in doc).toBe(false);
    expect(Object.keys(doc).at(-1)).toBe('timeSeries');
  });

  it('appears with a queue gauge alone, listing the queue with zero counts', () => {
    const doc = collect((bus) => {
      bus.emit('gauges.sampled', {
        at: 2000,
        services: [],
        queues: [{ broker: 'bus', queue: 'idle', ready: 0, inFlight: 0, oldestAgeMs: 0 }],
      });
      bus.emit('run.ended', { at: 3000, reason: 'completed' });
    });
    expect(Object.keys(doc.messaging!.queues)).toEqual(['bus/idle']);
    expect(doc.messaging!.queues['bus/idle']).toMatchObject({
      published: 0,
      backlog: { start: 0, max: 0, end: 0 },
    });
    expect(doc.messaging!.conserved).toBe(true);
  });

  it('appears with a failed publish alone; queues follow first sight without a declared order', () => {
    const doc = collect((bus) => {
      publishFailed((s, p) => bus.emit(s, p), 1500, 'orders', 'no_instance');
      queueOn(bus, 'b').published(1600, 1);
      queueOn(bus, 'a').published(1700, 1);
      bus.emit('run.ended', { at: 3000, reason: 'completed' });
    });
    expect(doc.messaging!.publishFailures['bus/orders']!.reasons).toEqual({ no_instance: 1 });
    expect(Object.keys(doc.messaging!.queues)).toEqual(['bus/b', 'bus/a']);
  });
});

describe('the messaging series of a run whose first queue appears late', () => {
  // Until a queue is known each sample makes an empty point (a shortcut in the series); the
  // points around the first sign of a queue must be the same as a full build would make.
  const sample = (bus: Bus<Signals>, at: number, queues?: QueueGauges[]): void =>
    bus.emit('gauges.sampled', { at, services: [], ...(queues === undefined ? {} : { queues }) });
  const run = (firstSignalAt: number | null): ResultsDocument =>
    collect(
      (bus) => {
        const orders = queueOn(bus);
        sample(bus, 1000);
        sample(bus, 2000);
        if (firstSignalAt !== null) orders.published(firstSignalAt, 1);
        sample(bus, 3000, [
          {
            broker: 'bus',
            queue: 'orders',
            ready: firstSignalAt === null ? 0 : 1,
            inFlight: 0,
            oldestAgeMs: 0,
          },
        ]);
        sample(bus, 4000);
        bus.emit('run.ended', { at: 4000, reason: 'completed' });
      },
      { warmupMs: 0, endMs: 4000 },
    );

  it('has one point per time-series point, empty before the queue was known', () => {
    const doc = run(2500);
    const points = doc.messaging!.timeSeries.points;
    expect(points.map((p) => p.at)).toEqual(doc.timeSeries.points.map((p) => p.at));
    expect(points.map((p) => p.at)).toEqual([1000, 2000, 3000, 4000]);
    expect(points[0]!.queues).toEqual({});
    expect(points[1]!.queues).toEqual({});
    expect(points[2]!.queues['bus/orders']).toMatchObject({ backlog: 1, publishedPerSec: 1 });
    expect(points[3]!.queues['bus/orders']).toMatchObject({ backlog: 1, publishedPerSec: 0 });
  });

  it('a queue first seen in a sample (no signal) is reported from that sample on', () => {
    const doc = run(null);
    const points = doc.messaging!.timeSeries.points;
    expect(points.map((p) => p.at)).toEqual([1000, 2000, 3000, 4000]);
    expect(points[1]!.queues).toEqual({});
    expect(points[2]!.queues['bus/orders']).toMatchObject({ backlog: 0, publishedPerSec: 0 });
  });

  it('a failed publish as the first sign of a queue keeps later signals in their own points', () => {
    const doc = collect(
      (bus) => {
        sample(bus, 1000);
        sample(bus, 2000);
        publishFailed((signal, payload) => bus.emit(signal, payload), 2500, 'orders', 'queue_full');
        queueOn(bus).published(2600, 1);
        sample(bus, 3000);
        bus.emit('run.ended', { at: 3000, reason: 'completed' });
      },
      { warmupMs: 0, endMs: 3000 },
    );
    const points = doc.messaging!.timeSeries.points;
    expect(points.map((p) => p.at)).toEqual([1000, 2000, 3000]);
    expect(points[0]!.queues).toEqual({});
    expect(points[1]!.queues).toEqual({});
    expect(points[2]!.queues['bus/orders']).toMatchObject({ backlog: 1, publishedPerSec: 1 });
  });

  it('a queue first seen after the run ended leaves the points closed at the end empty', () => {
    const doc = collect(
      (bus) => {
        sample(bus, 999);
        bus.emit('run.ended', { at: 999, reason: 'completed' });
        sample(bus, 999, [{ broker: 'bus', queue: 'orders', ready: 0, inFlight: 0, oldestAgeMs: 0 }]);
      },
      { warmupMs: 0, endMs: 999 },
    );
    expect(doc.timeSeries.points.map((p) => p.at)).toEqual([999]);
    expect(doc.messaging!.timeSeries.points).toEqual([{ at: 999, queues: {} }]);
  });

  it('a run without any queue has no messaging section', () => {
    const doc = collect((bus) => {
      sample(bus, 1000);
      sample(bus, 2000);
    });
    expect(doc.messaging).toBeUndefined();
    expect(doc.timeSeries.points.length).toBeGreaterThan(0);
  });
});
