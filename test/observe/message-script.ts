/**
 * A scripted messaging run, emitted in time order, for the messaging observer and expectation
 * tests. Warm-up 1 s, run 9 s, gauge samples (series points) every second. Broker `bus`:
 *
 * queue `orders` (id: store time, what happens):
 *   1: 500   delivered 600, received 610, requeued 1500 (consumer_lost), delivered again 2100
 *            (attempt 2), received 2110 as a duplicate, processed 2200 (latency 1710 ms)
 *   2: 2000  delivered 2300, requeued 2400 (ack_timeout), delivered 2500 (attempt 2),
 *            dead-lettered 2600
 *   3: 2000  dropped 4000 (drop-head)
 *   4: 3000  expired 5000
 *   5: 3000  delivered 6000, still in flight at the end
 *   6: 7000  still waiting at the end
 * queue `events/billing` (a topic's group queue): 1: 2050, delivered 2060, processed 2700 (5 ms).
 * Failed publishes: 800 `orders` no_instance (warm-up), 3500 `orders` queue_full,
 * 3600 topic `events` lost_in_transit.
 * Fault `kill-bus` from 2000 to 5000 (only its signals: it is a window for expectations).
 *
 * Backlog of `orders` (waiting + in flight): 1 from 500, 3 at 2000, 2 at 2200, 1 at 2600, 3 at
 * 3000, 2 at 4000, 1 at 5000, 2 at 7000. Oldest waiting age: message 1 waits 1500–2100 (stored
 * 500), 2 and 3 from 2000, 3 alone to 4000, 4 and 5 (stored 3000) to 5000 and 6000, 6 from 7000.
 */
import type { Bus } from '../../src/engine/bus.ts';
import type { PublishFailure, QueueGauges, RequeueCause, Signals } from '../../src/signals.ts';
import { Script } from './scripted-fault.ts';

export const M_WARMUP_MS = 1000;
export const M_END_MS = 9000;

/** Emits message signals for one queue through a script (or a bus, at once). */
export class Queue {
  constructor(
    private readonly emit: <K extends keyof Signals & string>(signal: K, payload: Signals[K]) => void,
    readonly queue: string,
    readonly broker = 'bus',
  ) {}

  private base(at: number, id: number) {
    return { at, broker: this.broker, queue: this.queue, id };
  }

  published(at: number, id: number, publishedAt = at): void {
    this.emit('message.published', { ...this.base(at, id), publisher: 'shop', requestId: id, publishedAt });
  }

  delivered(at: number, id: number, attempt = 1): void {
    this.emit('message.delivered', {
      ...this.base(at, id),
      consumer: 'worker',
      instance: 'worker#1',
      attempt,
    });
  }

  received(at: number, id: number, attempt = 1, duplicate = false): void {
    this.emit('message.received', { ...this.base(at, id), instance: 'worker#1', attempt, duplicate });
  }

  requeued(at: number, id: number, cause: RequeueCause, attempt = 1): void {
    this.emit('message.requeued', { ...this.base(at, id), attempt, cause, why: cause });
  }

  processed(at: number, id: number, latencyMs: number, attempt = 1): void {
    this.emit('message.processed', { ...this.base(at, id), attempt, latencyMs });
  }

  deadLettered(at: number, id: number, attempts: number): void {
    this.emit('message.dead_lettered', { ...this.base(at, id), attempts, why: 'too many deliveries' });
  }

  dropped(at: number, id: number): void {
    this.emit('message.dropped', { ...this.base(at, id), why: 'queue full (drop-head)' });
  }

  expired(at: number, id: number, ageMs: number): void {
    this.emit('message.expired', { ...this.base(at, id), ageMs });
  }
}

export function publishFailed(
  emit: (signal: 'message.publish_failed', payload: Signals['message.publish_failed']) => void,
  at: number,
  destination: string,
  reason: PublishFailure,
  broker = 'bus',
): void {
  emit('message.publish_failed', {
    at,
    broker,
    destination,
    publisher: 'shop',
    requestId: 0,
    reason,
    why: reason,
  });
}

/** The queue gauges that agree with the script at its end. */
export const END_GAUGES: readonly QueueGauges[] = [
  { broker: 'bus', queue: 'orders', ready: 1, inFlight: 1, oldestAgeMs: 2000 },
  { broker: 'bus', queue: 'events/billing', ready: 0, inFlight: 0, oldestAgeMs: 0 },
];

/** Emits the scripted run on `bus`; `endGauges` are the queue gauges of the last sample. */
export function runMessageScript(bus: Bus<Signals>, endGauges: readonly QueueGauges[] = END_GAUGES): void {
  const script = new Script(bus);
  const emit = <K extends keyof Signals & string>(signal: K, payload: Signals[K]): void =>
    script.emit(signal, payload);
  const orders = new Queue(emit, 'orders');
  const billing = new Queue(emit, 'events/billing');
  orders.published(500, 1, 490);
  orders.delivered(600, 1);
  orders.received(610, 1);
  orders.requeued(1500, 1, 'consumer_lost');
  orders.published(2000, 2);
  orders.published(2000, 3);
  orders.delivered(2100, 1, 2);
  orders.received(2110, 1, 2, true);
  orders.processed(2200, 1, 1710, 2);
  orders.delivered(2300, 2);
  orders.requeued(2400, 2, 'ack_timeout');
  orders.delivered(2500, 2, 2);
  orders.deadLettered(2600, 2, 2);
  orders.published(3000, 4);
  orders.published(3000, 5);
  orders.dropped(4000, 3);
  orders.expired(5000, 4, 2000);
  orders.delivered(6000, 5);
  orders.published(7000, 6);
  billing.published(2050, 1);
  billing.delivered(2060, 1);
  billing.processed(2700, 1, 5);
  publishFailed(emit, 800, 'orders', 'no_instance');
  publishFailed(emit, 3500, 'orders', 'queue_full');
  publishFailed(emit, 3600, 'events', 'lost_in_transit');
  const fault = { fault: 'kill-bus', kind: 'kill', target: 'bus' };
  script.emit('fault.started', { at: 2000, ...fault }, -1);
  script.emit('fault.ended', { at: 5000, ...fault }, -1);
  script.at(M_WARMUP_MS, () => bus.emit('run.warmup_ended', { at: M_WARMUP_MS }), 999);
  for (let t = 1000; t <= M_END_MS; t += 1000) {
    const queues = t === M_END_MS ? endGauges : undefined;
    script.at(
      t,
      () => bus.emit('gauges.sampled', { at: t, services: [], ...(queues === undefined ? {} : { queues }) }),
      1000,
    );
  }
  script.emit('run.ended', { at: M_END_MS, reason: 'completed' }, 2000);
  script.run();
}
