/**
 * The simulation engine: one clock and one event queue. Everything that takes time is scheduled
 * here; nothing sleeps and nothing reads the wall clock.
 *
 * Boundary semantics:
 * - `step()` fires exactly one live event (the earliest) and advances `now` to its time.
 * - `runUntil(until)` fires every event with `at <= until` (inclusive, unlike SimPy's `run(until)`),
 *   including events scheduled at `<= until` by the events it fires, then sets `now = until`.
 * - `run()` fires events until the queue is empty or `stop()` is called.
 * An event scheduled in the past (delay < 0 or at < now) is an error, never silently reordered.
 */
import { EventQueue, type ScheduledEvent } from './event-queue.ts';

/** Handle of a scheduled event; pass it to `cancel`. */
export type EventHandle = ScheduledEvent;

/** The xstate-compatible clock (structurally `Clock` from xstate), driven by simulated time. */
export interface SimClock {
  setTimeout(fn: (...args: unknown[]) => void, timeout: number): EventHandle;
  clearTimeout(id: EventHandle): void;
}

/** Why a `runUntil`/`run` call returned. */
export type RunStop = 'until' | 'empty' | 'stopped' | 'budget';

export interface Engine {
  /** Current simulated time, in ms. */
  readonly now: number;
  /** Events fired so far. */
  readonly eventsFired: number;
  /** Live events waiting in the queue. */
  readonly pending: number;
  /** Schedules `fn(arg)` after `delayMs` (>= 0). Lower `priority` runs first at equal times. */
  schedule<A>(delayMs: number, fn: (arg: A) => void, arg: A, priority?: number): EventHandle;
  /** Schedules `fn(arg)` at absolute time `at` (>= now). */
  scheduleAt<A>(at: number, fn: (arg: A) => void, arg: A, priority?: number): EventHandle;
  /**
   * Like `schedule` at priority 0, but returns no handle: the event cannot be cancelled, and its
   * object is reused after it fires. For per-request events on the hot path.
   */
  post<A>(delayMs: number, fn: (arg: A) => void, arg: A): void;
  /** `post` at an absolute time (>= now). */
  postAt<A>(at: number, fn: (arg: A) => void, arg: A): void;
  /** Cancels a pending event; false if it already fired or was cancelled. */
  cancel(handle: EventHandle): boolean;
  /** Fires the next event; false when the queue is empty. */
  step(): boolean;
  /** Fires events with `at <= until`, at most `maxEvents` of them, then sets `now = until`
   * (unless stopped or out of budget, when `now` stays at the last fired event). */
  runUntil(until: number, maxEvents?: number): RunStop;
  /** Fires events until the queue is empty, `stop()` is called, or `maxEvents` have fired. */
  run(maxEvents?: number): RunStop;
  /** Makes the current `run`/`runUntil` return after the event being fired. */
  stop(): void;
  /** Clock adapter for xstate: `createActor(machine, { clock: engine.clock })`. */
  readonly clock: SimClock;
}

export function createEngine(): Engine {
  return new SimEngine();
}

/**
 * A class with plain fields, not a closure with getters: `now` is read a few times per request
 * and a field load is cheaper than a getter call wherever V8 does not inline it.
 */
class SimEngine implements Engine {
  now: number;
  eventsFired: number;
  readonly clock: SimClock;
  private readonly queue: EventQueue;
  private stopRequested: boolean;

  constructor() {
    this.now = 0;
    this.eventsFired = 0;
    this.stopRequested = false;
    const queue = new EventQueue();
    this.queue = queue;
    this.clock = {
      setTimeout: (fn, timeout) => {
        // As with a host timer, a negative delay means "now"; NaN is a bug and throws.
        if (typeof timeout !== 'number' || Number.isNaN(timeout)) {
          throw new RangeError(`timer delay must be a number of ms, got ${timeout}`);
        }
        return queue.push(this.now + Math.max(0, timeout), 0, callTimer, fn);
      },
      clearTimeout: (id) => {
        queue.cancel(id);
      },
    };
  }

  get pending(): number {
    return this.queue.size;
  }

  schedule<A>(delayMs: number, fn: (arg: A) => void, arg: A, priority = 0): EventHandle {
    if (!(delayMs >= 0)) throw new RangeError(`cannot schedule with a negative or NaN delay (${delayMs} ms)`);
    return this.queue.push(this.now + delayMs, priority, fn, arg);
  }

  scheduleAt<A>(at: number, fn: (arg: A) => void, arg: A, priority = 0): EventHandle {
    if (!(at >= this.now)) {
      throw new RangeError(`cannot schedule at ${at} ms: simulated time is already ${this.now} ms`);
    }
    return this.queue.push(at, priority, fn, arg);
  }

  post<A>(delayMs: number, fn: (arg: A) => void, arg: A): void {
    if (!(delayMs >= 0)) throw new RangeError(`cannot schedule with a negative or NaN delay (${delayMs} ms)`);
    this.queue.post(this.now + delayMs, fn, arg);
  }

  postAt<A>(at: number, fn: (arg: A) => void, arg: A): void {
    if (!(at >= this.now)) {
      throw new RangeError(`cannot schedule at ${at} ms: simulated time is already ${this.now} ms`);
    }
    this.queue.post(at, fn, arg);
  }

  cancel(handle: EventHandle): boolean {
    return this.queue.cancel(handle);
  }

  step(): boolean {
    const next = this.queue.pop();
    if (next === undefined) return false;
    this.fire(next);
    return true;
  }

  runUntil(until: number, maxEvents = Number.POSITIVE_INFINITY): RunStop {
    if (!(until >= this.now))
      throw new RangeError(`runUntil(${until}) is before the current time ${this.now} ms`);
    const why = this.loop(until, maxEvents);
    if (why === 'until' || why === 'empty') this.now = until;
    return why === 'empty' ? 'until' : why;
  }

  run(maxEvents = Number.POSITIVE_INFINITY): RunStop {
    return this.loop(Number.POSITIVE_INFINITY, maxEvents);
  }

  stop(): void {
    this.stopRequested = true;
  }

  private fire(ev: ScheduledEvent): void {
    this.now = ev.at;
    this.eventsFired++;
    ev.fn(ev.arg);
    if (ev.pooled) this.queue.recycle(ev);
  }

  private loop(until: number, maxEvents: number): RunStop {
    const queue = this.queue;
    this.stopRequested = false;
    let budget = maxEvents;
    for (;;) {
      if (this.stopRequested) return 'stopped';
      if (budget <= 0) {
        // Out of budget only if something is still due: a run that fits exactly has ended.
        const due = queue.peek();
        if (due === undefined) return 'empty';
        return due.at > until ? 'until' : 'budget';
      }
      const next = queue.popDue(until);
      if (next === undefined) return queue.size === 0 ? 'empty' : 'until';
      this.fire(next);
      budget--;
    }
  }
}

function callTimer(fn: unknown): void {
  (fn as () => void)();
}
