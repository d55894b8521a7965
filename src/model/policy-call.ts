/**
 * Calls with resilience policies. A `PolicyCall` is one logical call from a caller (a hop, or a
 * workload's client) to a target endpoint; it passes through the caller's configured layers
 * (outermost first, Resilience4j's order by default) and sends one hop per attempt.
 *
 * Layers, on the way in and on the way out:
 * - `retry`: on the way out, a retryable failure schedules the next attempt after a backoff
 *   (unless attempts, the retry budget or the deadline say no).
 * - `breaker`: asks permission on the way in (a rejection fails the call as `circuit_open`
 *   without sending it); records the attempt's duration and outcome on the way out.
 * - `rateLimiter`: takes a permit on the way in (waiting for it, or failing as `rate_limited`).
 * - `timeout`: starts a timer on the way in; when it fires first, the attempt is abandoned (the
 *   callee keeps working unless deadline propagation is on) and fails as `timeout`.
 * - `bulkhead`: takes a slot on the way in (waiting up to its max wait, or failing as
 *   `bulkhead_full`); frees it on the way out.
 * The overall deadline wraps all layers; the fallback wraps everything (a failure becomes a
 * degraded answer). An attempt abandoned by a timeout unwinds the layers inside that timeout at
 * once (slots freed, the breaker records a failure), as when a time limiter cancels its future.
 *
 * Pattern state (breaker, bulkhead, limiter, retry budget) lives per caller instance or per caller
 * service (`scope`), per target service.
 */
import type { Bus } from '../engine/bus.ts';
import type { Engine, EventHandle } from '../engine/engine.ts';
import type { RandomStreams } from '../engine/random.ts';
import { type Backoff, createBackoff } from '../patterns/backoff.ts';
import { Bulkhead } from '../patterns/bulkhead.ts';
import { type CircuitBreaker, createCircuitBreaker } from '../patterns/circuit-breaker.ts';
import { RateLimiter } from '../patterns/rate-limiter.ts';
import { RetryBudget } from '../patterns/retry-budget.ts';
import type { FailureCause, FailureReason, Signals } from '../signals.ts';
import type { Hop, RequestRecord } from './hop.ts';
import type { EdgeLatency } from './network.ts';
import type { EndpointRuntime } from './topology.ts';
import type { ClientPolicySpec, PolicyLayer } from './world-spec.ts';

/** The pattern state shared by the calls of one scope (a caller instance or service → a target). */
export interface PolicyState {
  readonly name: string;
  readonly breaker: CircuitBreaker | null;
  readonly bulkhead: Bulkhead<PolicyCall> | null;
  readonly limiter: RateLimiter | null;
  readonly budget: RetryBudget | null;
  readonly backoff: Backoff | null;
}

/** One caller's policies towards one target service, with its per-scope states. */
export class ClientRuntime {
  private readonly states = new Map<unknown, PolicyState>();
  readonly layers: readonly PolicyLayer[];

  constructor(
    /** `caller→target`, e.g. `checkout→payments` or `shoppers→frontend`. */
    readonly name: string,
    readonly spec: ClientPolicySpec,
    private readonly create: (name: string) => PolicyState,
  ) {
    this.layers = spec.order;
  }

  /** The state for `scopeKey` (a caller instance, or anything constant for service scope). */
  state(scopeKey: { readonly id: string } | null): PolicyState {
    const key = this.spec.scope === 'instance' ? scopeKey : null;
    let state = this.states.get(key);
    if (state === undefined) {
      const [caller, target] = this.name.split('→');
      state = this.create(key === null ? this.name : `${key.id}→${target ?? caller}`);
      this.states.set(key, state);
    }
    return state;
  }

  /**
   * A caller instance crashed: its process and the pattern state in it are gone. The restarted
   * instance begins with fresh state (a closed breaker, empty bulkhead, full limiter).
   */
  forget(scopeKey: { readonly id: string }): void {
    if (this.spec.scope !== 'instance') return;
    const state = this.states.get(scopeKey);
    if (state === undefined) return;
    state.breaker?.stop();
    this.states.delete(scopeKey);
  }

  /** Every state created so far (for stopping breaker actors). */
  allStates(): IterableIterator<PolicyState> {
    return this.states.values();
  }
}

/** The result of an attempt or of the whole call. */
interface Result {
  readonly reason: FailureReason | null;
  readonly cause: FailureCause | null;
  readonly degraded: boolean;
}

const OK: Result = { reason: null, cause: null, degraded: false };

/** One logical call with policies. */
export class PolicyCall {
  /** Bumped when the work inside the layers is abandoned: stale timers and grants see it. */
  token = 0;
  /** The attempt in flight, if any. */
  attempt: Hop | null = null;
  attempts = 0;
  retries = 0;
  /** A retry counted against the retry budget is in flight. */
  retryInFlight = false;
  /** The attempt in flight is counted among the retry budget's active requests. */
  attemptCounted = false;
  previousDelayMs = 0;
  breakerPermitted = false;
  breakerSince = 0;
  bulkheadHeld = false;
  bulkheadWaiting = false;
  bulkheadTimer: EventHandle | null = null;
  timeoutTimer: EventHandle | null = null;
  /** When the current attempt's timeout fires (Infinity when none). */
  timeoutAt = Number.POSITIVE_INFINITY;
  deadlineTimer: EventHandle | null = null;
  deadlineAt = Number.POSITIVE_INFINITY;
  done = false;
  readonly startedAt: number;

  constructor(
    readonly client: ClientRuntime,
    readonly state: PolicyState,
    /** The calling hop, or null for a workload's request (the call is the request). */
    readonly parent: Hop | null,
    readonly request: RequestRecord,
    readonly target: EndpointRuntime,
    readonly edge: EdgeLatency | null,
    readonly soft: boolean,
    readonly inProcess: boolean,
    /** Name of the caller (service or workload), for signals. */
    readonly caller: string,
    now: number,
  ) {
    this.startedAt = now;
  }
}

export interface PolicyRunnerDeps {
  readonly engine: Engine;
  readonly bus: Bus<Signals>;
  /** Sends one attempt (a new hop with `call` set) of `pc`; returns the hop. */
  readonly sendAttempt: (pc: PolicyCall) => void;
  /** The logical call ended: hand the result to its caller. */
  readonly settle: (
    pc: PolicyCall,
    reason: FailureReason | null,
    cause: FailureCause | null,
    degraded: boolean,
  ) => void;
}

export interface PolicyRunner {
  start(pc: PolicyCall): void;
  /** An attempt hop delivered its answer (ignored when it was abandoned). */
  attemptDone(hop: Hop): void;
}

/** Builds the per-scope pattern state for `spec` (breakers report transitions on the bus). */
export function createPolicyStateFactory(
  spec: ClientPolicySpec,
  engine: Engine,
  bus: Bus<Signals>,
  streams: RandomStreams,
  caller: string,
  target: string,
): (name: string) => PolicyState {
  return (name) => ({
    name,
    breaker:
      spec.breaker === null
        ? null
        : createCircuitBreaker(name, spec.breaker, {
            engine,
            onTransition: (t) =>
              bus.emit('breaker.transition', {
                at: t.at,
                breaker: name,
                caller,
                service: target,
                from: t.from,
                to: t.to,
                why: t.why,
              }),
          }),
    bulkhead:
      spec.bulkhead === null
        ? null
        : new Bulkhead<PolicyCall>(spec.bulkhead.maxConcurrent, spec.bulkhead.maxWaitMs),
    limiter: spec.rateLimiter === null ? null : new RateLimiter(spec.rateLimiter),
    budget: spec.retry?.budget ? new RetryBudget(spec.retry.budget) : null,
    backoff:
      spec.retry === null ? null : createBackoff(spec.retry.backoff, streams.stream(`backoff/${name}`)),
  });
}

export function createPolicyRunner(deps: PolicyRunnerDeps): PolicyRunner {
  const { engine, bus } = deps;

  function causeOf(pc: PolicyCall, reason: FailureReason): FailureCause {
    // A failure made by the caller's own patterns starts at the call's target.
    return { reason, service: pc.target.service.name, endpoint: pc.target.name };
  }

  function reject(pc: PolicyCall, layer: number, reason: FailureReason, why: string): void {
    bus.emit('call.rejected', {
      at: engine.now,
      caller: pc.caller,
      service: pc.target.service.name,
      endpoint: pc.target.name,
      reason,
      why,
    });
    unwind(pc, layer - 1, { reason, cause: causeOf(pc, reason), degraded: false });
  }

  /** Passes the call through layer `i` and those inside it, then sends the attempt. */
  function enter(pc: PolicyCall, i: number): void {
    if (pc.parent?.ended) return drop(pc);
    const layers = pc.client.layers;
    if (i === layers.length) {
      pc.attempts++;
      // Envoy's retry budget compares retries with the attempts in flight.
      if (pc.state.budget !== null) {
        pc.state.budget.requestStarted();
        pc.attemptCounted = true;
      }
      deps.sendAttempt(pc);
      return;
    }
    const spec = pc.client.spec;
    const state = pc.state;
    switch (layers[i]!) {
      case 'retry':
        return enter(pc, i + 1);
      case 'breaker': {
        const breaker = state.breaker!;
        if (!breaker.tryAcquire()) {
          return reject(
            pc,
            i,
            'circuit_open',
            `${breaker.name} breaker is ${breaker.state.replace('_', '-')}`,
          );
        }
        pc.breakerPermitted = true;
        pc.breakerSince = engine.now;
        return enter(pc, i + 1);
      }
      case 'rateLimiter': {
        const limiter = state.limiter!;
        const waitMs = limiter.acquire(engine.now);
        if (waitMs < 0) return reject(pc, i, 'rate_limited', `${state.name}: ${limiter.lastWhy()}`);
        if (waitMs === 0) return enter(pc, i + 1);
        const token = pc.token;
        engine.schedule(
          waitMs,
          () => {
            if (pc.token === token && !pc.done) enter(pc, i + 1);
          },
          undefined,
        );
        return;
      }
      case 'timeout': {
        const token = pc.token;
        pc.timeoutAt = engine.now + spec.timeoutMs!;
        pc.timeoutTimer = engine.schedule(
          spec.timeoutMs!,
          () => {
            pc.timeoutTimer = null;
            if (pc.token === token && !pc.done) timedOut(pc, i);
          },
          undefined,
        );
        return enter(pc, i + 1);
      }
      case 'bulkhead': {
        const bulkhead = state.bulkhead!;
        const got = bulkhead.tryAcquire();
        if (got === 'acquired') {
          pc.bulkheadHeld = true;
          return enter(pc, i + 1);
        }
        if (got === 'rejected') {
          return reject(
            pc,
            i,
            'bulkhead_full',
            `${state.name} bulkhead full: ${bulkhead.active} of ${bulkhead.maxConcurrent} calls in flight` +
              (bulkhead.maxWaitMs > 0 ? `, waited ${bulkhead.maxWaitMs} ms` : ''),
          );
        }
        bulkhead.wait(pc);
        pc.bulkheadWaiting = true;
        const token = pc.token;
        pc.bulkheadTimer = engine.schedule(
          bulkhead.maxWaitMs,
          () => {
            pc.bulkheadTimer = null;
            if (pc.token !== token || pc.done || !pc.bulkheadWaiting) return;
            bulkhead.cancelWait(pc);
            pc.bulkheadWaiting = false;
            reject(
              pc,
              i,
              'bulkhead_full',
              `${state.name} bulkhead full: ${bulkhead.active} of ${bulkhead.maxConcurrent} calls in flight for ${bulkhead.maxWaitMs} ms`,
            );
          },
          undefined,
        );
        return;
      }
    }
  }

  /** A bulkhead slot passed to `pc`, which was waiting for it. */
  function bulkheadGranted(pc: PolicyCall): void {
    pc.bulkheadWaiting = false;
    pc.bulkheadHeld = true;
    if (pc.bulkheadTimer !== null) engine.cancel(pc.bulkheadTimer);
    pc.bulkheadTimer = null;
    const token = pc.token;
    const index = pc.client.layers.indexOf('bulkhead');
    // Continue in a fresh event: the releasing call is still unwinding.
    engine.schedule(
      0,
      () => {
        // A stale grant (the call timed out or ended meanwhile) needs nothing: whatever bumped
        // the token has already released the slot.
        if (pc.token === token && !pc.done && pc.bulkheadHeld) enter(pc, index + 1);
      },
      undefined,
    );
  }

  function releaseBulkhead(pc: PolicyCall): void {
    pc.bulkheadHeld = false;
    const next = pc.state.bulkhead!.release();
    if (next !== undefined) bulkheadGranted(next);
  }

  /**
   * Undoes what layers `from`..`to` (inner to outer, from > to) hold for an attempt that ended
   * with `result` or was abandoned: timers, slots, breaker records, budgeted retries.
   */
  function cleanLayer(pc: PolicyCall, layer: PolicyLayer, result: Result): void {
    switch (layer) {
      case 'timeout':
        if (pc.timeoutTimer !== null) engine.cancel(pc.timeoutTimer);
        pc.timeoutTimer = null;
        pc.timeoutAt = Number.POSITIVE_INFINITY;
        return;
      case 'bulkhead':
        if (pc.bulkheadWaiting) {
          pc.state.bulkhead!.cancelWait(pc);
          pc.bulkheadWaiting = false;
          if (pc.bulkheadTimer !== null) engine.cancel(pc.bulkheadTimer);
          pc.bulkheadTimer = null;
        }
        if (pc.bulkheadHeld) releaseBulkhead(pc);
        return;
      case 'breaker':
        if (pc.breakerPermitted) {
          pc.breakerPermitted = false;
          pc.state.breaker!.onResult(engine.now - pc.breakerSince, result.reason !== null);
        }
        return;
      case 'retry':
        if (pc.retryInFlight) {
          pc.retryInFlight = false;
          pc.state.budget?.retryEnded();
        }
        return;
      case 'rateLimiter':
        return;
    }
  }

  /** Handles `result` coming out of layer `i` + 1, through layers `i`..0, then settles the call. */
  function unwind(pc: PolicyCall, i: number, result: Result): void {
    const layers = pc.client.layers;
    for (let j = i; j >= 0; j--) {
      const layer = layers[j]!;
      cleanLayer(pc, layer, result);
      if (layer === 'retry' && result.reason !== null && retryLater(pc, j, result.reason)) return;
    }
    finish(pc, result);
  }

  /** Schedules another attempt if the retry policy allows it; false when the failure stands. */
  function retryLater(pc: PolicyCall, layer: number, reason: FailureReason): boolean {
    const retry = pc.client.spec.retry!;
    if (!retry.retryOn.has(reason) || pc.attempts >= retry.maxAttempts) return false;
    const budget = pc.state.budget;
    if (budget !== null && !budget.tryStartRetry()) {
      bus.emit('retry.denied', {
        at: engine.now,
        caller: pc.caller,
        service: pc.target.service.name,
        endpoint: pc.target.name,
        why: `${pc.state.name}: ${budget.describe()}`,
      });
      return false;
    }
    pc.retryInFlight = budget !== null;
    pc.retries++;
    const delayMs = pc.state.backoff!.delay(pc.retries, pc.previousDelayMs);
    pc.previousDelayMs = delayMs;
    bus.emit('call.retried', {
      at: engine.now,
      caller: pc.caller,
      service: pc.target.service.name,
      endpoint: pc.target.name,
      requestId: pc.request.id,
      retry: pc.retries,
      delayMs,
      after: reason,
    });
    const token = pc.token;
    const resume = (): void => {
      if (pc.token === token && !pc.done) enter(pc, layer + 1);
    };
    if (delayMs <= 0) resume();
    else engine.schedule(delayMs, resume, undefined);
    return true;
  }

  /** Abandons the attempt in flight and unwinds the layers inside layer `i` (exclusive). */
  /** The attempt in flight stops counting for the retry budget. */
  function attemptEnded(pc: PolicyCall): void {
    if (!pc.attemptCounted) return;
    pc.attemptCounted = false;
    pc.state.budget!.requestEnded();
  }

  function abandonInside(pc: PolicyCall, i: number, result: Result): void {
    pc.token++;
    attemptEnded(pc);
    const hop = pc.attempt;
    if (hop !== null) {
      hop.abandoned = true;
      pc.attempt = null;
      // Like Envoy's locally originated failures: a timed-out attempt counts against its host.
      const outlier = hop.endpoint.service.outlier;
      if (outlier !== null && hop.instance !== null && hop.arrivedAt >= 0 && !hop.ended)
        outlier(hop.instance, true);
    }
    const layers = pc.client.layers;
    for (let j = layers.length - 1; j > i; j--) cleanLayer(pc, layers[j]!, result);
  }

  function timedOut(pc: PolicyCall, i: number): void {
    const result: Result = { reason: 'timeout', cause: causeOf(pc, 'timeout'), degraded: false };
    abandonInside(pc, i, result);
    unwind(pc, i, result);
  }

  function deadlinePassed(pc: PolicyCall): void {
    const result: Result = {
      reason: 'deadline_exceeded',
      cause: causeOf(pc, 'deadline_exceeded'),
      degraded: false,
    };
    abandonInside(pc, -1, result);
    finish(pc, result);
  }

  /**
   * The caller ended while this call waited (its instance crashed): the process that would retry
   * is gone. Everything the call holds is released and nothing is reported to anyone.
   */
  function drop(pc: PolicyCall): void {
    const result: Result = {
      reason: 'instance_crashed',
      cause: causeOf(pc, 'instance_crashed'),
      degraded: false,
    };
    abandonInside(pc, -1, result);
    pc.done = true;
    if (pc.deadlineTimer !== null) engine.cancel(pc.deadlineTimer);
    pc.deadlineTimer = null;
  }

  function finish(pc: PolicyCall, result: Result): void {
    if (pc.done) return;
    pc.done = true;
    pc.token++;
    if (pc.deadlineTimer !== null) engine.cancel(pc.deadlineTimer);
    pc.deadlineTimer = null;
    attemptEnded(pc);
    const fallback = result.reason !== null && pc.client.spec.fallback;
    const now = engine.now;
    bus.emit('call.completed', {
      at: now,
      requestId: pc.request.id,
      caller: pc.caller,
      service: pc.target.service.name,
      endpoint: pc.target.name,
      attempts: pc.attempts,
      latencyMs: now - pc.startedAt,
      outcome:
        fallback || (result.reason === null && result.degraded)
          ? 'fallback'
          : result.reason === null
            ? 'ok'
            : 'failed',
      ...(result.reason === null ? {} : { reason: result.reason }),
    });
    if (fallback) deps.settle(pc, null, null, true);
    else deps.settle(pc, result.reason, result.cause, result.degraded);
  }

  return {
    start(pc) {
      const deadlineMs = pc.client.spec.deadlineMs;
      if (deadlineMs !== null) {
        pc.deadlineAt = engine.now + deadlineMs;
        pc.deadlineTimer = engine.schedule(
          deadlineMs,
          () => {
            pc.deadlineTimer = null;
            if (!pc.done) deadlinePassed(pc);
          },
          undefined,
        );
      }
      enter(pc, 0);
    },
    attemptDone(hop) {
      const pc = hop.call!;
      if (hop.abandoned || pc.done || pc.attempt !== hop) return;
      pc.attempt = null;
      attemptEnded(pc);
      const result: Result =
        hop.reason === null
          ? hop.degraded
            ? { ...OK, degraded: true }
            : OK
          : { reason: hop.reason, cause: hop.failedCause, degraded: false };
      unwind(pc, pc.client.layers.length - 1, result);
    },
  };
}
