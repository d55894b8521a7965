import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../src/cli/format-summary.ts';
import { scenarioOverview } from '../../src/cli/validate.ts';
import type { MessagingResults, QueueResults } from '../../src/observe/messaging.ts';
import type { ResultsDocument } from '../../src/observe/results.ts';
import type { ResolvedScenario } from '../../src/scenario/index.ts';

const BASE: ResultsDocument = {
  schemaVersion: 1,
  scenario: { name: 'orders', seed: 1 },
  simulated: { durationMs: 60_000, plannedDurationMs: 60_000, warmupMs: 0, measuredMs: 60_000, events: 10 },
  run: { endReason: 'completed', warnings: [] },
  workloads: {},
  services: {},
  timeSeries: { intervalMs: 1000, points: [] },
};

function queue(broker: string, name: string, fields: Partial<QueueResults> = {}): QueueResults {
  return {
    broker,
    queue: name,
    published: 1200,
    processed: 1180,
    deadLettered: 3,
    dropped: 0,
    expired: 2,
    deliveries: 1250,
    redeliveries: 50,
    duplicates: 7,
    requeues: { processing_failed: 45, consumer_lost: 5 },
    publishedPerSec: 20,
    processedPerSec: 19.7,
    waiting: 10,
    inFlight: 5,
    backlog: { start: 0, max: 321, end: 15 },
    oldestAgeMs: { max: 4560, end: 120 },
    latencyMs: { mean: 40, p50: 12.3, p95: 150, p99: 480, max: 2500 },
    conservation: {
      conserved: true,
      published: 1200,
      processed: 1180,
      waiting: 10,
      inFlight: 5,
      deadLettered: 3,
      dropped: 0,
      expired: 2,
      anomalies: 0,
      broker: { at: 60_000, ready: 10, inFlight: 5 },
    },
    ...fields,
  };
}

const MESSAGING: MessagingResults = {
  conserved: false,
  queues: {
    'bus/orders': queue('bus', 'orders'),
    'bus/events/billing': queue('bus', 'events/billing', {
      published: 40,
      processed: 38,
      deadLettered: 0,
      expired: 0,
      waiting: 1,
      inFlight: 0,
      redeliveries: 0,
      duplicates: 0,
      requeues: {},
      backlog: { start: 0, max: 2, end: 1 },
      oldestAgeMs: { max: 800, end: 0 },
      latencyMs: { mean: null, p50: null, p95: null, p99: null, max: null },
      conservation: {
        conserved: false,
        published: 40,
        processed: 38,
        waiting: 1,
        inFlight: 0,
        deadLettered: 0,
        dropped: 0,
        expired: 0,
        anomalies: 0,
        broker: { at: 60_000, ready: 2, inFlight: 0 },
        explanation: "by the broker's gauges at 60000 ms: published 40 ≠ … = 41",
      },
    }),
  },
  publishFailures: {
    'bus/orders': {
      broker: 'bus',
      destination: 'orders',
      failed: 7,
      reasons: { queue_full: 5, no_instance: 2 },
    },
  },
  timeSeries: { intervalMs: 1000, points: [] },
};

/** The table rows whose first cell is `first`, split into their cells. */
function rows(text: string, first: string): string[][] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/ {2,}/))
    .filter((cells) => cells[0] === first && cells.length > 1);
}

describe('the messaging section of the summary', () => {
  const text = formatSummary({ ...BASE, messaging: MESSAGING });

  it('is absent for a run without brokers', () => {
    expect(formatSummary(BASE)).not.toContain('Messaging');
  });

  it('has per queue its counts and the conservation mark, then redeliveries, backlog, age and latency', () => {
    expect(text).toContain('\nMessaging (events after the warm-up; waiting and in flight at the end)\n');
    const header = text.split('\n').find((l) => l.trimStart().startsWith('queue  '))!;
    expect(header.trim().split(/ {2,}/)).toEqual([
      'queue',
      'published',
      'processed',
      'waiting',
      'in flight',
      'dead-lettered',
      'dropped',
      'expired',
      'conserved',
    ]);
    expect(rows(text, 'bus/orders')).toEqual([
      ['bus/orders', '1,200', '1,180', '10', '5', '3', '0', '2', '✓'],
      ['bus/orders', '50', '7', '321', '4.56 s', '12.3 ms', '480 ms'],
    ]);
    expect(rows(text, 'bus/events/billing')).toEqual([
      ['bus/events/billing', '40', '38', '1', '0', '0', '0', '0', '✗'],
      ['bus/events/billing', '0', '0', '2', '800 ms', '-', '-'],
    ]);
  });

  it('lists requeues by cause, explains every queue that does not balance, and the failed publishes', () => {
    expect(text).toContain('  bus/orders requeued: processing_failed 45, consumer_lost 5\n');
    expect(text).not.toContain('bus/events/billing requeued');
    expect(text).toContain(
      '  ✗ messages not accounted for in 1 of 2 queue(s):\n' +
        "    bus/events/billing: by the broker's gauges at 60000 ms: published 40 ≠ … = 41\n",
    );
    expect(text).toContain(
      '  publishes not stored (after the warm-up):\n    bus/orders: 7 (queue_full 5, no_instance 2)\n',
    );
  });

  it('says so when every message is accounted for', () => {
    const ok = formatSummary({
      ...BASE,
      messaging: {
        ...MESSAGING,
        conserved: true,
        queues: { 'bus/orders': queue('bus', 'orders') },
        publishFailures: {},
      },
    });
    expect(ok).toContain(
      '  ✓ every message is accounted for (since t = 0): published = processed + waiting + in flight + dead-lettered + dropped + expired\n',
    );
    expect(ok).not.toContain('publishes not stored');
  });

  it('aligns its tables', () => {
    const lines = text.split('\n');
    for (const second of ['published', 'redelivered']) {
      const head = lines.findIndex((l) => new RegExp(`^  queue +${second} `).test(l));
      expect(head).toBeGreaterThan(0);
      expect(new Set(lines.slice(head, head + 3).map((l) => l.length)).size).toBe(1);
    }
  });
});

describe('the validate overview', () => {
  const scenario = (world: Partial<ResolvedScenario['world']>): ResolvedScenario =>
    ({
      name: 'shop',
      seed: 7,
      durationMs: 60_000,
      world: { services: [], workloads: [], ...world },
    }) as unknown as ResolvedScenario;

  it('counts brokers, their queues and topics, and the consuming endpoints', () => {
    const svc = (name: string, subscriptions: number) => ({
      name,
      endpoints: [{ name: 'a' }],
      subscriptions: Array.from({ length: subscriptions }, () => ({})),
    });
    const text = scenarioOverview(
      'shop.yaml',
      scenario({
        services: [svc('billing', 2), svc('mail', 1)],
        brokers: [
          { queues: [{}, {}], topics: [{}] },
          { queues: [{}], topics: [] },
        ],
      } as unknown as Partial<ResolvedScenario['world']>),
    );
    expect(text).toBe(
      'ok: shop.yaml — "shop": 2 service(s), 2 endpoint(s), 0 workload(s), ' +
        '2 broker(s) with 3 queue(s) and 1 topic(s), 3 consumer(s), 60 s simulated, seed 7',
    );
  });

  it('says nothing of brokers when there are none', () => {
    expect(scenarioOverview('a.yaml', scenario({}))).toBe(
      'ok: a.yaml — "shop": 0 service(s), 0 endpoint(s), 0 workload(s), 60 s simulated, seed 7',
    );
  });
});
