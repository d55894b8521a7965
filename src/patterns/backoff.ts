/**
 * Delays between retries. Pure: `delay(retry, previousMs)` returns milliseconds of simulated time
 * and schedules nothing. The jitter kinds and `exponential` with randomization > 0 draw exactly one
 * uniform from the given stream per call; `none`, `fixed` and unrandomized `exponential` draw none.
 *
 * Numbering: `retry` is the retry number, 1-based — retry 1 follows the first failed call,
 * retry 2 the second failure, and so on. Resilience4j's `IntervalFunction` takes the same number
 * ("attempt starts at 1"), and so does the AWS backoff simulator (`aws-samples/
 * aws-arch-backoff-simulator`, which increments `attempt` before calling `backoff(attempt)`).
 * The AWS formulas therefore use 2^retry: with base 5 ms and cap 2 s (the simulator's own
 * values), retry 3 has ceiling 5·2³ = 40 ms and full jitter averages 20 ms.
 *
 * - `none`: 0 (retry at once).
 * - `fixed`: `delayMs` every time (Resilience4j's default wait is a fixed 500 ms).
 * - `exponential` (Resilience4j `IntervalFunction.ofExponentialRandomBackoff`):
 *   i = initialMs · multiplier^(retry−1), then uniform in [i(1−f), i(1+f)) with f = `randomization`,
 *   then capped at `maxMs` (the cap is applied after randomizing, so once i(1−f) ≥ maxMs every
 *   delay equals maxMs). f = 0 means no randomization. Unlike Resilience4j, which truncates to
 *   whole ms at every step (500, 750, 1125, 1687, ...), the product is kept exact (… 1687.5).
 * - `full-jitter` (AWS): uniform[0, min(capMs, baseMs·2^retry)).
 * - `equal-jitter` (AWS): v = min(capMs, baseMs·2^retry); v/2 + uniform[0, v/2).
 * - `decorrelated-jitter` (AWS): min(capMs, uniform[baseMs, 3·prev)), where prev is the previous
 *   delay and starts at baseMs; a `previousMs` below baseMs (0 before the first retry) counts as
 *   baseMs. The delay depends on the path taken, so it has no closed-form mean per retry.
 */
import type { RandomStream } from '../engine/random.ts';

export type BackoffSpec =
  | { readonly kind: 'none' }
  | { readonly kind: 'fixed'; readonly delayMs: number }
  | {
      readonly kind: 'exponential';
      readonly initialMs: number;
      readonly multiplier: number;
      readonly maxMs: number;
      /** Resilience4j's randomization factor f in [0, 1]; 0 = no randomization. */
      readonly randomization: number;
    }
  | { readonly kind: 'full-jitter'; readonly baseMs: number; readonly capMs: number }
  | { readonly kind: 'equal-jitter'; readonly baseMs: number; readonly capMs: number }
  | { readonly kind: 'decorrelated-jitter'; readonly baseMs: number; readonly capMs: number };

export interface Backoff {
  /**
   * Delay before retry number `retry` (1 = first retry). `previousMs` is the last delay
   * (decorrelated jitter needs it; pass 0 or baseMs before the first retry; others ignore it).
   */
  delay(retry: number, previousMs: number): number;
}

/**
 * Resilience4j's `IntervalFunction.ofExponentialRandomBackoff()` defaults: initial 500 ms,
 * multiplier 1.5, randomization factor 0.5, no cap.
 */
export const R4J_EXPONENTIAL_BACKOFF: BackoffSpec = {
  kind: 'exponential',
  initialMs: 500,
  multiplier: 1.5,
  maxMs: Number.POSITIVE_INFINITY,
  randomization: 0.5,
};

/** Returns the backoff described by `spec`; randomized kinds draw from `rng`. */
export function createBackoff(spec: BackoffSpec, rng: RandomStream): Backoff {
  checkSpec(spec);
  switch (spec.kind) {
    case 'none':
      return {
        delay(retry) {
          checkRetry(retry);
          return 0;
        },
      };
    case 'fixed': {
      const d = spec.delayMs;
      return {
        delay(retry) {
          checkRetry(retry);
          return d;
        },
      };
    }
    case 'exponential': {
      const { initialMs, multiplier, maxMs, randomization: f } = spec;
      return {
        delay(retry) {
          checkRetry(retry);
          const i = initialMs * multiplier ** (retry - 1);
          const randomized = f === 0 ? i : i * (1 - f) + 2 * f * i * rng();
          return Math.min(randomized, maxMs);
        },
      };
    }
    case 'full-jitter': {
      const { baseMs, capMs } = spec;
      return {
        delay(retry) {
          checkRetry(retry);
          return awsCeiling(baseMs, capMs, retry) * rng();
        },
      };
    }
    case 'equal-jitter': {
      const { baseMs, capMs } = spec;
      return {
        delay(retry) {
          checkRetry(retry);
          const half = awsCeiling(baseMs, capMs, retry) / 2;
          return half + half * rng();
        },
      };
    }
    case 'decorrelated-jitter': {
      const { baseMs, capMs } = spec;
      return {
        delay(retry, previousMs) {
          checkRetry(retry);
          const prev = Math.max(previousMs, baseMs);
          return Math.min(capMs, baseMs + (3 * prev - baseMs) * rng());
        },
      };
    }
  }
}

/**
 * The exact mean delay before retry number `retry`, or undefined where it depends on the path
 * (decorrelated jitter). For `exponential` with a cap inside the randomization range it is the
 * mean of a uniform capped from above: ((c² − a²)/2 + c(b − c)) / (b − a).
 */
export function backoffMean(spec: BackoffSpec, retry: number): number | undefined {
  checkSpec(spec);
  checkRetry(retry);
  switch (spec.kind) {
    case 'none':
      return 0;
    case 'fixed':
      return spec.delayMs;
    case 'exponential': {
      const i = spec.initialMs * spec.multiplier ** (retry - 1);
      const c = spec.maxMs;
      const a = i * (1 - spec.randomization);
      const b = i * (1 + spec.randomization);
      if (c >= b) return i;
      if (c <= a) return c;
      return ((c * c - a * a) / 2 + c * (b - c)) / (b - a);
    }
    case 'full-jitter':
      return awsCeiling(spec.baseMs, spec.capMs, retry) / 2;
    case 'equal-jitter':
      return (3 * awsCeiling(spec.baseMs, spec.capMs, retry)) / 4;
    case 'decorrelated-jitter':
      return undefined;
  }
}

/** AWS's exponential ceiling min(cap, base·2^n) with n = the retry number. */
function awsCeiling(baseMs: number, capMs: number, retry: number): number {
  return Math.min(capMs, baseMs * 2 ** retry);
}

function checkRetry(retry: number): void {
  if (!Number.isInteger(retry) || retry < 1) {
    throw new RangeError(`retry number must be an integer >= 1 (1 = first retry), got ${retry}`);
  }
}

function nonNegative(name: string, v: number): void {
  if (!(v >= 0)) throw new RangeError(`backoff ${name} must be a number >= 0, got ${v}`);
}

function checkSpec(spec: BackoffSpec): void {
  switch (spec.kind) {
    case 'none':
      return;
    case 'fixed':
      nonNegative('delayMs', spec.delayMs);
      return;
    case 'exponential':
      nonNegative('initialMs', spec.initialMs);
      nonNegative('maxMs', spec.maxMs);
      if (!(spec.multiplier >= 1)) {
        throw new RangeError(`backoff multiplier must be >= 1, got ${spec.multiplier}`);
      }
      if (!(spec.randomization >= 0 && spec.randomization <= 1)) {
        throw new RangeError(`backoff randomization must be in [0, 1], got ${spec.randomization}`);
      }
      return;
    default:
      nonNegative('baseMs', spec.baseMs);
      nonNegative('capMs', spec.capMs);
  }
}
