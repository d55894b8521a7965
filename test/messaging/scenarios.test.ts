/**
 * The messaging scenarios of scenarios/messaging/: each holds its expectations, every queue
 * conserves its messages, and the contrasts they teach are measured here beyond the file's own
 * expectations.
 */
import { runScenario } from 'microsim';
import { describe, expect, it } from 'vitest';

describe('synchronous call versus message (notify-sync / notify-async)', () => {
  it('the same outage of notifier fails the synchronous orders and not the asynchronous ones', async () => {
    const sync = await runScenario('scenarios/04-communication/notify-sync.yaml');
    const async_ = await runScenario('scenarios/04-communication/notify-async.yaml');
    expect(sync.passed).toBe(true);
    expect(async_.passed).toBe(true);
    const during = (run: typeof sync) => run.fault('notifier-down').blastRadius;
    // Sync: the outage reaches the users; async: it stays at notifier.
    expect(during(sync).map((b) => b.name)).toContain('shoppers');
    expect(during(async_).map((b) => b.name)).not.toContain('shoppers');
    expect(sync.workload('shoppers').failed).toBeGreaterThan(2000);
    expect(async_.workload('shoppers').failed).toBe(0);
    // Every message of the async run was processed (the few at the end are still in flight).
    const q = async_.queue('mq.notifications');
    expect(q.conservation.conserved).toBe(true);
    expect(q.dropped + q.expired + q.deadLettered).toBe(0);
    expect(async_.results.messaging!.publishFailures).toEqual({});
    expect(q.backlog.max).toBeGreaterThan(2000);
    expect(q.latencyMs.max).toBeGreaterThan(55_000);
  });
});

describe('consumer crash (at-least-once)', () => {
  it('redeliveries bring back every message the crashed instances held; duplicates are those already in code', async () => {
    const run = await runScenario('scenarios/messaging/consumer-crash.yaml');
    expect(run.passed).toBe(true);
    const q = run.queue('mq.charges');
    expect(q.conservation.conserved).toBe(true);
    expect(q.requeues).toEqual({ consumer_lost: q.redeliveries });
    expect(q.duplicates).toBeLessThanOrEqual(q.redeliveries);
    expect(q.duplicates).toBeGreaterThanOrEqual(10);
    // Each duplicate had captured its payment before the crash: payments sees one capture per
    // reception of a message by billing's code (first deliveries and duplicates alike).
    const captures = run.endpoint('payments.capture').requests;
    const receptions = q.deliveries - (q.redeliveries - q.duplicates);
    expect(Math.abs(captures - receptions)).toBeLessThanOrEqual(q.inFlight + 20);
  });
});

describe('poison message', () => {
  it('each poison message is delivered exactly maxDeliveries times and then dead-lettered', async () => {
    const run = await runScenario('scenarios/messaging/poison-message.yaml');
    expect(run.passed).toBe(true);
    const q = run.queue('mq.invoices');
    expect(q.conservation.conserved).toBe(true);
    // Only poison messages fail, 5 deliveries each: 4 redeliveries per dead-lettered message
    // (give or take those whose deliveries straddle the warm-up or the end).
    expect(Math.abs(q.redeliveries - 4 * q.deadLettered)).toBeLessThanOrEqual(8);
    expect(q.requeues).toEqual({ processing_failed: q.redeliveries });
    // 0.5% of ~5,100 messages are poison.
    expect(q.deadLettered / q.published).toBeGreaterThan(0.002);
    expect(q.deadLettered / q.published).toBeLessThan(0.01);
  });
});

describe('broker down', () => {
  it('publishers that wait lose nothing; publishers that fail lose what they sent during the outage', async () => {
    const run = await runScenario('scenarios/messaging/broker-down.yaml');
    expect(run.passed).toBe(true);
    const failures = run.results.messaging!.publishFailures;
    expect(Object.keys(failures)).toEqual(['mq/review-events']);
    // 10 reviews a second for the 30 s outage plus the broker's 3 s start-up.
    expect(failures['mq/review-events']!.failed).toBeGreaterThan(250);
    expect(failures['mq/review-events']!.failed).toBeLessThan(400);
    expect(run.queue('mq.order-events').conservation.conserved).toBe(true);
    expect(run.queue('mq.review-events').conservation.conserved).toBe(true);
  });
});

describe('backlog autoscaling', () => {
  it('scales thumbnails out on backlog during the burst and back in after it', async () => {
    const run = await runScenario('scenarios/messaging/backlog-autoscaled.yaml');
    expect(run.passed).toBe(true);
    const changes = run.service('thumbnails').capacity!.scaling;
    const up = changes.find((d) => d.to > d.from)!;
    expect(up.why).toMatch(/queue backlog per instance/);
    expect(up.at).toBeGreaterThanOrEqual(60_000);
    const down = changes.find((d) => d.to < d.from)!;
    // The backlog drains within seconds, so the autoscaler soon wants one instance again; the
    // five minutes of scale-down stabilization hold the instances past the burst's end (3 min).
    expect(down.at).toBeGreaterThanOrEqual(up.at + 300_000);
    expect(down.at).toBeGreaterThan(180_000);
    const q = run.queue('mq.thumbnails');
    expect(q.conservation.conserved).toBe(true);
    // Scaling in is graceful: instances hand back only what they had prefetched.
    expect(q.duplicates).toBe(0);
  });
});
