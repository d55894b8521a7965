/**
 * Message brokers at run time: queues with competing consumers, topics that copy each message to
 * their groups' queues, publishers (fire-and-forget or confirmed) and consumers (prefetch,
 * concurrency, ack after processing).
 *
 * A broker is a service under the hood (see `brokerServiceSpec`): its instances start, crash,
 * hang and slow down like any service's, and its `publish` endpoint costs work on its workers.
 * A publish is a hop to that endpoint; after its work the message is stored (`accept`). Queues
 * are durable and replicated across the broker's instances, so a crash loses no stored message.
 *
 * Delivery: while some broker instance is ready and responsive, each queue hands its oldest
 * waiting message to the next consumer instance (round-robin) with fewer unacknowledged
 * deliveries than its prefetch. The delivery crosses the network to that instance, waits there
 * (prefetched) until one of the subscription's `concurrency` slots is free, then the consumer's
 * endpoint runs on it as a hop of the original request. The acknowledgement (or, when the
 * processing failed, a negative one) crosses back; a message whose processing failed, whose
 * consumer instance went away, whose broker lost every instance, or whose acknowledgement did not
 * come within the ack timeout goes back to the front of its queue — or to the dead-letter queue
 * once it has had `maxDeliveries` deliveries. At-least-once: a redelivered message may already
 * have reached consumer code (a duplicate).
 *
 * Every message stored is, at any moment, in exactly one place: waiting, in flight, processed,
 * dead-lettered, dropped or expired (the conservation law the tests check).
 */
import type { Bus } from '../engine/bus.ts';
import { Deque } from '../engine/deque.ts';
import type { Engine } from '../engine/engine.ts';
import type { RandomStreams } from '../engine/random.ts';
import type { FailureReason, PublishFailure, QueueGauges, RequeueCause, Signals } from '../signals.ts';
import { Hop, type RequestRecord } from './hop.ts';
import type { Instance } from './instance.ts';
import type { EdgeLatency, Network } from './network.ts';
import type { ServiceRuntime } from './service.ts';
import type { EndpointRuntime } from './topology.ts';
import type { BrokerSpec, PublishSpec, QueueSpec, ServiceSpec, SubscriptionSpec } from './world-spec.ts';

/** The name of a broker's built-in endpoint that accepts published messages. */
export const PUBLISH_ENDPOINT = 'publish';

/** The service a broker runs as: its instances, workers and the `publish` endpoint. */
export function brokerServiceSpec(broker: BrokerSpec): ServiceSpec {
  return {
    name: broker.name,
    replicas: broker.replicas,
    workers: broker.workers,
    queueCapacity: broker.queueCapacity,
    discipline: 'fifo',
    holding: 'non-blocking',
    startup: broker.startup,
    loadBalancing: 'round-robin',
    endpoints: [
      { name: PUBLISH_ENDPOINT, work: broker.publishWork, order: 'work-first', calls: [], accepts: true },
    ],
    ...(broker.resources === undefined ? {} : { resources: broker.resources }),
  };
}

/** A publish step of an endpoint's program, compiled (see topology.ts). */
export interface PublishRuntime {
  readonly spec: PublishSpec;
  /** The publishing service. */
  readonly publisher: string;
  /** The broker's `publish` endpoint. */
  readonly target: EndpointRuntime;
  /** Publisher → broker. */
  readonly edge: EdgeLatency;
}

export const PUBLICATION = 1;
export const DELIVERY = 2;

/** One publish on its way to the broker (one per publish step run; a topic stores it in each group queue). */
export class Publication {
  readonly kind = PUBLICATION;
  /** Answered (stored or refused), or given up: the publisher knows the outcome. */
  settled = false;
  /** An outcome was recorded for the observer (stored, or `message.publish_failed`). */
  recorded = false;
  /** When it started waiting for the broker to come back (−1: not waiting). */
  waitingSince = -1;
  constructor(
    readonly runtime: PublishRuntime,
    /** The publishing hop when it waits for the confirm, else null. */
    readonly parent: Hop | null,
    readonly request: RequestRecord,
    readonly depth: number,
    readonly sentAt: number,
    readonly poison: boolean,
  ) {}

  get caller(): string {
    return this.runtime.publisher;
  }
}

/** A message stored in one queue. */
class Message {
  /** Deliveries so far. */
  attempts = 0;
  /** Deliveries that reached consumer code (what `maxDeliveries` counts). */
  tries = 0;
  /** Some delivery reached consumer code. */
  seen = false;
  constructor(
    readonly id: number,
    readonly request: RequestRecord,
    readonly publisher: string,
    /** When the publisher sent it (end-to-end latency starts here). */
    readonly publishedAt: number,
    /** When the broker stored it (ttl and age count from here). */
    readonly storedAt: number,
    readonly poison: boolean,
  ) {}
}

/** One delivery of a message to a consumer instance. */
export class Delivery {
  readonly kind = DELIVERY;
  /** The broker still waits for its acknowledgement. */
  live = true;
  /** When its processing ended (−1: not yet). */
  doneAt = -1;
  /** How its processing failed (null: it succeeded, or has not ended). */
  failure: FailureReason | 'poison_message' | null = null;
  constructor(
    readonly message: Message,
    readonly queue: QueueRuntime,
    readonly slot: ConsumerSlot,
    readonly attempt: number,
    readonly sentAt: number,
  ) {}

  get caller(): string {
    return this.queue.broker.name;
  }

  /** A poison message: its processing fails once the endpoint has done its work and calls. */
  get poison(): boolean {
    return this.message.poison;
  }
}

/** One consumer instance of one subscription. */
interface ConsumerSlot {
  readonly sub: SubscriptionRuntime;
  readonly instance: Instance;
  /** Deliveries sent to it and not yet acknowledged (or returned). */
  readonly unacked: Set<Delivery>;
  /** Deliveries arrived and waiting for a free processing slot (prefetched). */
  readonly buffer: Deque<Delivery>;
  /** Deliveries being processed. */
  processing: number;
  /** `pump` is on the stack (a synchronous failure must not recurse into it). */
  pumping: boolean;
  /** Deliveries and answers waiting for a partition between the broker and it to heal. */
  readonly heldDeliveries: Delivery[];
  readonly heldAnswers: Delivery[];
  /** A heartbeat check is scheduled. */
  heartbeatArmed: boolean;
  /** Its connection timed out during a partition: no deliveries until the partition heals. */
  cut: boolean;
}

interface SubscriptionRuntime {
  readonly spec: SubscriptionSpec;
  readonly service: ServiceRuntime;
  readonly endpoint: EndpointRuntime;
  /** Broker → consumer service. */
  readonly edge: EdgeLatency;
  readonly queue: QueueRuntime;
  readonly slots: Map<Instance, ConsumerSlot>;
}

interface QueueRuntime {
  readonly spec: QueueSpec;
  readonly broker: BrokerRuntime;
  readonly ready: Deque<Message>;
  /** Deliveries awaiting acknowledgement, oldest first (for the ack timeout). */
  readonly pending: Set<Delivery>;
  readonly subs: SubscriptionRuntime[];
  /** Next consumer to offer a message to (round-robin). */
  rr: number;
  inFlight: number;
  /** Earliest armed ttl / ack-timeout check (Infinity: none armed). */
  ttlCheckAt: number;
  ackCheckAt: number;
  readonly counts: QueueCounts;
}

/** A queue's totals since the start (the broker's own books). */
export interface QueueCounts {
  published: number;
  processed: number;
  deadLettered: number;
  dropped: number;
  expired: number;
  deliveries: number;
  duplicates: number;
}

interface BrokerRuntime {
  readonly spec: BrokerSpec;
  readonly name: string;
  readonly service: ServiceRuntime;
  /** Destinations by name: a queue, or a topic's group queues. */
  readonly destinations: Map<string, readonly QueueRuntime[]>;
  readonly queues: QueueRuntime[];
  /** Publications waiting for the broker to come back (`whenDown: wait`). */
  readonly waiting: Publication[];
  nextId: number;
  /** Some instance was alive at the last check (when none is, unacked deliveries return). */
  wasAlive: boolean;
}

/** What the executor offers the brokers. */
export interface MessagingHost {
  /** Sends a hop to its endpoint's service through the load balancer and the network. */
  send(hop: Hop): void;
  /** Starts a hop on `instance` (already there: the delivery crossed the network). */
  process(hop: Hop, instance: Instance): void;
  /** A confirmed publish answered its publishing hop (`cause` null when stored). */
  answer(parent: Hop, reason: FailureReason | null, soft: boolean, broker: string): void;
}

export interface Messaging {
  /** Runs a publish step of `hop` (the executor has counted it as pending when confirmed). */
  publish(hop: Hop, runtime: PublishRuntime): void;
  /** Stores the message of a publish hop at its broker; the failure reason when refused. */
  accept(hop: Hop): FailureReason | null;
  /** A hop carrying a message ended (its answer, or acknowledgement, crosses back). */
  hopEnded(hop: Hop): void;
  /** The network lost a publish hop on its way. */
  lost(hop: Hop): void;
  /** `instance` crashed: its deliveries go back to their queues. */
  instanceLost(instance: Instance): void;
  /** Instances changed (state, faults): re-check brokers and consumers, and deliver. */
  refresh(): void;
  /** Every queue's state now. */
  gauges(): QueueGauges[];
  /** Messages not yet processed (waiting + in flight) in `broker`'s `queue`. */
  backlog(broker: string, queue: string): number;
  /** The brokers' own books per queue, by `broker/queue` name. */
  counts(): ReadonlyMap<string, Readonly<QueueCounts> & { ready: number; inFlight: number }>;
}

export interface MessagingDeps {
  readonly engine: Engine;
  readonly bus: Bus<Signals>;
  readonly streams: RandomStreams;
  readonly network: Network;
  readonly brokers: readonly BrokerSpec[];
  readonly services: ReadonlyMap<string, ServiceRuntime>;
  readonly host: MessagingHost;
}

/** Linux's TCP retransmission timeout: at least 200 ms, doubling up to 120 s, 15 retries. */
const TCP_RTO_MIN_MS = 200;
const TCP_RTO_MAX_MS = 120_000;
const TCP_RETRIES = 15;
/** RabbitMQ's default heartbeat timeout: a silent connection is closed after it. */
export const HEARTBEAT_TIMEOUT_MS = 60_000;

/** Reasons a publish could not reach the broker at all (what `whenDown: wait` waits out). */
const BROKER_DOWN: ReadonlySet<FailureReason> = new Set(['no_instance', 'instance_crashed']);

export function createMessaging(deps: MessagingDeps): Messaging {
  const { engine, bus, network, services, host } = deps;
  const brokers = new Map<string, BrokerRuntime>();
  const slotsByInstance = new Map<Instance, ConsumerSlot[]>();
  const poisonRngs = new Map<PublishRuntime, () => number>();

  for (const spec of deps.brokers) {
    const broker: BrokerRuntime = {
      spec,
      name: spec.name,
      service: services.get(spec.name)!,
      destinations: new Map(),
      queues: [],
      waiting: [],
      nextId: 0,
      wasAlive: true,
    };
    const makeQueue = (q: QueueSpec): QueueRuntime => {
      const runtime: QueueRuntime = {
        spec: q,
        broker,
        ready: new Deque(),
        pending: new Set(),
        subs: [],
        rr: 0,
        inFlight: 0,
        ttlCheckAt: Number.POSITIVE_INFINITY,
        ackCheckAt: Number.POSITIVE_INFINITY,
        counts: {
          published: 0,
          processed: 0,
          deadLettered: 0,
          dropped: 0,
          expired: 0,
          deliveries: 0,
          duplicates: 0,
        },
      };
      broker.queues.push(runtime);
      return runtime;
    };
    for (const q of spec.queues) broker.destinations.set(q.name, [makeQueue(q)]);
    for (const t of spec.topics) broker.destinations.set(t.name, t.groups.map(makeQueue));
    brokers.set(spec.name, broker);
  }
  const queueOf = (broker: string, name: string): QueueRuntime => {
    const q = brokers.get(broker)?.queues.find((x) => x.spec.name === name);
    if (q === undefined) throw new Error(`unknown queue ${broker}.${name}`);
    return q;
  };
  for (const svc of services.values()) {
    for (const sub of svc.topology.spec.subscriptions ?? []) {
      const endpoint = svc.topology.endpoints.get(sub.endpoint);
      if (endpoint === undefined) throw new Error(`unknown consumer endpoint ${svc.name}.${sub.endpoint}`);
      const queue = queueOf(sub.broker, sub.queue);
      queue.subs.push({
        spec: sub,
        service: svc,
        endpoint,
        edge: network.edge(sub.broker, svc.name),
        queue,
        slots: new Map(),
      });
    }
  }

  // --- publishing ---------------------------------------------------------------------------

  const destinationOf = (pub: Publication): readonly QueueRuntime[] => {
    const { broker, destination } = pub.runtime.spec;
    const queues = brokers.get(broker)?.destinations.get(destination);
    if (queues === undefined) throw new Error(`unknown destination ${broker}.${destination}`);
    return queues;
  };

  function send(pub: Publication): void {
    const rt = pub.runtime;
    const hop = new Hop(pub.request, rt.edge, rt.target, null, pub.depth, false, false);
    hop.message = pub;
    host.send(hop);
  }

  /** Records that `pub` was never stored (once: a publication has one outcome). */
  function failed(pub: Publication, reason: PublishFailure, why: string): void {
    if (pub.recorded) return;
    pub.recorded = true;
    bus.emit('message.publish_failed', {
      at: engine.now,
      broker: pub.runtime.spec.broker,
      destination: pub.runtime.spec.destination,
      publisher: pub.runtime.publisher,
      requestId: pub.request.id,
      reason,
      why,
    });
  }

  /** The publisher learns the outcome (only a confirmed publish has a hop waiting for it). */
  function settle(pub: Publication, reason: FailureReason | null): void {
    if (pub.settled) return;
    pub.settled = true;
    if (pub.parent !== null) host.answer(pub.parent, reason, pub.runtime.spec.soft, pub.runtime.spec.broker);
  }

  function startWaiting(pub: Publication): void {
    const broker = brokers.get(pub.runtime.spec.broker)!;
    const maxWaitMs = pub.runtime.spec.maxWaitMs;
    if (pub.waitingSince >= 0 && engine.now - pub.waitingSince >= maxWaitMs) {
      // Its maxWait passed while it was on its way again.
      failed(pub, 'wait_expired', `${broker.name} was unreachable for ${maxWaitMs} ms (maxWait)`);
      return settle(pub, 'no_instance');
    }
    if (pub.waitingSince < 0) {
      pub.waitingSince = engine.now;
      const maxWait = pub.runtime.spec.maxWaitMs;
      if (maxWait < Number.POSITIVE_INFINITY) engine.post(maxWait, giveUpWaiting, pub);
    }
    // Another instance may already serve (the one it reached crashed): send again at once.
    if (serving(broker)) send(pub);
    else broker.waiting.push(pub);
  }

  function giveUpWaiting(pub: Publication): void {
    if (pub.recorded) return;
    const broker = brokers.get(pub.runtime.spec.broker)!;
    const i = broker.waiting.indexOf(pub);
    if (i < 0) return; // on its way again: the answer decides
    broker.waiting.splice(i, 1);
    failed(
      pub,
      'wait_expired',
      `${broker.name} was unreachable for ${pub.runtime.spec.maxWaitMs} ms (maxWait)`,
    );
    settle(pub, 'no_instance');
  }

  function confirmTimedOut(pub: Publication): void {
    if (pub.settled) return;
    const broker = brokers.get(pub.runtime.spec.broker)!;
    const i = broker.waiting.indexOf(pub);
    if (i >= 0) {
      // Still waiting for the broker: the publisher gives up, the message is never sent.
      broker.waiting.splice(i, 1);
      failed(
        pub,
        'timeout',
        `the publisher stopped waiting for ${broker.name} after ${pub.runtime.spec.timeoutMs} ms`,
      );
    }
    // Otherwise it is on its way or at the broker: it may still be stored (the publisher will not know).
    settle(pub, 'timeout');
  }

  function publishAnswered(hop: Hop): void {
    const pub = hop.message as Publication;
    const reason = hop.reason;
    if (reason === null) return settle(pub, null);
    if (BROKER_DOWN.has(reason) && pub.runtime.spec.whenDown === 'wait' && !pub.settled) {
      return startWaiting(pub);
    }
    // (A refusal by a full queue was already recorded, per queue, when it happened.)
    failed(pub, reason, `the publish to ${pub.runtime.spec.broker} failed: ${reason}`);
    settle(pub, reason);
  }

  // --- queues ---------------------------------------------------------------------------------

  const serving = (broker: BrokerRuntime): boolean => broker.service.ready.some((i) => !i.hung);

  function store(q: QueueRuntime, pub: Publication): FailureReason | null {
    const spec = q.spec;
    const broker = q.broker;
    if (q.ready.length >= spec.maxLength) {
      if (spec.overflow === 'reject-publish') {
        // Per queue: a topic's other groups may still store their copies.
        bus.emit('message.publish_failed', {
          at: engine.now,
          broker: broker.name,
          destination: spec.name,
          publisher: pub.runtime.publisher,
          requestId: pub.request.id,
          reason: 'queue_full',
          why: `${broker.name}.${spec.name} is full (${q.ready.length} waiting, maxLength ${spec.maxLength}, overflow reject-publish)`,
        });
        return 'queue_full';
      }
      const oldest = q.ready.shift()!;
      q.counts.dropped++;
      bus.emit('message.dropped', {
        at: engine.now,
        broker: broker.name,
        queue: spec.name,
        id: oldest.id,
        why: `${broker.name}.${spec.name} is full (maxLength ${spec.maxLength}): the oldest message made room (overflow drop-head)`,
      });
    }
    const message = new Message(
      ++broker.nextId,
      pub.request,
      pub.runtime.publisher,
      pub.sentAt,
      engine.now,
      pub.poison,
    );
    q.ready.push(message);
    q.counts.published++;
    bus.emit('message.published', {
      at: engine.now,
      broker: broker.name,
      queue: spec.name,
      id: message.id,
      publisher: message.publisher,
      requestId: message.request.id,
      publishedAt: message.publishedAt,
    });
    armTtl(q);
    dispatch(q);
    return null;
  }

  function armTtl(q: QueueRuntime): void {
    const ttl = q.spec.ttlMs;
    const head = q.ready.peek();
    if (ttl === Number.POSITIVE_INFINITY || head === undefined) return;
    const at = head.storedAt + ttl;
    if (at >= q.ttlCheckAt) return;
    q.ttlCheckAt = at;
    // At the absolute time, so that the check below sees exactly `storedAt + ttl`.
    engine.scheduleAt(Math.max(at, engine.now), expire, q);
  }

  /** Expires waiting messages older than the ttl, from the head (as RabbitMQ does). */
  function expire(q: QueueRuntime): void {
    q.ttlCheckAt = Number.POSITIVE_INFINITY;
    const ttl = q.spec.ttlMs;
    for (
      let head = q.ready.peek();
      head !== undefined && head.storedAt + ttl <= engine.now;
      head = q.ready.peek()
    ) {
      q.ready.shift();
      q.counts.expired++;
      bus.emit('message.expired', {
        at: engine.now,
        broker: q.broker.name,
        queue: q.spec.name,
        id: head.id,
        ageMs: engine.now - head.storedAt,
      });
    }
    armTtl(q);
  }

  /** The consumer slots that may take a delivery now, in a stable order. */
  function candidates(q: QueueRuntime): ConsumerSlot[] {
    const out: ConsumerSlot[] = [];
    for (const sub of q.subs) {
      for (const inst of sub.service.ready) {
        let slot = sub.slots.get(inst);
        if (slot === undefined) {
          slot = {
            sub,
            instance: inst,
            unacked: new Set(),
            buffer: new Deque(),
            processing: 0,
            pumping: false,
            heldDeliveries: [],
            heldAnswers: [],
            heartbeatArmed: false,
            cut: false,
          };
          sub.slots.set(inst, slot);
          const list = slotsByInstance.get(inst);
          if (list === undefined) slotsByInstance.set(inst, [slot]);
          else list.push(slot);
        }
        if (!slot.cut) out.push(slot);
      }
    }
    return out;
  }

  function dispatch(q: QueueRuntime): void {
    if (q.ready.length === 0 || !serving(q.broker)) return;
    const slots = candidates(q);
    const n = slots.length;
    while (q.ready.length > 0) {
      let chosen: ConsumerSlot | undefined;
      for (let k = 0; k < n; k++) {
        const slot = slots[(q.rr + k) % n]!;
        if (slot.unacked.size < slot.sub.spec.prefetch) {
          chosen = slot;
          q.rr = (q.rr + k + 1) % n;
          break;
        }
      }
      if (chosen === undefined) return;
      deliver(q, q.ready.shift()!, chosen);
    }
  }

  function deliver(q: QueueRuntime, message: Message, slot: ConsumerSlot): void {
    const d = new Delivery(message, q, slot, ++message.attempts, engine.now);
    slot.unacked.add(d);
    q.pending.add(d);
    q.inFlight++;
    q.counts.deliveries++;
    bus.emit('message.delivered', {
      at: engine.now,
      broker: q.broker.name,
      queue: q.spec.name,
      id: message.id,
      consumer: slot.sub.service.name,
      instance: slot.instance.id,
      attempt: d.attempt,
    });
    armAckTimeout(q);
    const edge = slot.sub.edge;
    if (partitioned(edge)) {
      slot.heldDeliveries.push(d);
      armHeartbeat(slot);
    } else engine.post(tcpDelay(edge, false), arrived, d);
  }

  /**
   * Deliveries and acknowledgements travel an AMQP connection over TCP: a lost segment is sent
   * again after a retransmission timeout (200 ms, doubling, as Linux's TCP), so a loss fault
   * delays them and never drops them. A partition holds them until it heals — or, past the
   * heartbeat timeout, closes the connection (see `heartbeat`).
   */
  function tcpDelay(edge: EdgeLatency, back: boolean): number {
    if (edge.zero) return 0;
    let delay = back ? edge.back() : edge.sample();
    if (edge.faulted) {
      let rto = TCP_RTO_MIN_MS;
      for (let tries = 0; tries < TCP_RETRIES && edge.lost(); tries++) {
        delay += rto;
        rto = Math.min(2 * rto, TCP_RTO_MAX_MS);
      }
    }
    return delay;
  }

  function partitioned(edge: EdgeLatency): boolean {
    return edge.faulted && network.fault(edge).partitioned > 0;
  }

  function armHeartbeat(slot: ConsumerSlot): void {
    if (slot.heartbeatArmed) return;
    slot.heartbeatArmed = true;
    engine.post(HEARTBEAT_TIMEOUT_MS, heartbeat, slot);
  }

  /**
   * A partition outlasted the heartbeat timeout: both ends close the connection. The broker puts
   * back everything the consumer instance held; acknowledgements still on their way are lost.
   */
  function heartbeat(slot: ConsumerSlot): void {
    slot.heartbeatArmed = false;
    if (!partitioned(slot.sub.edge)) return;
    slot.cut = true;
    slot.heldDeliveries.length = 0;
    slot.heldAnswers.length = 0;
    releaseSlot(
      slot,
      'consumer_lost',
      `the connection between ${slot.sub.spec.broker} and ${slot.instance.id} timed out during a network partition (heartbeat ${HEARTBEAT_TIMEOUT_MS / 1000} s)`,
      'all',
    );
    for (const q of slot.sub.queue.broker.queues) dispatch(q);
  }

  /** A partition healed: held traffic goes on, and a cut connection is opened again. */
  function reconnect(slot: ConsumerSlot): void {
    const edge = slot.sub.edge;
    if (partitioned(edge)) return;
    slot.cut = false;
    for (const d of slot.heldDeliveries.splice(0)) engine.post(tcpDelay(edge, false), arrived, d);
    for (const d of slot.heldAnswers.splice(0)) engine.post(tcpDelay(edge, true), answered, d);
  }

  function armAckTimeout(q: QueueRuntime): void {
    const timeout = q.spec.ackTimeoutMs;
    if (timeout === Number.POSITIVE_INFINITY) return;
    const oldest = q.pending.values().next().value;
    if (oldest === undefined) return;
    const at = oldest.sentAt + timeout;
    if (at >= q.ackCheckAt) return;
    q.ackCheckAt = at;
    engine.scheduleAt(Math.max(at, engine.now), ackTimeouts, q);
  }

  function ackTimeouts(q: QueueRuntime): void {
    q.ackCheckAt = Number.POSITIVE_INFINITY;
    const timeout = q.spec.ackTimeoutMs;
    const overdue: Delivery[] = [];
    for (const d of q.pending) {
      if (d.sentAt + timeout > engine.now) break;
      overdue.push(d);
    }
    for (const d of overdue) {
      close(d);
      giveBack(
        d,
        'ack_timeout',
        undefined,
        `no acknowledgement from ${d.slot.instance.id} within ${timeout} ms`,
      );
    }
    armAckTimeout(q);
    dispatch(q);
  }

  /** The broker stops waiting for `d`'s acknowledgement. */
  function close(d: Delivery): void {
    d.live = false;
    d.slot.unacked.delete(d);
    d.queue.pending.delete(d);
    d.queue.inFlight--;
  }

  /** A delivery that will not be acknowledged: its message waits again, or is dead-lettered. */
  function giveBack(
    d: Delivery,
    cause: RequeueCause,
    reason: FailureReason | 'poison_message' | undefined,
    why: string,
  ): void {
    const q = d.queue;
    const message = d.message;
    if (message.tries >= q.spec.maxDeliveries) {
      q.counts.deadLettered++;
      bus.emit('message.dead_lettered', {
        at: engine.now,
        broker: q.broker.name,
        queue: q.spec.name,
        id: message.id,
        attempts: message.attempts,
        why: `${why}; it reached the consumer ${message.tries} times (maxDeliveries ${q.spec.maxDeliveries})`,
      });
      return;
    }
    q.ready.unshift(message);
    bus.emit('message.requeued', {
      at: engine.now,
      broker: q.broker.name,
      queue: q.spec.name,
      id: message.id,
      attempt: d.attempt,
      cause,
      ...(reason === undefined ? {} : { reason }),
      why,
    });
    armTtl(q);
  }

  // --- consumers ------------------------------------------------------------------------------

  function arrived(d: Delivery): void {
    if (!d.live) return; // returned meanwhile (ack timeout, or the broker went down)
    const slot = d.slot;
    if (slot.instance.state !== 'ready') {
      close(d);
      giveBack(d, 'consumer_lost', undefined, `${slot.instance.id} is ${slot.instance.state}`);
      return dispatch(d.queue);
    }
    slot.buffer.push(d);
    pump(slot);
  }

  function start(d: Delivery): void {
    const slot = d.slot;
    const message = d.message;
    slot.processing++;
    bus.emit('message.received', {
      at: engine.now,
      broker: d.queue.broker.name,
      queue: d.queue.spec.name,
      id: message.id,
      instance: slot.instance.id,
      attempt: d.attempt,
      duplicate: message.seen,
    });
    if (message.seen) d.queue.counts.duplicates++;
    message.seen = true;
    message.tries++;
    const hop = new Hop(message.request, slot.sub.edge, slot.sub.endpoint, null, 1, false, false);
    hop.message = d;
    host.process(hop, slot.instance);
  }

  /**
   * `d`'s processing ended; its acknowledgement (or a negative one) crosses back — unless its
   * instance died with it (then nothing is sent: the broker learns from the closed connection).
   */
  function finished(d: Delivery, reason: FailureReason | null): void {
    const slot = d.slot;
    slot.processing--;
    if (reason === 'instance_crashed') return;
    d.doneAt = engine.now;
    d.failure = reason !== null && d.message.poison ? 'poison_message' : reason;
    const edge = slot.sub.edge;
    if (partitioned(edge)) {
      slot.heldAnswers.push(d);
      armHeartbeat(slot);
    } else engine.post(tcpDelay(edge, true), answered, d);
    pump(slot);
  }

  /** Starts prefetched deliveries while processing slots are free (a loop: failures may be synchronous). */
  function pump(slot: ConsumerSlot): void {
    if (slot.pumping || slot.instance.state !== 'ready') return;
    slot.pumping = true;
    try {
      while (slot.processing < slot.sub.spec.concurrency && slot.buffer.length > 0) {
        const next = slot.buffer.shift()!;
        if (next.live) start(next);
      }
    } finally {
      slot.pumping = false;
    }
  }

  /** `d`'s acknowledgement (or negative one) reached the broker. */
  function answered(d: Delivery): void {
    if (!d.live) return; // the broker had already given it back: a late answer
    close(d);
    const q = d.queue;
    const reason = d.failure;
    if (reason !== null) {
      const why =
        reason === 'poison_message'
          ? `${d.slot.instance.id} could not process a poison message`
          : `processing at ${d.slot.instance.id} failed: ${reason}`;
      giveBack(d, 'processing_failed', reason, why);
      return dispatch(q);
    }
    q.counts.processed++;
    bus.emit('message.processed', {
      at: engine.now,
      broker: q.broker.name,
      queue: q.spec.name,
      id: d.message.id,
      attempt: d.attempt,
      latencyMs: d.doneAt - d.message.publishedAt,
    });
    dispatch(q);
  }

  /**
   * Gives back deliveries held by `slot`: its `prefetched` ones (a consumer stopping), those it
   * has `unanswered` (its instance is gone: acknowledgements already sent still arrive), or `all`
   * (its connection closed: answers on their way are lost with it).
   */
  function releaseSlot(
    slot: ConsumerSlot,
    cause: RequeueCause,
    why: string,
    which: 'prefetched' | 'unanswered' | 'all',
  ): void {
    const held = which === 'prefetched' ? slot.buffer.drain() : [...slot.unacked];
    if (which !== 'prefetched') slot.buffer.drain();
    for (const d of held) {
      if (!d.live || (which === 'unanswered' && d.doneAt >= 0)) continue;
      close(d);
      giveBack(d, cause, undefined, why);
    }
  }

  let refreshPosted = false;

  function refreshNow(): void {
    refreshPosted = false;
    for (const broker of brokers.values()) {
      const alive = broker.service.instances.some((i) => i.alive);
      if (!alive && broker.wasAlive) {
        for (const q of broker.queues) {
          for (const d of [...q.pending]) {
            close(d);
            giveBack(
              d,
              'broker_down',
              undefined,
              `${broker.name} has no instance left: its connections closed`,
            );
          }
        }
      }
      broker.wasAlive = alive;
      if (serving(broker) && broker.waiting.length > 0) {
        for (const pub of broker.waiting.splice(0)) send(pub);
      }
    }
    for (const [inst, slots] of slotsByInstance) {
      for (const slot of slots) {
        if (slot.cut || slot.heldDeliveries.length > 0 || slot.heldAnswers.length > 0) reconnect(slot);
        if (inst.state === 'ready') continue;
        if (inst.alive) {
          if (slot.buffer.length > 0)
            releaseSlot(
              slot,
              'consumer_lost',
              `${inst.id} is ${inst.state}: its prefetched messages return`,
              'prefetched',
            );
        } else if (slot.unacked.size > 0) {
          releaseSlot(slot, 'consumer_lost', `${inst.id} is ${inst.state}`, 'unanswered');
        }
      }
    }
    for (const broker of brokers.values()) for (const q of broker.queues) dispatch(q);
  }

  return {
    publish(hop, runtime) {
      let poison = false;
      if (runtime.spec.poison > 0) {
        let rng = poisonRngs.get(runtime);
        if (rng === undefined) {
          rng = deps.streams.stream(
            `poison/${runtime.publisher}->${runtime.spec.broker}.${runtime.spec.destination}`,
          );
          poisonRngs.set(runtime, rng);
        }
        poison = rng() < runtime.spec.poison;
      }
      const pub = new Publication(
        runtime,
        runtime.spec.confirm ? hop : null,
        hop.request,
        hop.depth + 1,
        engine.now,
        poison,
      );
      if (runtime.spec.confirm && runtime.spec.timeoutMs < Number.POSITIVE_INFINITY) {
        engine.post(runtime.spec.timeoutMs, confirmTimedOut, pub);
      }
      send(pub);
    },
    accept(hop) {
      const pub = hop.message as Publication;
      let refused: FailureReason | null = null;
      for (const q of destinationOf(pub)) refused = store(q, pub) ?? refused;
      pub.recorded = true;
      return refused;
    },
    hopEnded(hop) {
      const carried = hop.message!;
      if (carried.kind === DELIVERY) return finished(carried as Delivery, hop.reason);
      // A publish: the broker's answer crosses back (at once when it never arrived).
      if (hop.arrivedAt < 0 || hop.edge!.zero) publishAnswered(hop);
      else engine.post(hop.edge!.back(), publishAnswered, hop);
    },
    lost(hop) {
      const pub = hop.message as Publication;
      failed(pub, 'lost_in_transit', `the network lost the publish to ${pub.runtime.spec.broker}`);
      // A confirmed publisher keeps waiting (until its timeout, if any), as for a lost call.
    },
    instanceLost(instance) {
      for (const slot of slotsByInstance.get(instance) ?? []) {
        releaseSlot(slot, 'consumer_lost', `${instance.id} crashed`, 'unanswered');
      }
      if (!refreshPosted) {
        refreshPosted = true;
        engine.post(0, refreshNow, undefined);
      }
    },
    refresh() {
      if (refreshPosted) return;
      refreshPosted = true;
      engine.post(0, refreshNow, undefined);
    },
    gauges() {
      const now = engine.now;
      const out: QueueGauges[] = [];
      for (const broker of brokers.values()) {
        for (const q of broker.queues) {
          const head = q.ready.peek();
          out.push({
            broker: broker.name,
            queue: q.spec.name,
            ready: q.ready.length,
            inFlight: q.inFlight,
            oldestAgeMs: head === undefined ? 0 : now - head.storedAt,
          });
        }
      }
      return out;
    },
    backlog(broker, queue) {
      const q = queueOf(broker, queue);
      return q.ready.length + q.inFlight;
    },
    counts() {
      const out = new Map<string, QueueCounts & { ready: number; inFlight: number }>();
      for (const broker of brokers.values()) {
        for (const q of broker.queues) {
          out.set(`${broker.name}/${q.spec.name}`, {
            ...q.counts,
            ready: q.ready.length,
            inFlight: q.inFlight,
          });
        }
      }
      return out;
    },
  };
}
