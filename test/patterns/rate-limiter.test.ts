import { describe, expect, it } from 'vitest';
import { RateLimiter, type RateLimiterSpec } from '../../src/patterns/rate-limiter.ts';

const reject100: RateLimiterSpec = {
  ratePerSec: 100,
  burst: 20,
  mode: 'reject',
  maxWaitMs: 0,
  refill: 'continuous',
};

function calls(rl: RateLimiter, now: number, n: number): number[] {
  return Array.from({ length: n }, () => rl.acquire(now));
}

describe('rate limiter: continuous token bucket, reject mode', () => {
  it('allows the burst at t = 0, then rejects', () => {
    const rl = new RateLimiter(reject100);
    expect(calls(rl, 0, 20)).toEqual(new Array(20).fill(0));
    expect(rl.acquire(0)).toBe(-1);
    expect([rl.permitted, rl.rejected]).toEqual([20, 1]);
    expect(rl.lastWhy()).toBe('rate limit 100/s (burst 20) exhausted: next permit in 10 ms > max wait 0 ms');
  });

  it('refills one token every 10 ms at 100/s, exactly', () => {
    const rl = new RateLimiter(reject100);
    calls(rl, 0, 20);
    expect(rl.acquire(5)).toBe(-1);
    expect(rl.lastWhy()).toMatch(/next permit in 5 ms/);
    expect(rl.acquire(10)).toBe(0);
    expect(rl.acquire(10)).toBe(-1);
    expect(rl.acquire(19)).toBe(-1);
    expect(rl.acquire(20)).toBe(0);
    expect(rl.acquire(45)).toBe(0); // 2.5 tokens came back since t = 20
    expect(rl.acquire(45)).toBe(0);
    expect(rl.acquire(45)).toBe(-1);
    expect(rl.lastWhy()).toMatch(/next permit in 5 ms/);
  });

  it('refills up to the burst only', () => {
    const rl = new RateLimiter(reject100);
    calls(rl, 0, 20);
    expect(calls(rl, 10_000, 21)).toEqual([...new Array(20).fill(0), -1]);
  });

  it('one call per ms for 1 s gets burst + rate × 0.999 s = 119 permits', () => {
    const rl = new RateLimiter(reject100);
    for (let t = 0; t < 1000; t++) rl.acquire(t);
    expect([rl.permitted, rl.rejected]).toEqual([119, 881]);
  });

  it('reject mode ignores maxWaitMs', () => {
    const rl = new RateLimiter({ ...reject100, burst: 1, maxWaitMs: 1000 });
    expect(rl.acquire(0)).toBe(0);
    expect(rl.acquire(0)).toBe(-1);
  });
});

describe('rate limiter: wait mode (reservations in order)', () => {
  const spec: RateLimiterSpec = {
    ratePerSec: 10,
    burst: 2,
    mode: 'wait',
    maxWaitMs: 250,
    refill: 'continuous',
  };

  it('later callers wait behind earlier ones, up to maxWaitMs inclusive', () => {
    const rl = new RateLimiter(spec);
    expect(calls(rl, 0, 5)).toEqual([0, 0, 100, 200, -1]); // 300 > 250: rejected, nothing reserved
    expect(rl.lastWhy()).toBe('rate limit 10/s (burst 2) exhausted: next permit in 300 ms > max wait 250 ms');
    expect(rl.acquire(0)).toBe(-1);
    expect(rl.acquire(50)).toBe(250); // the permit at t = 300: a wait equal to maxWaitMs is admitted
    expect(rl.acquire(50)).toBe(-1); // next at t = 400
    expect(rl.acquire(150)).toBe(250);
    expect([rl.permitted, rl.rejected]).toEqual([6, 3]);
  });

  it('a rejected call reserves nothing, so the next permit time is unchanged', () => {
    const rl = new RateLimiter({ ...spec, maxWaitMs: 0 });
    calls(rl, 0, 2);
    for (let i = 0; i < 10; i++) expect(rl.acquire(0)).toBe(-1);
    expect(rl.acquire(100)).toBe(0);
  });
});

describe('rate limiter: interval refill (Envoy fill_interval, Resilience4j refresh period)', () => {
  const spec: RateLimiterSpec = {
    ratePerSec: 10,
    burst: 10,
    mode: 'reject',
    maxWaitMs: 0,
    refill: { intervalMs: 1000 },
  };

  it('adds rate × interval tokens at each whole interval, none in between', () => {
    const rl = new RateLimiter(spec);
    expect(calls(rl, 0, 11)).toEqual([...new Array(10).fill(0), -1]);
    expect(rl.lastWhy()).toBe(
      'rate limit 10/s (burst 10, +10 every 1000 ms) exhausted: next permit in 1000 ms > max wait 0 ms',
    );
    expect(rl.acquire(999)).toBe(-1);
    expect(rl.lastWhy()).toMatch(/next permit in 1 ms/);
    expect(calls(rl, 1000, 11)).toEqual([...new Array(10).fill(0), -1]);
    expect(rl.acquire(1500)).toBe(-1);
    expect(rl.lastWhy()).toMatch(/next permit in 500 ms/);
  });

  it('fills are anchored at the start time and capped at the burst', () => {
    const rl = new RateLimiter({ ...spec, burst: 15 }, 200);
    expect(calls(rl, 200, 16)).toEqual([...new Array(15).fill(0), -1]);
    expect(rl.acquire(1199)).toBe(-1);
    expect(calls(rl, 1200, 11)).toEqual([...new Array(10).fill(0), -1]);
    expect(calls(rl, 9200, 16)).toEqual([...new Array(15).fill(0), -1]);
  });

  it('waits for whole fills in wait mode', () => {
    const rl = new RateLimiter({
      ratePerSec: 2,
      burst: 1,
      mode: 'wait',
      maxWaitMs: 1000,
      refill: { intervalMs: 500 },
    });
    expect(calls(rl, 0, 4)).toEqual([0, 500, 1000, -1]);
    expect(rl.acquire(100)).toBe(-1); // the next free fill is at 1500: 1400 ms > 1000
    expect(rl.acquire(600)).toBe(900);
  });
});

describe('rate limiter: validation', () => {
  it('rejects bad specs and time going backwards', () => {
    expect(() => new RateLimiter({ ...reject100, burst: 0.5 })).toThrow(/burst/);
    expect(() => new RateLimiter({ ...reject100, ratePerSec: -1 })).toThrow(/ratePerSec/);
    expect(() => new RateLimiter({ ...reject100, refill: { intervalMs: 0 } })).toThrow(/intervalMs/);
    const rl = new RateLimiter(reject100);
    rl.acquire(10);
    expect(() => rl.acquire(9)).toThrow(/backwards/);
  });

  it('a zero rate never refills', () => {
    const rl = new RateLimiter({ ...reject100, ratePerSec: 0, burst: 1, mode: 'wait', maxWaitMs: 1e9 });
    expect(rl.acquire(0)).toBe(0);
    expect(rl.acquire(1e6)).toBe(-1);
    expect(rl.lastWhy()).toMatch(/next permit in Infinity ms/);
  });
});
