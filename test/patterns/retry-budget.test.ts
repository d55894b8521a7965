import { describe, expect, it } from 'vitest';
import { RETRY_BUDGET_DEFAULTS, RetryBudget } from '../../src/patterns/retry-budget.ts';

function withRequests(n: number, spec = RETRY_BUDGET_DEFAULTS): RetryBudget {
  const b = new RetryBudget(spec);
  for (let i = 0; i < n; i++) b.requestStarted();
  return b;
}

/** Starts retries until one is denied; returns how many were admitted. */
function admitted(b: RetryBudget): number {
  let n = 0;
  while (b.tryStartRetry()) n++;
  return n;
}

describe('retry budget: the limit (Envoy defaults 20%, floor 3)', () => {
  it('defaults are 20% and 3', () => {
    expect(RETRY_BUDGET_DEFAULTS).toEqual({ percent: 20, minConcurrent: 3 });
    expect(new RetryBudget().limit).toBe(3);
  });

  it('with no active requests the floor admits exactly 3 retries', () => {
    const b = withRequests(0);
    expect(b.tryStartRetry()).toBe(true);
    expect(b.tryStartRetry()).toBe(true);
    // activeRetries 2 < limit 3: allowed; activeRetries 3 = limit 3: denied (strict <).
    expect(b.tryStartRetry()).toBe(true);
    expect(b.activeRetries).toBe(3);
    expect(b.tryStartRetry()).toBe(false);
    expect(b.activeRetries).toBe(3);
    expect(b.denied).toBe(1);
  });

  it('20% of active requests, truncated, once above the floor', () => {
    expect(withRequests(14).limit).toBe(3); // floor(2.8) = 2 < 3
    expect(withRequests(19).limit).toBe(3); // floor(3.8) = 3
    expect(withRequests(20).limit).toBe(4); // exactly 4
    expect(withRequests(24).limit).toBe(4); // floor(4.8)
    expect(withRequests(25).limit).toBe(5);
    expect(admitted(withRequests(20))).toBe(4);
    expect(admitted(withRequests(24))).toBe(4);
    expect(admitted(withRequests(25))).toBe(5);
  });

  it('whole shares stay exact (29% of 100 is 29, not 28.999…)', () => {
    expect(withRequests(100, { percent: 29, minConcurrent: 0 }).limit).toBe(29);
  });

  it('the limit follows requests as they start and end', () => {
    const b = withRequests(25);
    expect(admitted(b)).toBe(5);
    b.requestEnded(); // 24 requests → limit 4 < 5 active retries
    expect(b.tryStartRetry()).toBe(false);
    b.retryEnded();
    expect(b.tryStartRetry()).toBe(false); // 4 active = limit 4
    b.retryEnded();
    expect(b.tryStartRetry()).toBe(true); // 3 active < 4
    expect(b.activeRequests).toBe(24);
    expect(b.activeRetries).toBe(4);
    expect(b.denied).toBe(3);
  });

  it('minConcurrent 0 and percent 0 admit nothing', () => {
    const b = withRequests(50, { percent: 0, minConcurrent: 0 });
    expect(b.tryStartRetry()).toBe(false);
    expect(b.activeRetries).toBe(0);
  });
});

describe('retry budget: bookkeeping and explanation', () => {
  it('describes the last denial', () => {
    const b = withRequests(14);
    expect(b.describe()).toBe('no retry denied yet');
    admitted(b);
    expect(b.describe()).toBe(
      'retry budget exhausted: 3 active retries >= limit 3 = max(min 3, 20% of 14 active requests = 2)',
    );
  });

  it('ending more than was started throws', () => {
    const b = new RetryBudget();
    expect(() => b.requestEnded()).toThrow(/requestEnded/);
    expect(() => b.retryEnded()).toThrow(/retryEnded/);
  });

  it('rejects invalid specs', () => {
    expect(() => new RetryBudget({ percent: -1, minConcurrent: 3 })).toThrow(RangeError);
    expect(() => new RetryBudget({ percent: 20, minConcurrent: 1.5 })).toThrow(RangeError);
  });
});
