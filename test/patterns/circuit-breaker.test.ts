import { describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/engine/engine.ts';
import {
  BREAKER_PROFILES,
  type BreakerTransition,
  type CircuitBreaker,
  type CircuitBreakerConfig,
  createCircuitBreaker,
  describeBreakerConfig,
} from '../../src/patterns/circuit-breaker.ts';

// ---------------------------------------------------------------------------------------------
// Helpers

interface Harness {
  readonly engine: Engine;
  readonly cb: CircuitBreaker;
  readonly transitions: BreakerTransition[];
}

/** A `payments` breaker: Resilience4j defaults, overridden by `overrides`. */
function makeBreaker(overrides: Partial<CircuitBreakerConfig> = {}): Harness {
  const engine = createEngine();
  const transitions: BreakerTransition[] = [];
  const cb = createCircuitBreaker(
    'payments',
    { ...BREAKER_PROFILES.resilience4j, ...overrides },
    { engine, onTransition: (t) => transitions.push(t) },
  );
  return { engine, cb, transitions };
}

/** Makes `n` calls at the current simulated time; each must be permitted and gets the given result. */
function calls(cb: CircuitBreaker, n: number, result: { failed?: boolean; durationMs?: number } = {}): void {
  for (let i = 0; i < n; i++) {
    expect(cb.tryAcquire()).toBe(true);
    cb.onResult(result.durationMs ?? 10, result.failed ?? false);
  }
}

/** Trips a small count-window breaker (window 10, min 10) with 10 failures at time `at`. */
function tripSmall(overrides: Partial<CircuitBreakerConfig> = {}, at = 0): Harness {
  const h = makeBreaker({ window: { kind: 'count', size: 10 }, minimumCalls: 10, ...overrides });
  h.engine.runUntil(at);
  calls(h.cb, 10, { failed: true });
  expect(h.cb.state).toBe('open');
  return h;
}

/** Small breaker in HALF_OPEN at `openAt + wait`, reached through the automatic timer. */
function halfOpenSmall(overrides: Partial<CircuitBreakerConfig> = {}): Harness {
  const h = tripSmall({ automaticTransition: true, waitInOpenMs: 60_000, ...overrides });
  h.engine.runUntil(60_000);
  expect(h.cb.state).toBe('half_open');
  return h;
}

// ---------------------------------------------------------------------------------------------

describe('profiles', () => {
  it('resilience4j matches CircuitBreakerConfig defaults', () => {
    expect(BREAKER_PROFILES.resilience4j).toEqual({
      window: { kind: 'count', size: 100 },
      failureRateThreshold: 50,
      slowCallRateThreshold: 100,
      slowCallDurationMs: 60_000,
      minimumCalls: 100,
      waitInOpenMs: 60_000,
      permittedCallsInHalfOpen: 10,
      automaticTransition: false,
      maxWaitInHalfOpenMs: 0,
    });
  });

  it('hystrix: 10 s window, 20 requests, 50% errors, 5 s sleep, one probe, no slow-call rule', () => {
    expect(BREAKER_PROFILES.hystrix).toEqual({
      window: { kind: 'time', seconds: 10 },
      failureRateThreshold: 50,
      slowCallRateThreshold: 100,
      slowCallDurationMs: Number.POSITIVE_INFINITY,
      minimumCalls: 20,
      waitInOpenMs: 5_000,
      permittedCallsInHalfOpen: 1,
      automaticTransition: false,
      maxWaitInHalfOpenMs: 0,
    });
  });

  it('polly v8: failure ratio 10%, throughput 100, 30 s sampling, 5 s break, one probe', () => {
    expect(BREAKER_PROFILES.polly).toEqual({
      window: { kind: 'time', seconds: 30 },
      failureRateThreshold: 10,
      slowCallRateThreshold: 100,
      slowCallDurationMs: Number.POSITIVE_INFINITY,
      minimumCalls: 100,
      waitInOpenMs: 5_000,
      permittedCallsInHalfOpen: 1,
      automaticTransition: false,
      maxWaitInHalfOpenMs: 0,
    });
  });

  it('describeBreakerConfig gives one line with the numbers that matter', () => {
    expect(describeBreakerConfig(BREAKER_PROFILES.resilience4j)).toBe(
      'opens at ≥ 50% failures or ≥ 100% slower than 60 s over the last 100 calls (once ≥ 100 calls); ' +
        'stays open 60 s, then half-open on the next call with 10 trial calls',
    );
    expect(describeBreakerConfig(BREAKER_PROFILES.hystrix)).toBe(
      'opens at ≥ 50% failures over the calls of the last 10 s (1 s buckets) (once ≥ 20 calls); ' +
        'stays open 5 s, then half-open on the next call with 1 trial call',
    );
    const custom = describeBreakerConfig({
      ...BREAKER_PROFILES.resilience4j,
      window: { kind: 'count', size: 10 },
      automaticTransition: true,
      maxWaitInHalfOpenMs: 1500,
    });
    expect(custom).toContain('once ≥ 10 calls'); // minimum capped at the window size
    expect(custom).toContain('half-open by timer');
    expect(custom).toContain('reopens after 1.5 s undecided');
    for (const profile of Object.values(BREAKER_PROFILES)) {
      expect(describeBreakerConfig(profile)).not.toContain('\n');
    }
  });
});

describe('CLOSED: when the window is evaluated', () => {
  it('9 failures of 9 with a minimum of 10 stay closed; the 10th opens', () => {
    const { cb, transitions } = makeBreaker({ window: { kind: 'count', size: 100 }, minimumCalls: 10 });
    calls(cb, 9, { failed: true });
    expect(cb.state).toBe('closed');
    expect(transitions).toEqual([]);
    calls(cb, 1, { failed: true });
    expect(cb.state).toBe('open');
    expect(transitions).toHaveLength(1);
    expect(transitions[0]).toMatchObject({ from: 'closed', to: 'open', cause: 'thresholds_exceeded' });
    expect(transitions[0]!.evidence).toMatchObject({ calls: 10, failures: 10, failureRate: 100 });
  });

  it('exactly 50 failures of 100 open (rate >= threshold), on the 100th call and not before', () => {
    const { cb } = makeBreaker();
    calls(cb, 50);
    calls(cb, 49, { failed: true });
    expect(cb.state).toBe('closed'); // 99 calls < minimum 100
    calls(cb, 1, { failed: true });
    expect(cb.state).toBe('open');
  });

  it('49 failures of 100 do not open', () => {
    const { cb, transitions } = makeBreaker();
    calls(cb, 51);
    calls(cb, 49, { failed: true });
    expect(cb.state).toBe('closed');
    expect(cb.evidence()).toMatchObject({
      calls: 100,
      failures: 49,
      failureRate: 49,
      failureRateExceeded: false,
    });
    expect(transitions).toEqual([]);
  });

  it('a count window caps the minimum at its size (R4j min(minimumCalls, windowSize))', () => {
    const { cb } = makeBreaker({ window: { kind: 'count', size: 10 }, minimumCalls: 100 });
    calls(cb, 9, { failed: true });
    expect(cb.state).toBe('closed');
    calls(cb, 1, { failed: true });
    expect(cb.state).toBe('open');
    expect(cb.evidence().minimumCalls).toBe(10);
  });

  it('a time window does not cap the minimum', () => {
    const { cb } = makeBreaker({ window: { kind: 'time', seconds: 10 }, minimumCalls: 20 });
    calls(cb, 19, { failed: true });
    expect(cb.state).toBe('closed');
    calls(cb, 1, { failed: true });
    expect(cb.state).toBe('open');
  });

  it('a count window keeps only the last `size` outcomes', () => {
    const { cb } = makeBreaker({ window: { kind: 'count', size: 4 }, minimumCalls: 4 });
    calls(cb, 1, { failed: true });
    calls(cb, 3); // F S S S: 25%
    expect(cb.state).toBe('closed');
    calls(cb, 1, { failed: true }); // the first failure leaves: S S S F, 25%
    expect(cb.evidence()).toMatchObject({ calls: 4, failures: 1 });
    expect(cb.state).toBe('closed');
    calls(cb, 1, { failed: true }); // S S F F: 50%
    expect(cb.state).toBe('open');
  });

  it('rates are float32 percentages, as in Resilience4j', () => {
    const { cb } = makeBreaker({
      window: { kind: 'count', size: 3 },
      minimumCalls: 3,
      failureRateThreshold: 90,
    });
    calls(cb, 2);
    calls(cb, 1, { failed: true });
    expect(cb.evidence().failureRate).toBe(Math.fround(100 / 3));
    expect(cb.evidence().failureRate).not.toBe(100 / 3);
  });
});

describe('slow calls', () => {
  const slowConfig: Partial<CircuitBreakerConfig> = {
    window: { kind: 'count', size: 10 },
    minimumCalls: 10,
    slowCallDurationMs: 2000,
    slowCallRateThreshold: 50,
  };

  it('a call of exactly the slow duration is not slow', () => {
    const { cb } = makeBreaker(slowConfig);
    calls(cb, 10, { durationMs: 2000 });
    expect(cb.state).toBe('closed');
    expect(cb.evidence()).toMatchObject({ calls: 10, slow: 0, slowRate: 0 });
  });

  it('calls longer than the slow duration count, and open the breaker at the slow-call rate', () => {
    const { cb, transitions } = makeBreaker(slowConfig);
    calls(cb, 5, { durationMs: 2000 });
    calls(cb, 4, { durationMs: 2001 });
    expect(cb.state).toBe('closed');
    calls(cb, 1, { durationMs: 2001 });
    expect(cb.state).toBe('open');
    expect(transitions[0]!.evidence).toMatchObject({
      slow: 5,
      slowRate: 50,
      slowRateExceeded: true,
      failures: 0,
      failureRateExceeded: false,
    });
  });

  it('a slow failure counts both as a failure and as a slow call', () => {
    const { cb } = makeBreaker({ ...slowConfig, window: { kind: 'count', size: 20 }, minimumCalls: 20 });
    calls(cb, 1, { failed: true, durationMs: 5000 });
    expect(cb.evidence()).toMatchObject({ calls: 1, failures: 1, slow: 1 });
  });
});

describe('rejected calls', () => {
  it('are counted apart and never enter the window', () => {
    const { cb } = tripSmall();
    const before = cb.evidence();
    for (let i = 0; i < 25; i++) expect(cb.tryAcquire()).toBe(false);
    expect(cb.rejected).toBe(25);
    expect(cb.permitted).toBe(10);
    expect(cb.evidence()).toMatchObject({ calls: before.calls, failures: before.failures, rejected: 25 });
  });
});

describe('OPEN -> HALF_OPEN', () => {
  it('lazy (default): stays open after the wait until a call arrives; that call is the first trial', () => {
    const { engine, cb, transitions } = tripSmall({ waitInOpenMs: 60_000 }, 1_000);
    expect(engine.pending).toBe(0); // no timer at all in lazy mode
    engine.runUntil(1_000_000);
    expect(cb.state).toBe('open');
    expect(transitions).toHaveLength(1);

    expect(cb.tryAcquire()).toBe(true);
    expect(cb.state).toBe('half_open');
    expect(transitions[1]).toMatchObject({
      at: 1_000_000,
      from: 'open',
      to: 'half_open',
      cause: 'call_after_wait',
    });
    expect(transitions[1]!.evidence.inStateMs).toBe(999_000);
    for (let i = 0; i < 9; i++) expect(cb.tryAcquire()).toBe(true); // 9 more: 10 trials in all
    expect(cb.tryAcquire()).toBe(false);
  });

  it('lazy: a call at exactly openedAt + wait is rejected (R4j isAfter), 1 ms later it passes', () => {
    const { engine, cb } = tripSmall({ waitInOpenMs: 60_000 }, 1_000);
    engine.runUntil(61_000);
    expect(cb.tryAcquire()).toBe(false);
    expect(cb.state).toBe('open');
    engine.runUntil(61_001);
    expect(cb.tryAcquire()).toBe(true);
    expect(cb.state).toBe('half_open');
  });

  it('automatic: the timer moves it at exactly openedAt + wait on the simulated clock', () => {
    const { engine, cb, transitions } = tripSmall({ automaticTransition: true, waitInOpenMs: 60_000 }, 1_500);
    engine.runUntil(61_499);
    expect(cb.state).toBe('open');
    engine.runUntil(61_500);
    expect(cb.state).toBe('half_open');
    expect(transitions[1]).toMatchObject({
      at: 61_500,
      from: 'open',
      to: 'half_open',
      cause: 'wait_elapsed',
    });
    expect(cb.since).toBe(61_500);
  });

  it('automatic: leaving OPEN by command cancels the timer', () => {
    const { engine, cb, transitions } = tripSmall({ automaticTransition: true, waitInOpenMs: 60_000 });
    expect(engine.pending).toBe(1);
    engine.runUntil(10_000);
    cb.forceOpen();
    expect(engine.pending).toBe(0);
    engine.runUntil(200_000);
    expect(cb.state).toBe('forced_open');
    expect(transitions.map((t) => t.to)).toEqual(['open', 'forced_open']);
  });

  it('a reopened breaker waits again from the time it reopened', () => {
    const { engine, cb } = halfOpenSmall({ permittedCallsInHalfOpen: 1 });
    engine.runUntil(70_000);
    calls(cb, 1, { failed: true });
    expect(cb.state).toBe('open');
    engine.runUntil(129_999);
    expect(cb.state).toBe('open');
    engine.runUntil(130_000);
    expect(cb.state).toBe('half_open');
  });
});

describe('HALF_OPEN', () => {
  it('permits exactly `permittedCallsInHalfOpen` calls, then rejects', () => {
    const { cb } = halfOpenSmall({ permittedCallsInHalfOpen: 3 });
    const permittedBefore = cb.permitted;
    expect([cb.tryAcquire(), cb.tryAcquire(), cb.tryAcquire(), cb.tryAcquire()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(cb.permitted - permittedBefore).toBe(3);
    expect(cb.rejected).toBe(1);
  });

  it('release() frees a trial permit, never more than the configured number', () => {
    const { cb } = halfOpenSmall({ permittedCallsInHalfOpen: 2 });
    expect(cb.tryAcquire()).toBe(true);
    expect(cb.tryAcquire()).toBe(true);
    expect(cb.tryAcquire()).toBe(false);
    cb.release();
    expect(cb.tryAcquire()).toBe(true);
    expect(cb.tryAcquire()).toBe(false);
    cb.release();
    cb.release();
    cb.release(); // extra releases do not add permits beyond 2
    expect(cb.tryAcquire()).toBe(true);
    expect(cb.tryAcquire()).toBe(true);
    expect(cb.tryAcquire()).toBe(false);
  });

  it('starts with a fresh trial window', () => {
    const { cb } = halfOpenSmall();
    expect(cb.evidence()).toMatchObject({ window: 'trial', calls: 0, minimumCalls: 10 });
  });

  it('closes when the trial calls stay below the thresholds, with a fresh window', () => {
    const { engine, cb, transitions } = halfOpenSmall();
    engine.runUntil(61_000);
    calls(cb, 8);
    calls(cb, 1, { failed: true });
    expect(cb.state).toBe('half_open'); // 9 results: not decided yet
    calls(cb, 1, { failed: true });
    expect(cb.state).toBe('closed');
    expect(transitions.at(-1)).toMatchObject({ from: 'half_open', to: 'closed', cause: 'below_thresholds' });
    expect(transitions.at(-1)!.evidence).toMatchObject({
      window: 'trial',
      calls: 10,
      failures: 2,
      failureRate: 20,
    });
    expect(cb.evidence()).toMatchObject({ window: 'sliding', calls: 0 });
  });

  it('reopens when the trial calls reach a threshold', () => {
    const { engine, cb, transitions } = halfOpenSmall();
    engine.runUntil(61_000);
    calls(cb, 5);
    calls(cb, 5, { failed: true });
    expect(cb.state).toBe('open');
    expect(transitions.at(-1)).toMatchObject({ from: 'half_open', to: 'open', cause: 'thresholds_exceeded' });
    expect(transitions.at(-1)!.evidence).toMatchObject({ calls: 10, failures: 5, failureRateExceeded: true });
  });

  it('decides after min(minimumCalls, permitted) results, as R4j forHalfOpen does', () => {
    const { engine, cb } = makeBreaker({ window: { kind: 'count', size: 10 }, minimumCalls: 3 });
    calls(cb, 3, { failed: true });
    engine.runUntil(60_001);
    for (let i = 0; i < 10; i++) expect(cb.tryAcquire()).toBe(true);
    expect(cb.state).toBe('half_open');
    cb.onResult(10, false);
    cb.onResult(10, false);
    expect(cb.state).toBe('half_open');
    cb.onResult(10, false);
    expect(cb.state).toBe('closed');
  });

  it('with maxWaitInHalfOpenMs > 0 reopens after that long without a verdict', () => {
    const { engine, cb, transitions } = halfOpenSmall({ maxWaitInHalfOpenMs: 5_000 });
    calls(cb, 3);
    engine.runUntil(64_999);
    expect(cb.state).toBe('half_open');
    engine.runUntil(65_000);
    expect(cb.state).toBe('open');
    expect(transitions.at(-1)).toMatchObject({
      at: 65_000,
      from: 'half_open',
      to: 'open',
      cause: 'max_wait_elapsed',
    });
    expect(transitions.at(-1)!.why).toBe(
      'payments breaker reopened at 65.0 s: 5 s in HALF_OPEN passed with only 3 of 10 trial results in',
    );
  });

  it('with maxWaitInHalfOpenMs = 0 stays half-open, and leaves no timer', () => {
    const { engine, cb } = halfOpenSmall();
    calls(cb, 3);
    expect(engine.pending).toBe(0);
    engine.runUntil(10_000_000);
    expect(cb.state).toBe('half_open');
  });
});

describe('results of calls permitted in an earlier state', () => {
  it('arriving in OPEN are recorded into the window that tripped it, without a transition', () => {
    const { cb, transitions } = makeBreaker({ window: { kind: 'count', size: 20 }, minimumCalls: 10 });
    for (let i = 0; i < 12; i++) expect(cb.tryAcquire()).toBe(true);
    for (let i = 0; i < 10; i++) cb.onResult(10, true);
    expect(cb.state).toBe('open');
    cb.onResult(10, false);
    cb.onResult(10, false);
    expect(cb.state).toBe('open');
    expect(cb.evidence()).toMatchObject({ window: 'sliding', calls: 12, failures: 10 });
    expect(transitions).toHaveLength(1);
  });

  it('arriving in HALF_OPEN count as trial results', () => {
    const { engine, cb } = makeBreaker({
      window: { kind: 'count', size: 10 },
      minimumCalls: 10,
      automaticTransition: true,
      permittedCallsInHalfOpen: 2,
    });
    for (let i = 0; i < 11; i++) expect(cb.tryAcquire()).toBe(true);
    for (let i = 0; i < 10; i++) cb.onResult(10, true);
    engine.runUntil(60_000);
    expect(cb.state).toBe('half_open');
    cb.onResult(10, true); // the 11th call, permitted while CLOSED
    expect(cb.evidence()).toMatchObject({ window: 'trial', calls: 1, failures: 1 });
  });
});

describe('time-based window', () => {
  it('forgets the calls of a second once that second is `seconds` old', () => {
    const run = (lastCallAt: number): string => {
      const { engine, cb } = makeBreaker({ window: { kind: 'time', seconds: 10 }, minimumCalls: 5 });
      calls(cb, 2, { failed: true }); // second 0
      engine.runUntil(999);
      calls(cb, 2, { failed: true }); // still second 0
      engine.runUntil(lastCallAt);
      calls(cb, 1, { failed: true });
      return cb.state;
    };
    expect(run(9_999)).toBe('open'); // seconds 0..9: 5 calls
    expect(run(10_000)).toBe('closed'); // seconds 1..10: second 0 has left, 1 call
  });

  it('evidence() reads the window at the current time', () => {
    const { engine, cb } = makeBreaker({ window: { kind: 'time', seconds: 3 }, minimumCalls: 100 });
    calls(cb, 4, { failed: true });
    engine.runUntil(1_500);
    calls(cb, 1);
    engine.runUntil(2_500);
    calls(cb, 1, { failed: true }); // every bucket now holds calls
    expect(cb.evidence()).toMatchObject({ calls: 6, failures: 5 });
    engine.runUntil(3_000);
    expect(cb.evidence()).toMatchObject({ calls: 2, failures: 1 });
    engine.runUntil(100_000); // a jump of far more than the window empties every bucket
    expect(cb.evidence()).toMatchObject({ calls: 0, failures: 0, failureRate: 0 });
  });

  it('the hystrix profile opens at 10 errors of 20 within 10 s', () => {
    const engine = createEngine();
    const cb = createCircuitBreaker('search', BREAKER_PROFILES.hystrix, { engine });
    for (let i = 0; i < 20; i++) {
      engine.runUntil(i * 400);
      calls(cb, 1, { failed: i % 2 === 0 });
    }
    expect(cb.state).toBe('open');
  });
});

describe('DISABLED, FORCED_OPEN, METRICS_ONLY', () => {
  it('disabled permits every call and records nothing', () => {
    const { cb, transitions } = makeBreaker({ window: { kind: 'count', size: 10 }, minimumCalls: 10 });
    cb.disable();
    expect(cb.state).toBe('disabled');
    calls(cb, 50, { failed: true });
    expect(cb.state).toBe('disabled');
    expect(cb.evidence().calls).toBe(0);
    expect(cb.permitted).toBe(50);
    expect(transitions.map((t) => [t.from, t.to, t.cause])).toEqual([['closed', 'disabled', 'command']]);
  });

  it('forced open rejects every call, also long after the wait', () => {
    const { engine, cb } = makeBreaker({ waitInOpenMs: 1_000, automaticTransition: true });
    cb.forceOpen();
    engine.runUntil(1_000_000);
    for (let i = 0; i < 5; i++) expect(cb.tryAcquire()).toBe(false);
    expect(cb.state).toBe('forced_open');
    expect(cb.rejected).toBe(5);
    expect(engine.pending).toBe(0);
  });

  it('metrics-only permits, records and computes rates, but never trips', () => {
    const { cb, transitions } = makeBreaker({ window: { kind: 'count', size: 10 }, minimumCalls: 10 });
    cb.metricsOnly();
    calls(cb, 30, { failed: true });
    expect(cb.state).toBe('metrics_only');
    expect(cb.evidence()).toMatchObject({
      calls: 10,
      failures: 10,
      failureRate: 100,
      failureRateExceeded: true,
    });
    expect(transitions).toHaveLength(1);
  });

  it('close() returns to CLOSED with a fresh window', () => {
    const { engine, cb, transitions } = tripSmall();
    engine.runUntil(2_000);
    cb.close();
    expect(cb.state).toBe('closed');
    expect(cb.evidence().calls).toBe(0);
    expect(transitions.at(-1)).toMatchObject({ at: 2_000, from: 'open', to: 'closed', cause: 'command' });
    expect(transitions.at(-1)!.why).toBe('payments breaker closed at 2.0 s by command: fresh window');
  });

  it('a command to the current state clears the window and reports nothing', () => {
    const { cb, transitions } = makeBreaker({ window: { kind: 'count', size: 10 }, minimumCalls: 10 });
    calls(cb, 9, { failed: true });
    cb.close();
    expect(transitions).toEqual([]);
    calls(cb, 9, { failed: true });
    expect(cb.state).toBe('closed'); // 9 of 9 again, not 18
  });

  it('reset() always reports, even from CLOSED, and leaves a fresh window', () => {
    const { engine, cb, transitions } = makeBreaker({
      window: { kind: 'count', size: 10 },
      minimumCalls: 10,
    });
    calls(cb, 9, { failed: true });
    engine.runUntil(4_200);
    cb.reset();
    expect(transitions).toHaveLength(1);
    expect(transitions[0]).toMatchObject({ from: 'closed', to: 'closed', cause: 'reset' });
    expect(transitions[0]!.evidence.calls).toBe(9);
    expect(transitions[0]!.why).toBe(
      'payments breaker reset at 4.2 s by command: closed with a fresh window',
    );
    expect(cb.evidence().calls).toBe(0);
    cb.forceOpen();
    cb.reset();
    expect(cb.state).toBe('closed');
    expect(transitions.map((t) => [t.from, t.to, t.cause])).toEqual([
      ['closed', 'closed', 'reset'],
      ['closed', 'forced_open', 'command'],
      ['forced_open', 'closed', 'reset'],
    ]);
  });

  it('commands say what the new state does', () => {
    const { engine, cb, transitions } = makeBreaker();
    engine.runUntil(12_000);
    cb.disable();
    cb.forceOpen();
    cb.metricsOnly();
    expect(transitions.map((t) => t.why)).toEqual([
      'payments breaker disabled at 12.0 s by command: every call passes and nothing is recorded',
      'payments breaker forced open at 12.0 s by command: every call is rejected',
      'payments breaker switched to metrics-only at 12.0 s by command: every call passes and is recorded, but it never trips',
    ]);
  });
});

describe('why strings', () => {
  it('opening on failures: "27 of the last 50 calls failed (54% ≥ 50%)"', () => {
    const { engine, cb, transitions } = makeBreaker({
      window: { kind: 'count', size: 50 },
      minimumCalls: 50,
    });
    engine.runUntil(31_200);
    calls(cb, 23);
    calls(cb, 27, { failed: true });
    expect(transitions[0]!.why).toBe(
      'payments breaker opened at 31.2 s: 27 of the last 50 calls failed (54% ≥ 50%)',
    );
  });

  it('opening on slow calls: "60 of the last 100 calls were slower than 2 s (60% ≥ 50%)"', () => {
    const { engine, cb, transitions } = makeBreaker({ slowCallDurationMs: 2000, slowCallRateThreshold: 50 });
    engine.runUntil(45_000);
    calls(cb, 40);
    calls(cb, 60, { durationMs: 2500 });
    expect(transitions[0]!.why).toBe(
      'payments breaker opened at 45.0 s: 60 of the last 100 calls were slower than 2 s (60% ≥ 50%)',
    );
  });

  it('opening on both rules names both', () => {
    const { cb, transitions } = makeBreaker({
      window: { kind: 'count', size: 4 },
      minimumCalls: 4,
      slowCallDurationMs: 1000,
      slowCallRateThreshold: 50,
    });
    calls(cb, 2);
    calls(cb, 2, { failed: true, durationMs: 1500 });
    expect(transitions[0]!.why).toBe(
      'payments breaker opened at 0.0 s: 2 of the last 4 calls failed (50% ≥ 50%) and 2 were slower than 1 s (50% ≥ 50%)',
    );
  });

  it('opening with a time window names the seconds', () => {
    const { cb, transitions } = makeBreaker({ window: { kind: 'time', seconds: 10 }, minimumCalls: 4 });
    calls(cb, 1);
    calls(cb, 3, { failed: true });
    expect(transitions[0]!.why).toBe(
      'payments breaker opened at 0.0 s: 3 of the 4 calls in the last 10 s failed (75% ≥ 50%)',
    );
  });

  it('half-open by timer: "60 s in OPEN passed; letting 10 trial calls through"', () => {
    const { engine, transitions } = tripSmall({ automaticTransition: true }, 31_200);
    engine.runUntil(91_200);
    expect(transitions[1]!.why).toBe(
      'payments breaker half-open at 91.2 s: 60 s in OPEN passed; letting 10 trial calls through',
    );
  });

  it('half-open lazily names the arriving call', () => {
    const { engine, cb, transitions } = tripSmall({ permittedCallsInHalfOpen: 1 });
    engine.runUntil(95_000);
    cb.tryAcquire();
    expect(transitions[1]!.why).toBe(
      'payments breaker half-open at 95.0 s: the 60 s wait in OPEN was over and a call arrived; letting 1 trial call through',
    );
  });

  it('closing and reopening from half-open compare the trial calls with the threshold', () => {
    const closing = halfOpenSmall();
    closing.engine.runUntil(92_000);
    calls(closing.cb, 8);
    calls(closing.cb, 2, { failed: true });
    expect(closing.transitions.at(-1)!.why).toBe(
      'payments breaker closed at 92.0 s: 2 of 10 trial calls failed (20% < 50%)',
    );

    const reopening = halfOpenSmall();
    reopening.engine.runUntil(92_000);
    calls(reopening.cb, 4);
    calls(reopening.cb, 6, { failed: true });
    expect(reopening.transitions.at(-1)!.why).toBe(
      'payments breaker reopened at 92.0 s: 6 of 10 trial calls failed (60% ≥ 50%)',
    );
  });

  it('a rate just below the threshold is never printed equal to it', () => {
    const { cb, transitions } = halfOpenSmall({ permittedCallsInHalfOpen: 2500, minimumCalls: 2500 });
    calls(cb, 1251);
    calls(cb, 1249, { failed: true });
    expect(cb.state).toBe('closed');
    expect(transitions.at(-1)!.why).toBe(
      'payments breaker closed at 60.0 s: 1249 of 2500 trial calls failed (49.96% < 50%)',
    );
  });
});

describe('xstate actor on the simulation clock', () => {
  it('stop() cancels pending timers; the breaker keeps its last state', () => {
    const { engine, cb } = tripSmall({ automaticTransition: true });
    expect(engine.pending).toBe(1);
    cb.stop();
    expect(engine.pending).toBe(0);
    engine.runUntil(1_000_000);
    expect(cb.state).toBe('open');
    expect(cb.tryAcquire()).toBe(false); // no lazy transition after stop either
    expect(cb.state).toBe('open');
  });
});

describe('determinism', () => {
  /** A scripted run: a fixed pseudo-random failure pattern (LCG), calls every 250 ms for 10 min. */
  function scriptedRun(): { log: string[]; permitted: number; rejected: number } {
    const engine = createEngine();
    const log: string[] = [];
    const cb = createCircuitBreaker(
      'orders',
      {
        ...BREAKER_PROFILES.resilience4j,
        window: { kind: 'time', seconds: 5 },
        minimumCalls: 10,
        waitInOpenMs: 7_000,
        permittedCallsInHalfOpen: 3,
        automaticTransition: true,
        maxWaitInHalfOpenMs: 4_000,
        slowCallDurationMs: 800,
        slowCallRateThreshold: 60,
      },
      { engine, onTransition: (t) => log.push(`${t.at} ${t.from}->${t.to} ${t.cause}: ${t.why}`) },
    );
    let seed = 12345;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let t = 0; t < 600_000; t += 250) {
      const failing = (t / 60_000) % 2 < 1; // alternating bad and good minutes
      const fail = next() < (failing ? 0.7 : 0.05);
      const duration = Math.floor(next() * 1000);
      engine.scheduleAt(
        t,
        () => {
          if (!cb.tryAcquire()) return;
          engine.schedule(duration, () => cb.onResult(duration, fail), undefined);
        },
        undefined,
      );
    }
    engine.run();
    cb.stop();
    return { log, permitted: cb.permitted, rejected: cb.rejected };
  }

  it('the same script gives the same transitions and counts', () => {
    const a = scriptedRun();
    const b = scriptedRun();
    expect(a.log.length).toBeGreaterThan(4);
    expect(a.log.some((l) => l.includes('half_open->closed'))).toBe(true);
    expect(a).toEqual(b);
  });
});

describe('configuration checks', () => {
  it.each([
    ['window.size', { window: { kind: 'count', size: 0 } }],
    ['window.seconds', { window: { kind: 'time', seconds: 1.5 } }],
    ['failureRateThreshold', { failureRateThreshold: 0 }],
    ['slowCallRateThreshold', { slowCallRateThreshold: 101 }],
    ['slowCallDurationMs', { slowCallDurationMs: -1 }],
    ['minimumCalls', { minimumCalls: 0 }],
    ['waitInOpenMs', { waitInOpenMs: 0 }],
    ['permittedCallsInHalfOpen', { permittedCallsInHalfOpen: 0 }],
    ['maxWaitInHalfOpenMs', { maxWaitInHalfOpenMs: Number.NaN }],
  ] as [string, Partial<CircuitBreakerConfig>][])('rejects a bad %s', (field, bad) => {
    expect(() => makeBreaker(bad)).toThrow(
      new RegExp(`payments breaker: ${field.replace('.', '\\.')} must be`),
    );
  });

  it('rejects a negative or NaN call duration', () => {
    const { cb } = makeBreaker();
    expect(cb.tryAcquire()).toBe(true);
    expect(() => cb.onResult(-1, false)).toThrow(RangeError);
    expect(() => cb.onResult(Number.NaN, false)).toThrow(RangeError);
  });
});
