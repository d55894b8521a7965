/**
 * Consumers: an endpoint's `consumes:` (`mq.notifications`, or `{from, concurrency, prefetch}`),
 * read on its own, then resolved into its service's `SubscriptionSpec`s once the brokers are
 * known; and the rule that an autoscaler on `backlog` reads a queue its own service consumes.
 */
import type { AutoscaleSpec, SubscriptionSpec } from '../model/world-spec.ts';
import { FieldReader, mapOf, textValue } from './field-reader.ts';
import { describeValue, type IssueCollector, invalid, type Segment } from './invalid-value.ts';
import { type BrokerContext, type QueueRef, queueText, resolveQueue } from './queue-refs.ts';

/** `consumes:` as written. */
export type ConsumesInput = string | { from: string; concurrency?: number; prefetch?: number };

/**
 * Spring AMQP's listener container defaults: one consumer thread (`concurrentConsumers`) and a
 * prefetch of 250 (`DEFAULT_PREFETCH_COUNT` since 2.0).
 */
export const CONSUMER_DEFAULTS = { concurrency: 1, prefetch: 250 } as const;

/** AMQP's `basic.qos` prefetch-count is a 16-bit number. */
const MAX_PREFETCH = 65_535;
const MAX_CONCURRENCY = 10_000;

/** A consumer read, its queue still as text; `textPath` locates the text within `consumes`. */
export interface UnresolvedConsumer {
  readonly text: string;
  readonly textPath: readonly Segment[];
  readonly concurrency: number;
  readonly prefetch: number;
}

const EXAMPLE = 'mq.notifications, or {from: mq.notifications, concurrency: 4, prefetch: 10}';

function countValue(what: string, example: number, max: number) {
  return (raw: unknown): number => {
    if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 1 && raw <= max) return raw;
    throw invalid(
      `expected ${what} (an integer from 1 to ${max.toLocaleString('en')}) such as ${example}, got ${describeValue(raw)}`,
    );
  };
}

/** Reads `consumes:` of an endpoint; throws `InvalidValue` with paths within it. */
export function consumesValue(raw: unknown): UnresolvedConsumer {
  if (typeof raw === 'string') {
    return { text: textValue(raw, `a queue such as ${EXAMPLE}`), textPath: [], ...CONSUMER_DEFAULTS };
  }
  const r = new FieldReader(mapOf(raw, `a queue to consume such as ${EXAMPLE}`), [
    'from',
    'concurrency',
    'prefetch',
  ]);
  const text = r.required('from', 'a queue such as mq.notifications', (v) =>
    textValue(v, 'a queue such as mq.notifications (broker.queue)'),
  );
  const concurrency = r.optional(
    'concurrency',
    countValue('a number of messages processed at once per instance', 4, MAX_CONCURRENCY),
  );
  const prefetch = r.optional(
    'prefetch',
    countValue('a number of unacknowledged messages per instance', 10, MAX_PREFETCH),
  );
  const c = concurrency ?? CONSUMER_DEFAULTS.concurrency;
  const p = prefetch ?? CONSUMER_DEFAULTS.prefetch;
  const valid = (key: string, value: number | undefined) => value !== undefined || !r.has(key);
  if (valid('concurrency', concurrency) && valid('prefetch', prefetch) && p < c) {
    const what = prefetch === undefined ? `the default prefetch (${p})` : `prefetch (${p})`;
    r.add(
      `${what} is below concurrency (${c}): an instance holds at most prefetch messages, so at most ${p} could be processed at once; raise prefetch to at least ${c} or lower concurrency`,
      [prefetch === undefined ? 'concurrency' : 'prefetch'],
    );
  }
  r.done();
  return { text: text!, textPath: ['from'], concurrency: c, prefetch: p };
}

/**
 * The subscriptions of one service, from its endpoints' consumers in file order. `path` is the
 * service's; problems (unknown queues, a queue consumed by two endpoints) go to `issues`.
 */
export function buildSubscriptions(
  service: string,
  consumers: readonly (readonly [endpoint: string, consumer: UnresolvedConsumer | undefined])[],
  ctx: BrokerContext,
  issues: IssueCollector,
  path: readonly Segment[],
): SubscriptionSpec[] {
  const subscriptions: SubscriptionSpec[] = [];
  for (const [endpoint, consumer] of consumers) {
    if (consumer === undefined) continue;
    const at = [...path, 'endpoints', endpoint, 'consumes', ...consumer.textPath];
    const ref = issues.attempt(at, () => resolveQueue(consumer.text, ctx, 'consume'));
    if (ref === undefined) continue;
    const first = subscriptions.find((s) => s.broker === ref.broker && s.queue === ref.queue);
    if (first !== undefined) {
      issues.add(
        `${service}.${first.endpoint} already consumes ${queueText(ref)}: one endpoint of a service consumes a queue (raise its concurrency to process more at once)`,
        at,
      );
      continue;
    }
    const { concurrency, prefetch } = consumer;
    subscriptions.push({ endpoint, broker: ref.broker, queue: ref.queue, concurrency, prefetch });
  }
  return subscriptions;
}

/** An autoscaler on `backlog` must read a queue that its service consumes. */
export function checkBacklogQueue(
  service: string,
  autoscale: AutoscaleSpec | undefined,
  subscriptions: readonly SubscriptionSpec[],
  ctx: BrokerContext,
  issues: IssueCollector,
  path: readonly Segment[],
): void {
  const queue: QueueRef | undefined = autoscale?.queue;
  if (autoscale?.metric !== 'backlog' || queue === undefined) return;
  const at = [...path, 'autoscale', 'queue'];
  const ref = issues.attempt(at, () => resolveQueue(queueText(queue), ctx, 'scale on'));
  if (ref === undefined) return;
  if (subscriptions.some((s) => s.broker === ref.broker && s.queue === ref.queue)) return;
  const consumed = subscriptions.map((s) => queueText(s));
  const list =
    consumed.length === 0
      ? 'it consumes no queue: add consumes: to one of its endpoints'
      : `it consumes ${consumed.join(', ')}`;
  issues.add(
    `${service} does not consume ${queueText(ref)}: backlog scaling reads a queue that the service itself consumes (${list})`,
    at,
  );
}
