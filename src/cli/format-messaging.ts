/**
 * The messaging part of `microsim run`'s summary: per broker queue, what was published and what
 * became of it (processed, waiting, in flight, dead-lettered, dropped, expired) with the
 * conservation check (✓, or ✗ with what does not add up), redeliveries, duplicates, the largest
 * backlog, the oldest waiting message, the delivery latency, the requeues by cause; then the
 * publishes the brokers did not store, by reason. Nothing at all for a run without brokers.
 */
import type { ResultsDocument } from '../observe/results.ts';
import type { Fmt, Paint } from './format-resilience.ts';

function byReason(counts: Readonly<Record<string, number | undefined>>, fmt: Fmt): string {
  return Object.entries(counts)
    .map(([reason, n]) => `${reason} ${fmt.count(n ?? 0)}`)
    .join(', ');
}

/** Lines for the messaging section (none when the run had no broker). */
export function formatMessaging(results: ResultsDocument, paint: Paint, fmt: Fmt): string[] {
  const m = results.messaging;
  if (m === undefined) return [];
  const out = ['', `${paint.bold('Messaging')} (events after the warm-up; waiting and in flight at the end)`];
  const queues = Object.entries(m.queues);
  if (queues.length === 0) out.push('  (no queue)');
  else {
    out.push(
      ...fmt.table(
        [
          'queue',
          'published',
          'processed',
          'waiting',
          'in flight',
          'dead-lettered',
          'dropped',
          'expired',
          'conserved',
        ],
        queues.map(([name, q]) => [
          name,
          fmt.count(q.published),
          fmt.count(q.processed),
          fmt.count(q.waiting),
          fmt.count(q.inFlight),
          fmt.count(q.deadLettered),
          fmt.count(q.dropped),
          fmt.count(q.expired),
          q.conservation.conserved ? '✓' : '✗',
        ]),
      ),
      '',
      ...fmt.table(
        ['queue', 'redelivered', 'duplicates', 'max backlog', 'max oldest age', 'latency p50', 'latency p99'],
        queues.map(([name, q]) => [
          name,
          fmt.count(q.redeliveries),
          fmt.count(q.duplicates),
          fmt.count(q.backlog.max),
          fmt.duration(q.oldestAgeMs.max),
          fmt.duration(q.latencyMs.p50),
          fmt.duration(q.latencyMs.p99),
        ]),
      ),
    );
    for (const [name, q] of queues) {
      if (Object.keys(q.requeues).length > 0) out.push(`  ${name} requeued: ${byReason(q.requeues, fmt)}`);
    }
    const broken = queues.filter(([, q]) => !q.conservation.conserved);
    out.push(
      broken.length === 0
        ? `  ${paint.green('✓')} every message is accounted for (since t = 0): published = processed + waiting + in flight + dead-lettered + dropped + expired`
        : paint.red(`  ✗ messages not accounted for in ${broken.length} of ${queues.length} queue(s):`),
    );
    for (const [name, q] of broken) {
      out.push(paint.red(`    ${name}: ${q.conservation.explanation ?? 'no explanation given'}`));
    }
  }
  const failures = Object.entries(m.publishFailures);
  if (failures.length > 0) {
    out.push(paint.red('  publishes not stored (after the warm-up):'));
    for (const [name, f] of failures) {
      out.push(paint.red(`    ${name}: ${fmt.count(f.failed)} (${byReason(f.reasons, fmt)})`));
    }
  }
  return out;
}
