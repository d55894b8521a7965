/**
 * The messaging time series: one point per point of the results' `timeSeries`, at the same
 * times (it closes a point whenever the main series does), with every queue's backlog and oldest
 * waiting age at the point's time and at most during its interval, and its publish and consume
 * (processed) rates. Message events at the same instant as the last point but after it, and any
 * left when the run ends without a new point, are folded into the last point, so the sum over
 * points of `rate × interval` is every publish and every processing of the run.
 */
import type { MessageLedger, QueueLedger, QueueSignal } from './message-ledger.ts';
import type { SeriesPoint } from './results.ts';

/** Sample times within this many ms count as equal (float noise), as in `series.ts`. */
const EPS_MS = 1e-6;
const NO_QUEUES: Readonly<Record<string, QueuePoint>> = Object.freeze({});

export interface QueuePoint {
  /** Waiting + in flight at the point's time. */
  readonly backlog: number;
  /** Most waiting + in flight at any moment of the interval. */
  readonly backlogMax: number;
  /** Age of the oldest waiting message at the point's time (0 when none waits). */
  readonly oldestAgeMs: number;
  /** Its most during the interval. */
  readonly oldestAgeMaxMs: number;
  /** `message.published` in the interval per second. */
  readonly publishedPerSec: number;
  /** `message.processed` in the interval per second. */
  readonly processedPerSec: number;
}

export interface MessagingPoint {
  /** End of the interval: the `at` of the matching `timeSeries.points` entry. */
  readonly at: number;
  /** By `<broker>/<queue>`; a queue appears from the first interval in which it was known. */
  readonly queues: Readonly<Record<string, QueuePoint>>;
}

interface Interval {
  published: number;
  processed: number;
  backlogMax: number;
  oldestMaxMs: number;
}

export class MessagingSeries {
  readonly points: MessagingPoint[] = [];
  /** Queues with events in the open interval (others kept their level all along). */
  private readonly open = new Map<QueueLedger, Interval>();
  /** What the last point was made of, for folding stragglers into it. */
  private lastRaw = new Map<QueueLedger, Interval>();
  private lastAt = 0;
  private lastDtMs = 0;

  constructor(
    readonly intervalMs: number,
    private readonly ledger: MessageLedger,
  ) {}

  /** Before `q` changes: `ageMs` is its oldest waiting age just before the event. */
  before(q: QueueLedger, ageMs: number): void {
    let iv = this.open.get(q);
    if (iv === undefined) {
      // No event of this queue since the interval began: its backlog is the carried-in level.
      iv = { published: 0, processed: 0, backlogMax: q.backlog, oldestMaxMs: 0 };
      this.open.set(q, iv);
    }
    if (ageMs > iv.oldestMaxMs) iv.oldestMaxMs = ageMs;
  }

  /** After `q` changed by `signal`. */
  after(signal: QueueSignal, q: QueueLedger): void {
    const iv = this.open.get(q)!;
    if (signal === 'message.published') iv.published++;
    else if (signal === 'message.processed') iv.processed++;
    if (q.backlog > iv.backlogMax) iv.backlogMax = q.backlog;
  }

  /**
   * Called after the main series saw a sample (or finished, with `final`): closes a point for
   * each new point there, or folds same-instant stragglers (and, at the end, the rest) into the last.
   */
  sync(at: number, points: readonly SeriesPoint[], final: boolean): void {
    if (this.points.length < points.length) {
      while (this.points.length < points.length) this.close(points[this.points.length]!.at);
    } else if (this.points.length > 0 && this.open.size > 0 && (final || at <= this.lastAt + EPS_MS)) {
      this.fold();
    }
  }

  private close(at: number): void {
    const dtMs = at - this.lastAt;
    this.points.push(this.point(at, dtMs, undefined));
    this.lastAt = at;
    this.lastDtMs = dtMs;
  }

  private fold(): void {
    this.points[this.points.length - 1] = this.point(this.lastAt, this.lastDtMs, this.lastRaw);
  }

  /** The point at `at` of an interval of `dtMs`, adding the open interval to `base` (the last point's sums). */
  private point(at: number, dtMs: number, base: Map<QueueLedger, Interval> | undefined): MessagingPoint {
    // No queue known yet (a run without brokers samples this every interval): an empty point,
    // without building the record and the map below.
    if (this.ledger.queues.size === 0) return { at, queues: NO_QUEUES };
    const perSec = dtMs > 0 ? 1000 / dtMs : 0;
    const queues: Record<string, QueuePoint> = {};
    const raw = new Map<QueueLedger, Interval>();
    for (const q of this.ledger.queues.values()) {
      const b = base?.get(q);
      const iv = this.open.get(q);
      const backlog = q.backlog;
      const ageMs = q.oldestAgeMs(at);
      const sums: Interval = {
        published: (b?.published ?? 0) + (iv?.published ?? 0),
        processed: (b?.processed ?? 0) + (iv?.processed ?? 0),
        backlogMax: Math.max(b?.backlogMax ?? 0, iv?.backlogMax ?? 0, backlog),
        oldestMaxMs: Math.max(b?.oldestMaxMs ?? 0, iv?.oldestMaxMs ?? 0, ageMs),
      };
      raw.set(q, sums);
      queues[`${q.broker}/${q.queue}`] = {
        backlog,
        backlogMax: sums.backlogMax,
        oldestAgeMs: ageMs,
        oldestAgeMaxMs: sums.oldestMaxMs,
        publishedPerSec: sums.published * perSec,
        processedPerSec: sums.processed * perSec,
      };
    }
    this.open.clear();
    this.lastRaw = raw;
    return { at, queues };
  }
}
