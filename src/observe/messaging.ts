/**
 * Asynchronous messaging as the results report it: per broker queue, what was published,
 * delivered, processed or lost, the backlog (waiting + in flight) and the age of the oldest
 * waiting message at every moment, the end-to-end delivery latency, and the conservation law
 *
 *     published = processed + waiting + in flight + dead-lettered + dropped + expired
 *
 * checked at the end with the ledger's own counts and against the broker's last queue gauges.
 * Fed by the metrics collector. Warm-up: message signals are events without a duration, so a
 * count (and a latency, by its `message.processed`) belongs to the measured window when the
 * event happens at or after `warmupMs`, as for breaker transitions; maxima cover the window
 * (the backlog carried into it included). The conservation counts and the time series cover the
 * whole run, since the broker's gauges do. `docs/en/results-format.md` ("messaging") has every field.
 */
import type { PublishFailure, QueueGauges, RequeueCause, Signals } from '../signals.ts';
import { FAILURE_REASONS } from '../signals.ts';
import { LatencyStats } from './latency-stats.ts';
import { type Conservation, conservation, type GaugeReading } from './message-conservation.ts';
import { MessageLedger, type QueueLedger, type QueueSignal, queueKey } from './message-ledger.ts';
import { type MessagingPoint, MessagingSeries } from './message-series.ts';
import type { SeriesPoint } from './results.ts';

export type { Conservation } from './message-conservation.ts';
export type { MessagingPoint, QueuePoint } from './message-series.ts';

/** Requeue causes in catalogue order. */
export const REQUEUE_CAUSES: readonly RequeueCause[] = [
  'processing_failed',
  'consumer_lost',
  'broker_down',
  'ack_timeout',
];

/** Publish failure reasons in catalogue order. */
export const PUBLISH_FAILURES: readonly PublishFailure[] = [
  ...FAILURE_REASONS,
  'lost_in_transit',
  'wait_expired',
];

/** End-to-end delivery latency (ms) of processed messages; every field null without any. */
export interface DeliveryLatency {
  readonly mean: number | null;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly max: number | null;
}

export interface QueueResults {
  readonly broker: string;
  /** The queue, or a topic's group queue `topic/group`. */
  readonly queue: string;
  /** Events at or after the warm-up. */
  readonly published: number;
  readonly processed: number;
  readonly deadLettered: number;
  readonly dropped: number;
  readonly expired: number;
  /** `message.delivered`, and those of them with attempt ≥ 2. */
  readonly deliveries: number;
  readonly redeliveries: number;
  /** `message.received` with `duplicate`. */
  readonly duplicates: number;
  /** `message.requeued` by cause (only causes that occurred, in catalogue order). */
  readonly requeues: Readonly<Partial<Record<RequeueCause, number>>>;
  readonly publishedPerSec: number;
  readonly processedPerSec: number;
  /** Messages waiting and in flight at the end of the run. */
  readonly waiting: number;
  readonly inFlight: number;
  /** waiting + in flight: when the measured window began, its most at any moment of it, at the end. */
  readonly backlog: { readonly start: number; readonly max: number; readonly end: number };
  /** Age of the oldest waiting message: its most during the measured window, and at the end. */
  readonly oldestAgeMs: { readonly max: number; readonly end: number };
  readonly latencyMs: DeliveryLatency;
  readonly conservation: Conservation;
}

/** Publishes to one destination (a queue or a topic) that the broker did not store. */
export interface PublishFailureResults {
  readonly broker: string;
  readonly destination: string;
  /** Failures at or after the warm-up. */
  readonly failed: number;
  readonly reasons: Readonly<Partial<Record<PublishFailure, number>>>;
}

export interface MessagingResults {
  /** True when every queue's conservation holds. */
  readonly conserved: boolean;
  /** By `<broker>/<queue>`, in the scenario's order, then of first sight. */
  readonly queues: Readonly<Record<string, QueueResults>>;
  /** By `<broker>/<destination>`, for destinations with failures in the window, in order of the first. */
  readonly publishFailures: Readonly<Record<string, PublishFailureResults>>;
  /** One point per point of `timeSeries.points`, at the same times. */
  readonly timeSeries: { readonly intervalMs: number; readonly points: readonly MessagingPoint[] };
}

/** Windowed counts of one queue, beside its ledger. */
class QueueAcc {
  published = 0;
  processed = 0;
  deadLettered = 0;
  dropped = 0;
  expired = 0;
  deliveries = 0;
  redeliveries = 0;
  duplicates = 0;
  readonly requeues = new Map<RequeueCause, number>();
  readonly latency = new LatencyStats();
  backlogStart = 0;
  backlogMax = 0;
  oldestMaxMs = 0;
  gauge: GaugeReading | undefined;
  constructor(readonly ledger: QueueLedger) {}
}

interface FailureAcc {
  readonly broker: string;
  readonly destination: string;
  failed: number;
  readonly reasons: Map<PublishFailure, number>;
}

export class MessagingTracker {
  private readonly ledger = new MessageLedger();
  private readonly accs = new Map<string, QueueAcc>();
  private readonly failures = new Map<string, FailureAcc>();
  private readonly series: MessagingSeries;
  private sawSignal = false;

  /** `queues`: the scenario's queues, in order (they are reported even if nothing happened). */
  constructor(
    private readonly warmupMs: number,
    intervalMs: number,
    queues: readonly { readonly broker: string; readonly queue: string }[] = [],
  ) {
    this.series = new MessagingSeries(intervalMs, this.ledger);
    for (const q of queues) this.acc(q.broker, q.queue);
  }

  /** True once the run is known to have a broker queue (declared, sampled or signalled). */
  get present(): boolean {
    return this.sawSignal || this.accs.size > 0;
  }

  /** The last queue looked up (a run's signals come in runs of the same queue). */
  private lastAcc: QueueAcc | undefined;

  private acc(broker: string, queue: string): QueueAcc {
    const last = this.lastAcc;
    if (last !== undefined && last.ledger.queue === queue && last.ledger.broker === broker) return last;
    const key = queueKey(broker, queue);
    let a = this.accs.get(key);
    if (a === undefined) {
      a = new QueueAcc(this.ledger.queue(broker, queue));
      this.accs.set(key, a);
    }
    this.lastAcc = a;
    return a;
  }

  /** A message signal of a queue. */
  signal<K extends QueueSignal>(name: K, p: Signals[K]): void {
    this.sawSignal = true;
    const a = this.acc(p.broker, p.queue);
    const t = p.at;
    const counted = t >= this.warmupMs;
    // The oldest waiting message's age grows until an event changes who is oldest: its maxima
    // are reached just before events (and at the ends of windows and intervals).
    const age = a.ledger.oldestAgeMs(t);
    if (counted && age > a.oldestMaxMs) a.oldestMaxMs = age;
    this.series.before(a.ledger, age);
    this.ledger.apply(name, p);
    this.series.after(name, a.ledger);
    const backlog = a.ledger.backlog;
    if (!counted) a.backlogStart = backlog;
    else if (backlog > a.backlogMax) a.backlogMax = backlog;
    if (!counted) return;
    switch (name) {
      case 'message.published':
        a.published++;
        break;
      case 'message.delivered': {
        a.deliveries++;
        if ((p as Signals['message.delivered']).attempt >= 2) a.redeliveries++;
        break;
      }
      case 'message.received':
        if ((p as Signals['message.received']).duplicate) a.duplicates++;
        break;
      case 'message.requeued': {
        const cause = (p as Signals['message.requeued']).cause;
        a.requeues.set(cause, (a.requeues.get(cause) ?? 0) + 1);
        break;
      }
      case 'message.processed':
        a.processed++;
        a.latency.record((p as Signals['message.processed']).latencyMs);
        break;
      case 'message.dead_lettered':
        a.deadLettered++;
        break;
      case 'message.dropped':
        a.dropped++;
        break;
      default:
        a.expired++;
    }
  }

  publishFailed(p: Signals['message.publish_failed']): void {
    this.sawSignal = true;
    if (p.at < this.warmupMs) return;
    const key = queueKey(p.broker, p.destination);
    let f = this.failures.get(key);
    if (f === undefined) {
      f = { broker: p.broker, destination: p.destination, failed: 0, reasons: new Map() };
      this.failures.set(key, f);
    }
    f.failed++;
    f.reasons.set(p.reason, (f.reasons.get(p.reason) ?? 0) + 1);
  }

  /** A gauges sample (after the time series has seen it): the broker's view, and series points. */
  sampled(at: number, queues: readonly QueueGauges[] | undefined, points: readonly SeriesPoint[]): void {
    for (const g of queues ?? []) {
      const a = this.acc(g.broker, g.queue);
      const l = a.ledger;
      a.gauge = {
        at,
        ready: g.ready,
        inFlight: g.inFlight,
        own: {
          published: l.published,
          processed: l.processed,
          waiting: l.waiting,
          inFlight: l.inFlight,
          deadLettered: l.deadLettered,
          dropped: l.dropped,
          expired: l.expired,
        },
      };
    }
    this.series.sync(at, points, false);
  }

  /** The run ended (after the time series closed its last point). */
  finish(at: number, points: readonly SeriesPoint[]): void {
    this.series.sync(at, points, true);
  }

  /** The section, or undefined when the run had no broker. */
  results(endMs: number): MessagingResults | undefined {
    if (!this.present) return undefined;
    const measuredMs = Math.max(0, endMs - this.warmupMs);
    const perSec = measuredMs > 0 && Number.isFinite(1000 / measuredMs) ? 1000 / measuredMs : 0;
    const queues: Record<string, QueueResults> = {};
    let conserved = true;
    for (const a of this.accs.values()) {
      const l = a.ledger;
      const c = conservation(l, a.gauge);
      conserved &&= c.conserved;
      const endAge = l.oldestAgeMs(endMs);
      const requeues: Partial<Record<RequeueCause, number>> = {};
      for (const cause of REQUEUE_CAUSES) {
        const n = a.requeues.get(cause);
        if (n !== undefined) requeues[cause] = n;
      }
      const lat = a.latency;
      queues[`${l.broker}/${l.queue}`] = {
        broker: l.broker,
        queue: l.queue,
        published: a.published,
        processed: a.processed,
        deadLettered: a.deadLettered,
        dropped: a.dropped,
        expired: a.expired,
        deliveries: a.deliveries,
        redeliveries: a.redeliveries,
        duplicates: a.duplicates,
        requeues,
        publishedPerSec: a.published * perSec,
        processedPerSec: a.processed * perSec,
        waiting: l.waiting,
        inFlight: l.inFlight,
        backlog: { start: a.backlogStart, max: Math.max(a.backlogStart, a.backlogMax), end: l.backlog },
        oldestAgeMs: { max: endMs >= this.warmupMs ? Math.max(a.oldestMaxMs, endAge) : 0, end: endAge },
        latencyMs: {
          mean: lat.mean(),
          p50: lat.percentile(50),
          p95: lat.percentile(95),
          p99: lat.percentile(99),
          max: lat.count === 0 ? null : lat.maxMs,
        },
        conservation: c,
      };
    }
    const publishFailures: Record<string, PublishFailureResults> = {};
    for (const f of this.failures.values()) {
      const reasons: Partial<Record<PublishFailure, number>> = {};
      for (const r of PUBLISH_FAILURES) {
        const n = f.reasons.get(r);
        if (n !== undefined) reasons[r] = n;
      }
      // A reason outside the catalogue (a model bug) still shows, after the others.
      for (const [r, n] of f.reasons) if (reasons[r] === undefined) reasons[r] = n;
      publishFailures[`${f.broker}/${f.destination}`] = {
        broker: f.broker,
        destination: f.destination,
        failed: f.failed,
        reasons,
      };
    }
    return {
      conserved,
      queues,
      publishFailures,
      timeSeries: { intervalMs: this.series.intervalMs, points: this.series.points.slice() },
    };
  }
}
