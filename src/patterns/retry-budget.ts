/**
 * Envoy's retry budget (`circuit_breakers.thresholds.retry_budget`, `ResourceManagerImpl::
 * RetryBudgetImpl`): concurrent retries are capped by a share of the concurrent requests.
 *
 *   limit   = max(minConcurrent, floor(percent × activeRequests / 100))
 *   allowed = activeRetries < limit          (strict: exactly at the limit is denied)
 *
 * Envoy computes `budget_percent / 100 × (active + pending requests)` in double precision and
 * truncates it to an integer, so 20% of 14 requests is 2 and the floor of 3 applies; here the
 * product is taken before dividing (`percent × active / 100`) so that whole results stay exact.
 * Defaults are Envoy's: `budget_percent` 20%, `min_retry_concurrency` 3.
 *
 * What the caller counts, as Envoy does:
 * - `requestStarted`/`requestEnded` bracket every upstream attempt, first tries and retries
 *   alike (Envoy's active + pending requests of the cluster); `policy-call.ts` does so.
 * - `tryStartRetry` is called when deciding to retry, before the backoff wait; a retry it admits
 *   stays active through the backoff and the retried attempt, until `retryEnded` (Envoy
 *   increments the retry resource in `RetryStateImpl::shouldRetry` and releases it when the
 *   retried attempt's outcome arrives). A denied retry counts nothing but `denied`.
 */

export interface RetryBudgetSpec {
  /** Share of active requests that may be retries, in percent (Envoy `budget_percent`). */
  readonly percent: number;
  /** The limit never goes below this many concurrent retries (Envoy `min_retry_concurrency`). */
  readonly minConcurrent: number;
}

/** Envoy's defaults: 20% of active requests, never fewer than 3 concurrent retries. */
export const RETRY_BUDGET_DEFAULTS: RetryBudgetSpec = { percent: 20, minConcurrent: 3 };

export class RetryBudget {
  readonly percent: number;
  readonly minConcurrent: number;
  private requests = 0;
  private retries = 0;
  private deniedCount = 0;
  private why = 'no retry denied yet';

  constructor(spec: RetryBudgetSpec = RETRY_BUDGET_DEFAULTS) {
    if (!(spec.percent >= 0) || !Number.isFinite(spec.percent)) {
      throw new RangeError(`retry budget percent must be a finite number >= 0, got ${spec.percent}`);
    }
    if (!Number.isInteger(spec.minConcurrent) || spec.minConcurrent < 0) {
      throw new RangeError(`retry budget minConcurrent must be an integer >= 0, got ${spec.minConcurrent}`);
    }
    this.percent = spec.percent;
    this.minConcurrent = spec.minConcurrent;
  }

  /** Upstream attempts in flight or pending (first tries and retries). */
  get activeRequests(): number {
    return this.requests;
  }

  /** Retries admitted and not yet ended. */
  get activeRetries(): number {
    return this.retries;
  }

  /** Retries refused by the budget so far. */
  get denied(): number {
    return this.deniedCount;
  }

  /** The current cap on concurrent retries. */
  get limit(): number {
    return Math.max(this.minConcurrent, Math.floor((this.percent * this.requests) / 100));
  }

  requestStarted(): void {
    this.requests++;
  }

  requestEnded(): void {
    if (this.requests === 0) throw new Error('retry budget: requestEnded() without a started request');
    this.requests--;
  }

  /** True, and counts the retry as active, when activeRetries < limit; false (denied) otherwise. */
  tryStartRetry(): boolean {
    const limit = this.limit;
    if (this.retries < limit) {
      this.retries++;
      return true;
    }
    this.deniedCount++;
    const share = Math.floor((this.percent * this.requests) / 100);
    this.why =
      `retry budget exhausted: ${this.retries} active retries >= limit ${limit} ` +
      `= max(min ${this.minConcurrent}, ${this.percent}% of ${this.requests} active requests = ${share})`;
    return false;
  }

  retryEnded(): void {
    if (this.retries === 0) throw new Error('retry budget: retryEnded() without an active retry');
    this.retries--;
  }

  /** Plain why of the last denial. */
  describe(): string {
    return this.why;
  }
}
