/**
 * A binary min-heap of scheduled events, ordered by (time, priority, insertion sequence).
 *
 * Equal (time, priority) events pop in the order they were pushed, so every run is reproducible.
 * Cancellation is lazy: a cancelled event stays in the heap, flagged, and is discarded when it
 * reaches the top; `size` counts only live events.
 */

/** Priorities are integers in [MIN_PRIORITY, MAX_PRIORITY]. */
export const MIN_PRIORITY = -1024;
export const MAX_PRIORITY = 1023;
/** 2^42: room for 4.4 trillion insertions per queue below each priority step. */
const SEQ_SPAN = 4_398_046_511_104;

/**
 * A scheduled event. Returned by `push` and used as the handle to cancel it. Fields are
 * mutable only so that fire-and-forget events (`post`) can be recycled; never change them.
 */
export class ScheduledEvent {
  /** Set by `cancel`; the event is then skipped. */
  cancelled: boolean;
  /** (priority, seq) folded into one exactly representable number, so a comparison is two. */
  tie: number;
  /** Posted without a handle: recycled after it fires. */
  pooled: boolean;

  constructor(
    /** Simulated time (ms) at which the event fires. */
    public at: number,
    /** Lower runs first among events at the same time. */
    public priority: number,
    /** Insertion sequence (-1 once fired or discarded); breaks remaining ties first-scheduled-first. */
    public seq: number,
    /** Called when the event fires, with `arg`. */
    public fn: (arg: unknown) => void,
    public arg: unknown,
  ) {
    this.cancelled = false;
    this.pooled = false;
    this.tie = tieOf(priority, seq);
  }
}

/** Recycled events kept for reuse at most (enough for the events alive at once in big runs). */
const POOL_LIMIT = 65_536;

function tieOf(priority: number, seq: number): number {
  return (priority - MIN_PRIORITY) * SEQ_SPAN + seq;
}

function before(a: ScheduledEvent, b: ScheduledEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.tie < b.tie);
}

export class EventQueue {
  private heap: ScheduledEvent[] = [];
  private nextSeq = 0;
  private live = 0;

  /** Number of live (not cancelled) events. */
  get size(): number {
    return this.live;
  }

  /** Adds an event; `priority` must be an integer in [MIN_PRIORITY, MAX_PRIORITY]. */
  push<A>(at: number, priority: number, fn: (arg: A) => void, arg: A): ScheduledEvent {
    if (!(priority >= MIN_PRIORITY && priority <= MAX_PRIORITY && Number.isInteger(priority))) {
      throw new RangeError(
        `event priority must be an integer in [${MIN_PRIORITY}, ${MAX_PRIORITY}], got ${priority}`,
      );
    }
    const ev = new ScheduledEvent(at, priority, this.nextSeq++, fn as (arg: unknown) => void, arg);
    this.insert(ev);
    return ev;
  }

  /**
   * Adds a fire-and-forget event at priority 0 and returns no handle, so it cannot be cancelled;
   * its object is reused once it has fired (see `recycle`). For the per-request hot path.
   */
  post<A>(at: number, fn: (arg: A) => void, arg: A): void {
    const seq = this.nextSeq++;
    let ev = this.pool.pop();
    if (ev === undefined) {
      ev = new ScheduledEvent(at, 0, seq, fn as (arg: unknown) => void, arg);
    } else {
      ev.at = at;
      ev.priority = 0;
      ev.seq = seq;
      ev.tie = tieOf(0, seq);
      ev.fn = fn as (arg: unknown) => void;
      ev.arg = arg;
      ev.cancelled = false;
    }
    ev.pooled = true;
    this.insert(ev);
  }

  /** Takes back a posted event that has fired. */
  recycle(ev: ScheduledEvent): void {
    if (!ev.pooled || this.pool.length >= POOL_LIMIT) return;
    ev.arg = undefined;
    this.pool.push(ev);
  }

  private readonly pool: ScheduledEvent[] = [];

  private insert(ev: ScheduledEvent): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(ev);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!before(ev, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = ev;
    this.live++;
  }

  /** Cancels a pending event. Returns false when it had already fired or been cancelled. */
  cancel(ev: ScheduledEvent): boolean {
    if (ev.cancelled || !this.contains(ev)) return false;
    ev.cancelled = true;
    this.live--;
    return true;
  }

  /** The next live event without removing it, or undefined when empty. */
  peek(): ScheduledEvent | undefined {
    this.dropCancelled();
    return this.heap[0];
  }

  /** Removes and returns the next live event, or undefined when empty. */
  pop(): ScheduledEvent | undefined {
    return this.popDue(Number.POSITIVE_INFINITY);
  }

  /** Removes and returns the next live event if it is due at or before `until`, else undefined. */
  popDue(until: number): ScheduledEvent | undefined {
    this.dropCancelled();
    const top = this.heap[0];
    if (top === undefined || top.at > until) return undefined;
    this.removeTop();
    this.live--;
    top.seq = -1; // marks it as fired
    return top;
  }

  private contains(ev: ScheduledEvent): boolean {
    return ev.seq >= 0;
  }

  private dropCancelled(): void {
    const heap = this.heap;
    while (heap.length > 0 && heap[0]!.cancelled) {
      const dead = heap[0]!;
      this.removeTop();
      dead.seq = -1;
    }
  }

  private removeTop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    const n = heap.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && before(heap[r]!, heap[l]!)) c = r;
      if (!before(heap[c]!, last)) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = last;
  }
}
