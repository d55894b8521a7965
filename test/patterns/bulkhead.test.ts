import { describe, expect, it } from 'vitest';
import { BULKHEAD_DEFAULTS, Bulkhead } from '../../src/patterns/bulkhead.ts';

describe('bulkhead: reject at once (maxWaitMs 0)', () => {
  it('defaults are Resilience4j’s: 25 concurrent calls, no wait', () => {
    const b = new Bulkhead<string>();
    expect([b.maxConcurrent, b.maxWaitMs]).toEqual([25, 0]);
    expect(BULKHEAD_DEFAULTS).toEqual({ maxConcurrent: 25, maxWaitMs: 0 });
    for (let i = 0; i < 25; i++) expect(b.tryAcquire()).toBe('acquired');
    expect(b.tryAcquire()).toBe('rejected');
  });

  it('admits exactly maxConcurrent, rejects the next, and admits again after a release', () => {
    const b = new Bulkhead<string>(2, 0);
    expect(b.tryAcquire()).toBe('acquired');
    expect(b.tryAcquire()).toBe('acquired'); // active 1 < 2
    expect(b.active).toBe(2);
    expect(b.tryAcquire()).toBe('rejected'); // active 2 = 2
    expect(b.rejected).toBe(1);
    expect(b.release()).toBeUndefined();
    expect(b.active).toBe(1);
    expect(b.tryAcquire()).toBe('acquired');
    expect(b.rejected).toBe(1);
  });

  it('maxConcurrent 0 admits nothing', () => {
    const b = new Bulkhead<string>(0, 0);
    expect(b.tryAcquire()).toBe('rejected');
    expect(b.active).toBe(0);
  });
});

describe('bulkhead: waiting (maxWaitMs > 0)', () => {
  it('full → wait; a released slot passes to the oldest waiter (FIFO)', () => {
    const b = new Bulkhead<string>(1, 100);
    expect(b.tryAcquire()).toBe('acquired');
    expect(b.tryAcquire()).toBe('wait');
    b.wait('a');
    expect(b.tryAcquire()).toBe('wait');
    b.wait('b');
    expect(b.tryAcquire()).toBe('wait');
    b.wait('c');
    expect([b.active, b.waiting, b.rejected]).toEqual([1, 3, 0]);
    expect(b.release()).toBe('a');
    expect([b.active, b.waiting]).toEqual([1, 2]); // the slot went to 'a', none freed
    expect(b.tryAcquire()).toBe('wait'); // a newcomer never overtakes a waiter
    expect(b.release()).toBe('b');
    expect(b.release()).toBe('c');
    expect(b.release()).toBeUndefined();
    expect([b.active, b.waiting]).toEqual([0, 0]);
  });

  it('cancelWait removes a timed-out waiter and counts it as rejected', () => {
    const b = new Bulkhead<string>(1, 50);
    b.tryAcquire();
    for (const t of ['a', 'b', 'c']) {
      expect(b.tryAcquire()).toBe('wait');
      b.wait(t);
    }
    expect(b.cancelWait('b')).toBe(true);
    expect([b.waiting, b.rejected, b.timedOut]).toEqual([2, 1, 1]);
    expect(b.release()).toBe('a');
    // 'a' was granted: its timeout firing later must change nothing.
    expect(b.cancelWait('a')).toBe(false);
    expect(b.cancelWait('b')).toBe(false);
    expect([b.waiting, b.rejected, b.timedOut]).toEqual([1, 1, 1]);
    expect(b.release()).toBe('c');
  });

  it('misuse throws: release without a slot, the same token waiting twice', () => {
    const b = new Bulkhead<string>(1, 10);
    expect(() => b.release()).toThrow(/release/);
    b.tryAcquire();
    b.wait('x');
    expect(() => b.wait('x')).toThrow(/already waiting/);
    expect(() => new Bulkhead<string>(-1, 0)).toThrow(RangeError);
    expect(() => new Bulkhead<string>(1, -5)).toThrow(RangeError);
  });
});
