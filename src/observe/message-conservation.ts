/**
 * Conservation of messages per queue, since t = 0:
 *
 *     published = processed + waiting + in flight + dead-lettered + dropped + expired
 *
 * checked three ways at the end: with the ledger's counts (every signal it saw), by the
 * lifecycle (no signal out of order: see `message-ledger.ts`), and against the broker's own view
 * (its last `gauges.sampled` reading of the queue, compared with what the signals said at that
 * same moment). Any disagreement makes `conserved` false and is spelled out in `explanation`.
 */
import { MAX_ANOMALY_NOTES, type QueueLedger } from './message-ledger.ts';

/** Counts since t = 0 at one moment. */
export interface MessageCounts {
  readonly published: number;
  readonly processed: number;
  readonly waiting: number;
  readonly inFlight: number;
  readonly deadLettered: number;
  readonly dropped: number;
  readonly expired: number;
}

/** The broker's gauges of a queue at a sample, and the signals' counts at that moment. */
export interface GaugeReading {
  readonly at: number;
  readonly ready: number;
  readonly inFlight: number;
  readonly own: MessageCounts;
}

export interface Conservation extends MessageCounts {
  /** The law holds with the signals' counts, no signal broke the lifecycle, and the broker agrees. */
  readonly conserved: boolean;
  /** Signals that broke a message's lifecycle (a delivery of a message not in the queue, …). */
  readonly anomalies: number;
  /** The broker's last gauges of the queue (`ready` = waiting), or null when it never reported it. */
  readonly broker: { readonly at: number; readonly ready: number; readonly inFlight: number } | null;
  /** What does not add up, in words; only when not conserved. */
  readonly explanation?: string;
}

function sumRight(c: Omit<MessageCounts, 'published'>): number {
  return c.processed + c.waiting + c.inFlight + c.deadLettered + c.dropped + c.expired;
}

/** `processed 7 + waiting 1 + … = 9`. */
function terms(c: Omit<MessageCounts, 'published'>): string {
  return (
    `processed ${c.processed} + waiting ${c.waiting} + in flight ${c.inFlight} + ` +
    `dead-lettered ${c.deadLettered} + dropped ${c.dropped} + expired ${c.expired} = ${sumRight(c)}`
  );
}

export function conservation(l: QueueLedger, gauge: GaugeReading | undefined): Conservation {
  const counts: MessageCounts = {
    published: l.published,
    processed: l.processed,
    waiting: l.waiting,
    inFlight: l.inFlight,
    deadLettered: l.deadLettered,
    dropped: l.dropped,
    expired: l.expired,
  };
  const problems: string[] = [];
  if (counts.published !== sumRight(counts)) {
    problems.push(`the signals do not add up: published ${counts.published} ≠ ${terms(counts)}`);
  }
  if (l.anomalies > 0) {
    const more = l.anomalies > MAX_ANOMALY_NOTES ? `; … ${l.anomalies - MAX_ANOMALY_NOTES} more` : '';
    problems.push(
      `${l.anomalies} signal${l.anomalies === 1 ? '' : 's'} out of a message's lifecycle: ` +
        `${l.anomalyNotes.join('; ')}${more}`,
    );
  }
  if (gauge !== undefined) {
    const own = gauge.own;
    const byBroker = { ...own, waiting: gauge.ready, inFlight: gauge.inFlight };
    if (own.published !== sumRight(byBroker)) {
      problems.push(
        `by the broker's gauges at ${gauge.at} ms: published ${own.published} ≠ ${terms(byBroker)} ` +
          `(the broker reports ${gauge.ready} waiting and ${gauge.inFlight} in flight; ` +
          `the signals account for ${own.waiting} waiting and ${own.inFlight} in flight)`,
      );
    } else if (gauge.ready !== own.waiting || gauge.inFlight !== own.inFlight) {
      problems.push(
        `the broker's gauges at ${gauge.at} ms report ${gauge.ready} waiting and ${gauge.inFlight} in flight; ` +
          `the signals account for ${own.waiting} waiting and ${own.inFlight} in flight`,
      );
    }
  }
  return {
    conserved: problems.length === 0,
    ...counts,
    anomalies: l.anomalies,
    broker: gauge === undefined ? null : { at: gauge.at, ready: gauge.ready, inFlight: gauge.inFlight },
    ...(problems.length === 0 ? {} : { explanation: problems.join('; ') }),
  };
}
