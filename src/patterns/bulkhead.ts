/**
 * Resilience4j's semaphore bulkhead (`SemaphoreBulkhead`): at most `maxConcurrent` calls hold a
 * slot at once; a call that finds none free waits up to `maxWaitMs` for one, or is rejected at
 * once when `maxWaitMs` is 0. Defaults are Resilience4j's `BulkheadConfig`: 25 concurrent calls,
 * wait 0 (reject at once).
 *
 * Engine-free: the caller schedules each waiter's timeout and cancels it when `release` hands the
 * waiter a slot. Waiters are served strictly first come, first served (FIFO). Resilience4j's
 * `fairCallHandling` (default true in current versions; older versions had no such option) builds
 * a fair `java.util.concurrent.Semaphore`, which is FIFO too; with fairness off, a thread arriving
 * as a slot frees may overtake the waiters. A slot freed while someone waits passes straight to
 * the oldest waiter at the same instant, so a free slot never coexists with a waiter and a new
 * caller never overtakes one.
 *
 * Counters: `rejected` counts every call refused, at once or after its wait ran out (Resilience4j
 * throws `BulkheadFullException` in both cases); `timedOut` counts only the latter.
 */

/** Resilience4j's `BulkheadConfig` defaults. */
export const BULKHEAD_DEFAULTS = { maxConcurrent: 25, maxWaitMs: 0 } as const;

export type BulkheadDecision = 'acquired' | 'wait' | 'rejected';

export class Bulkhead<T> {
  private held = 0;
  /** Waiting tokens in arrival order (a Map keeps insertion order and deletes in O(1)). */
  private readonly waiters = new Map<T, true>();
  private rejectedCount = 0;
  private timedOutCount = 0;

  constructor(
    readonly maxConcurrent: number = BULKHEAD_DEFAULTS.maxConcurrent,
    readonly maxWaitMs: number = BULKHEAD_DEFAULTS.maxWaitMs,
  ) {
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 0) {
      throw new RangeError(`bulkhead maxConcurrent must be an integer >= 0, got ${maxConcurrent}`);
    }
    if (!(maxWaitMs >= 0)) throw new RangeError(`bulkhead maxWaitMs must be >= 0, got ${maxWaitMs}`);
  }

  /** Calls holding a slot. */
  get active(): number {
    return this.held;
  }

  /** Calls waiting for a slot. */
  get waiting(): number {
    return this.waiters.size;
  }

  /** Calls refused, at once or after waiting `maxWaitMs`. */
  get rejected(): number {
    return this.rejectedCount;
  }

  /** Calls refused because their wait ran out (included in `rejected`). */
  get timedOut(): number {
    return this.timedOutCount;
  }

  /**
   * `acquired`: the call holds a slot now (active < maxConcurrent before the call).
   * `wait`: all slots are held and maxWaitMs > 0; the caller must call `wait(token)` and schedule
   * a timeout of maxWaitMs that calls `cancelWait(token)`.
   * `rejected`: all slots are held and maxWaitMs is 0.
   */
  tryAcquire(): BulkheadDecision {
    if (this.held < this.maxConcurrent) {
      this.held++;
      return 'acquired';
    }
    if (this.maxWaitMs > 0) return 'wait';
    this.rejectedCount++;
    return 'rejected';
  }

  /** Queues `token` (after a `wait` decision) behind the earlier waiters. */
  wait(token: T): void {
    if (this.waiters.has(token)) throw new Error('bulkhead: this token is already waiting');
    this.waiters.set(token, true);
  }

  /**
   * Removes a waiter whose wait timed out and counts it as rejected; false (nothing counted) if it
   * was not waiting, e.g. because `release` already granted it a slot.
   */
  cancelWait(token: T): boolean {
    if (!this.waiters.delete(token)) return false;
    this.rejectedCount++;
    this.timedOutCount++;
    return true;
  }

  /**
   * Frees one slot. If someone waits, the slot passes to the oldest waiter, which is returned and
   * now holds it (the caller cancels its timeout); otherwise returns undefined.
   */
  release(): T | undefined {
    if (this.held === 0) throw new Error('bulkhead: release() without a held slot');
    const oldest = this.waiters.keys().next();
    if (!oldest.done) {
      this.waiters.delete(oldest.value);
      return oldest.value;
    }
    this.held--;
    return undefined;
  }
}
