/**
 * The messaging metrics of expectations, measured from the `message.*` signals with a ledger of
 * their own (`message-ledger.ts`), for a scope `queue` (one broker queue, or a topic's group
 * queue `topic/group`) or `all` (every queue: counts and backlog summed, latency over every
 * queue's messages, the oldest waiting message of any queue).
 *
 * Windows, as for the other metrics: message events have no duration, so a count (and a
 * latency, by its `message.processed`) belongs to a window by the event's time. The backlog and
 * the oldest waiting age are levels over time: `backlog_max` is the most at any moment of the
 * window (the level carried into it included), `backlog_end` the level at its end, and
 * `oldest_message_age_ms` the most the oldest waiting message's age reached in it (ages grow
 * between events, so the maxima are just before events and at the window's end). A fault's
 * window bounds become known when its signals arrive, which is before any later event.
 */
import type { Bus } from '../engine/bus.ts';
import type { ExpectationMetric, ExpectationScope, ExpectationSpec, Signals } from '../signals.ts';
import { LatencyStats } from './latency-stats.ts';
import { MessageLedger, QUEUE_SIGNALS, type QueueSignal, queueKey } from './message-ledger.ts';

/** A window's bounds as known so far: Infinity for a bound that has not happened yet. */
export interface LiveBounds {
  readonly from: number;
  readonly to: number;
}

interface Measurement {
  readonly value: number | null;
  readonly detail?: string;
}

type QueuePayload = Signals[QueueSignal];

/** One spec's hooks around the ledger's update, and its value once the window is known. */
interface MessageMeasure {
  before?(signal: QueueSignal, p: QueuePayload): void;
  after?(signal: QueueSignal, p: QueuePayload): void;
  failed?(p: Signals['message.publish_failed']): void;
  value(window: { readonly from: number; readonly to: number }): Measurement;
}

/** The ledger and the messaging measures of one checker; subscribes once for all of them. */
export class MessageWatch {
  private readonly ledger = new MessageLedger();
  /** Queues seen in a signal or a gauge, and destinations of failed publishes. */
  private readonly seen = new Set<string>();
  private readonly failedTo = new Set<string>();
  private readonly measures: MessageMeasure[] = [];

  subscribe(bus: Bus<Signals>): (() => void)[] {
    const offs = QUEUE_SIGNALS.map((name) =>
      bus.on(name, (p) => {
        for (const m of this.measures) m.before?.(name, p);
        this.ledger.apply(name, p);
        this.seen.add(queueKey(p.broker, p.queue));
        for (const m of this.measures) m.after?.(name, p);
      }),
    );
    offs.push(
      bus.on('message.publish_failed', (p) => {
        this.failedTo.add(queueKey(p.broker, p.destination));
        for (const m of this.measures) m.failed?.(p);
      }),
      bus.on('gauges.sampled', (g) => {
        for (const q of g.queues ?? []) {
          this.seen.add(queueKey(q.broker, q.queue));
          this.ledger.queue(q.broker, q.queue);
        }
      }),
    );
    return offs;
  }

  /** Builds the measure of `spec` (a messaging metric with scope `queue` or `all`). */
  add(
    spec: ExpectationSpec,
    inWindow: (t: number) => boolean,
    liveBounds: () => LiveBounds,
  ): (window: { readonly from: number; readonly to: number }) => Measurement {
    const scope = spec.scope as Extract<ExpectationScope, { kind: 'queue' | 'all' }>;
    const key = scope.kind === 'queue' ? queueKey(scope.broker, scope.queue) : '';
    const name = scope.kind === 'queue' ? `${scope.broker}/${scope.queue}` : '';
    const matches = (p: { broker: string; queue: string }): boolean =>
      scope.kind === 'all' || (p.broker === scope.broker && p.queue === scope.queue);
    const measure = this.build(spec.metric, scope, matches, inWindow, liveBounds);
    this.measures.push(measure);
    return (window) => {
      if (scope.kind === 'queue') {
        const topic = scope.queue.split('/')[0]!;
        const known =
          this.seen.has(key) || this.failedTo.has(key) || this.failedTo.has(queueKey(scope.broker, topic));
        if (!known) return { value: null, detail: `no message signal or queue gauge named queue ${name}` };
      } else if (this.seen.size === 0 && this.failedTo.size === 0) {
        return { value: null, detail: 'the run had no broker queue (no message signal or queue gauge)' };
      }
      return measure.value(window);
    };
  }

  private build(
    metric: ExpectationMetric,
    scope: Extract<ExpectationScope, { kind: 'queue' | 'all' }>,
    matches: (p: { broker: string; queue: string }) => boolean,
    inWindow: (t: number) => boolean,
    liveBounds: () => LiveBounds,
  ): MessageMeasure {
    const ledger = this.ledger;
    switch (metric) {
      case 'backlog_max':
      case 'backlog_end': {
        const level = (p: QueuePayload): number =>
          scope.kind === 'all' ? ledger.totalBacklog : ledger.queue(p.broker, p.queue).backlog;
        let carried = 0;
        let insideMax = 0;
        let endLevel = 0;
        return {
          after(_, p) {
            if (!matches(p)) return;
            const b = liveBounds();
            const now = level(p);
            if (p.at < b.from) carried = now;
            else if (p.at < b.to && now > insideMax) insideMax = now;
            if (p.at < b.to) endLevel = now;
          },
          value: () => ({ value: metric === 'backlog_end' ? endLevel : Math.max(carried, insideMax) }),
        };
      }
      case 'oldest_message_age_ms': {
        const oldest = (p: QueuePayload): number | undefined =>
          scope.kind === 'all' ? ledger.oldestStoredAt() : ledger.queue(p.broker, p.queue).oldestStoredAt();
        let insideMax = 0;
        let endStoredAt: number | undefined;
        return {
          before(_, p) {
            if (!matches(p)) return;
            const b = liveBounds();
            if (p.at < b.from || p.at >= b.to) return;
            const stored = oldest(p);
            if (stored !== undefined && p.at - stored > insideMax) insideMax = p.at - stored;
          },
          after(_, p) {
            if (matches(p) && p.at < liveBounds().to) endStoredAt = oldest(p);
          },
          value: (w) => ({ value: Math.max(insideMax, endStoredAt === undefined ? 0 : w.to - endStoredAt) }),
        };
      }
      case 'delivery_latency_p50':
      case 'delivery_latency_p99':
      case 'delivery_latency_max': {
        const stats = new LatencyStats();
        return {
          after(signal, p) {
            if (signal === 'message.processed' && matches(p) && inWindow(p.at)) {
              stats.record((p as Signals['message.processed']).latencyMs);
            }
          },
          value() {
            if (stats.count === 0) {
              const what =
                scope.kind === 'all' ? 'no message' : `no message of ${scope.broker}/${scope.queue}`;
              return { value: null, detail: `${what} was processed in the window` };
            }
            if (metric === 'delivery_latency_max') return { value: stats.maxMs };
            return { value: stats.percentile(metric === 'delivery_latency_p50' ? 50 : 99) };
          },
        };
      }
      default:
        return countMeasure(metric, scope, matches, inWindow);
    }
  }
}

/** Which queue signals a count metric counts. */
function counts(metric: ExpectationMetric, signal: QueueSignal, p: QueuePayload): boolean {
  switch (metric) {
    case 'messages_published':
      return signal === 'message.published';
    case 'messages_processed':
      return signal === 'message.processed';
    case 'messages_lost':
      return signal === 'message.dropped' || signal === 'message.expired';
    case 'dead_lettered':
      return signal === 'message.dead_lettered';
    case 'redeliveries':
      return signal === 'message.delivered' && (p as Signals['message.delivered']).attempt >= 2;
    case 'duplicates':
      return signal === 'message.received' && (p as Signals['message.received']).duplicate;
    default:
      return false;
  }
}

/**
 * Counts of events in the window. `messages_lost` adds the failed publishes: for a queue, those
 * sent to it or to its topic (a lost publish to a topic is lost to every group); for `all`, each
 * failed publish once.
 */
function countMeasure(
  metric: ExpectationMetric,
  scope: Extract<ExpectationScope, { kind: 'queue' | 'all' }>,
  matches: (p: { broker: string; queue: string }) => boolean,
  inWindow: (t: number) => boolean,
): MessageMeasure {
  let n = 0;
  const lostTo = (p: Signals['message.publish_failed']): boolean =>
    scope.kind === 'all' ||
    (p.broker === scope.broker &&
      (p.destination === scope.queue || scope.queue.startsWith(`${p.destination}/`)));
  return {
    after(signal, p) {
      if (matches(p) && inWindow(p.at) && counts(metric, signal, p)) n++;
    },
    failed(p) {
      if (metric === 'messages_lost' && lostTo(p) && inWindow(p.at)) n++;
    },
    value: () => ({ value: n }),
  };
}
