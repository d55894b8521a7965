/**
 * Circuit breaker with Resilience4j semantics (`CircuitBreakerStateMachine`,
 * `CircuitBreakerMetrics`, `FixedSizeSlidingWindowMetrics`, `SlidingTimeWindowMetrics`).
 *
 * The state is an xstate machine (`circuit-breaker.machine.ts`) on the simulation clock; the
 * per-call bookkeeping is plain code, and the machine gets an event only when a transition is
 * due. Semantics, each as in Resilience4j unless said otherwise:
 * - Window: `count` keeps the outcomes of the last `size` calls in a ring buffer; `time` keeps
 *   one bucket per simulated second (second = floor(t / 1000)) for the current second and the
 *   `seconds - 1` before it. A result is recorded at the time it is reported.
 * - A call is slow when its duration is > `slowCallDurationMs` (equal is not slow); a slow
 *   failure counts as a failure and as a slow call.
 * - Evaluation after every recorded result in CLOSED and HALF_OPEN, only once the window holds
 *   at least the minimum number of calls: `min(minimumCalls, size)` for a count window,
 *   `minimumCalls` for a time window, `min(minimumCalls, permittedCallsInHalfOpen)` in
 *   HALF_OPEN. Rates are percentages computed in float32 (`failed * 100f / total`) and trip
 *   when rate >= threshold (failure OR slow-call rule).
 * - OPEN rejects. It moves to HALF_OPEN either by a timer at exactly openedAt + wait
 *   (`automaticTransition`) or lazily on the first `tryAcquire` strictly after openedAt + wait
 *   (Resilience4j `clock.instant().isAfter(retryAfterWaitDuration)`; Hystrix also uses `>`),
 *   and that call is the first trial call. Until then the state stays `open`.
 * - HALF_OPEN permits `permittedCallsInHalfOpen` calls (then rejects), records into a fresh
 *   count window of that size, and decides once enough results are in: exceeded -> OPEN,
 *   else -> CLOSED with a fresh window. `maxWaitInHalfOpenMs > 0` reopens after that long.
 * - Results are anonymous, so they go to the state the breaker is in when they arrive
 *   (Resilience4j `stateReference.get().onError(...)`): OPEN keeps the window that tripped it
 *   and still records late results there (no evaluation); HALF_OPEN counts a late result from a
 *   CLOSED-era call as a trial result; DISABLED and FORCED_OPEN ignore results.
 * - DISABLED permits all and records nothing; FORCED_OPEN rejects all; METRICS_ONLY permits
 *   all, records, computes rates, never transitions. Commands to another state start it with a
 *   fresh window; a command to the current state only clears the window and emits nothing
 *   (Resilience4j's "internal transition"), except `reset`, which always emits (R4j publishes a
 *   reset event).
 * - Deliberate deviation: `release()` in HALF_OPEN frees a permit but never raises the count
 *   above `permittedCallsInHalfOpen` (Resilience4j increments without a cap).
 */
import { createActor } from 'xstate';
import type { Engine } from '../engine/engine.ts';
import {
  type BreakerCause,
  type BreakerMachineEvent,
  type BreakerState,
  createBreakerMachine,
} from './circuit-breaker.machine.ts';

export type { BreakerCause, BreakerState } from './circuit-breaker.machine.ts';

export interface CircuitBreakerConfig {
  /** count: last `size` calls; time: calls of the last `seconds` seconds (one bucket per second, R4j time-based). */
  readonly window:
    | { readonly kind: 'count'; readonly size: number }
    | { readonly kind: 'time'; readonly seconds: number };
  /** Percent in (0, 100]; opens when the failure rate is >= this. */
  readonly failureRateThreshold: number;
  /** Percent in (0, 100]; opens when the slow-call rate is >= this. */
  readonly slowCallRateThreshold: number;
  /** A call is slow when its duration is > this (ms). Infinity: no slow-call rule. */
  readonly slowCallDurationMs: number;
  /** No evaluation before the window holds this many calls (capped at `size` for a count window). */
  readonly minimumCalls: number;
  /** Time in OPEN before trial calls are let through (ms, >= 1). */
  readonly waitInOpenMs: number;
  /** Trial calls permitted in HALF_OPEN. */
  readonly permittedCallsInHalfOpen: number;
  /** OPEN -> HALF_OPEN by timer (true) or lazily on the next call after the wait (false, R4j default). */
  readonly automaticTransition: boolean;
  /** 0 = stay in HALF_OPEN until the trial calls decide (R4j default); else reopen after this long (ms). */
  readonly maxWaitInHalfOpenMs: number;
  /**
   * The state it starts in (default `closed`): `disabled` (always permits, records nothing),
   * `forced_open` (always rejects) or `metrics_only` (permits and records, never transitions),
   * as Resilience4j's `transitionToDisabledState()` and friends; entered at creation, with a
   * transition and its why.
   */
  readonly initialState?: 'closed' | 'disabled' | 'forced_open' | 'metrics_only';
}

export const BREAKER_PROFILES: {
  readonly resilience4j: CircuitBreakerConfig;
  readonly hystrix: CircuitBreakerConfig;
  readonly polly: CircuitBreakerConfig;
} = {
  /**
   * Resilience4j `CircuitBreakerConfig` defaults: DEFAULT_FAILURE_RATE_THRESHOLD 50,
   * DEFAULT_SLOW_CALL_RATE_THRESHOLD 100, DEFAULT_SLOW_CALL_DURATION_THRESHOLD 60 s,
   * DEFAULT_SLIDING_WINDOW_SIZE 100 (COUNT_BASED), DEFAULT_MINIMUM_NUMBER_OF_CALLS 100,
   * DEFAULT_WAIT_DURATION_IN_OPEN_STATE 60 s, DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE 10,
   * automaticTransitionFromOpenToHalfOpenEnabled false, maxWaitDurationInHalfOpenState 0.
   */
  resilience4j: {
    window: { kind: 'count', size: 100 },
    failureRateThreshold: 50,
    slowCallRateThreshold: 100,
    slowCallDurationMs: 60_000,
    minimumCalls: 100,
    waitInOpenMs: 60_000,
    permittedCallsInHalfOpen: 10,
    automaticTransition: false,
    maxWaitInHalfOpenMs: 0,
  },
  /**
   * Hystrix `HystrixCommandProperties` defaults: metricsRollingStatisticalWindow 10000 ms in 10
   * buckets, circuitBreakerRequestVolumeThreshold 20, circuitBreakerErrorThresholdPercentage 50
   * (`HystrixCircuitBreaker`: opens unless errorPercentage < threshold, i.e. at >=),
   * circuitBreakerSleepWindowInMilliseconds 5000, then a single test request decides. Hystrix
   * has no slow-call rule (timeouts count as errors). Its error percentage is an int, ours is
   * not rounded.
   */
  hystrix: {
    window: { kind: 'time', seconds: 10 },
    failureRateThreshold: 50,
    slowCallRateThreshold: 100,
    slowCallDurationMs: Number.POSITIVE_INFINITY,
    minimumCalls: 20,
    waitInOpenMs: 5_000,
    permittedCallsInHalfOpen: 1,
    automaticTransition: false,
    maxWaitInHalfOpenMs: 0,
  },
  /**
   * Polly v8 `CircuitBreakerConstants`: DefaultFailureRatio 0.1, DefaultMinimumThroughput 100,
   * DefaultSamplingDuration 30 s, DefaultBreakDuration 5 s; `AdvancedCircuitBehavior` breaks
   * when throughput >= minimum and failure rate >= ratio; half-open lets one probe through.
   * Polly samples 30 s in 10 windows of 3 s; here it is 30 one-second buckets.
   */
  polly: {
    window: { kind: 'time', seconds: 30 },
    failureRateThreshold: 10,
    slowCallRateThreshold: 100,
    slowCallDurationMs: Number.POSITIVE_INFINITY,
    minimumCalls: 100,
    waitInOpenMs: 5_000,
    permittedCallsInHalfOpen: 1,
    automaticTransition: false,
    maxWaitInHalfOpenMs: 0,
  },
};

/** The numbers behind a transition (or behind the current window, from `evidence()`). */
export interface BreakerEvidence {
  /** Which window the numbers come from: the sliding window, or the HALF_OPEN trial window. */
  readonly window: 'sliding' | 'trial';
  /** Calls in that window (for a time window: of the last `seconds` seconds). */
  readonly calls: number;
  readonly failures: number;
  /** Calls slower than `slowCallDurationMs` (failed or not). */
  readonly slow: number;
  /** Percent of `calls` that failed / were slow, float32 as in Resilience4j; 0 without calls. */
  readonly failureRate: number;
  readonly slowRate: number;
  readonly failureRateThreshold: number;
  readonly slowCallRateThreshold: number;
  readonly slowCallDurationMs: number;
  /** Calls the window needs before it is evaluated. */
  readonly minimumCalls: number;
  /** The window holds at least `minimumCalls` calls and the rate reached its threshold. */
  readonly failureRateExceeded: boolean;
  readonly slowRateExceeded: boolean;
  /** How long the breaker had been in the state it left (or is in), ms. */
  readonly inStateMs: number;
  /** Totals since creation. */
  readonly permitted: number;
  readonly rejected: number;
}

export interface BreakerTransition {
  readonly at: number;
  readonly breaker: string;
  readonly from: BreakerState;
  readonly to: BreakerState;
  /** What caused it; `reset` may have from === to. */
  readonly cause: BreakerCause;
  /** Plain-language why, e.g. "payments breaker opened at 31.2 s: 27 of the last 50 calls failed (54% ≥ 50%)". */
  readonly why: string;
  /** Numbers behind `why` (the window as it was just before the transition). */
  readonly evidence: BreakerEvidence;
}

export interface CircuitBreakerDeps {
  /** For `now` and `clock`. */
  readonly engine: Engine;
  readonly onTransition?: (t: BreakerTransition) => void;
}

export interface CircuitBreaker {
  readonly name: string;
  readonly state: BreakerState;
  /** Simulated time at which the current state was entered. */
  readonly since: number;
  /**
   * Asks to make a call at engine.now. false = rejected (counted in `rejected`, never enters the
   * window). Performs the lazy OPEN -> HALF_OPEN transition when the wait is over.
   */
  tryAcquire(): boolean;
  /** Reports the result of a permitted call: its duration (ms) and whether it failed. */
  onResult(durationMs: number, failed: boolean): void;
  /** Releases a permitted call that produced no result (e.g. cancelled): in HALF_OPEN frees its permit. */
  release(): void;
  /** Commands (R4j transitionToDisabledState / ForcedOpen / MetricsOnly / ClosedState, reset). */
  disable(): void;
  forceOpen(): void;
  metricsOnly(): void;
  close(): void;
  reset(): void;
  /** The current window's numbers at engine.now. */
  evidence(): BreakerEvidence;
  /** Calls rejected so far. */
  readonly rejected: number;
  /** Calls permitted so far. */
  readonly permitted: number;
  /** Releases the actor (stops timers). The breaker keeps its last state and no longer changes it. */
  stop(): void;
}

// ---------------------------------------------------------------------------------------------
// Windows (plain code, no allocation per call)

const FAILED = 1;
const SLOW = 2;

interface CallWindow {
  readonly calls: number;
  readonly failures: number;
  readonly slow: number;
  /** Brings a time window up to `now` (drops buckets that left it); no-op for a count window. */
  advance(now: number): void;
  record(now: number, outcome: number): void;
}

/** Outcomes of the last `size` calls (R4j FixedSizeSlidingWindowMetrics). */
class CountWindow implements CallWindow {
  calls = 0;
  failures = 0;
  slow = 0;
  private readonly outcomes: Uint8Array;
  private head = 0;

  constructor(private readonly size: number) {
    this.outcomes = new Uint8Array(size);
  }

  advance(): void {}

  record(_now: number, outcome: number): void {
    if (this.calls === this.size) {
      const old = this.outcomes[this.head]!;
      this.failures -= old & FAILED;
      this.slow -= (old & SLOW) >> 1;
    } else {
      this.calls++;
    }
    this.outcomes[this.head] = outcome;
    this.head = (this.head + 1) % this.size;
    this.failures += outcome & FAILED;
    this.slow += (outcome & SLOW) >> 1;
  }
}

/** One bucket per simulated second, for the current second and the `seconds - 1` before it (R4j SlidingTimeWindowMetrics). */
class TimeWindow implements CallWindow {
  calls = 0;
  failures = 0;
  slow = 0;
  private readonly bucketCalls: Float64Array;
  private readonly bucketFailures: Float64Array;
  private readonly bucketSlow: Float64Array;
  private latestSecond: number;

  constructor(
    private readonly seconds: number,
    now: number,
  ) {
    this.bucketCalls = new Float64Array(seconds);
    this.bucketFailures = new Float64Array(seconds);
    this.bucketSlow = new Float64Array(seconds);
    this.latestSecond = Math.floor(now / 1000);
  }

  advance(now: number): void {
    const second = Math.floor(now / 1000);
    if (second <= this.latestSecond) return;
    for (let s = Math.max(this.latestSecond + 1, second - this.seconds + 1); s <= second; s++) {
      const i = s % this.seconds;
      this.calls -= this.bucketCalls[i]!;
      this.failures -= this.bucketFailures[i]!;
      this.slow -= this.bucketSlow[i]!;
      this.bucketCalls[i] = 0;
      this.bucketFailures[i] = 0;
      this.bucketSlow[i] = 0;
    }
    this.latestSecond = second;
  }

  record(now: number, outcome: number): void {
    this.advance(now);
    const i = this.latestSecond % this.seconds;
    const failed = outcome & FAILED;
    const slow = (outcome & SLOW) >> 1;
    this.bucketCalls[i]!++;
    this.bucketFailures[i]! += failed;
    this.bucketSlow[i]! += slow;
    this.calls++;
    this.failures += failed;
    this.slow += slow;
  }
}

/** Percentage as Resilience4j computes it: `count * 100.0f / total` in float32. */
function percent(count: number, total: number): number {
  return total === 0 ? 0 : Math.fround((count * 100) / total);
}

// ---------------------------------------------------------------------------------------------
// The breaker

export function createCircuitBreaker(
  name: string,
  config: CircuitBreakerConfig,
  deps: CircuitBreakerDeps,
): CircuitBreaker {
  validateConfig(name, config);
  const { engine } = deps;
  const permittedInHalfOpen = config.permittedCallsInHalfOpen;
  const slidingMinimum =
    config.window.kind === 'count' ? Math.min(config.minimumCalls, config.window.size) : config.minimumCalls;
  const trialMinimum = Math.min(config.minimumCalls, permittedInHalfOpen);
  // Thresholds are floats in Resilience4j too.
  const failureThreshold = Math.fround(config.failureRateThreshold);
  const slowThreshold = Math.fround(config.slowCallRateThreshold);

  const newSlidingWindow = (): CallWindow =>
    config.window.kind === 'count'
      ? new CountWindow(config.window.size)
      : new TimeWindow(config.window.seconds, engine.now);

  let state: BreakerState = 'closed';
  let since = engine.now;
  let window = newSlidingWindow();
  let windowKind: 'sliding' | 'trial' = 'sliding';
  let minimum = slidingMinimum;
  let trialPermits = 0;
  let permitted = 0;
  let rejected = 0;
  let stopped = false;

  const evidenceNow = (): BreakerEvidence => {
    window.advance(engine.now);
    const { calls, failures, slow } = window;
    const failureRate = percent(failures, calls);
    const slowRate = percent(slow, calls);
    const evaluable = calls > 0 && calls >= minimum;
    return {
      window: windowKind,
      calls,
      failures,
      slow,
      failureRate,
      slowRate,
      failureRateThreshold: config.failureRateThreshold,
      slowCallRateThreshold: config.slowCallRateThreshold,
      slowCallDurationMs: config.slowCallDurationMs,
      minimumCalls: minimum,
      failureRateExceeded: evaluable && failureRate >= failureThreshold,
      slowRateExceeded: evaluable && slowRate >= slowThreshold,
      inStateMs: engine.now - since,
      permitted,
      rejected,
    };
  };

  /** Switches the bookkeeping to `to` (called once the machine has entered it). */
  const enter = (to: BreakerState): void => {
    state = to;
    since = engine.now;
    switch (to) {
      case 'open':
        // R4j: OPEN keeps the metrics of the state it came from.
        break;
      case 'half_open':
        window = new CountWindow(permittedInHalfOpen);
        windowKind = 'trial';
        minimum = trialMinimum;
        trialPermits = permittedInHalfOpen;
        break;
      default:
        window = newSlidingWindow();
        windowKind = 'sliding';
        minimum = slidingMinimum;
    }
  };

  const actor = createActor(
    createBreakerMachine({
      waitInOpenMs: config.waitInOpenMs,
      automaticTransition: config.automaticTransition,
      maxWaitInHalfOpenMs: config.maxWaitInHalfOpenMs,
    }),
    { clock: engine.clock },
  );
  // Runs synchronously inside `actor.send` and inside the timer's engine event.
  actor.subscribe((snapshot) => {
    const to = snapshot.value;
    if (to === state) return;
    const from = state;
    const cause = snapshot.context.cause;
    const evidence = evidenceNow();
    const why = explain(name, config, engine.now, from, to, cause, evidence);
    enter(to);
    deps.onTransition?.({ at: engine.now, breaker: name, from, to, cause, why, evidence });
  });
  actor.start();

  const send = (event: BreakerMachineEvent): void => {
    if (!stopped) actor.send(event);
  };

  const acquireTrial = (): boolean => {
    if (trialPermits > 0) {
      trialPermits--;
      permitted++;
      return true;
    }
    rejected++;
    return false;
  };

  const command = (to: BreakerState, event: BreakerMachineEvent): void => {
    if (stopped) return;
    if (state === to) {
      // R4j still replaces the state object (fresh metrics) but publishes no transition.
      enter(to);
      return;
    }
    send(event);
  };

  const breaker: CircuitBreaker = {
    name,
    get state() {
      return state;
    },
    get since() {
      return since;
    },
    get permitted() {
      return permitted;
    },
    get rejected() {
      return rejected;
    },
    tryAcquire() {
      switch (state) {
        case 'closed':
        case 'disabled':
        case 'metrics_only':
          permitted++;
          return true;
        case 'half_open':
          return acquireTrial();
        case 'open':
          if (engine.now > since + config.waitInOpenMs && !stopped) {
            send({ type: 'call_after_wait' });
            return acquireTrial();
          }
          rejected++;
          return false;
        case 'forced_open':
          rejected++;
          return false;
      }
    },
    onResult(durationMs, failed) {
      if (!(durationMs >= 0)) {
        throw new RangeError(`${name} breaker: a call duration must be >= 0 ms, got ${durationMs}`);
      }
      if (state === 'disabled' || state === 'forced_open') return;
      const outcome = (failed ? FAILED : 0) | (durationMs > config.slowCallDurationMs ? SLOW : 0);
      window.record(engine.now, outcome);
      if (state !== 'closed' && state !== 'half_open') return; // OPEN, METRICS_ONLY: record only
      const calls = window.calls;
      if (calls === 0 || calls < minimum) return;
      const exceeded =
        percent(window.failures, calls) >= failureThreshold || percent(window.slow, calls) >= slowThreshold;
      if (exceeded) send({ type: 'thresholds_exceeded' });
      else if (state === 'half_open') send({ type: 'below_thresholds' });
    },
    release() {
      if (state === 'half_open' && trialPermits < permittedInHalfOpen) trialPermits++;
    },
    disable() {
      command('disabled', { type: 'disable' });
    },
    forceOpen() {
      command('forced_open', { type: 'force_open' });
    },
    metricsOnly() {
      command('metrics_only', { type: 'metrics_only' });
    },
    close() {
      command('closed', { type: 'close' });
    },
    reset() {
      if (stopped) return;
      if (state === 'closed') {
        // The machine does not move; report the reset and start a fresh window ourselves.
        const evidence = evidenceNow();
        const why = explain(name, config, engine.now, 'closed', 'closed', 'reset', evidence);
        enter('closed');
        deps.onTransition?.({
          at: engine.now,
          breaker: name,
          from: 'closed',
          to: 'closed',
          cause: 'reset',
          why,
          evidence,
        });
        return;
      }
      send({ type: 'reset' });
    },
    evidence: evidenceNow,
    stop() {
      if (stopped) return;
      stopped = true;
      actor.stop();
    },
  };
  if (config.initialState === 'disabled') breaker.disable();
  else if (config.initialState === 'forced_open') breaker.forceOpen();
  else if (config.initialState === 'metrics_only') breaker.metricsOnly();
  return breaker;
}

// ---------------------------------------------------------------------------------------------
// Explanations

/** "31.2 s": simulated time with one decimal. */
function formatTime(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** "60 s", "1.5 s", "500 ms". */
function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '∞';
  if (ms < 1000) return `${ms} ms`;
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** "54% ≥ 50%": rate and threshold, with enough decimals that unequal values never print equal. */
function formatComparison(rate: number, threshold: number, exceeded: boolean): string {
  let decimals = 1;
  let r = Number(rate.toFixed(decimals));
  let t = Number(threshold.toFixed(decimals));
  while (r === t && rate !== threshold && decimals < 6) {
    decimals++;
    r = Number(rate.toFixed(decimals));
    t = Number(threshold.toFixed(decimals));
  }
  return `${r}% ${exceeded ? '≥' : '<'} ${t}%`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "27 of the last 50 calls failed (54% ≥ 50%)", and/or the slow-call clause. */
function describeRates(config: CircuitBreakerConfig, e: BreakerEvidence, opening: boolean): string {
  const of =
    e.window === 'trial'
      ? `${e.calls} trial ${e.calls === 1 ? 'call' : 'calls'}`
      : config.window.kind === 'count'
        ? `the last ${plural(e.calls, 'call', 'calls')}`
        : `the ${plural(e.calls, 'call', 'calls')} in the last ${formatDuration(config.window.seconds * 1000)}`;
  const failed = `${e.failures} of ${of} failed (${formatComparison(e.failureRate, e.failureRateThreshold, e.failureRateExceeded)})`;
  const slowClause = `slower than ${formatDuration(e.slowCallDurationMs)} (${formatComparison(e.slowRate, e.slowCallRateThreshold, e.slowRateExceeded)})`;
  if (opening) {
    if (e.failureRateExceeded && e.slowRateExceeded) {
      return `${failed} and ${e.slow} ${e.slow === 1 ? 'was' : 'were'} ${slowClause}`;
    }
    if (e.slowRateExceeded) return `${e.slow} of ${of} ${e.slow === 1 ? 'was' : 'were'} ${slowClause}`;
    return failed;
  }
  return e.slow > 0 ? `${failed} and ${e.slow} ${e.slow === 1 ? 'was' : 'were'} ${slowClause}` : failed;
}

const STATE_WORDS: Record<BreakerState, string> = {
  closed: 'closed',
  open: 'opened',
  half_open: 'half-open',
  disabled: 'disabled',
  forced_open: 'forced open',
  metrics_only: 'switched to metrics-only',
};

function explain(
  name: string,
  config: CircuitBreakerConfig,
  now: number,
  from: BreakerState,
  to: BreakerState,
  cause: BreakerCause,
  e: BreakerEvidence,
): string {
  const at = formatTime(now);
  const trials = `letting ${plural(config.permittedCallsInHalfOpen, 'trial call', 'trial calls')} through`;
  switch (cause) {
    case 'thresholds_exceeded':
      return `${name} breaker ${from === 'half_open' ? 'reopened' : 'opened'} at ${at}: ${describeRates(config, e, true)}`;
    case 'below_thresholds':
      return `${name} breaker closed at ${at}: ${describeRates(config, e, false)}`;
    case 'wait_elapsed':
      return `${name} breaker half-open at ${at}: ${formatDuration(config.waitInOpenMs)} in OPEN passed; ${trials}`;
    case 'call_after_wait':
      return `${name} breaker half-open at ${at}: the ${formatDuration(config.waitInOpenMs)} wait in OPEN was over and a call arrived; ${trials}`;
    case 'max_wait_elapsed':
      return `${name} breaker reopened at ${at}: ${formatDuration(config.maxWaitInHalfOpenMs)} in HALF_OPEN passed with only ${e.calls} of ${config.permittedCallsInHalfOpen} trial results in`;
    case 'reset':
      return `${name} breaker reset at ${at} by command: closed with a fresh window`;
    default:
      switch (to) {
        case 'disabled':
          return `${name} breaker disabled at ${at} by command: every call passes and nothing is recorded`;
        case 'forced_open':
          return `${name} breaker forced open at ${at} by command: every call is rejected`;
        case 'metrics_only':
          return `${name} breaker switched to metrics-only at ${at} by command: every call passes and is recorded, but it never trips`;
        default:
          return `${name} breaker ${STATE_WORDS[to]} at ${at} by command: fresh window`;
      }
  }
}

/** One line, for docs and help. */
export function describeBreakerConfig(c: CircuitBreakerConfig): string {
  const window =
    c.window.kind === 'count'
      ? `last ${plural(c.window.size, 'call', 'calls')}`
      : `calls of the last ${formatDuration(c.window.seconds * 1000)} (1 s buckets)`;
  const minimum = c.window.kind === 'count' ? Math.min(c.minimumCalls, c.window.size) : c.minimumCalls;
  const slow = Number.isFinite(c.slowCallDurationMs)
    ? ` or ≥ ${c.slowCallRateThreshold}% slower than ${formatDuration(c.slowCallDurationMs)}`
    : '';
  const transition = c.automaticTransition ? 'by timer' : 'on the next call';
  const maxWait =
    c.maxWaitInHalfOpenMs > 0 ? `, reopens after ${formatDuration(c.maxWaitInHalfOpenMs)} undecided` : '';
  return (
    `opens at ≥ ${c.failureRateThreshold}% failures${slow} over the ${window} (once ≥ ${plural(minimum, 'call', 'calls')}); ` +
    `stays open ${formatDuration(c.waitInOpenMs)}, then half-open ${transition} with ${plural(c.permittedCallsInHalfOpen, 'trial call', 'trial calls')}${maxWait}`
  );
}

function validateConfig(name: string, c: CircuitBreakerConfig): void {
  const fail = (field: string, rule: string, value: unknown): never => {
    throw new RangeError(`${name} breaker: ${field} must be ${rule}, got ${String(value)}`);
  };
  const isCount = (v: number) => Number.isInteger(v) && v >= 1;
  if (c.window.kind === 'count') {
    if (!isCount(c.window.size)) fail('window.size', 'an integer >= 1', c.window.size);
  } else if (!isCount(c.window.seconds)) fail('window.seconds', 'an integer >= 1', c.window.seconds);
  if (!(c.failureRateThreshold > 0 && c.failureRateThreshold <= 100)) {
    fail('failureRateThreshold', 'a percentage in (0, 100]', c.failureRateThreshold);
  }
  if (!(c.slowCallRateThreshold > 0 && c.slowCallRateThreshold <= 100)) {
    fail('slowCallRateThreshold', 'a percentage in (0, 100]', c.slowCallRateThreshold);
  }
  if (!(c.slowCallDurationMs >= 0)) fail('slowCallDurationMs', '>= 0 ms', c.slowCallDurationMs);
  if (!isCount(c.minimumCalls)) fail('minimumCalls', 'an integer >= 1', c.minimumCalls);
  if (!(c.waitInOpenMs >= 1 && Number.isFinite(c.waitInOpenMs))) {
    fail('waitInOpenMs', 'a finite number >= 1 ms', c.waitInOpenMs);
  }
  if (!isCount(c.permittedCallsInHalfOpen)) {
    fail('permittedCallsInHalfOpen', 'an integer >= 1', c.permittedCallsInHalfOpen);
  }
  if (!(c.maxWaitInHalfOpenMs >= 0 && Number.isFinite(c.maxWaitInHalfOpenMs))) {
    fail('maxWaitInHalfOpenMs', 'a finite number >= 0 ms', c.maxWaitInHalfOpenMs);
  }
}
