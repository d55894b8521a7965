/** Hand-built worlds with a broker, and a harness that records the messaging signals. */
import { createBus } from '../../src/engine/bus.ts';
import { createEngine, type Engine } from '../../src/engine/engine.ts';
import { createRandomStreams } from '../../src/engine/random.ts';
import type { FaultCommand } from '../../src/model/fault-spec.ts';
import { createWorld, type World } from '../../src/model/world.ts';
import type {
  BrokerSpec,
  CallStep,
  PublishSpec,
  QueueSpec,
  SubscriptionSpec,
  WorldSpec,
} from '../../src/model/world-spec.ts';
import type { Signals } from '../../src/signals.ts';
import { constMs } from '../model/world-fixtures.ts';

export function queue(name: string, over: Partial<QueueSpec> = {}): QueueSpec {
  return {
    name,
    maxLength: Number.POSITIVE_INFINITY,
    overflow: 'drop-head',
    ttlMs: Number.POSITIVE_INFINITY,
    maxDeliveries: 20,
    ackTimeoutMs: 30 * 60_000,
    ...over,
  };
}

export function broker(name: string, queues: QueueSpec[], over: Partial<BrokerSpec> = {}): BrokerSpec {
  return {
    name,
    replicas: 1,
    workers: 4,
    queueCapacity: Number.POSITIVE_INFINITY,
    startup: constMs(0),
    publishWork: constMs(0.1),
    queues,
    topics: [],
    ...over,
  };
}

/** A publish step to `target` (`broker.destination`). */
export function publish(target: string, over: Partial<PublishSpec> = {}): CallStep {
  const [b, d] = target.split('.') as [string, string];
  return {
    kind: 'publish',
    publish: {
      broker: b,
      destination: d,
      confirm: false,
      whenDown: 'fail',
      maxWaitMs: Number.POSITIVE_INFINITY,
      timeoutMs: Number.POSITIVE_INFINITY,
      poison: 0,
      probability: 1,
      soft: false,
      ...over,
    },
  };
}

export function consumes(
  endpoint: string,
  target: string,
  over: Partial<SubscriptionSpec> = {},
): SubscriptionSpec {
  const [b, q] = target.split('.') as [string, string];
  return { endpoint, broker: b, queue: q, concurrency: 1, prefetch: 10, ...over };
}

export interface MessagingRun {
  readonly engine: Engine;
  readonly world: World;
  readonly signals: { name: keyof Signals; payload: unknown }[];
  readonly completed: Signals['request.completed'][];
  readonly hops: Signals['hop.completed'][];
  of<K extends keyof Signals>(name: K): Signals[K][];
}

/** Runs `spec` until `untilMs` (workloads stop at `endMs`), applying `faults` at their times. */
export function runMessaging(
  spec: WorldSpec,
  untilMs: number,
  options: {
    seed?: number;
    endMs?: number;
    faults?: { atMs: number; forMs: number | null; command: FaultCommand }[];
    /** Anything else to do to the world at a given time (e.g. scale a service by hand). */
    actions?: { atMs: number; run: (world: World) => void }[];
  } = {},
): MessagingRun {
  const engine = createEngine();
  const bus = createBus<Signals>();
  const signals: { name: keyof Signals; payload: unknown }[] = [];
  const completed: Signals['request.completed'][] = [];
  const hops: Signals['hop.completed'][] = [];
  const names = [
    'message.published',
    'message.publish_failed',
    'message.delivered',
    'message.received',
    'message.requeued',
    'message.processed',
    'message.dead_lettered',
    'message.dropped',
    'message.expired',
  ] as const;
  for (const name of names) bus.on(name, (payload) => signals.push({ name, payload }));
  bus.on('request.completed', (p) => completed.push(p));
  bus.on('hop.completed', (p) => hops.push(p));
  const world = createWorld(spec, {
    engine,
    bus,
    streams: createRandomStreams(options.seed ?? 1),
    endMs: options.endMs ?? untilMs,
    onUnstable: (message) => {
      throw new Error(message);
    },
  });
  for (const f of options.faults ?? []) {
    engine.scheduleAt(
      f.atMs,
      () => {
        const active = world.faults.apply(f.command);
        if (f.forMs !== null) engine.scheduleAt(f.atMs + f.forMs, () => active.revert(), undefined);
      },
      undefined,
    );
  }
  for (const a of options.actions ?? []) engine.scheduleAt(a.atMs, () => a.run(world), undefined);
  engine.runUntil(untilMs);
  if (bus.failureCount > 0) throw bus.failures[0]!.error;
  return {
    engine,
    world,
    signals,
    completed,
    hops,
    of: <K extends keyof Signals>(name: K) =>
      signals.filter((s) => s.name === name).map((s) => s.payload as Signals[K]),
  };
}

/** published = processed + waiting + in flight + dead-lettered + dropped + expired, per queue. */
export function conservation(run: MessagingRun): { queue: string; published: number; accounted: number }[] {
  return [...run.world.messaging!.counts()].map(([queue, c]) => ({
    queue,
    published: c.published,
    accounted: c.processed + c.ready + c.inFlight + c.deadLettered + c.dropped + c.expired,
  }));
}
