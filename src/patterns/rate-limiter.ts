/**
 * A token-bucket rate limiter. The bucket holds at most `burst` tokens and starts full at
 * `startMs`; each call takes one token; tokens come back at `ratePerSec` either
 * - `continuous`ly: ratePerSec/1000 tokens per ms of simulated time, as Envoy's local rate limit
 *   does since 1.32 (a timer-free token bucket refilled on access), or
 * - in steps, `{ intervalMs }`: ratePerSec × intervalMs / 1000 tokens at each startMs + k·intervalMs
 *   (k ≥ 1), as Envoy's older timer-based bucket added `tokens_per_fill` every `fill_interval`,
 *   and as Resilience4j's `AtomicRateLimiter` restores `limitForPeriod` permits per
 *   `limitRefreshPeriod` (that is this bucket with burst = limitForPeriod).
 * Refills never raise the bucket above `burst`.
 *
 * Modes:
 * - `reject` (Envoy local rate limit): a call finding no whole token is refused at once (HTTP 429);
 *   `maxWaitMs` is ignored.
 * - `wait` (Resilience4j `reservePermission`): a call finding no token reserves the next one not
 *   yet promised, so the bucket goes into debt and later callers queue behind earlier ones; the
 *   call is admitted with that wait when wait ≤ maxWaitMs (Resilience4j: `timeout >= nanosToWait`,
 *   equality admitted), otherwise refused without reserving anything.
 *
 * Token amounts are kept in thousandths of a token, so integer rates at integer ms are exact.
 */

export interface RateLimiterSpec {
  /** Sustained rate, permits per second. */
  readonly ratePerSec: number;
  /** Bucket capacity: the most permits available at one instant (≥ 1). */
  readonly burst: number;
  readonly mode: 'reject' | 'wait';
  /** Longest wait a call accepts in `wait` mode (Resilience4j's default `timeoutDuration` is 5 s). */
  readonly maxWaitMs: number;
  readonly refill: 'continuous' | { readonly intervalMs: number };
}

/** Thousandths of a token per token. */
const UNIT = 1000;

export class RateLimiter {
  readonly spec: RateLimiterSpec;
  /** Available tokens × 1000; negative when `wait` mode has promised future tokens. */
  private units: number;
  private readonly capacity: number;
  /** Continuous: time of the last refill. Interval: index k of the last fill applied. */
  private last: number;
  private lastNow: number;
  private readonly startMs: number;
  private rejectedCount = 0;
  private permittedCount = 0;
  private why = 'no call rejected yet';

  constructor(spec: RateLimiterSpec, startMs = 0) {
    if (!(spec.ratePerSec >= 0) || !Number.isFinite(spec.ratePerSec)) {
      throw new RangeError(`rate limiter ratePerSec must be a finite number >= 0, got ${spec.ratePerSec}`);
    }
    if (!(spec.burst >= 1) || !Number.isFinite(spec.burst)) {
      throw new RangeError(`rate limiter burst must be a finite number >= 1, got ${spec.burst}`);
    }
    if (!(spec.maxWaitMs >= 0)) {
      throw new RangeError(`rate limiter maxWaitMs must be >= 0, got ${spec.maxWaitMs}`);
    }
    if (spec.refill !== 'continuous' && !(spec.refill.intervalMs > 0)) {
      throw new RangeError(`rate limiter refill intervalMs must be > 0, got ${spec.refill.intervalMs}`);
    }
    this.spec = spec;
    this.capacity = spec.burst * UNIT;
    this.units = this.capacity;
    this.startMs = startMs;
    this.last = spec.refill === 'continuous' ? startMs : 0;
    this.lastNow = startMs;
  }

  /** Calls refused so far. */
  get rejected(): number {
    return this.rejectedCount;
  }

  /** Calls admitted so far (at once or after a wait). */
  get permitted(): number {
    return this.permittedCount;
  }

  /**
   * At `now`: returns the wait in ms before the call may proceed (0 = at once), or -1 when it is
   * rejected. An admitted call's permit is reserved: the caller proceeds after the wait without
   * calling again. `now` must not go backwards.
   */
  acquire(now: number): number {
    this.refill(now);
    if (this.units >= UNIT) {
      this.units -= UNIT;
      this.permittedCount++;
      return 0;
    }
    const wait = this.waitForNextPermit(now);
    const maxWait = this.spec.mode === 'wait' ? this.spec.maxWaitMs : 0;
    if (wait <= maxWait) {
      this.units -= UNIT;
      this.permittedCount++;
      return wait;
    }
    this.rejectedCount++;
    this.why = `${this.describeLimit()} exhausted: next permit in ${fmtMs(wait)} ms > max wait ${fmtMs(maxWait)} ms`;
    return -1;
  }

  /** Plain why of the last rejection. */
  lastWhy(): string {
    return this.why;
  }

  private describeLimit(): string {
    const { ratePerSec, burst, refill } = this.spec;
    const step =
      refill === 'continuous'
        ? ''
        : `, +${fmtMs((ratePerSec * refill.intervalMs) / 1000)} every ${fmtMs(refill.intervalMs)} ms`;
    return `rate limit ${fmtMs(ratePerSec)}/s (burst ${fmtMs(burst)}${step})`;
  }

  private refill(now: number): void {
    if (now < this.lastNow) {
      throw new RangeError(`rate limiter: time went backwards (${now} ms after ${this.lastNow} ms)`);
    }
    this.lastNow = now;
    const { refill, ratePerSec } = this.spec;
    if (refill === 'continuous') {
      this.units = Math.min(this.capacity, this.units + (now - this.last) * ratePerSec);
      this.last = now;
      return;
    }
    const k = Math.floor((now - this.startMs) / refill.intervalMs);
    if (k > this.last) {
      this.units = Math.min(this.capacity, this.units + (k - this.last) * ratePerSec * refill.intervalMs);
      this.last = k;
    }
  }

  /** Ms from `now` until the bucket, after refills, holds a whole token beyond those promised. */
  private waitForNextPermit(now: number): number {
    const { refill, ratePerSec } = this.spec;
    const deficit = UNIT - this.units;
    if (ratePerSec === 0) return Number.POSITIVE_INFINITY;
    if (refill === 'continuous') return deficit / ratePerSec;
    const perFill = ratePerSec * refill.intervalMs;
    const fills = Math.ceil(deficit / perFill);
    const nextFill = this.startMs + (this.last + 1) * refill.intervalMs;
    return nextFill + (fills - 1) * refill.intervalMs - now;
  }
}

/** A number of ms (or a count) for messages: at most 3 decimals, no trailing zeros. */
function fmtMs(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toFixed(3))) : String(x);
}
