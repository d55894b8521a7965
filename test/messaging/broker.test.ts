/**
 * The broker model on hand-built worlds: delivery, acknowledgement, redelivery, dead-lettering,
 * overflow, expiry, broker failures and publishers, each with the conservation law.
 */
import { describe, expect, test } from 'vitest';
import type { FaultCommand } from '../../src/model/fault-spec.ts';
import type { QueueSpec, WorldSpec } from '../../src/model/world-spec.ts';
import { call, constMs, endpoint, expMs, openWorkload, service, world } from '../model/world-fixtures.ts';
import {
  broker,
  conservation,
  consumes,
  type MessagingRun,
  publish,
  queue,
  runMessaging,
} from './fixtures.ts';

const kill = (svc: string, count?: number): FaultCommand => ({
  name: `kill ${svc}`,
  action: { kind: 'kill' },
  target: {
    kind: 'service',
    service: svc,
    endpoint: null,
    instances: count === undefined ? { kind: 'all' } : { kind: 'count', count },
  },
});

/** orders.place publishes to mq.notify; notifier.send consumes it. */
function orderFlow(
  over: {
    publishOver?: Parameters<typeof publish>[1];
    queueOver?: Partial<QueueSpec>;
    consumerWork?: number;
    concurrency?: number;
    prefetch?: number;
    notifiers?: number;
    rate?: number;
    brokerReplicas?: number;
    notifierCalls?: ReturnType<typeof call>[];
  } = {},
): WorldSpec {
  const services = [
    // Non-blocking: a request waiting for a confirm does not hold one of the 50 workers.
    service('orders', [endpoint('place', expMs(5), [publish('mq.notify', over.publishOver)])], {
      workers: 50,
      holding: 'non-blocking',
    }),
    service(
      'notifier',
      [endpoint('send', constMs(over.consumerWork ?? 20), over.notifierCalls ?? [], 'calls-first')],
      {
        replicas: over.notifiers ?? 1,
        workers: 8,
        holding: 'non-blocking',
        subscriptions: [
          consumes('send', 'mq.notify', {
            concurrency: over.concurrency ?? 4,
            prefetch: over.prefetch ?? 10,
          }),
        ],
      },
    ),
    service('payments', [endpoint('charge', constMs(1))], { workers: 50 }),
  ];
  return {
    ...world(services, [openWorkload('orders.place', over.rate ?? 50)], constMs(1)),
    brokers: [broker('mq', [queue('notify', over.queueOver)], { replicas: over.brokerReplicas ?? 1 })],
  };
}

function expectConserved(run: MessagingRun): void {
  for (const row of conservation(run)) expect(row.accounted, row.queue).toBe(row.published);
}

const counts = (run: MessagingRun) => run.world.messaging!.counts().get('mq/notify')!;

describe('delivery and acknowledgement', () => {
  test('every published message is processed once when nothing fails', () => {
    const run = runMessaging(orderFlow(), 62_000, { endMs: 60_000 });
    const c = counts(run);
    expect(c.published).toBeGreaterThan(2700); // 50/s × 60 s, Poisson
    expect(c.processed).toBe(c.published);
    expect(c.deliveries).toBe(c.published);
    expect(c.duplicates).toBe(0);
    expect(run.of('message.requeued')).toHaveLength(0);
    // End-to-end latency covers the network both ways, the broker's work and the consumer's work.
    for (const p of run.of('message.processed'))
      expect(p.latencyMs).toBeGreaterThanOrEqual(1 + 0.1 + 1 + 20 - 1e-9);
    expectConserved(run);
  });

  test('a consumer instance never holds more unacknowledged deliveries than its prefetch, nor processes more than its concurrency', () => {
    const run = runMessaging(
      orderFlow({ consumerWork: 50, concurrency: 2, prefetch: 3, notifiers: 2, rate: 200 }),
      10_000,
      {
        endMs: 10_000,
      },
    );
    const unacked = new Map<string, number>();
    const processing = new Map<string, number>();
    let maxUnacked = 0;
    let maxProcessing = 0;
    const byId = new Map<number, string>();
    for (const s of run.signals) {
      const p = s.payload as { id: number; instance: string };
      if (s.name === 'message.delivered') {
        byId.set(p.id, p.instance);
        unacked.set(p.instance, (unacked.get(p.instance) ?? 0) + 1);
        maxUnacked = Math.max(maxUnacked, unacked.get(p.instance)!);
      } else if (s.name === 'message.received') {
        processing.set(p.instance, (processing.get(p.instance) ?? 0) + 1);
        maxProcessing = Math.max(maxProcessing, processing.get(p.instance)!);
      } else if (s.name === 'message.processed') {
        const inst = byId.get(p.id)!;
        unacked.set(inst, unacked.get(inst)! - 1);
      }
    }
    for (const h of run.of('message.processed')) expect(h).toBeDefined();
    // Processing ends before the ack arrives; count ends from hop completions of notifier.
    expect(maxUnacked).toBe(3);
    expect(maxProcessing).toBeGreaterThanOrEqual(2);
    // 2 instances × concurrency 2 × 1000/50 ms = 80 messages/s at most.
    const c = counts(run);
    expect(c.processed / 10).toBeLessThanOrEqual(80);
    expect(c.processed / 10).toBeGreaterThan(70);
    expectConserved(run);
  });

  test('competing consumers share a queue round-robin', () => {
    const run = runMessaging(orderFlow({ notifiers: 3, rate: 30 }), 62_000, { endMs: 60_000 });
    const per = new Map<string, number>();
    for (const d of run.of('message.delivered')) per.set(d.instance, (per.get(d.instance) ?? 0) + 1);
    const shares = [...per.values()];
    expect(shares).toHaveLength(3);
    // Strict rotation among idle consumers: the shares differ by at most one message.
    expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
  });
});

describe('the consumer is down: the publisher is not', () => {
  const spec = orderFlow({ notifiers: 1 });
  const run = runMessaging(spec, 150_000, {
    endMs: 120_000,
    faults: [{ atMs: 30_000, forMs: 60_000, command: kill('notifier') }],
  });

  test('orders keep succeeding while notifier is down', () => {
    expect(run.completed.length).toBeGreaterThan(5500);
    expect(run.completed.every((r) => r.outcome === 'ok')).toBe(true);
  });

  test('the backlog grows during the outage and drains after it, and nothing is lost', () => {
    const backlogAt = (t: number) => {
      let published = 0;
      let processed = 0;
      for (const p of run.of('message.published')) if (p.at <= t) published++;
      for (const p of run.of('message.processed')) if (p.at <= t) processed++;
      return published - processed;
    };
    // 50/s for 60 s: about 3000 waiting at the end of the outage.
    expect(backlogAt(89_999)).toBeGreaterThan(2700);
    expect(backlogAt(150_000)).toBe(0);
    const c = counts(run);
    expect(c.processed).toBe(c.published);
    expect(c.deadLettered + c.dropped + c.expired).toBe(0);
    expectConserved(run);
  });
});

describe('at-least-once delivery', () => {
  test('a consumer crash mid-processing redelivers its unacknowledged messages: duplicates reach consumer code again', () => {
    // notifier.send first charges a payment, then works 200 ms; a crash in between repeats the charge.
    const spec = orderFlow({
      consumerWork: 200,
      concurrency: 4,
      prefetch: 8,
      notifiers: 2,
      rate: 30,
      notifierCalls: [call('payments.charge')],
    });
    const run = runMessaging(spec, 80_000, {
      endMs: 60_000,
      faults: [
        { atMs: 20_000, forMs: 5_000, command: kill('notifier', 1) },
        { atMs: 40_000, forMs: 5_000, command: kill('notifier', 1) },
      ],
    });
    const c = counts(run);
    const requeued = run.of('message.requeued');
    expect(requeued.length).toBeGreaterThan(0);
    expect(requeued.every((r) => r.cause === 'consumer_lost')).toBe(true);
    const received = run.of('message.received');
    const duplicates = received.filter((r) => r.duplicate);
    expect(duplicates.length).toBe(c.duplicates);
    expect(c.duplicates).toBeGreaterThan(0);
    // Every duplicate is a message received before; every redelivery is attempt ≥ 2.
    const seen = new Set<number>();
    for (const r of received) {
      expect(r.duplicate).toBe(seen.has(r.id));
      seen.add(r.id);
    }
    // Prefetched messages that had not reached code are redelivered but are not duplicates.
    const redeliveries = run.of('message.delivered').filter((d) => d.attempt >= 2).length;
    expect(redeliveries).toBe(requeued.length);
    expect(redeliveries).toBeGreaterThanOrEqual(c.duplicates);
    expect(c.processed).toBe(c.published);
    expectConserved(run);
  });

  test('a poison message is dead-lettered after exactly maxDeliveries deliveries', () => {
    const spec = orderFlow({ publishOver: { poison: 0.02 }, queueOver: { maxDeliveries: 3 } });
    const run = runMessaging(spec, 62_000, { endMs: 60_000 });
    const c = counts(run);
    const dead = run.of('message.dead_lettered');
    expect(dead.length).toBeGreaterThan(20); // about 2% of 3000
    expect(dead.every((d) => d.attempts === 3)).toBe(true);
    for (const d of dead) {
      const attempts = run
        .of('message.delivered')
        .filter((x) => x.id === d.id)
        .map((x) => x.attempt);
      expect(attempts).toEqual([1, 2, 3]);
    }
    expect(run.of('message.requeued').every((r) => r.reason === 'poison_message')).toBe(true);
    expect(c.deadLettered).toBe(dead.length);
    expect(c.processed + c.deadLettered).toBe(c.published);
    expectConserved(run);
  });

  test('an acknowledgement that does not come within the ack timeout returns the message: processed twice', () => {
    const spec = orderFlow({ consumerWork: 300, queueOver: { ackTimeoutMs: 250 }, rate: 5 });
    const run = runMessaging(spec, 22_000, { endMs: 20_000 });
    const c = counts(run);
    const requeued = run.of('message.requeued');
    expect(requeued.length).toBeGreaterThan(0);
    expect(requeued.every((r) => r.cause === 'ack_timeout')).toBe(true);
    // Every attempt times out: each message is dead-lettered after 20 deliveries… unless
    // processing (300 ms) always outlasts the timeout, so none is ever processed.
    expect(c.processed).toBe(0);
    expect(c.duplicates).toBeGreaterThan(0);
    expectConserved(run);
  });
});

describe('queue limits', () => {
  test('drop-head drops the oldest waiting message when the queue is full', () => {
    const spec = orderFlow({ queueOver: { maxLength: 100 } });
    const run = runMessaging(spec, 70_000, {
      endMs: 60_000,
      faults: [{ atMs: 10_000, forMs: 20_000, command: kill('notifier') }],
    });
    const c = counts(run);
    expect(c.dropped).toBeGreaterThan(800); // ~1000 published in the outage, 100 kept
    expect(run.of('message.publish_failed')).toHaveLength(0);
    const gauges = run.world.queueGauges();
    expect(gauges[0]!.ready).toBe(0);
    expectConserved(run);
  });

  test('reject-publish refuses new messages when the queue is full: a confirmed publish fails its request', () => {
    const spec = orderFlow({
      queueOver: { maxLength: 100, overflow: 'reject-publish' },
      publishOver: { confirm: true },
    });
    const run = runMessaging(spec, 70_000, {
      endMs: 60_000,
      faults: [{ atMs: 10_000, forMs: 20_000, command: kill('notifier') }],
    });
    const c = counts(run);
    expect(c.dropped).toBe(0);
    const refused = run.of('message.publish_failed');
    expect(refused.length).toBeGreaterThan(800);
    expect(refused.every((f) => f.reason === 'queue_full')).toBe(true);
    const failedOrders = run.completed.filter((r) => r.outcome === 'failed');
    expect(failedOrders.length).toBe(refused.length);
    expect(failedOrders.every((r) => r.cause?.reason === 'queue_full' && r.cause.service === 'mq')).toBe(
      true,
    );
    expectConserved(run);
  });

  test('a message waiting longer than the ttl expires', () => {
    const spec = orderFlow({ queueOver: { ttlMs: 5_000 } });
    const run = runMessaging(spec, 70_000, {
      endMs: 60_000,
      faults: [{ atMs: 10_000, forMs: 20_000, command: kill('notifier') }],
    });
    const c = counts(run);
    const expired = run.of('message.expired');
    expect(expired.length).toBe(c.expired);
    // Messages published during the first 15 s of the outage expire; the last 5 s survive.
    expect(c.expired).toBeGreaterThan(600);
    expect(c.expired).toBeLessThan(900);
    for (const e of expired) expect(e.ageMs).toBeCloseTo(5_000, 6);
    expectConserved(run);
  });
});

describe('the broker fails', () => {
  test('whenDown: fail — a confirmed publish to a dead broker fails its request; fire-and-forget loses the message silently', () => {
    const confirm = runMessaging(orderFlow({ publishOver: { confirm: true } }), 40_000, {
      endMs: 30_000,
      faults: [{ atMs: 10_000, forMs: 10_000, command: kill('mq') }],
    });
    const failed = confirm.completed.filter((r) => r.outcome === 'failed');
    expect(failed.length).toBeGreaterThan(400);
    expect(failed.every((r) => r.cause?.service === 'mq')).toBe(true);
    const forget = runMessaging(orderFlow(), 40_000, {
      endMs: 30_000,
      faults: [{ atMs: 10_000, forMs: 10_000, command: kill('mq') }],
    });
    expect(forget.completed.every((r) => r.outcome === 'ok')).toBe(true);
    const lost = forget.of('message.publish_failed');
    expect(lost.length).toBeGreaterThan(400);
    expect(lost.every((f) => f.reason === 'no_instance' || f.reason === 'instance_crashed')).toBe(true);
    expectConserved(forget);
  });

  test('whenDown: wait — publishes wait for the broker and nothing is lost', () => {
    const run = runMessaging(orderFlow({ publishOver: { whenDown: 'wait' } }), 60_000, {
      endMs: 30_000,
      faults: [{ atMs: 10_000, forMs: 10_000, command: kill('mq') }],
    });
    expect(run.of('message.publish_failed')).toHaveLength(0);
    const c = counts(run);
    expect(c.published).toBe(run.completed.length);
    expect(c.processed).toBe(c.published);
    // The waiting ones were stored after the broker came back.
    const late = run.of('message.published').filter((p) => p.at >= 20_000 && p.publishedAt < 20_000);
    expect(late.length).toBeGreaterThan(400);
    expectConserved(run);
  });

  test('whenDown: wait with a confirm: the requests wait too, and those waiting past maxWait fail', () => {
    const run = runMessaging(
      orderFlow({ publishOver: { whenDown: 'wait', confirm: true, maxWaitMs: 4_000 } }),
      60_000,
      {
        endMs: 30_000,
        faults: [{ atMs: 10_000, forMs: 10_000, command: kill('mq') }],
      },
    );
    const expired = run.of('message.publish_failed');
    expect(expired.length).toBeGreaterThan(200);
    expect(expired.every((f) => f.reason === 'wait_expired')).toBe(true);
    const slow = run.completed.filter((r) => r.outcome === 'ok' && r.latencyMs > 1_000);
    expect(slow.length).toBeGreaterThan(100);
    expect(Math.max(...run.completed.map((r) => r.latencyMs))).toBeLessThanOrEqual(4_000 + 50);
    expectConserved(run);
  });

  test('when the broker loses every instance its unacknowledged deliveries return; later acknowledgements are ignored', () => {
    // 2 instances × 8 at once × 2/s = 32 messages/s of capacity for 20/s.
    const spec = orderFlow({ consumerWork: 500, concurrency: 8, prefetch: 8, notifiers: 2, rate: 20 });
    const run = runMessaging(spec, 60_000, {
      endMs: 30_000,
      faults: [{ atMs: 10_000, forMs: 5_000, command: kill('mq') }],
    });
    const back = run.of('message.requeued').filter((r) => r.cause === 'broker_down');
    const seenBy10s = (name: 'message.delivered' | 'message.processed' | 'message.received') =>
      new Set(
        run
          .of(name)
          .filter((s) => s.at <= 10_000)
          .map((s) => s.id),
      );
    const delivered = seenBy10s('message.delivered');
    const processed = seenBy10s('message.processed');
    const received = seenBy10s('message.received');
    const unacked = [...delivered].filter((id) => !processed.has(id));
    expect(unacked.length).toBeGreaterThan(5);
    expect(back.map((r) => r.id).sort()).toEqual(unacked.sort());
    expect(back.every((r) => r.at === 10_000)).toBe(true);
    // Those already in consumer code come back as duplicates; their first acks are ignored.
    expect(counts(run).duplicates).toBe(unacked.filter((id) => received.has(id)).length);
    expect(
      run
        .of('message.processed')
        .filter((p) => unacked.includes(p.id))
        .every((p) => p.at > 15_000),
    ).toBe(true);
    expect(counts(run).processed).toBe(counts(run).published);
    expectConserved(run);
  });
});

describe('topics', () => {
  test('each group of a topic gets its own copy of every message', () => {
    const spec: WorldSpec = {
      ...world(
        [
          service('orders', [endpoint('place', expMs(5), [publish('mq.orders')])], { workers: 50 }),
          service('billing', [endpoint('bill', constMs(5))], {
            workers: 4,
            subscriptions: [consumes('bill', 'mq.orders/billing')],
          }),
          service('shipping', [endpoint('ship', constMs(5))], {
            workers: 4,
            subscriptions: [consumes('ship', 'mq.orders/shipping')],
          }),
        ],
        [openWorkload('orders.place', 20)],
        constMs(1),
      ),
      brokers: [
        broker('mq', [], {
          topics: [{ name: 'orders', groups: [queue('orders/billing'), queue('orders/shipping')] }],
        }),
      ],
    };
    const run = runMessaging(spec, 32_000, { endMs: 30_000 });
    const all = run.world.messaging!.counts();
    const billing = all.get('mq/orders/billing')!;
    const shipping = all.get('mq/orders/shipping')!;
    expect(billing.published).toBe(run.completed.length);
    expect(shipping.published).toBe(run.completed.length);
    expect(billing.processed).toBe(billing.published);
    expect(shipping.processed).toBe(shipping.published);
    expectConserved(run);
  });
});

describe('determinism', () => {
  test('the same world and seed give the same message history', () => {
    const spec = orderFlow({ consumerWork: 200, notifiers: 2, rate: 30, publishOver: { poison: 0.01 } });
    const faults = [{ atMs: 20_000, forMs: 5_000, command: kill('notifier', 1) }];
    const a = runMessaging(spec, 40_000, { endMs: 30_000, faults });
    const b = runMessaging(spec, 40_000, { endMs: 30_000, faults });
    expect(JSON.stringify(a.signals)).toBe(JSON.stringify(b.signals));
  });
});

describe('consumers come and go', () => {
  test('scaling consumers in hands back only prefetched messages: nothing processed runs again', () => {
    // One instance alone serves 2 × 10 messages/s: enough for 15/s after the scale-in.
    const spec = orderFlow({ consumerWork: 100, concurrency: 2, prefetch: 6, notifiers: 3, rate: 15 });
    const run = runMessaging(spec, 40_000, {
      endMs: 30_000,
      actions: [{ atMs: 10_000.5, run: (w) => w.services.get('notifier')!.scaleTo(1) }],
    });
    const c = counts(run);
    expect(c.duplicates).toBe(0);
    // Whatever went back had never reached consumer code.
    for (const r of run.of('message.requeued')) expect(r.cause).toBe('consumer_lost');
    expect(c.processed).toBe(c.published);
    expect(run.world.services.get('notifier')!.instances.filter((i) => i.state === 'stopped')).toHaveLength(
      2,
    );
    expectConserved(run);
  });

  test('a message handed back unseen does not count towards maxDeliveries', () => {
    // Three instances at 10 messages/s each for 40/s: their prefetch buffers are full.
    const spec = orderFlow({
      consumerWork: 100,
      concurrency: 1,
      prefetch: 8,
      notifiers: 3,
      rate: 40,
      queueOver: { maxDeliveries: 1 },
    });
    const run = runMessaging(spec, 40_000, {
      endMs: 30_000,
      actions: [{ atMs: 10_000.5, run: (w) => w.services.get('notifier')!.scaleTo(1) }],
    });
    expect(run.of('message.requeued').length).toBeGreaterThan(0);
    expect(counts(run).deadLettered).toBe(0);
    expectConserved(run);
  });
});

describe('the network between broker and consumers', () => {
  const partition = (atMs: number, forMs: number) => ({
    atMs,
    forMs,
    command: {
      name: 'split',
      action: { kind: 'partition' },
      target: { kind: 'groups', a: ['mq'], b: ['notifier'] },
    } as FaultCommand,
  });

  test('a short partition delays deliveries and acknowledgements; nothing is redelivered', () => {
    const run = runMessaging(orderFlow(), 70_000, { endMs: 60_000, faults: [partition(20_000, 10_000)] });
    const c = counts(run);
    expect(run.of('message.requeued')).toHaveLength(0);
    expect(c.processed).toBe(c.published);
    const late = run.of('message.processed').filter((p) => p.latencyMs > 5_000);
    expect(late.length).toBeGreaterThan(0);
    expectConserved(run);
  });

  test('a partition longer than the heartbeat timeout closes the connection: held messages return, and consumption resumes after it', () => {
    const run = runMessaging(orderFlow(), 150_000, { endMs: 140_000, faults: [partition(20_000, 90_000)] });
    const c = counts(run);
    const back = run.of('message.requeued');
    expect(back.length).toBeGreaterThan(0);
    // 60 s after the first delivery the partition held (about 20 s).
    expect(back.every((r) => r.at >= 80_000 && r.at < 80_001 && /heartbeat 60 s/.test(r.why))).toBe(true);
    expect(c.processed).toBe(c.published);
    expectConserved(run);
  });

  test('packet loss delays (TCP retransmits) but never stalls the consumers', () => {
    const loss = {
      atMs: 20_000,
      forMs: 20_000,
      command: {
        name: 'lossy',
        action: { kind: 'loss', rate: 0.2 },
        target: { kind: 'edge', from: 'mq', to: 'notifier' },
      } as FaultCommand,
    };
    const run = runMessaging(orderFlow(), 70_000, { endMs: 60_000, faults: [loss] });
    const c = counts(run);
    expect(c.processed).toBe(c.published);
    expect(run.of('message.requeued')).toHaveLength(0);
    // A lost segment costs at least one retransmission timeout (200 ms).
    expect(run.of('message.processed').some((p) => p.latencyMs >= 200)).toBe(true);
    expectConserved(run);
  });
});

describe('edge cases', () => {
  test('maxWait holds even when it passes while the publish is on its way again', () => {
    const spec: WorldSpec = {
      ...orderFlow({ publishOver: { whenDown: 'wait', maxWaitMs: 100, confirm: true } }),
      network: { defaultLatency: constMs(50), edges: [] },
    };
    // The broker is down 1900–2140 ms and again from 2160 ms: a publish waiting since ~2000 ms
    // is sent again at 2140 ms, and is still on its way when its maxWait passes.
    const run = runMessaging(spec, 20_000, {
      endMs: 10_000,
      faults: [
        { atMs: 1_900, forMs: 240, command: kill('mq') },
        { atMs: 2_160, forMs: 5_000, command: kill('mq') },
      ],
    });
    // At most: to orders (50 ms), its work, maxWait (100 ms), the trip of a publish sent just
    // before it passed (50 ms; a publish in flight cannot be called back) and the broker's work,
    // the confirm back (50 ms) and the answer to the user (50 ms).
    for (const r of run.completed)
      expect(r.latencyMs, `req-${r.id}`).toBeLessThanOrEqual(50 + 30 + 100 + 50 + 0.1 + 50 + 50);
    const expired = run.of('message.publish_failed');
    expect(expired.length).toBeGreaterThan(0);
    expect(expired.every((f) => f.reason === 'wait_expired')).toBe(true);
  });

  test('thousands of prefetched messages that fail at once do not overflow the stack', () => {
    const spec = orderFlow({ concurrency: 1, prefetch: 50_000, rate: 2_000, consumerWork: 20 });
    const errors = {
      atMs: 0,
      forMs: null,
      command: {
        name: 'broken',
        action: { kind: 'error', rate: 1 },
        target: { kind: 'service', service: 'notifier', endpoint: null, instances: { kind: 'all' } },
      } as FaultCommand,
    };
    const hang = {
      atMs: 1,
      forMs: 5_000,
      command: { ...kill('notifier'), name: 'stuck', action: { kind: 'hang' } } as FaultCommand,
    };
    const run = runMessaging(spec, 12_000, { endMs: 5_000, faults: [hang, errors] });
    expect(counts(run).deadLettered).toBeGreaterThan(5_000);
    expectConserved(run);
  });

  test('a poison message does its work and calls before it fails', () => {
    const spec = orderFlow({
      publishOver: { poison: 0.05 },
      queueOver: { maxDeliveries: 2 },
      notifierCalls: [call('payments.charge')],
    });
    const run = runMessaging(spec, 32_000, { endMs: 30_000 });
    const c = counts(run);
    expect(c.deadLettered).toBeGreaterThan(30);
    // Every reception by notifier's code charged a payment, poison ones included…
    const charges = run.hops.filter((h) => h.service === 'payments').length;
    expect(charges).toBe(run.of('message.received').length);
    // …and each delivery of a poison message (2 before dead-lettering) worked and then failed.
    const poisoned = run.hops.filter((h) => h.service === 'notifier' && h.outcome === 'failed');
    expect(poisoned.length).toBe(2 * c.deadLettered);
    expect(poisoned.every((h) => h.reason === 'error_injected' && h.workMs === 20)).toBe(true);
  });
});
