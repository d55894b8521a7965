/**
 * The resilience part of the scenario format: client policies (timeout, deadline, retry with
 * backoff and budget, breaker, bulkhead, rate limiter, fallback, order, scope), inbound
 * protections, outlier detection, the `chaos:` timeline and `expect:` — what they resolve to,
 * their defaults, and the messages of bad input.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ClientPolicySpec, ServiceSpec } from '../../src/model/world-spec.ts';
import { BREAKER_PROFILES } from '../../src/patterns/circuit-breaker.ts';
import { OUTLIER_DEFAULTS } from '../../src/patterns/outlier-detector.ts';
import {
  defineScenario,
  parseScenarioText,
  type ResolvedScenario,
  resolveScenario,
  ScenarioError,
} from '../../src/scenario/index.ts';
import { INTERNAL_ERROR } from '../../src/scenario/resolve.ts';
import { FAILURE_REASONS } from '../../src/signals.ts';
import { scenarioErrorMessage } from './error-message.ts';
import { applyMutation, mutation, NUMBERS, replaceNthLeaf, VALUES } from './fixtures/text-mutations.ts';

const FIXTURE = readFileSync(new URL('./fixtures/resilience.yaml', import.meta.url), 'utf8');
const DOC = readFileSync(new URL('../../docs/en/scenario-format.md', import.meta.url), 'utf8');

const ALL_BUT_CIRCUIT_OPEN = new Set(FAILURE_REASONS.filter((r) => r !== 'circuit_open'));

function service(s: ResolvedScenario, name: string): ServiceSpec {
  const found = s.world.services.find((x) => x.name === name);
  expect(found, name).toBeDefined();
  return found!;
}

function client(s: ResolvedScenario, caller: string, target: string): ClientPolicySpec {
  const policy = service(s, caller).clients?.get(target);
  expect(policy, `${caller}→${target}`).toBeDefined();
  return policy!;
}

describe('a scenario with every resilience feature resolves to the expected WorldSpec', () => {
  const s = parseScenarioText(FIXTURE, 'test/scenario/fixtures/resilience.yaml');

  it('a fully written client policy', () => {
    expect(client(s, 'frontend', 'checkout')).toEqual({
      timeoutMs: 2000,
      deadlineMs: 5000,
      propagateDeadline: true,
      retry: {
        maxAttempts: 3, // maxRetries: 2
        backoff: { kind: 'exponential', initialMs: 100, multiplier: 2, maxMs: 2000, randomization: 0.2 },
        retryOn: new Set(['timeout', 'queue_full']),
        budget: { percent: 25, minConcurrent: 5 },
      },
      breaker: {
        // hystrix's profile, overridden where written
        window: { kind: 'count', size: 50 },
        failureRateThreshold: 40,
        slowCallRateThreshold: 100,
        slowCallDurationMs: Number.POSITIVE_INFINITY,
        minimumCalls: 10,
        waitInOpenMs: 15_000,
        permittedCallsInHalfOpen: 1,
        automaticTransition: false,
        maxWaitInHalfOpenMs: 0,
      },
      bulkhead: { maxConcurrent: 10, maxWaitMs: 20 },
      rateLimiter: { ratePerSec: 50, burst: 20, mode: 'wait', maxWaitMs: 100, refill: { intervalMs: 500 } },
      fallback: true,
      order: ['retry', 'breaker', 'bulkhead', 'timeout', 'rateLimiter'],
      scope: 'service',
    });
  });

  it('short forms take the documented defaults; the order keeps only configured layers', () => {
    expect(client(s, 'checkout', 'payments')).toEqual({
      timeoutMs: 800,
      deadlineMs: null,
      propagateDeadline: false,
      retry: {
        maxAttempts: 3,
        backoff: { kind: 'fixed', delayMs: 500 },
        retryOn: ALL_BUT_CIRCUIT_OPEN,
        budget: null,
      },
      breaker: BREAKER_PROFILES.resilience4j,
      bulkhead: null,
      rateLimiter: null,
      fallback: false,
      order: ['retry', 'breaker', 'timeout'],
      scope: 'instance',
    });
    expect(service(s, 'payments').clients).toBeUndefined();
  });

  it("a workload's client: one process, so its scope is service", () => {
    const shoppers = s.world.workloads[0]!;
    expect(shoppers.client).toEqual({
      timeoutMs: 3000,
      deadlineMs: null,
      propagateDeadline: false,
      retry: {
        maxAttempts: 2,
        backoff: { kind: 'full-jitter', baseMs: 5, capMs: 2000 },
        retryOn: ALL_BUT_CIRCUIT_OPEN,
        budget: null,
      },
      breaker: BREAKER_PROFILES.resilience4j,
      bulkhead: null,
      rateLimiter: null,
      fallback: false,
      order: ['retry', 'breaker', 'timeout'],
      scope: 'service',
    });
  });

  it('inbound protections and outlier detection', () => {
    const checkout = service(s, 'checkout');
    expect(checkout.inbound).toEqual({
      rateLimiter: { ratePerSec: 200, burst: 200, mode: 'reject', maxWaitMs: 0, refill: 'continuous' },
      shedQueueWaitMs: 200,
    });
    expect(checkout.outlierDetection).toEqual(OUTLIER_DEFAULTS);
    expect(service(s, 'payments').outlierDetection).toEqual({
      consecutiveErrors: 3,
      baseEjectionMs: 10_000,
      maxEjectionMs: 60_000,
      maxEjectionPercent: 50,
      alwaysEjectOneHost: true,
      intervalMs: 10_000,
    });
    expect(service(s, 'frontend').inbound).toBeUndefined();
    expect(service(s, 'frontend').outlierDetection).toBeUndefined();
  });

  it('the chaos timeline, sorted by start (stable), with generated names', () => {
    expect(s.world.chaos).toEqual([
      {
        name: 'payments-down',
        action: { kind: 'kill' },
        target: {
          kind: 'service',
          service: 'payments',
          endpoint: null,
          instances: { kind: 'count', count: 1 },
        },
        atMs: 60_000,
        forMs: 30_000,
      },
      {
        name: 'restart checkout@60s',
        action: { kind: 'restart' },
        target: {
          kind: 'service',
          service: 'checkout',
          endpoint: null,
          instances: { kind: 'percent', percent: 50 },
        },
        atMs: 60_000,
        forMs: null,
      },
      {
        name: 'hang payments@90s',
        action: { kind: 'hang' },
        target: { kind: 'service', service: 'payments', endpoint: null, instances: { kind: 'all' } },
        atMs: 90_000,
        forMs: 20_000,
      },
      {
        name: 'slow payments.charge@100s',
        action: { kind: 'slow', factor: 5 },
        target: { kind: 'service', service: 'payments', endpoint: 'charge', instances: { kind: 'all' } },
        atMs: 100_000,
        forMs: 20_000,
      },
      {
        name: 'error payments@100s',
        action: { kind: 'error', rate: 0.3 },
        target: { kind: 'service', service: 'payments', endpoint: null, instances: { kind: 'all' } },
        atMs: 100_000,
        forMs: 20_000,
      },
      {
        name: 'latency checkout→payments@120s',
        action: { kind: 'latency', addMs: 200, jitterMs: 50 },
        target: { kind: 'edge', from: 'checkout', to: 'payments' },
        atMs: 120_000,
        forMs: 20_000,
      },
      {
        name: 'loss client→frontend@150s',
        action: { kind: 'loss', rate: 0.1 },
        target: { kind: 'edge', from: 'client', to: 'frontend' },
        atMs: 150_000,
        forMs: 10_000,
      },
      {
        name: 'partition [frontend, checkout] [payments]@200s',
        action: { kind: 'partition' },
        target: { kind: 'groups', a: ['frontend', 'checkout'], b: ['payments'] },
        atMs: 200_000,
        forMs: 20_000,
      },
      {
        name: 'latency payments@210s',
        action: { kind: 'latency', addMs: 50, jitterMs: 0 },
        target: { kind: 'service', service: 'payments', endpoint: null, instances: { kind: 'all' } },
        atMs: 210_000,
        forMs: null,
      },
    ]);
  });

  it('expectations: values in the metric unit, scopes, windows, generated names', () => {
    expect(s.expectations).toEqual([
      {
        name: 'shoppers stay available',
        metric: 'availability',
        scope: { kind: 'workload', workload: 'shoppers' },
        window: { kind: 'fault', fault: 'payments-down', phase: 'during' },
        op: '>=',
        value: 0.99,
      },
      {
        name: 'p99 of endpoint frontend.home during 60s–120s ≤ 300ms',
        metric: 'latency_p99',
        scope: { kind: 'endpoint', service: 'frontend', endpoint: 'home' },
        window: { kind: 'range', fromMs: 60_000, toMs: 120_000 },
        op: '<=',
        value: 300,
      },
      {
        name: 'errors (timeout) of service payments < 10',
        metric: 'errors',
        reason: 'timeout',
        scope: { kind: 'service', service: 'payments' },
        window: { kind: 'run' },
        op: '<',
        value: 10,
      },
      {
        name: 'breaker_state of breaker frontend→checkout after payments-down = closed',
        metric: 'breaker_state',
        scope: { kind: 'breaker', breaker: 'frontend→checkout' },
        window: { kind: 'fault', fault: 'payments-down', phase: 'after' },
        op: '==',
        value: 'closed',
      },
      {
        name: 'goodput of calls frontend→checkout before payments-down > 15/s',
        metric: 'goodput',
        scope: { kind: 'edge', from: 'frontend', to: 'checkout' },
        window: { kind: 'fault', fault: 'payments-down', phase: 'before' },
        op: '>',
        value: 15,
      },
      {
        name: 'breaker_opened of breaker checkout#2→payments ≠ 0',
        metric: 'breaker_opened',
        scope: { kind: 'breaker', breaker: 'checkout#2→payments' },
        window: { kind: 'run' },
        op: '!=',
        value: 0,
      },
      {
        name: 'time_to_recover_ms of all requests after payments-down ≤ 20s',
        metric: 'time_to_recover_ms',
        scope: { kind: 'all' },
        window: { kind: 'fault', fault: 'payments-down', phase: 'after' },
        op: '<=',
        value: 20_000,
      },
      {
        name: 'retry_amplification of calls shoppers→frontend ≤ 1.5',
        metric: 'retry_amplification',
        scope: { kind: 'edge', from: 'shoppers', to: 'frontend' },
        window: { kind: 'run' },
        op: '<=',
        value: 1.5,
      },
    ]);
  });
});

/** A small valid scenario; line numbers in the messages below refer to it. */
const BASE = `name: mini
description:
  en: Minimal.
  es: Mínimo.
duration: 2m
services:
  api:
    replicas: 2
    endpoints:
      get:
        work: exp(20ms)
        calls: [db.query]
    clients:
      db:
        timeout: 1s
        retry: 3
        breaker: resilience4j
  db:
    replicas: 3
    endpoints:
      query:
        work: 5ms
workloads:
  load:
    rate: 10/s
    entry: api.get
chaos:
  - { at: 30s, for: 10s, kill: db, instances: 1, name: db-down }
expect:
  - { metric: availability, workload: load, during: db-down, atLeast: 99% }
`;

function edit(from: string, to: string): string {
  expect(BASE).toContain(from);
  return BASE.replace(from, to);
}

function resolved(text: string): ResolvedScenario {
  return parseScenarioText(text, 'scenarios/mini.yaml');
}

/** The formatted message of the ScenarioError that `text` raises. */
function messageOf(text: string): string {
  return scenarioErrorMessage(() => resolved(text));
}

describe('defaults and short forms', () => {
  it('the base text is valid', () => {
    const s = resolved(BASE);
    expect(s.world.chaos).toHaveLength(1);
    expect(s.expectations).toHaveLength(1);
  });

  it('without chaos and expect: no chaos key in the world, no expectations', () => {
    const s = resolved(BASE.slice(0, BASE.indexOf('chaos:')));
    expect('chaos' in s.world).toBe(false);
    expect(s.expectations).toEqual([]);
  });

  it('retry: maxAttempts or maxRetries, budget true = Envoy defaults', () => {
    const retryOf = (text: string) => client(resolved(edit('retry: 3', text)), 'api', 'db').retry;
    expect(retryOf('retry: {}')).toMatchObject({ maxAttempts: 3, backoff: { kind: 'fixed', delayMs: 500 } });
    expect(retryOf('retry: { maxRetries: 0 }')!.maxAttempts).toBe(1);
    expect(retryOf('retry: { maxAttempts: 5 }')!.maxAttempts).toBe(5);
    expect(retryOf('retry: { budget: true }')!.budget).toEqual({ percent: 20, minConcurrent: 3 });
    expect(retryOf('retry: { budget: { min: 0 } }')!.budget).toEqual({ percent: 20, minConcurrent: 0 });
    expect(retryOf('retry: { on: [circuit_open] }')!.retryOn).toEqual(new Set(['circuit_open']));
  });

  it.each([
    ['none', { kind: 'none' }],
    ['fixed(250ms)', { kind: 'fixed', delayMs: 250 }],
    // Resilience4j's exponential random backoff: multiplier 1.5, ±50%, no cap
    [
      'exponential(500ms)',
      { kind: 'exponential', initialMs: 500, multiplier: 1.5, maxMs: Infinity, randomization: 0.5 },
    ],
    [
      'exponential(100ms, x2, max 2s)',
      { kind: 'exponential', initialMs: 100, multiplier: 2, maxMs: 2000, randomization: 0.5 },
    ],
    [
      'exponential(100ms, ±0%, ×3)',
      { kind: 'exponential', initialMs: 100, multiplier: 3, maxMs: Infinity, randomization: 0 },
    ],
    [
      'exponential(1s, x2, max 1m, +-25%)',
      { kind: 'exponential', initialMs: 1000, multiplier: 2, maxMs: 60_000, randomization: 0.25 },
    ],
    ['full-jitter(5ms, cap 2s)', { kind: 'full-jitter', baseMs: 5, capMs: 2000 }],
    ['equal-jitter(5ms, cap 2s)', { kind: 'equal-jitter', baseMs: 5, capMs: 2000 }],
    ['decorrelated-jitter(10ms, cap 1s)', { kind: 'decorrelated-jitter', baseMs: 10, capMs: 1000 }],
    [
      '{ kind: exponential, initial: 100ms, multiplier: 2, max: 2s, randomization: 0.5 }',
      { kind: 'exponential', initialMs: 100, multiplier: 2, maxMs: 2000, randomization: 0.5 },
    ],
    ['{ kind: fixed, delay: 1s }', { kind: 'fixed', delayMs: 1000 }],
    ['{ kind: full-jitter, base: 5ms, cap: 2s }', { kind: 'full-jitter', baseMs: 5, capMs: 2000 }],
  ])('backoff %s', (text, expected) => {
    const quoted = text.startsWith('{') ? text : JSON.stringify(text);
    const s = resolved(edit('retry: 3', `retry: { backoff: ${quoted} }`));
    expect(client(s, 'api', 'db').retry!.backoff).toEqual(expected);
  });

  it('breaker: profiles, true, and a time window', () => {
    const breakerOf = (text: string) =>
      client(resolved(edit('breaker: resilience4j', text)), 'api', 'db').breaker;
    expect(breakerOf('breaker: true')).toEqual(BREAKER_PROFILES.resilience4j);
    expect(breakerOf('breaker: hystrix')).toEqual(BREAKER_PROFILES.hystrix);
    expect(breakerOf('breaker: polly')).toEqual(BREAKER_PROFILES.polly);
    expect(breakerOf('breaker: { window: 10s, slowCallDuration: 2s, automaticTransition: true }')).toEqual({
      ...BREAKER_PROFILES.resilience4j,
      window: { kind: 'time', seconds: 10 },
      slowCallDurationMs: 2000,
      automaticTransition: true,
    });
    expect(breakerOf('breaker: { profile: polly, slowCallDuration: none, maxWaitInHalfOpen: 5s }')).toEqual({
      ...BREAKER_PROFILES.polly,
      maxWaitInHalfOpenMs: 5000,
    });
  });

  it('bulkhead, rate limiter and scope defaults', () => {
    const policyOf = (text: string) => client(resolved(edit('breaker: resilience4j', text)), 'api', 'db');
    expect(policyOf('bulkhead: true').bulkhead).toEqual({ maxConcurrent: 25, maxWaitMs: 0 });
    expect(policyOf('bulkhead: { maxWait: 5ms }').bulkhead).toEqual({ maxConcurrent: 25, maxWaitMs: 5 });
    // burst: one second of permits, rounded up, at least 1
    expect(policyOf('rateLimiter: { rate: 2.5/s }').rateLimiter).toEqual({
      ratePerSec: 2.5,
      burst: 3,
      mode: 'reject',
      maxWaitMs: 0,
      refill: 'continuous',
    });
    expect(policyOf('rateLimiter: { rate: 30/min }').rateLimiter!.burst).toBe(1);
    // an interval refill: one refill's worth; wait mode: Resilience4j's 5 s
    expect(policyOf('rateLimiter: { rate: 10/s, refill: 10s, mode: wait }').rateLimiter).toEqual({
      ratePerSec: 10,
      burst: 100,
      mode: 'wait',
      maxWaitMs: 5000,
      refill: { intervalMs: 10_000 },
    });
    expect(policyOf('fallback: true').order).toEqual(['retry', 'timeout']);
    expect(policyOf('scope: service').scope).toBe('service');
    expect(policyOf('breaker: true').scope).toBe('instance');
  });

  it('inbound: rate limiter alone, shedding alone; outlierDetection false is off', () => {
    const dbOf = (text: string) =>
      service(resolved(edit('    replicas: 3\n', `    replicas: 3\n${text}`)), 'db');
    expect(dbOf('    inbound: { shed: { maxQueueWait: 0s } }\n').inbound).toEqual({
      rateLimiter: null,
      shedQueueWaitMs: 0,
    });
    expect(dbOf('    inbound: { rateLimiter: { rate: 5/s, burst: 2 } }\n').inbound).toEqual({
      rateLimiter: { ratePerSec: 5, burst: 2, mode: 'reject', maxWaitMs: 0, refill: 'continuous' },
      shedQueueWaitMs: null,
    });
    expect(dbOf('    outlierDetection: false\n').outlierDetection).toBeUndefined();
    expect(
      dbOf('    outlierDetection: { maxEjectionPercent: 100%, interval: 1s }\n').outlierDetection,
    ).toEqual({
      ...OUTLIER_DEFAULTS,
      maxEjectionPercent: 100,
      intervalMs: 1000,
    });
  });

  it('expectations: aliases, units, fault windows by generated name (-> or →)', () => {
    const s = resolved(
      edit(
        '  - { metric: availability, workload: load, during: db-down, atLeast: 99% }',
        [
          '  - { metric: p99.9, atMost: 1.5s }',
          '  - { metric: mean, service: db, during: { during: db-down }, below: 20ms }',
          '  - { metric: throughput, workload: load, atLeast: 300/min }',
          '  - { metric: success_rate, edge: api->db, above: 0.95 }',
          '  - { metric: wasted_work_ms, service: db, atMost: 100000 }',
          '  - { metric: replicas, service: db, during: [30s, 40s], atLeast: 2 }',
          '  - { metric: breaker_state, breaker: "api#2→db", during: { after: db-down }, notEquals: half-open }',
          '  - { metric: time_to_detect_ms, during: { during: db-down }, atMost: 5s }',
        ].join('\n'),
      ),
    );
    expect(
      s.expectations!.map((e) => [e.name, e.metric, e.op, e.value, e.window.kind, e.scope.kind]),
    ).toEqual([
      ['p99.9 of all requests ≤ 1.5s', 'latency_p999', '<=', 1500, 'run', 'all'],
      ['mean of service db during db-down < 20ms', 'latency_mean', '<', 20, 'fault', 'service'],
      ['throughput of workload load ≥ 300/min', 'throughput', '>=', 5, 'run', 'workload'],
      ['success_rate of calls api→db > 0.95', 'success_rate', '>', 0.95, 'run', 'edge'],
      ['wasted_work_ms of service db ≤ 100000', 'wasted_work_ms', '<=', 100_000, 'run', 'service'],
      ['replicas of service db during 30s–40s ≥ 2', 'replicas', '>=', 2, 'range', 'service'],
      [
        'breaker_state of breaker api#2→db after db-down ≠ half-open',
        'breaker_state',
        '!=',
        'half_open',
        'fault',
        'breaker',
      ],
      [
        'time_to_detect_ms of all requests during db-down ≤ 5s',
        'time_to_detect_ms',
        '<=',
        5000,
        'fault',
        'all',
      ],
    ]);
  });

  it('typed TypeScript input: defineScenario accepts the new keys', () => {
    const s = resolveScenario(
      defineScenario({
        name: 'typed',
        description: { en: 'x', es: 'x' },
        duration: '1m',
        services: {
          api: {
            endpoints: { get: { work: '1ms', calls: ['db.q'] } },
            clients: { db: { timeout: '1s', retry: { maxRetries: 1, backoff: 'none' }, breaker: 'hystrix' } },
          },
          db: {
            endpoints: { q: { work: '1ms' } },
            outlierDetection: true,
            inbound: { shed: { maxQueueWait: '1s' } },
          },
        },
        workloads: { w: { rate: '1/s', entry: 'api.get', client: { deadline: '2s' } } },
        chaos: [{ at: '10s', for: '5s', error: 'db.q', rate: '50%' }],
        expect: [{ metric: 'p99', workload: 'w', during: { during: 'error db.q@10s' }, below: '100ms' }],
      }),
    );
    expect(client(s, 'api', 'db').retry!.maxAttempts).toBe(2);
    expect(s.world.chaos![0]!.name).toBe('error db.q@10s');
    expect(s.expectations![0]!.value).toBe(100);
  });
});

describe('bad input: file:line:column, field, what was expected', () => {
  const cases: [string, string, string, string][] = [
    [
      'a timeout of zero',
      'timeout: 1s',
      'timeout: 0s',
      'scenarios/mini.yaml:15:18: services.api.clients.db.timeout: expected a duration greater than 0 such as "2s", got "0s"',
    ],
    [
      'maxAttempts below 1',
      'retry: 3',
      'retry: { maxAttempts: 0 }',
      'scenarios/mini.yaml:16:31: services.api.clients.db.retry.maxAttempts: expected an integer >= 1, got 0',
    ],
    [
      'both maxAttempts and maxRetries',
      'retry: 3',
      'retry: { maxAttempts: 3, maxRetries: 2 }',
      'scenarios/mini.yaml:16:34: services.api.clients.db.retry.maxRetries: give either maxAttempts (the first call included, Resilience4j) or maxRetries (Envoy), not both',
    ],
    [
      'an unknown backoff',
      'retry: 3',
      'retry: { backoff: expo(100ms) }',
      'scenarios/mini.yaml:16:27: services.api.clients.db.retry.backoff: expected a backoff such as "fixed(500ms)", "exponential(100ms, x2, max 2s)", "full-jitter(5ms, cap 2s)" or "none", got "expo(100ms)" (unknown backoff "expo"; use none, fixed, exponential, full-jitter, equal-jitter, decorrelated-jitter)',
    ],
    [
      'an exponential multiplier below 1',
      'retry: 3',
      'retry: { backoff: "exponential(100ms, x0.5)" }',
      'scenarios/mini.yaml:16:27: services.api.clients.db.retry.backoff: expected a backoff such as "fixed(500ms)", "exponential(100ms, x2, max 2s)", "full-jitter(5ms, cap 2s)" or "none", got "exponential(100ms, x0.5)" (the multiplier must be at least 1, got 0.5)',
    ],
    [
      'a misspelt failure reason',
      'retry: 3',
      'retry: { on: [timeout, queue_ful] }',
      'scenarios/mini.yaml:16:22: services.api.clients.db.retry.on: item 1: unknown failure reason "queue_ful" (did you mean "queue_full"?); the reasons are queue_full, no_instance, instance_crashed, dependency_failed, depth_exceeded, timeout, deadline_exceeded, circuit_open, bulkhead_full, rate_limited, shed, error_injected',
    ],
    [
      'a retry budget above 100%',
      'retry: 3',
      'retry: { budget: { percent: 120% } }',
      'scenarios/mini.yaml:16:37: services.api.clients.db.retry.budget.percent: expected a percentage above 0% and at most 100% such as 20%, got "120%"',
    ],
    [
      'a failure rate written as a bare number',
      'breaker: resilience4j',
      'breaker: { failureRate: 50 }',
      'scenarios/mini.yaml:17:33: services.api.clients.db.breaker.failureRate: expected a percentage above 0% and at most 100% such as 50%, got 50 (a bare number is a fraction: write 50%)',
    ],
    [
      'a window without "calls"',
      'breaker: resilience4j',
      'breaker: { window: 100 }',
      'scenarios/mini.yaml:17:28: services.api.clients.db.breaker.window: expected a window such as "100 calls" (count-based) or "10s" (time-based), got 100 (write "100 calls" for a count-based window)',
    ],
    [
      'an unknown profile',
      'breaker: resilience4j',
      'breaker: resilience',
      'scenarios/mini.yaml:17:18: services.api.clients.db.breaker: expected one of "resilience4j", "hystrix", "polly", got "resilience" (did you mean "resilience4j"?)',
    ],
    [
      'order naming a layer that is not configured, and missing one that is',
      'breaker: resilience4j',
      'breaker: true\n        order: [retry, breaker, bulkhead]',
      'scenarios/mini.yaml:18:16: services.api.clients.db.order: order misses timeout: list every configured layer once (configured: retry, breaker, timeout)\n' +
        'scenarios/mini.yaml:18:33: services.api.clients.db.order[2]: order lists bulkhead but no bulkhead is configured',
    ],
    [
      'order listing a layer twice',
      'breaker: resilience4j',
      'breaker: true\n        order: [retry, breaker, retry, timeout]',
      'scenarios/mini.yaml:18:33: services.api.clients.db.order[2]: order lists retry twice',
    ],
    [
      'maxWait with mode reject',
      'breaker: resilience4j',
      'breaker: true\n        rateLimiter: { rate: 10/s, maxWait: 1s }',
      'scenarios/mini.yaml:18:36: services.api.clients.db.rateLimiter.maxWait: "maxWait" applies to mode: wait only (mode reject refuses at once)',
    ],
    [
      'propagateDeadline without a timeout or deadline',
      '        timeout: 1s\n',
      '        propagateDeadline: true\n',
      'scenarios/mini.yaml:15:28: services.api.clients.db.propagateDeadline: propagateDeadline needs a timeout or a deadline to propagate',
    ],
    [
      'a client policy for an unknown service',
      '    clients:\n      db:',
      '    clients:\n      dbx:',
      'scenarios/mini.yaml:14:7: services.api.clients.dbx: unknown service "dbx" (did you mean "db"?)',
    ],
    [
      'a client policy for itself',
      '    clients:\n      db:',
      '    clients:\n      api:',
      'scenarios/mini.yaml:14:7: services.api.clients.api: a service cannot have a client policy for itself: calls within "api" are in-process',
    ],
    [
      'a client policy for a service never called',
      '  db:\n    replicas: 3\n',
      '  db:\n    replicas: 3\n    clients: { api: { timeout: 1s } }\n',
      'scenarios/mini.yaml:20:16: services.db.clients.api: "db" never calls "api", so this policy would have no effect (it calls no other service)',
    ],
    [
      'scope on a workload client',
      '    rate: 10/s\n',
      '    rate: 10/s\n    client: { timeout: 1s, scope: service }\n',
      'scenarios/mini.yaml:26:28: workloads.load.client.scope: "scope" applies to a service\'s clients only: a workload\'s client is a single process',
    ],
    [
      'mode on an inbound rate limiter',
      '    replicas: 3\n',
      '    replicas: 3\n    inbound: { rateLimiter: { rate: 10/s, mode: wait } }\n',
      'scenarios/mini.yaml:20:43: services.db.inbound.rateLimiter.mode: an inbound rate limiter rejects at once (Envoy\'s local rate limit): "mode" applies to a client\'s rateLimiter only',
    ],
    [
      'shedding under processor sharing',
      '    replicas: 3\n',
      '    replicas: 3\n    discipline: ps\n    inbound: { shed: { maxQueueWait: 100ms } }\n',
      'scenarios/mini.yaml:21:22: services.db.inbound.shed: `shed` needs a queue wait to estimate, and under `discipline: ps` nobody queues (requests share the CPU); remove it',
    ],
    [
      'a max ejection time below the base',
      '    replicas: 3\n',
      '    replicas: 3\n    outlierDetection: { baseEjectionTime: 60s, maxEjectionTime: 30s }\n',
      'scenarios/mini.yaml:20:65: services.db.outlierDetection.maxEjectionTime: maxEjectionTime (30s) must be at least baseEjectionTime (60s)',
    ],
    [
      'a fault on an unknown service',
      'kill: db, instances: 1,',
      'kill: dbb, instances: 1,',
      'scenarios/mini.yaml:28:32: chaos[0].kill: unknown service "dbb" (did you mean "db"?)',
    ],
    [
      'a fault with two actions',
      'kill: db, instances: 1,',
      'kill: db, hang: db,',
      'scenarios/mini.yaml:28:36: chaos[0].hang: a fault has exactly one action; this one has kill and hang',
    ],
    [
      'a fault without an action',
      'kill: db, instances: 1,',
      'instances: 1,',
      'scenarios/mini.yaml:28:5: chaos[0]: missing the action: one of kill, restart, hang, slow, error, latency, loss, partition, scale, leak, whose value is the target',
    ],
    [
      'more instances than replicas',
      'kill: db, instances: 1,',
      'kill: db, instances: 4,',
      'scenarios/mini.yaml:28:47: chaos[0].instances: db has 3 instances: instances must be at most 3 (or a share such as 50%, or all)',
    ],
    [
      'an endpoint for kill',
      'kill: db, instances: 1,',
      'kill: db.query,',
      'scenarios/mini.yaml:28:32: chaos[0].kill: a kill fault targets a whole service, not an endpoint ("db.query"); only slow, error and leak take service.endpoint',
    ],
    [
      'an unknown endpoint',
      'kill: db, instances: 1,',
      'slow: db.qery, factor: 2,',
      'scenarios/mini.yaml:28:32: chaos[0].slow: unknown fault target "db.qery" (did you mean "db.query"?): service "db" has no endpoint "qery"',
    ],
    [
      'a slowdown factor of 0',
      'kill: db, instances: 1,',
      'slow: db, factor: 0,',
      'scenarios/mini.yaml:28:44: chaos[0].factor: expected a number > 0 such as 5 (work takes 5 times longer), got 0',
    ],
    [
      'an error rate above 100%',
      'kill: db, instances: 1,',
      'error: db, rate: 130%,',
      'scenarios/mini.yaml:28:43: chaos[0].rate: expected a probability such as 30% or 0.3, got "130%" (it must lie between 0% and 100%)',
    ],
    [
      'a parameter of another action',
      'kill: db, instances: 1,',
      'kill: db, factor: 2,',
      'scenarios/mini.yaml:28:36: chaos[0].factor: "factor" applies to slow faults, not to kill',
    ],
    [
      'an edge nobody calls',
      'kill: db, instances: 1,',
      'latency: db->api, add: 10ms,',
      'scenarios/mini.yaml:28:35: chaos[0].latency: "db" never calls "api": a fault on the edge db->api would have no effect',
    ],
    [
      'a workload as the start of an edge',
      'kill: db, instances: 1,',
      'loss: load->api, rate: 10%,',
      'scenarios/mini.yaml:28:32: chaos[0].loss: unknown service "load" ("load" is a workload; its requests come from "client")',
    ],
    [
      'a fault starting after the end',
      '{ at: 30s, for: 10s,',
      '{ at: 3m, for: 10s,',
      'scenarios/mini.yaml:28:11: chaos[0].at: the fault starts at 180s, at or after the end of the run (duration 120s)',
    ],
    [
      'a restart with a duration',
      '{ at: 30s, for: 10s, kill: db, instances: 1,',
      '{ at: 30s, for: 10s, restart: db, instances: 1,',
      'scenarios/mini.yaml:28:16: chaos[0].for: a restart happens at once: "for" does not apply (use kill with "for" to keep instances down)',
    ],
    [
      'two faults with the same generated name',
      '  - { at: 30s, for: 10s, kill: db, instances: 1, name: db-down }',
      '  - { at: 30s, kill: db, name: db-down }\n  - { at: 50s, hang: api }\n  - { at: 50s, hang: api }',
      'scenarios/mini.yaml:30:5: chaos[2]: fault name "hang api@50s" is already used by chaos[1]: give one of them a "name"',
    ],
    [
      'an expectation naming an unknown workload',
      'workload: load, during',
      'workload: lod, during',
      'scenarios/mini.yaml:30:39: expect[0].workload: unknown workload "lod" (did you mean "load"?)',
    ],
    [
      'an expectation naming an unknown fault',
      'during: db-down',
      'during: db-dwn',
      'scenarios/mini.yaml:30:53: expect[0].during: unknown fault "db-dwn" (did you mean "db-down"?)',
    ],
    [
      'a window past the end of the run',
      'during: db-down',
      'during: [60s, 3m]',
      'scenarios/mini.yaml:30:53: expect[0].during: the window [60s, 180s] ends after the run (duration 120s)',
    ],
    [
      'after a fault that lasts until the end',
      'for: 10s, kill: db, instances: 1, name: db-down }\nexpect:\n  - { metric: availability, workload: load, during: db-down,',
      'kill: db, instances: 1, name: db-down }\nexpect:\n  - { metric: availability, workload: load, during: { after: db-down },',
      'scenarios/mini.yaml:30:53: expect[0].during: fault "db-down" lasts until the end of the run (it has no "for"): nothing comes after it',
    ],
    [
      'an expectation name in one language only',
      '{ metric: availability, workload: load,',
      '{ name: { en: up }, metric: availability, workload: load,',
      'scenarios/mini.yaml:30:13: expect[0].name: expected a name as text, or as {en: …, es: …} with both languages, got a map',
    ],
    [
      'a value of the wrong unit',
      'atLeast: 99%',
      'atLeast: 99',
      'scenarios/mini.yaml:30:71: expect[0].atLeast: expected a percentage such as 99% (availability is a share of requests), got 99',
    ],
    [
      'a latency without a unit',
      '{ metric: availability, workload: load, during: db-down, atLeast: 99% }',
      '{ metric: p99, workload: load, during: db-down, atMost: 300 }',
      'scenarios/mini.yaml:30:61: expect[0].atMost: expected a duration such as "300ms", got 300 (durations need a unit, e.g. 300ms)',
    ],
    [
      'two comparisons',
      'atLeast: 99%',
      'atLeast: 99%, atMost: 100%',
      'scenarios/mini.yaml:30:76: expect[0].atMost: give exactly one comparison; this one has atLeast and atMost',
    ],
    [
      'reason on a metric other than errors',
      'atLeast: 99%',
      'atLeast: 99%, reason: timeout',
      'scenarios/mini.yaml:30:76: expect[0].reason: "reason" applies to the metric errors only, not to availability',
    ],
    [
      'an unknown metric',
      'metric: availability',
      'metric: p98',
      'scenarios/mini.yaml:30:15: expect[0].metric: unknown metric "p98" (did you mean "p90"?); the metrics are availability, success_rate, latency_mean, latency_p50, latency_p90, latency_p95, latency_p99, latency_p999, latency_max, throughput, goodput, errors, fallbacks, retry_amplification, wasted_work_ms, time_to_detect_ms, time_to_recover_ms, replicas, peak_replicas, cost, breaker_opened, breaker_state, messages_published, messages_processed, messages_lost, dead_lettered, redeliveries, duplicates, backlog_max, backlog_end, oldest_message_age_ms, delivery_latency_p50, delivery_latency_p99, delivery_latency_max (or p50, p90, p95, p99, p999, mean, max)',
    ],
    [
      'a breaker state compared with atLeast',
      '{ metric: availability, workload: load, during: db-down, atLeast: 99% }',
      '{ metric: breaker_state, breaker: api#1->db, atLeast: closed }',
      'scenarios/mini.yaml:30:50: expect[0].atLeast: breaker_state is a state: compare it with equals or notEquals',
    ],
    [
      'an instance-scoped breaker named without its instance',
      '{ metric: availability, workload: load, during: db-down, atLeast: 99% }',
      '{ metric: breaker_state, breaker: api->db, equals: open }',
      'scenarios/mini.yaml:30:39: expect[0].breaker: with scope instance each instance of api has its own breaker (api#1→db to api#2→db): name one, e.g. api#1->db',
    ],
    [
      'a breaker of an instance that does not exist',
      '{ metric: availability, workload: load, during: db-down, atLeast: 99% }',
      '{ metric: breaker_opened, breaker: api#3->db, equals: 0 }',
      'scenarios/mini.yaml:30:40: expect[0].breaker: api has 2 instances: its breakers are api#1→db to api#2→db',
    ],
    [
      'a breaker with no policy behind it',
      '{ metric: availability, workload: load, during: db-down, atLeast: 99% }',
      '{ metric: breaker_opened, breaker: db->api, above: 0 }',
      'scenarios/mini.yaml:30:40: expect[0].breaker: "db" has no client policy for "api", so no breaker db→api (add one under services.db.clients.api)',
    ],
    [
      'an edge that does not exist',
      '{ metric: availability, workload: load, during: db-down, atLeast: 99% }',
      '{ metric: p99, edge: load->db, atMost: 10ms }',
      'scenarios/mini.yaml:30:26: expect[0].edge: "load" never calls "db": there is no such edge',
    ],
    [
      'a time to recover without a fault window',
      '{ metric: availability, workload: load, during: db-down, atLeast: 99% }',
      '{ metric: time_to_recover_ms, during: [10s, 20s], atMost: 10s }',
      'scenarios/mini.yaml:30:43: expect[0].during: time_to_recover_ms is measured from a fault: add during: {after: <fault name>}',
    ],
  ];

  it.each(cases)('%s', (_what, from, to, message) => {
    expect(messageOf(edit(from, to))).toBe(message);
  });

  it('has at least 15 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });
});

describe('docs/en/scenario-format.md: the resilience examples resolve', () => {
  /** The fenced YAML blocks of the section under `heading` (up to the next `## `). */
  function yamlBlocks(heading: string): string[] {
    const start = DOC.indexOf(`\n${heading}\n`);
    expect(start, heading).toBeGreaterThan(0);
    const end = DOC.indexOf('\n## ', start + heading.length + 2);
    const section = DOC.slice(start, end < 0 ? undefined : end);
    return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  }
  const HEAD = 'name: x\ndescription: { en: x, es: x }\nduration: 5m\n';

  it('Resilience policies on calls', () => {
    const [example, retry, rateLimiter] = yamlBlocks('## Resilience policies on calls');
    const s = resolved(`${HEAD}${example}`);
    const policy = client(s, 'checkout', 'payments');
    expect(policy.order).toEqual(['retry', 'breaker', 'rateLimiter', 'timeout', 'bulkhead']);
    expect(policy.retry!.backoff).toEqual({
      kind: 'exponential',
      initialMs: 100,
      multiplier: 2,
      maxMs: 2000,
      randomization: 0.5,
    });
    expect(s.world.workloads[0]!.client!.retry!.maxAttempts).toBe(2);
    const withRetry = example!.replace(
      / {8}retry:\n(?: {10}.*\n)+/,
      `        ${retry!.trim().replace(/\n/g, '\n        ')}\n`,
    );
    expect(client(resolved(`${HEAD}${withRetry}`), 'checkout', 'payments').retry!.budget).toEqual({
      percent: 20,
      minConcurrent: 3,
    });
    const withLimiter = example!.replace(/ {8}rateLimiter:.*\n/, `        ${rateLimiter!.trim()}\n`);
    expect(client(resolved(`${HEAD}${withLimiter}`), 'checkout', 'payments').rateLimiter!.burst).toBe(100);
  });

  it('Inbound protections and outlier detection', () => {
    const [example] = yamlBlocks('## Inbound protections and outlier detection');
    const s = resolved(`${HEAD}${example}workloads: { w: { rate: 1/s, entry: payments.charge } }\n`);
    expect(service(s, 'payments').inbound!.shedQueueWaitMs).toBe(200);
    expect(service(s, 'payments').outlierDetection).toEqual(OUTLIER_DEFAULTS);
  });

  it('Faults and Expectations', () => {
    const [policies] = yamlBlocks('## Resilience policies on calls');
    const [chaos] = yamlBlocks('## Faults (`chaos:`)');
    const [expectations] = yamlBlocks('## Expectations (`expect:`)');
    const s = resolved(`${HEAD}${policies}${chaos}${expectations}`);
    expect(s.world.chaos!.map((f) => f.name)).toEqual([
      'payments-down',
      'restart checkout@60s',
      'hang payments@100s',
      'slow payments.charge@100s',
      'error payments@100s',
      'latency checkout→payments@130s',
      'loss client→checkout@130s',
      'partition [checkout] [payments]@160s',
    ]);
    expect(s.expectations!.map((e) => e.name)).toEqual([
      'checkout stays available',
      'p99 of endpoint checkout.buy during 60s–120s ≤ 300ms',
      'errors (timeout) of service payments < 10',
      'breaker_state of breaker checkout#1→payments after payments-down = closed',
      'goodput of calls shoppers→checkout before payments-down > 40/s',
      'time_to_recover_ms of all requests after payments-down ≤ 20s',
    ]);
  });
});

describe('fuzz: the resilience keys never crash the reader', () => {
  /** Runs `read`: 'ok', or 'error' for a ScenarioError that names a position; anything else fails. */
  function outcome(read: () => ResolvedScenario, located: boolean): 'ok' | 'error' {
    try {
      read();
      return 'ok';
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      for (const issue of error.issues) {
        expect(issue.message).not.toContain(INTERNAL_ERROR);
        if (located) expect(issue.line, issue.message).toBeGreaterThan(0);
      }
      return 'error';
    }
  }

  it('a mangled resilience file resolves or fails with located ScenarioErrors', () => {
    const seen = { ok: 0, error: 0 };
    fc.assert(
      fc.property(fc.array(mutation, { maxLength: 4 }), (mutations) => {
        const text = mutations.reduce(applyMutation, FIXTURE);
        seen[outcome(() => parseScenarioText(text, 'fuzz.yaml'), true)]++;
      }),
      { numRuns: 300 },
    );
    expect(seen.error).toBeGreaterThan(0);
  });

  it('values swapped into the resilience scenario resolve or fail with a ScenarioError', () => {
    const data = parse(FIXTURE) as Record<string, unknown>;
    const leaf = fc.oneof(fc.anything({ maxDepth: 1 }), fc.constantFrom(...VALUES, ...NUMBERS));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), leaf), { maxLength: 3 }), (edits) => {
        const raw = structuredClone(data);
        for (const [n, value] of edits) replaceNthLeaf(raw, n, value);
        outcome(() => resolveScenario(raw, 'fuzz'), false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('expectation names in two languages', () => {
  it('{en, es} gives the English name and both languages', () => {
    const s = resolved(
      edit(
        '{ metric: availability, workload: load,',
        '{ name: { en: stays up, es: sigue en pie }, metric: availability, workload: load,',
      ),
    );
    expect(s.expectations?.[0]).toMatchObject({
      name: 'stays up',
      names: { en: 'stays up', es: 'sigue en pie' },
    });
  });
});
