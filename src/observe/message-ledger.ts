/**
 * The message ledger: where every message copy of every broker queue is, rebuilt exactly from the
 * `message.*` signals. A copy is identified by (broker, queue, id); its lifecycle is
 * published → (delivered → [received] → requeued)* → one terminal (processed | dead_lettered |
 * dropped | expired). `delivered` moves it from waiting to in flight, `requeued` back; processed
 * and dead-lettered copies leave from in flight, dropped and expired ones from waiting.
 *
 * Each queue keeps its live copies (waiting or in flight) with their store times, and a min-heap
 * of the waiting ones by store time for the age of the oldest waiting copy. A FIFO head is not
 * enough: a requeued copy goes back to the *front* with its original store time, so two requeues
 * in a row can put a younger copy before an older one. Memory grows with the live copies (the
 * backlog), never with the run's length. A signal that breaks the lifecycle (a copy delivered
 * that was never stored, processed twice, dropped while in flight, …) is an *anomaly*: it is
 * counted and described, never silently absorbed, and it makes the queue's conservation fail.
 */
import type { Signals } from '../signals.ts';

const WAITING = 0;
const IN_FLIGHT = 1;

interface Live {
  readonly storedAt: number;
  state: typeof WAITING | typeof IN_FLIGHT;
  /** Tag of the heap entry that is current while the copy waits (older entries are stale). */
  tag: number;
}

interface HeapEntry {
  readonly storedAt: number;
  readonly tag: number;
  readonly id: number;
}

/** Described anomalies kept per queue (the rest are counted). */
export const MAX_ANOMALY_NOTES = 5;

/** How a copy leaves its queue for good. */
export type Terminal = 'processed' | 'dead_lettered' | 'dropped' | 'expired';

/** One queue's live copies and its counts since t = 0 (warm-up included). */
export class QueueLedger {
  published = 0;
  processed = 0;
  deadLettered = 0;
  dropped = 0;
  expired = 0;
  /** Copies waiting for delivery now. */
  waiting = 0;
  /** Copies delivered and not yet acknowledged now. */
  inFlight = 0;
  /** Signals that broke the lifecycle, and the first few of them in words. */
  anomalies = 0;
  readonly anomalyNotes: string[] = [];
  private readonly live = new Map<number, Live>();
  private readonly heap: HeapEntry[] = [];
  private nextTag = 0;

  constructor(
    readonly broker: string,
    readonly queue: string,
  ) {}

  /** Copies not yet processed: waiting + in flight. */
  get backlog(): number {
    return this.waiting + this.inFlight;
  }

  /** Store time of the oldest waiting copy, or undefined when none waits. */
  oldestStoredAt(): number | undefined {
    const heap = this.heap;
    while (heap.length > 0) {
      const top = heap[0]!;
      const m = this.live.get(top.id);
      if (m !== undefined && m.state === WAITING && m.tag === top.tag) return top.storedAt;
      this.pop();
    }
    return undefined;
  }

  /** Age at `at` of the oldest waiting copy; 0 when none waits. */
  oldestAgeMs(at: number): number {
    const stored = this.oldestStoredAt();
    return stored === undefined ? 0 : Math.max(0, at - stored);
  }

  store(id: number, at: number): void {
    this.published++;
    if (this.live.has(id)) {
      this.anomaly(at, `message ${id} was stored again while still in the queue`);
      return;
    }
    const m: Live = { storedAt: at, state: WAITING, tag: 0 };
    this.live.set(id, m);
    this.startWaiting(id, m);
  }

  deliver(id: number, at: number): void {
    const m = this.live.get(id);
    if (m === undefined) {
      this.anomaly(at, `message ${id} was delivered but is not in the queue (never stored, or gone)`);
    } else if (m.state === IN_FLIGHT) {
      this.anomaly(at, `message ${id} was delivered while already in flight`);
    } else {
      m.state = IN_FLIGHT;
      this.waiting--;
      this.inFlight++;
    }
  }

  requeue(id: number, at: number): void {
    const m = this.live.get(id);
    if (m === undefined) {
      this.anomaly(at, `message ${id} was requeued but is not in the queue (never stored, or gone)`);
    } else if (m.state === WAITING) {
      this.anomaly(at, `message ${id} was requeued while waiting (only an in-flight message can be)`);
    } else {
      this.inFlight--;
      this.startWaiting(id, m);
    }
  }

  /** The copy leaves the queue for good; processed and dead-lettered ones must be in flight, dropped and expired ones waiting. */
  leave(id: number, how: Terminal, at: number): void {
    if (how === 'processed') this.processed++;
    else if (how === 'dead_lettered') this.deadLettered++;
    else if (how === 'dropped') this.dropped++;
    else this.expired++;
    const m = this.live.get(id);
    const word = how.replace('_', '-');
    if (m === undefined) {
      this.anomaly(at, `message ${id} was ${word} but is not in the queue (never stored, or gone already)`);
      return;
    }
    const fromFlight = how === 'processed' || how === 'dead_lettered';
    if (fromFlight !== (m.state === IN_FLIGHT)) {
      this.anomaly(
        at,
        `message ${id} was ${word} while ${m.state === WAITING ? 'waiting' : 'in flight'} ` +
          `(it leaves from ${fromFlight ? 'in flight' : 'waiting'})`,
      );
    }
    if (m.state === WAITING) this.waiting--;
    else this.inFlight--;
    this.live.delete(id);
  }

  private startWaiting(id: number, m: Live): void {
    m.state = WAITING;
    m.tag = ++this.nextTag;
    this.waiting++;
    // Stale entries (copies delivered or gone) are dropped lazily; rebuild when they dominate.
    if (this.heap.length > 2 * this.waiting + 64) this.rebuild();
    this.push({ storedAt: m.storedAt, tag: m.tag, id });
  }

  private anomaly(at: number, what: string): void {
    this.anomalies++;
    if (this.anomalyNotes.length < MAX_ANOMALY_NOTES) this.anomalyNotes.push(`${what} (at ${at} ms)`);
  }

  private rebuild(): void {
    const entries: HeapEntry[] = [];
    for (const [id, m] of this.live)
      if (m.state === WAITING) entries.push({ storedAt: m.storedAt, tag: m.tag, id });
    this.heap.length = 0;
    for (const e of entries) this.push(e);
  }

  private push(e: HeapEntry): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(e);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(e, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = e;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) break;
      const r = l + 1;
      const c = r < heap.length && before(heap[r]!, heap[l]!) ? r : l;
      if (!before(heap[c]!, last)) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = last;
  }
}

/** Heap order: older store time first, then the earlier tag (deterministic). */
function before(a: HeapEntry, b: HeapEntry): boolean {
  return a.storedAt < b.storedAt || (a.storedAt === b.storedAt && a.tag < b.tag);
}

/** The message signals that carry a queue (every one but `message.publish_failed`). */
export type QueueSignal =
  | 'message.published'
  | 'message.delivered'
  | 'message.received'
  | 'message.requeued'
  | 'message.processed'
  | 'message.dead_lettered'
  | 'message.dropped'
  | 'message.expired';

export const QUEUE_SIGNALS: readonly QueueSignal[] = [
  'message.published',
  'message.delivered',
  'message.received',
  'message.requeued',
  'message.processed',
  'message.dead_lettered',
  'message.dropped',
  'message.expired',
];

/** Map key of a queue. */
export function queueKey(broker: string, queue: string): string {
  return `${broker}\0${queue}`;
}

/** Every queue's ledger, in order of first sight (or of `register`). */
export class MessageLedger {
  readonly queues = new Map<string, QueueLedger>();
  /** Backlog of every queue together. */
  totalBacklog = 0;

  /** The last queue looked up (a run's signals come in runs of the same queue). */
  private last: QueueLedger | undefined;

  queue(broker: string, queue: string): QueueLedger {
    const last = this.last;
    if (last !== undefined && last.queue === queue && last.broker === broker) return last;
    const key = queueKey(broker, queue);
    let q = this.queues.get(key);
    if (q === undefined) {
      q = new QueueLedger(broker, queue);
      this.queues.set(key, q);
    }
    this.last = q;
    return q;
  }

  /** Store time of the oldest waiting copy of any queue, or undefined. */
  oldestStoredAt(): number | undefined {
    let oldest: number | undefined;
    for (const q of this.queues.values()) {
      const t = q.oldestStoredAt();
      if (t !== undefined && (oldest === undefined || t < oldest)) oldest = t;
    }
    return oldest;
  }

  /** Applies one signal to its queue's ledger; returns that ledger. */
  apply<K extends QueueSignal>(signal: K, p: Signals[K]): QueueLedger {
    const q = this.queue(p.broker, p.queue);
    const before = q.backlog;
    switch (signal) {
      case 'message.published':
        q.store(p.id, p.at);
        break;
      case 'message.delivered':
        q.deliver(p.id, p.at);
        break;
      case 'message.requeued':
        q.requeue(p.id, p.at);
        break;
      case 'message.processed':
        q.leave(p.id, 'processed', p.at);
        break;
      case 'message.dead_lettered':
        q.leave(p.id, 'dead_lettered', p.at);
        break;
      case 'message.dropped':
        q.leave(p.id, 'dropped', p.at);
        break;
      case 'message.expired':
        q.leave(p.id, 'expired', p.at);
        break;
      default:
        break; // received: no move
    }
    this.totalBacklog += q.backlog - before;
    return q;
  }
}
