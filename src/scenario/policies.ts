/**
 * Resilience settings as written and read: a caller's client policy (timeout, deadline, retry,
 * breaker, bulkhead, rate limiter, fallback, order, scope), a service's inbound protections and
 * its outlier detection. Every reader checks its own map (types, units, ranges, the layers of
 * `order`); references to other services are checked by build-policies.ts.
 */
import {
  type ClientPolicySpec,
  DEFAULT_POLICY_ORDER,
  type InboundSpec,
  type PolicyLayer,
  type RetrySpec,
} from '../model/world-spec.ts';
import type { BackoffSpec } from '../patterns/backoff.ts';
import { BULKHEAD_DEFAULTS } from '../patterns/bulkhead.ts';
import { BREAKER_PROFILES, type CircuitBreakerConfig } from '../patterns/circuit-breaker.ts';
import { OUTLIER_DEFAULTS, type OutlierSpec } from '../patterns/outlier-detector.ts';
import type { RateLimiterSpec } from '../patterns/rate-limiter.ts';
import { RETRY_BUDGET_DEFAULTS, type RetryBudgetSpec } from '../patterns/retry-budget.ts';
import { FAILURE_REASONS, type FailureReason } from '../signals.ts';
import { type BackoffInput, backoffValue } from './backoff-text.ts';
import { didYouMean } from './did-you-mean.ts';
import {
  booleanValue,
  choiceValue,
  FieldReader,
  mapOf,
  percentValue,
  shortDuration,
} from './field-reader.ts';
import type { DurationInput, RateInput, RatioInput } from './fields.ts';
import { describeValue, invalid } from './invalid-value.ts';
import { durationMs, integerValue, ratePerSec } from './units.ts';

/** Resilience4j's default wait between attempts: a fixed 500 ms. */
export const DEFAULT_BACKOFF: BackoffSpec = { kind: 'fixed', delayMs: 500 };
/** Resilience4j's `maxAttempts` default (the first call included). */
export const DEFAULT_MAX_ATTEMPTS = 3;
/** Failure reasons retried by default: all but a breaker's rejection (retrying it is pointless). */
export const DEFAULT_RETRY_ON: readonly FailureReason[] = FAILURE_REASONS.filter((r) => r !== 'circuit_open');
/** Resilience4j's `RateLimiterConfig.timeoutDuration`: how long a `wait`-mode caller may wait. */
export const DEFAULT_RATE_LIMITER_WAIT_MS = 5000;

export type BreakerProfile = keyof typeof BREAKER_PROFILES;
const PROFILES = Object.keys(BREAKER_PROFILES) as BreakerProfile[];
const LAYERS: readonly PolicyLayer[] = DEFAULT_POLICY_ORDER;

/** `retry:` as written: a number of attempts, or the full map. */
export type RetryInput =
  | number
  | {
      maxAttempts?: number;
      maxRetries?: number;
      backoff?: BackoffInput;
      on?: FailureReason[];
      budget?: boolean | { percent?: RatioInput; min?: number };
    };

/** `breaker:` as written: a profile name, `true` (Resilience4j's defaults), or the full map. */
export type BreakerInput =
  | BreakerProfile
  | true
  | {
      profile?: BreakerProfile;
      failureRate?: RatioInput;
      slowCallRate?: RatioInput;
      slowCallDuration?: DurationInput;
      window?: string;
      minimumCalls?: number;
      waitInOpen?: DurationInput;
      permittedInHalfOpen?: number;
      automaticTransition?: boolean;
      maxWaitInHalfOpen?: DurationInput;
    };

export interface RateLimiterInput {
  rate: RateInput;
  burst?: number;
  mode?: 'reject' | 'wait';
  maxWait?: DurationInput;
  refill?: DurationInput;
}

/** The policies of a caller on its calls to one service (or a workload's client). */
export interface ClientPolicyInput {
  timeout?: DurationInput;
  deadline?: DurationInput;
  propagateDeadline?: boolean;
  retry?: RetryInput;
  breaker?: BreakerInput;
  bulkhead?: true | { maxConcurrent?: number; maxWait?: DurationInput };
  rateLimiter?: RateLimiterInput;
  fallback?: boolean;
  order?: PolicyLayer[];
  scope?: 'instance' | 'service';
}

export interface InboundInput {
  rateLimiter?: Omit<RateLimiterInput, 'mode' | 'maxWait'>;
  shed?: { maxQueueWait: DurationInput };
}

export type OutlierInput =
  | boolean
  | {
      consecutiveErrors?: number;
      baseEjectionTime?: DurationInput;
      maxEjectionTime?: DurationInput;
      maxEjectionPercent?: RatioInput;
      alwaysEjectOneHost?: boolean;
      interval?: DurationInput;
    };

const positive = (example: string) => (raw: unknown) => durationMs(raw, { positive: true, example });
const nonNegative = (example: string) => (raw: unknown) => durationMs(raw, { example });
const integer = (min: number) => (raw: unknown) => integerValue(raw, min);

function retryOn(raw: unknown): ReadonlySet<FailureReason> {
  if (!Array.isArray(raw)) {
    throw invalid(
      `expected a list of failure reasons such as [timeout, queue_full], got ${describeValue(raw)}`,
    );
  }
  if (raw.length === 0) throw invalid('list at least one failure reason to retry (or leave out retry)');
  const reasons = new Set<FailureReason>();
  const problems: string[] = [];
  raw.forEach((item, i) => {
    if (typeof item === 'string' && (FAILURE_REASONS as readonly string[]).includes(item)) {
      if (reasons.has(item as FailureReason)) problems.push(`"${item}" is listed twice`);
      reasons.add(item as FailureReason);
    } else {
      const hint = typeof item === 'string' ? didYouMean(item, FAILURE_REASONS) : '';
      problems.push(`item ${i}: unknown failure reason ${describeValue(item)}${hint}`);
    }
  });
  if (problems.length > 0) {
    throw invalid(`${problems.join('; ')}; the reasons are ${FAILURE_REASONS.join(', ')}`);
  }
  return reasons;
}

function retryBudget(raw: unknown): RetryBudgetSpec | null {
  if (raw === true) return RETRY_BUDGET_DEFAULTS;
  if (raw === false) return null;
  const r = new FieldReader(mapOf(raw, 'true or a map {percent: 20%, min: 3}'), ['percent', 'min']);
  const percent = r.optional('percent', (v) => percentValue(v, { example: '20%' }));
  const min = r.optional('min', integer(0));
  r.done();
  return {
    percent: percent ?? RETRY_BUDGET_DEFAULTS.percent,
    minConcurrent: min ?? RETRY_BUDGET_DEFAULTS.minConcurrent,
  };
}

export function retryValue(raw: unknown): RetrySpec {
  const defaults = { backoff: DEFAULT_BACKOFF, retryOn: new Set(DEFAULT_RETRY_ON), budget: null };
  if (typeof raw === 'number') {
    const maxAttempts = integerValue(raw, 1);
    return { maxAttempts, ...defaults };
  }
  const map = mapOf(raw, 'a number of attempts such as 3, or a map {maxAttempts: 3, backoff: …}');
  const r = new FieldReader(map, ['maxAttempts', 'maxRetries', 'backoff', 'on', 'budget']);
  const maxAttempts = r.optional('maxAttempts', integer(1));
  const maxRetries = r.optional('maxRetries', integer(0));
  if (r.has('maxAttempts') && r.has('maxRetries')) {
    r.add(
      'give either maxAttempts (the first call included, Resilience4j) or maxRetries (Envoy), not both',
      ['maxRetries'],
      'key',
    );
  }
  const backoff = r.optional('backoff', backoffValue);
  const on = r.optional('on', retryOn);
  const budget = r.optional('budget', retryBudget);
  r.done();
  return {
    maxAttempts: maxAttempts ?? (maxRetries === undefined ? DEFAULT_MAX_ATTEMPTS : maxRetries + 1),
    backoff: backoff ?? defaults.backoff,
    retryOn: on ?? defaults.retryOn,
    budget: budget ?? null,
  };
}

/** `100 calls` (count-based) or a whole number of seconds such as `10s` (time-based). */
function breakerWindow(raw: unknown): CircuitBreakerConfig['window'] {
  const expected = 'a window such as "100 calls" (count-based) or "10s" (time-based)';
  if (typeof raw === 'number') {
    throw invalid(`expected ${expected}, got ${raw} (write "${raw} calls" for a count-based window)`);
  }
  if (typeof raw !== 'string') throw invalid(`expected ${expected}, got ${describeValue(raw)}`);
  const count = /^\s*(\d+)\s*calls?\s*$/.exec(raw);
  if (count !== null) {
    const size = Number(count[1]);
    if (!Number.isSafeInteger(size) || size < 1) {
      throw invalid(
        `expected ${expected}, got ${describeValue(raw)} (a count-based window holds 1 call or more)`,
      );
    }
    return { kind: 'count', size };
  }
  const ms = durationMs(raw, { positive: true, example: '10s' });
  if (ms % 1000 !== 0) {
    throw invalid(
      `expected ${expected}, got ${describeValue(raw)} (a time-based window is a whole number of seconds)`,
    );
  }
  return { kind: 'time', seconds: ms / 1000 };
}

export function breakerValue(raw: unknown): CircuitBreakerConfig {
  if (raw === true) return BREAKER_PROFILES.resilience4j;
  if (typeof raw === 'string') return BREAKER_PROFILES[choiceValue(raw, PROFILES)];
  const map = mapOf(raw, `a profile (${PROFILES.join(', ')}) or a map {failureRate: 50%, …}`);
  const r = new FieldReader(map, [
    'profile',
    'failureRate',
    'slowCallRate',
    'slowCallDuration',
    'window',
    'minimumCalls',
    'waitInOpen',
    'permittedInHalfOpen',
    'automaticTransition',
    'maxWaitInHalfOpen',
    'state',
  ]);
  const profile = r.optional('profile', (v) => choiceValue(v, PROFILES));
  const failureRate = r.optional('failureRate', percentValue);
  const slowCallRate = r.optional('slowCallRate', (v) => percentValue(v, { example: '100%' }));
  const slowCallDuration = r.optional('slowCallDuration', (v) =>
    v === 'none' ? Number.POSITIVE_INFINITY : durationMs(v, { positive: true, example: '60s' }),
  );
  const window = r.optional('window', breakerWindow);
  const minimumCalls = r.optional('minimumCalls', integer(1));
  const waitInOpen = r.optional('waitInOpen', (v) => {
    const ms = durationMs(v, { example: '60s' });
    if (ms < 1) throw invalid(`expected a duration of at least 1ms such as "60s", got ${describeValue(v)}`);
    return ms;
  });
  const permitted = r.optional('permittedInHalfOpen', integer(1));
  const automatic = r.optional('automaticTransition', booleanValue);
  const maxWaitInHalfOpen = r.optional('maxWaitInHalfOpen', nonNegative('0s'));
  const state = r.optional('state', (v) => choiceValue(v, INITIAL_STATES));
  r.done();
  const base = BREAKER_PROFILES[profile ?? 'resilience4j'];
  return {
    window: window ?? base.window,
    failureRateThreshold: failureRate ?? base.failureRateThreshold,
    slowCallRateThreshold: slowCallRate ?? base.slowCallRateThreshold,
    slowCallDurationMs: slowCallDuration ?? base.slowCallDurationMs,
    minimumCalls: minimumCalls ?? base.minimumCalls,
    waitInOpenMs: waitInOpen ?? base.waitInOpenMs,
    permittedCallsInHalfOpen: permitted ?? base.permittedCallsInHalfOpen,
    automaticTransition: automatic ?? base.automaticTransition,
    maxWaitInHalfOpenMs: maxWaitInHalfOpen ?? base.maxWaitInHalfOpenMs,
    ...(state === undefined || state === 'closed' ? {} : { initialState: state }),
  };
}

/** States a breaker may start in (Resilience4j's special states included). */
const INITIAL_STATES = ['closed', 'disabled', 'forced_open', 'metrics_only'] as const;

function bulkheadValue(raw: unknown): NonNullable<ClientPolicySpec['bulkhead']> {
  if (raw === true) return BULKHEAD_DEFAULTS;
  const r = new FieldReader(mapOf(raw, 'true or a map {maxConcurrent: 25, maxWait: 0s}'), [
    'maxConcurrent',
    'maxWait',
  ]);
  const maxConcurrent = r.optional('maxConcurrent', integer(1));
  const maxWaitMs = r.optional('maxWait', nonNegative('10ms'));
  r.done();
  return {
    maxConcurrent: maxConcurrent ?? BULKHEAD_DEFAULTS.maxConcurrent,
    maxWaitMs: maxWaitMs ?? BULKHEAD_DEFAULTS.maxWaitMs,
  };
}

/**
 * A token bucket. `inbound` limiters (per instance, Envoy's local rate limit) always reject at
 * once: they accept neither `mode` nor `maxWait`.
 */
export function rateLimiterValue(raw: unknown, inbound = false): RateLimiterSpec {
  const keys = inbound ? ['rate', 'burst', 'refill'] : ['rate', 'burst', 'mode', 'maxWait', 'refill'];
  const why = (key: string) =>
    `an inbound rate limiter rejects at once (Envoy's local rate limit): "${key}" applies to a client's rateLimiter only`;
  const explained: Record<string, string> = inbound ? { mode: why('mode'), maxWait: why('maxWait') } : {};
  const r = new FieldReader(mapOf(raw, 'a map {rate: 100/s, burst: 100, …}'), keys, explained);
  const rate = r.required('rate', 'a rate such as "100/s"', (v) => {
    const perSec = ratePerSec(v);
    if (!(perSec > 0))
      throw invalid(`expected a rate greater than 0 such as "100/s", got ${describeValue(v)}`);
    return perSec;
  });
  const burst = r.optional('burst', integer(1));
  const mode = r.optional('mode', (v) => choiceValue(v, ['reject', 'wait'] as const));
  const maxWait = r.optional('maxWait', nonNegative('100ms'));
  const refill = r.optional('refill', (v): RateLimiterSpec['refill'] =>
    v === 'continuous'
      ? 'continuous'
      : {
          intervalMs: durationMs(v, { positive: true, example: '1s' }),
        },
  );
  if (maxWait !== undefined && (mode ?? 'reject') === 'reject') {
    r.add('"maxWait" applies to mode: wait only (mode reject refuses at once)', ['maxWait'], 'key');
  }
  r.done();
  const refillSpec = refill ?? 'continuous';
  // One second of tokens (continuous), or the tokens of one refill (Resilience4j's limitForPeriod).
  const perFill = refillSpec === 'continuous' ? rate! : (rate! * refillSpec.intervalMs) / 1000;
  const m = mode ?? 'reject';
  return {
    ratePerSec: rate!,
    burst: burst ?? Math.max(1, Math.ceil(perFill)),
    mode: m,
    maxWaitMs: m === 'wait' ? (maxWait ?? DEFAULT_RATE_LIMITER_WAIT_MS) : 0,
    refill: refillSpec,
  };
}

function orderValue(raw: unknown): PolicyLayer[] {
  if (!Array.isArray(raw)) {
    throw invalid(
      `expected a list of layers, outermost first, such as [retry, breaker, timeout], got ${describeValue(raw)}`,
    );
  }
  return raw.map((item, i) => {
    if (typeof item === 'string' && (LAYERS as readonly string[]).includes(item)) return item as PolicyLayer;
    const hint = typeof item === 'string' ? didYouMean(item, LAYERS) : '';
    throw invalid(`unknown layer ${describeValue(item)}${hint}; the layers are ${LAYERS.join(', ')}`, [i]);
  });
}

/** Checks an explicit `order` against the configured layers. */
function checkOrder(order: readonly PolicyLayer[], configured: readonly PolicyLayer[], r: FieldReader): void {
  const seen = new Set<PolicyLayer>();
  order.forEach((layer, i) => {
    if (seen.has(layer)) r.add(`order lists ${layer} twice`, ['order', i]);
    else if (!configured.includes(layer))
      r.add(`order lists ${layer} but no ${layer} is configured`, ['order', i]);
    seen.add(layer);
  });
  const missing = configured.filter((l) => !seen.has(l));
  if (missing.length > 0) {
    r.add(
      `order misses ${missing.join(' and ')}: list every configured layer once (configured: ${configured.join(', ')})`,
      ['order'],
    );
  }
}

const POLICY_KEYS = [
  'timeout',
  'deadline',
  'propagateDeadline',
  'retry',
  'breaker',
  'bulkhead',
  'rateLimiter',
  'fallback',
  'order',
  'scope',
];

/**
 * A client policy. `workload`: the client of a workload, one process, so `scope` does not apply.
 * Throws `InvalidValue` with every problem (paths within the policy).
 */
export function clientPolicyValue(raw: unknown, workload: boolean): ClientPolicySpec {
  const keys = workload ? POLICY_KEYS.filter((k) => k !== 'scope') : POLICY_KEYS;
  const explained = {
    scope: '"scope" applies to a service\'s clients only: a workload\'s client is a single process',
  };
  const r = new FieldReader(
    mapOf(raw, 'a map of policies such as {timeout: 2s, retry: 3}'),
    keys,
    workload ? explained : {},
  );
  const timeoutMs = r.optional('timeout', positive('2s'));
  const deadlineMs = r.optional('deadline', positive('5s'));
  const propagate = r.optional('propagateDeadline', booleanValue);
  const retry = r.optional('retry', retryValue);
  const breaker = r.optional('breaker', breakerValue);
  const bulkhead = r.optional('bulkhead', bulkheadValue);
  const rateLimiter = r.optional('rateLimiter', (v) => rateLimiterValue(v));
  const fallback = r.optional('fallback', booleanValue);
  const order = r.optional('order', orderValue);
  const scope = workload
    ? undefined
    : r.optional('scope', (v) => choiceValue(v, ['instance', 'service'] as const));
  const present = keys.filter((k) => r.has(k));
  if (present.length === 0 || present.every((k) => k === 'order' || k === 'scope')) {
    r.add('configure at least one of timeout, deadline, retry, breaker, bulkhead, rateLimiter, fallback');
  }
  if (propagate === true && !r.has('timeout') && !r.has('deadline')) {
    r.add('propagateDeadline needs a timeout or a deadline to propagate', ['propagateDeadline']);
  }
  const configured = LAYERS.filter((layer) => r.has(layer));
  if (order !== undefined) checkOrder(order, configured, r);
  r.done();
  return {
    timeoutMs: timeoutMs ?? null,
    deadlineMs: deadlineMs ?? null,
    propagateDeadline: propagate ?? false,
    retry: retry ?? null,
    breaker: breaker ?? null,
    bulkhead: bulkhead ?? null,
    rateLimiter: rateLimiter ?? null,
    fallback: fallback ?? false,
    order: order ?? configured,
    // A workload's client is one process: one set of pattern state, whatever the scope.
    scope: workload ? 'service' : (scope ?? 'instance'),
  };
}

export function inboundValue(raw: unknown): InboundSpec {
  const r = new FieldReader(mapOf(raw, 'a map {rateLimiter: {…}, shed: {maxQueueWait: 200ms}}'), [
    'rateLimiter',
    'shed',
  ]);
  const rateLimiter = r.optional('rateLimiter', (v) => rateLimiterValue(v, true));
  const shed = r.optional('shed', (v) => {
    const s = new FieldReader(mapOf(v, 'a map {maxQueueWait: 200ms}'), ['maxQueueWait']);
    const ms = s.required('maxQueueWait', 'a duration such as "200ms"', nonNegative('200ms'));
    s.done();
    return ms!;
  });
  if (!r.has('rateLimiter') && !r.has('shed')) r.add('configure rateLimiter, shed, or both');
  r.done();
  return { rateLimiter: rateLimiter ?? null, shedQueueWaitMs: shed ?? null };
}

/** Outlier detection: `true` for Envoy's defaults, `false` for none (null), or a map. */
export function outlierValue(raw: unknown): Required<OutlierSpec> | null {
  if (raw === true) return OUTLIER_DEFAULTS;
  if (raw === false) return null;
  const r = new FieldReader(mapOf(raw, "true (Envoy's defaults) or a map {consecutiveErrors: 5, …}"), [
    'consecutiveErrors',
    'baseEjectionTime',
    'maxEjectionTime',
    'maxEjectionPercent',
    'alwaysEjectOneHost',
    'interval',
  ]);
  const consecutiveErrors = r.optional('consecutiveErrors', integer(1));
  const base = r.optional('baseEjectionTime', positive('30s'));
  const max = r.optional('maxEjectionTime', positive('300s'));
  const percent = r.optional('maxEjectionPercent', (v) => percentValue(v, { example: '10%' }));
  const always = r.optional('alwaysEjectOneHost', booleanValue);
  const interval = r.optional('interval', positive('10s'));
  const baseEjectionMs = base ?? OUTLIER_DEFAULTS.baseEjectionMs;
  const maxEjectionMs = max ?? OUTLIER_DEFAULTS.maxEjectionMs;
  if (maxEjectionMs < baseEjectionMs) {
    r.add(
      `maxEjectionTime (${shortDuration(maxEjectionMs)}) must be at least baseEjectionTime (${shortDuration(baseEjectionMs)})`,
      [max === undefined ? 'baseEjectionTime' : 'maxEjectionTime'],
    );
  }
  r.done();
  return {
    consecutiveErrors: consecutiveErrors ?? OUTLIER_DEFAULTS.consecutiveErrors,
    baseEjectionMs,
    maxEjectionMs,
    maxEjectionPercent: percent ?? OUTLIER_DEFAULTS.maxEjectionPercent,
    alwaysEjectOneHost: always ?? OUTLIER_DEFAULTS.alwaysEjectOneHost,
    intervalMs: interval ?? OUTLIER_DEFAULTS.intervalMs,
  };
}
