/**
 * The resilience patterns in the model, on hand-built worlds, beyond test/model/resilience.test.ts:
 * outlier ejection (and Envoy's panic threshold), inbound and client rate limiters, load
 * shedding, the retry budget, backoff timings, the breaker's half-open state, restarts, loss,
 * endpoint-level error injection and determinism. Constant times and evenly spaced arrivals make
 * most outcomes exact; the one random check (loss) states its binomial tolerance.
 */
import { describe, expect, it } from 'vitest';
import type { FaultCommand, InstanceSelector } from '../../src/model/fault-spec.ts';
import type { RetrySpec, WorldSpec } from '../../src/model/world-spec.ts';
import type { BackoffSpec } from '../../src/patterns/backoff.ts';
import { BREAKER_PROFILES, type CircuitBreakerConfig } from '../../src/patterns/circuit-breaker.ts';
import type { OutlierSpec } from '../../src/patterns/outlier-detector.ts';
import type { RateLimiterSpec } from '../../src/patterns/rate-limiter.ts';
import type { Signals } from '../../src/signals.ts';
import {
  allButBreaker,
  call,
  constMs,
  endpoint,
  expMs,
  type OpenWorkloadSpec,
  openWorkload,
  policy,
  service,
  startWorld,
  type WorldRun,
  world,
  zero,
} from './world-fixtures.ts';

function retry(maxAttempts: number, backoff: BackoffSpec, over: Partial<RetrySpec> = {}): RetrySpec {
  return { maxAttempts, backoff, retryOn: allButBreaker, budget: null, ...over };
}

type Run = WorldRun;
const start = (spec: WorldSpec, endMs: number, seed = 1): Run => startWorld(spec, endMs, seed);

const errorFault = (
  svc: string,
  rate: number,
  instances: InstanceSelector = { kind: 'all' },
  ep: string | null = null,
): FaultCommand => ({
  name: `error ${ep === null ? svc : `${svc}.${ep}`}`,
  action: { kind: 'error', rate },
  target: { kind: 'service', service: svc, endpoint: ep, instances },
});

/** An open workload with evenly spaced arrivals every `gapMs` (the first at `gapMs`). */
const every = (entry: string, gapMs: number, name = 'users'): OpenWorkloadSpec => ({
  ...openWorkload(entry, 1000 / gapMs, 'constant'),
  name,
});

const BASE_OUTLIER: OutlierSpec = {
  consecutiveErrors: 3,
  baseEjectionMs: 1000,
  maxEjectionMs: 10_000,
  maxEjectionPercent: 100,
  alwaysEjectOneHost: false,
  intervalMs: 10_000,
};

describe('outlier detection', () => {
  const threeBacks = (outlier: OutlierSpec): WorldSpec =>
    world(
      [service('back', [endpoint('x', zero)], { replicas: 3, workers: 10, outlierDetection: outlier })],
      [every('back.x', 10)],
    );

  it('an always-failing instance is ejected after exactly consecutiveErrors errors, gets no traffic, returns after the ejection time', () => {
    const r = start(threeBacks(BASE_OUTLIER), 3000);
    r.world.faults.apply(errorFault('back', 1, { kind: 'count', count: 1 }));
    r.run(3000);
    const hops = r.of('hop.completed');
    const bad = hops.find((h) => h.outcome === 'failed')!.instance;
    for (const h of hops) expect(h.outcome === 'failed').toBe(h.instance === bad);
    const ejections = r.of('instance.ejected');
    const returns = r.of('instance.returned');
    expect(ejections.map((e) => e.instance)).toEqual([bad, bad]);
    const [first, second] = ejections as [Signals['instance.ejected'], Signals['instance.ejected']];
    // Ejected at its third failure, exactly.
    const failuresBefore = hops.filter((h) => h.instance === bad && h.at <= first.at);
    expect(failuresBefore).toHaveLength(3);
    expect(failuresBefore[2]!.at).toBe(first.at);
    expect(first.untilMs).toBe(first.at + 1000);
    const s = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;
    expect(first.why).toBe(`${bad} ejected at ${s(first.at)} for 1 s: 3 consecutive errors (ejection 1)`);
    // No traffic while ejected (after the failing request that ejected it): the others take it
    // all (2 of 3 routable: no panic).
    const during = hops.filter((h) => h.arrivedAt > first.at && h.arrivedAt < first.untilMs);
    expect(during.length).toBeGreaterThan(90);
    expect(during.filter((h) => h.instance === bad)).toEqual([]);
    // Back at exactly untilMs (a request arrives then: arrivals every 10 ms), then three more
    // failures eject it again, for 2 × base since it came back less than an interval ago.
    expect(returns[0]).toEqual({ at: first.untilMs, service: 'back', instance: bad });
    const afterReturn = hops.filter((h) => h.instance === bad && h.at >= returns[0]!.at && h.at <= second.at);
    expect(afterReturn).toHaveLength(3);
    expect(second.untilMs).toBe(second.at + 2000);
    expect(second.why).toBe(
      `${bad} ejected at ${s(second.at)} for 2 s: 3 consecutive errors (ejection 2, 2 × base 1 s)`,
    );
    expect(hops.filter((h) => h.instance === bad && h.arrivedAt > second.at)).toEqual([]);
  });

  it('a success resets the count: failures that alternate with successes never eject', () => {
    // One instance (alwaysEjectOneHost allows ejecting it): its endpoint `bad` always fails,
    // `good` never does; both get a request at 20, 40, … (bad first), so failures never come
    // three in a row. Sending only to `bad` ejects it at its third failure.
    const build = (both: boolean): WorldSpec =>
      world(
        [
          service('back', [endpoint('bad', zero), endpoint('good', zero)], {
            workers: 10,
            outlierDetection: { ...BASE_OUTLIER, alwaysEjectOneHost: true },
          }),
        ],
        both ? [every('back.bad', 20, 'to-bad'), every('back.good', 20, 'to-good')] : [every('back.bad', 20)],
      );
    const alternating = start(build(true), 1000);
    alternating.world.faults.apply(errorFault('back', 1, { kind: 'all' }, 'bad'));
    alternating.run(1000);
    expect(alternating.of('hop.completed').filter((h) => h.outcome === 'failed')).toHaveLength(49);
    expect(alternating.of('instance.ejected')).toEqual([]);
    const onlyBad = start(build(false), 1000);
    onlyBad.world.faults.apply(errorFault('back', 1, { kind: 'all' }, 'bad'));
    onlyBad.run(1000);
    expect(onlyBad.of('instance.ejected').map((e) => e.at)).toEqual([60]);
  });

  it("Envoy's panic threshold: with fewer than half of the hosts routable, the balancer uses all of them", () => {
    const r = start(threeBacks(BASE_OUTLIER), 900);
    r.world.faults.apply(errorFault('back', 1, { kind: 'count', count: 2 }));
    r.run(900);
    const hops = r.of('hop.completed');
    const [e1, e2] = r.of('instance.ejected') as [Signals['instance.ejected'], Signals['instance.ejected']];
    expect(e1.instance).not.toBe(e2.instance);
    expect(e2.at).toBeGreaterThan(e1.at);
    expect(e1.untilMs).toBeGreaterThan(900); // both stay ejected to the end of this run
    // One ejected (2 of 3 routable): no traffic to it.
    expect(
      hops.filter((h) => h.instance === e1.instance && h.arrivedAt > e1.at && h.arrivedAt < e2.at),
    ).toEqual([]);
    // Two ejected (1 of 3 routable, 1 × 2 < 3): panic, round robin over all three again.
    const panic = hops.filter((h) => h.arrivedAt > e2.at);
    expect(panic.length).toBeGreaterThan(60);
    for (const inst of [e1.instance, e2.instance]) {
      const share = panic.filter((h) => h.instance === inst).length / panic.length;
      expect(share).toBeCloseTo(1 / 3, 1);
    }
    // Their failures during the ejection are ignored: no further ejection.
    expect(r.of('instance.ejected')).toHaveLength(2);
  });

  it('alwaysEjectOneHost with a 10% maximum: one ejection at a time, never two', () => {
    const r = start(threeBacks({ ...BASE_OUTLIER, maxEjectionPercent: 10, alwaysEjectOneHost: true }), 5000);
    r.world.faults.apply(errorFault('back', 1, { kind: 'count', count: 2 }));
    r.run(5000);
    const ejections = r.of('instance.ejected');
    expect(ejections.length).toBeGreaterThanOrEqual(3);
    expect(new Set(ejections.map((e) => e.instance)).size).toBe(2);
    for (let i = 1; i < ejections.length; i++) {
      expect(ejections[i]!.at).toBeGreaterThanOrEqual(ejections[i - 1]!.untilMs);
    }
  });
});

const limiter = (over: Partial<RateLimiterSpec>): RateLimiterSpec => ({
  ratePerSec: 10,
  burst: 1,
  mode: 'reject',
  maxWaitMs: 0,
  refill: 'continuous',
  ...over,
});

describe('rate limiters', () => {
  it('inbound (reject): a request finding no permit fails as rate_limited, with a call.rejected and its why', () => {
    // 10/s, burst 2, arrivals every 20 ms: the bucket (full at 0) serves 20 and 40 ms; from then
    // a token comes back every 100 ms: 120, 220, 320, …
    const spec = world(
      [
        service('api', [endpoint('x', zero)], {
          workers: 10,
          inbound: { rateLimiter: limiter({ burst: 2 }), shedQueueWaitMs: null },
        }),
      ],
      [every('api.x', 20)],
    );
    const r = start(spec, 1000);
    r.run(1000);
    const done = r.of('request.completed');
    expect(done.filter((q) => q.outcome === 'ok').map((q) => q.at)).toEqual([
      20, 40, 120, 220, 320, 420, 520, 620, 720, 820, 920,
    ]);
    const refused = done.filter((q) => q.outcome === 'failed');
    expect(refused).toHaveLength(49 - 11);
    for (const q of refused) expect(q).toMatchObject({ reason: 'rate_limited', latencyMs: 0 });
    const rejected = r.of('call.rejected');
    expect(rejected.map((x) => x.at)).toEqual(refused.map((q) => q.at));
    expect(rejected[0]).toEqual({
      at: 60,
      caller: 'users',
      service: 'api',
      endpoint: 'x',
      reason: 'rate_limited',
      why: 'api#1 inbound: rate limit 10/s (burst 2) exhausted: next permit in 60 ms > max wait 0 ms',
    });
    expect(rejected[1]!.why).toMatch(/next permit in 40 ms/);
  });

  it('inbound limiters are per instance: two instances admit twice the rate', () => {
    const spec = world(
      [
        service('api', [endpoint('x', zero)], {
          replicas: 2,
          workers: 10,
          inbound: { rateLimiter: limiter({ burst: 1 }), shedQueueWaitMs: null },
        }),
      ],
      [every('api.x', 10)],
    );
    const r = start(spec, 10_000);
    r.run(10_000);
    const ok = r.of('request.completed').filter((q) => q.outcome === 'ok').length;
    // 2 instances × (1 token at start + 10/s × 10 s), give or take the last token.
    expect(Math.abs(ok - 2 * (1 + 100))).toBeLessThanOrEqual(2);
  });

  it('client (wait): calls wait for their permit, exactly; those that would wait beyond maxWait fail', () => {
    // 10/s, burst 1, maxWait 250 ms, requests every 20 ms. The first takes the token; later ones
    // reserve the next permits (every 100 ms): 40 → 120 (80 ms), 60 → 220 (160), 80 → 320 (240);
    // at 100 the next permit (420) is 320 ms away: refused, and so on until 180 (→ 420, 240 ms).
    const spec = world(
      [service('back', [endpoint('x', zero)], { workers: 10 })],
      [
        {
          ...every('back.x', 20),
          client: policy({ rateLimiter: limiter({ mode: 'wait', maxWaitMs: 250 }) }),
        },
      ],
    );
    const r = start(spec, 1000);
    r.run(2000);
    const arrivals = r.of('hop.completed').map((h) => h.arrivedAt);
    expect(arrivals.slice(0, 7)).toEqual([20, 120, 220, 320, 420, 520, 620]);
    // One permit every 100 ms for the rest of the run: sends 100 ms apart.
    for (let i = 1; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - 1]!).toBe(100);
    const done = r.of('request.completed');
    const ok = done.filter((q) => q.outcome === 'ok');
    expect(ok.slice(0, 6).map((q) => [q.arrivedAt, q.latencyMs])).toEqual([
      [20, 0],
      [40, 80],
      [60, 160],
      [80, 240],
      [180, 240],
      [280, 240],
    ]);
    for (const q of ok) expect(q.latencyMs).toBeLessThanOrEqual(250);
    const refused = done.filter((q) => q.outcome === 'failed');
    expect(refused.slice(0, 5).map((q) => q.arrivedAt)).toEqual([100, 120, 140, 160, 200]);
    for (const q of refused) expect(q).toMatchObject({ reason: 'rate_limited', latencyMs: 0 });
    expect(r.of('call.rejected')[0]).toEqual({
      at: 100,
      caller: 'users',
      service: 'back',
      endpoint: 'x',
      reason: 'rate_limited',
      why: 'users→back: rate limit 10/s (burst 1) exhausted: next permit in 320 ms > max wait 250 ms',
    });
    // Calls refused by the limiter never reach the callee.
    expect(arrivals).toHaveLength(ok.length);
  });
});

describe('load shedding', () => {
  it('refuses with shed and a why naming the expected wait', () => {
    // One worker, 90 ms of work, arrivals every 40 ms, maxQueueWait 150 ms. Until the first
    // hold has ended the mean hold is unknown (0), so 40, 80 and 120 are admitted; from 130 it is
    // 90 ms: an arrival finding 1 waiting expects (1 + 1) × 90 = 180 ms > 150 and is shed; one
    // finding none waiting expects 90 ms and is admitted.
    const spec = world(
      [
        service('api', [endpoint('x', constMs(90))], {
          inbound: { rateLimiter: null, shedQueueWaitMs: 150 },
        }),
      ],
      [every('api.x', 40)],
    );
    const r = start(spec, 500);
    r.run(2000);
    const done = r.of('request.completed');
    const byArrival = (outcome: string) => done.filter((q) => q.outcome === outcome).map((q) => q.arrivedAt);
    expect(byArrival('failed')).toEqual([160, 200, 280, 360, 440, 480]);
    expect(byArrival('ok')).toEqual([40, 80, 120, 240, 320, 400]);
    for (const q of done.filter((x) => x.outcome === 'failed')) {
      expect(q).toMatchObject({ reason: 'shed', latencyMs: 0, cause: { reason: 'shed', service: 'api' } });
    }
    const rejected = r.of('call.rejected');
    expect(rejected[0]).toEqual({
      at: 160,
      caller: 'users',
      service: 'api',
      endpoint: 'x',
      reason: 'shed',
      why: 'api#1 shed a request: expected queue wait 180 ms > 150 ms (1 waiting × 90.0 ms / 1 workers)',
    });
    for (const x of rejected) expect(x.why).toMatch(/expected queue wait 180 ms > 150 ms/);
    // The admitted waited: 80 → 130 (50 ms), 120 → 220 (100), 240 → 310 (70), 320 → 400, 400 → 490.
    const waits = r
      .of('hop.completed')
      .filter((h) => h.outcome === 'ok')
      .map((h) => h.waitMs);
    expect(waits).toEqual([0, 50, 100, 70, 80, 90]);
  });
});

describe('retry budget', () => {
  it('under total failure with many calls in flight, a retry starts only below max(min, percent × active calls)', () => {
    // back hangs; front times out each attempt after 50 ms and may retry twice at once. With a
    // call every ms about 50 calls are in their first attempt, so 20% of the calls in flight
    // allows about 10–12 concurrent retries: the percent, not the minimum of 3, is the limit.
    const budget = { percent: 20, minConcurrent: 3 };
    const spec = world(
      [
        service('front', [endpoint('x', zero, [call('back.x')])], {
          workers: 10_000,
          clients: new Map([
            ['back', policy({ timeoutMs: 50, retry: retry(3, { kind: 'none' }, { budget }) })],
          ]),
        }),
        service('back', [endpoint('x', constMs(1))], { workers: 10_000 }),
      ],
      [every('front.x', 1)],
    );
    const r = start(spec, 500);
    r.world.faults.apply({
      name: 'hang back',
      action: { kind: 'hang' },
      target: { kind: 'service', service: 'back', endpoint: null, instances: { kind: 'all' } },
    });
    const state = r.world.clients.get('front→back')!.state(null);
    const b = state.budget!;
    let maxActive = 0;
    r.bus.on('call.retried', () => {
      // Just admitted (counted): still within the limit computed with the calls in flight now.
      expect(b.activeRetries).toBeLessThanOrEqual(b.limit);
      expect(b.limit).toBe(Math.max(3, Math.floor((20 * b.activeRequests) / 100)));
      maxActive = Math.max(maxActive, b.activeRetries);
    });
    r.bus.on('retry.denied', () => {
      expect(b.activeRetries).toBeGreaterThanOrEqual(b.limit);
    });
    r.run(2000);
    const denied = r.of('retry.denied');
    expect(denied.length).toBeGreaterThan(100);
    expect(maxActive).toBeGreaterThan(3);
    for (const d of denied) {
      const m = d.why.match(
        /^front→back: retry budget exhausted: (\d+) active retries >= limit (\d+) = max\(min 3, 20% of (\d+) active requests = (\d+)\)$/,
      );
      expect(m, d.why).not.toBeNull();
      const [active, limit, requests, share] = m!.slice(1).map(Number) as [number, number, number, number];
      expect(share).toBe(Math.floor((20 * requests) / 100));
      expect(limit).toBe(Math.max(3, share));
      expect(active).toBeGreaterThanOrEqual(limit);
    }
    // Everything failed (back never answers); every call ended, and the budget is back to empty.
    const calls = r.of('call.completed');
    expect(calls).toHaveLength(499);
    for (const c of calls) expect(c).toMatchObject({ outcome: 'failed', reason: 'timeout' });
    expect(calls.reduce((s, c) => s + c.attempts - 1, 0)).toBe(r.of('call.retried').length);
    expect(b.activeRetries).toBe(0);
    expect(b.activeRequests).toBe(0);
  });
});

describe('backoff between attempts', () => {
  const failing = (backoff: BackoffSpec, maxAttempts: number): WorldSpec =>
    world(
      [
        service('front', [endpoint('x', zero, [call('back.x')])], {
          workers: 10,
          clients: new Map([['back', policy({ retry: retry(maxAttempts, backoff) })]]),
        }),
        service('back', [endpoint('x', constMs(1))]),
      ],
      [every('front.x', 1000)],
    );

  const timings = (backoff: BackoffSpec, maxAttempts: number) => {
    const r = start(failing(backoff, maxAttempts), 1500); // one request, at 1000 ms
    r.world.faults.apply(errorFault('back', 1));
    r.run(5000);
    return {
      retried: r.of('call.retried').map((e) => [e.at, e.retry, e.delayMs]),
      attempts: r
        .of('hop.completed')
        .filter((h) => h.service === 'back')
        .map((h) => h.arrivedAt),
      call: r.of('call.completed')[0]!,
    };
  };

  it('fixed(30 ms): every retry 30 ms after the failure', () => {
    const t = timings({ kind: 'fixed', delayMs: 30 }, 4);
    expect(t.attempts).toEqual([1000, 1030, 1060, 1090]);
    expect(t.retried).toEqual([
      [1000, 1, 30],
      [1030, 2, 30],
      [1060, 3, 30],
    ]);
    expect(t.call).toMatchObject({ attempts: 4, latencyMs: 90, reason: 'error_injected' });
  });

  it('exponential(10 ms, ×2, max 35 ms, ±0%): 10, 20, then capped at 35', () => {
    const t = timings({ kind: 'exponential', initialMs: 10, multiplier: 2, maxMs: 35, randomization: 0 }, 5);
    expect(t.retried).toEqual([
      [1000, 1, 10],
      [1010, 2, 20],
      [1030, 3, 35],
      [1065, 4, 35],
    ]);
    expect(t.attempts).toEqual([1000, 1010, 1030, 1065, 1100]);
    expect(t.call).toMatchObject({ attempts: 5, latencyMs: 100 });
  });
});

describe('circuit breaker half-open', () => {
  const breaker: CircuitBreakerConfig = {
    ...BREAKER_PROFILES.resilience4j,
    window: { kind: 'count', size: 4 },
    minimumCalls: 4,
    waitInOpenMs: 100,
    permittedCallsInHalfOpen: 2,
  };
  const build = (b: CircuitBreakerConfig): WorldSpec =>
    world(
      [
        service('front', [endpoint('x', zero, [call('back.x')])], {
          workers: 100,
          clients: new Map([['back', policy({ breaker: b })]]),
        }),
        service('back', [endpoint('x', constMs(25))], { workers: 10 }),
      ],
      [every('front.x', 10)],
    );

  it('after waitInOpen the next calls (as many as permitted) go through; their success closes it', () => {
    // Calls every 10 ms; errors until 60 ms. 10–40 fail → open at 40. Rejected through 140 (the
    // lazy transition needs a call strictly after 40 + 100). 150 and 160 are the two trial calls
    // (25 ms of work each); 170 and 180 are rejected; the second trial's success at 185 closes it.
    const r = start(build(breaker), 400);
    const fault = r.world.faults.apply(errorFault('back', 1));
    r.at(60, () => fault.revert());
    r.run(1000);
    const t = r.of('breaker.transition').map((x) => [x.at, x.from, x.to, x.why]);
    expect(t).toEqual([
      [40, 'closed', 'open', 'front→back breaker opened at 0.0 s: 4 of the last 4 calls failed (100% ≥ 50%)'],
      [
        150,
        'open',
        'half_open',
        'front→back breaker half-open at 0.1 s: the 100 ms wait in OPEN was over and a call arrived; letting 2 trial calls through',
      ],
      [
        185,
        'half_open',
        'closed',
        'front→back breaker closed at 0.2 s: 0 of 2 trial calls failed (0% < 50%)',
      ],
    ]);
    const rejected = r.of('call.rejected');
    expect(rejected.map((x) => x.at)).toEqual([50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 170, 180]);
    expect(rejected.at(-1)!.why).toBe('front→back breaker is half-open');
    expect(rejected[0]!.why).toBe('front→back breaker is open');
    const sent = r
      .of('hop.completed')
      .filter((h) => h.service === 'back')
      .map((h) => h.arrivedAt);
    expect(sent.filter((at) => at > 40 && at < 200)).toEqual([150, 160, 190]);
  });

  it('a failed trial call reopens it, for another waitInOpen', () => {
    const r = start(build({ ...breaker, permittedCallsInHalfOpen: 1 }), 400);
    r.world.faults.apply(errorFault('back', 1));
    r.run(1000);
    const t = r.of('breaker.transition').map((x) => [x.at, x.to, x.why]);
    expect(t.slice(0, 4)).toEqual([
      [40, 'open', 'front→back breaker opened at 0.0 s: 4 of the last 4 calls failed (100% ≥ 50%)'],
      [
        150,
        'half_open',
        'front→back breaker half-open at 0.1 s: the 100 ms wait in OPEN was over and a call arrived; letting 1 trial call through',
      ],
      [150, 'open', 'front→back breaker reopened at 0.1 s: 1 of 1 trial call failed (100% ≥ 50%)'],
      [
        260,
        'half_open',
        'front→back breaker half-open at 0.3 s: the 100 ms wait in OPEN was over and a call arrived; letting 1 trial call through',
      ],
    ]);
  });
});

describe('restart fault', () => {
  it('instances crash and start again at once: crashed → starting → ready after the start-up time', () => {
    // Start-up 200 ms (at t = 0 too); work 150 ms; requests every 100 ms; restart at 420.
    const spec = world(
      [
        service('front', [endpoint('x', zero, [call('back.x')])], { workers: 100 }),
        service('back', [endpoint('x', constMs(150))], { workers: 10, startup: constMs(200) }),
      ],
      [every('front.x', 100)],
    );
    const r = start(spec, 1000);
    r.at(420, () => {
      r.world.faults.apply({
        name: 'restart back',
        action: { kind: 'restart' },
        target: { kind: 'service', service: 'back', endpoint: null, instances: { kind: 'all' } },
      });
    });
    r.run(2000);
    const states = r
      .of('instance.state')
      .filter((s) => s.service === 'back')
      .map((s) => [s.at, s.state]);
    expect(states).toEqual([
      [0, 'starting'],
      [200, 'ready'],
      [420, 'crashed'],
      [420, 'starting'],
      [620, 'ready'],
    ]);
    const done = r.of('request.completed');
    const cause = (arrivedAt: number) => done.find((q) => q.arrivedAt === arrivedAt)!.cause?.reason ?? 'ok';
    expect([100, 200, 300, 400, 500, 600, 700].map(cause)).toEqual([
      'no_instance', // starting
      'ok',
      'instance_crashed', // in flight at 420
      'instance_crashed',
      'no_instance', // starting again
      'no_instance',
      'ok',
    ]);
    expect(done.find((q) => q.arrivedAt === 300)!.at).toBe(420);
    expect(r.of('fault.started')[0]).toMatchObject({
      at: 420,
      kind: 'restart',
      target: 'back (all 1 instance)',
    });
    // A moment, not a span: it ends where it starts.
    expect(r.of('fault.ended')).toEqual([
      { at: 420, fault: 'restart back', kind: 'restart', target: 'back (all 1 instance)' },
    ]);
  });

  it('a restart of one instance of two leaves the other serving', () => {
    const spec = world(
      [service('back', [endpoint('x', constMs(15))], { replicas: 2, workers: 10, startup: constMs(300) })],
      [every('back.x', 10)],
    );
    const r = start(spec, 1000);
    r.at(500, () => {
      r.world.faults.apply({
        name: 'restart one',
        action: { kind: 'restart' },
        target: { kind: 'service', service: 'back', endpoint: null, instances: { kind: 'count', count: 1 } },
      });
    });
    r.run(2000);
    const restarted = r.of('instance.state').find((s) => s.state === 'crashed')!.instance;
    // While it starts (500–800) every request goes to the other one and succeeds.
    const during = r.of('hop.completed').filter((h) => h.arrivedAt > 500 && h.arrivedAt < 800);
    expect(during.length).toBe(29);
    for (const h of during) expect(h.instance).not.toBe(restarted);
    // Only a request in flight on it at 500 can fail (the one sent at 490, if it went there).
    const failed = r.of('request.completed').filter((q) => q.outcome === 'failed' && q.arrivedAt >= 300);
    expect(failed.length).toBeLessThanOrEqual(1);
    for (const q of failed) expect(q).toMatchObject({ at: 500, arrivedAt: 490, reason: 'instance_crashed' });
  });
});

describe('loss', () => {
  it('with loss rate p on the edge, the share of calls timing out is p', () => {
    // Each request is lost independently with p = 0.2 (drawn per request): a share of n i.i.d.
    // Bernoulli trials, within 4.5 binomial standard errors √(p(1 − p)/n) (a false failure about
    // once in 150,000 runs).
    const p = 0.2;
    const spec = world(
      [service('back', [endpoint('x', expMs(5))], { workers: 1000 })],
      [{ ...openWorkload('back.x', 200, 'poisson'), client: policy({ timeoutMs: 50 }) }],
    );
    const r = start(spec, 100_000, 3);
    r.world.faults.apply({
      name: 'lossy',
      action: { kind: 'loss', rate: p },
      target: { kind: 'edge', from: 'client', to: 'back' },
    });
    r.run(101_000);
    const done = r.of('request.completed');
    const n = done.length;
    expect(n).toBeGreaterThan(19_000);
    const timedOut = done.filter((q) => q.reason === 'timeout');
    // A lost request never arrives: no hop at back; its caller fails exactly at its timeout. A
    // request that arrived but took longer than the timeout shows as a wasted hop.
    const hops = r.of('hop.completed');
    const late = hops.filter((h) => h.wasted).length;
    expect(hops).toHaveLength(n - timedOut.length + late);
    for (const q of timedOut) expect(q.latencyMs).toBeCloseTo(50, 9);
    // The work (mean 5 ms) itself exceeds 50 ms with e^(−10) ≈ 5·10⁻⁵: almost every timeout is a
    // loss; that share is added to p.
    const expected = p + (1 - p) * Math.exp(-10);
    const share = timedOut.length / n;
    const se = Math.sqrt((expected * (1 - expected)) / n);
    expect(Math.abs(share - expected), `share ${share} vs ${expected} ± ${4.5 * se}`).toBeLessThanOrEqual(
      4.5 * se,
    );
  });
});

describe('error injection on one endpoint', () => {
  it('only that endpoint fails; the other endpoints of the same instance are untouched', () => {
    const spec = world(
      [service('back', [endpoint('x', constMs(1)), endpoint('y', constMs(1))], { workers: 10 })],
      [every('back.x', 10, 'to-x'), every('back.y', 10, 'to-y')],
    );
    const r = start(spec, 1000);
    const fault = r.world.faults.apply(errorFault('back', 1, { kind: 'all' }, 'x'));
    expect(fault.target).toBe('back.x');
    r.at(500, () => fault.revert());
    r.run(2000);
    const hops = r.of('hop.completed');
    for (const h of hops) {
      const failed = h.endpoint === 'x' && h.arrivedAt < 500;
      expect(h.outcome).toBe(failed ? 'failed' : 'ok');
      if (failed) expect(h).toMatchObject({ reason: 'error_injected', workMs: 0 });
    }
    expect(hops.filter((h) => h.endpoint === 'x' && h.outcome === 'failed')).toHaveLength(49);
    expect(hops.filter((h) => h.endpoint === 'y' && h.outcome === 'ok')).toHaveLength(99);
  });

  it('an endpoint reached in-process fails too: its visits are arrivals at that endpoint', () => {
    // `audit` is called by `x` within the same service (in-process). An error fault on
    // front.audit hits the visits of audit, as a slow fault on it slows them; the hard call
    // then fails x with the root cause at front/audit.
    const spec = world(
      [
        service('front', [endpoint('x', zero, [call('front.audit')]), endpoint('audit', constMs(1))], {
          workers: 10,
        }),
      ],
      [every('front.x', 10)],
    );
    const r = start(spec, 1000);
    r.world.faults.apply(errorFault('front', 1, { kind: 'all' }, 'audit'));
    r.run(2000);
    const done = r.of('request.completed');
    expect(done).toHaveLength(99);
    for (const q of done) {
      expect(q).toMatchObject({
        outcome: 'failed',
        reason: 'dependency_failed',
        cause: { reason: 'error_injected', service: 'front', endpoint: 'audit' },
      });
    }
  });

  it('an error fault on the service and one on an endpoint combine as independent draws', () => {
    // docs/en/scenario-format.md: "Overlapping faults combine: … error and loss rates combine as
    // independent draws". 50% on the service and 50% on back.x: a request to x fails with
    // 1 − 0.5 × 0.5 = 75%. Each request draws independently: a binomial share of n requests,
    // within 4.5 standard errors √(p(1 − p)/n).
    const spec = world(
      [service('back', [endpoint('x', zero)], { workers: 100 })],
      [openWorkload('back.x', 1000, 'poisson')],
    );
    const r = start(spec, 20_000, 4);
    r.world.faults.apply(errorFault('back', 0.5));
    r.world.faults.apply(errorFault('back', 0.5, { kind: 'all' }, 'x'));
    r.run(20_000);
    const done = r.of('request.completed');
    const n = done.length;
    const share = done.filter((q) => q.reason === 'error_injected').length / n;
    const p = 1 - 0.5 * 0.5;
    const se = Math.sqrt((p * (1 - p)) / n);
    expect(Math.abs(share - p), `share ${share} vs ${p} ± ${4.5 * se}`).toBeLessThanOrEqual(4.5 * se);
  });
});

describe('determinism', () => {
  // Poisson arrivals, exponential work, network jitter, injected errors, loss, retries with a
  // randomized backoff, a breaker and a timeout: every random draw comes from the seeded streams.
  const spec = world(
    [
      service(
        'front',
        [endpoint('x', expMs(2), [call('back.x'), call('back.y', { probability: 0.5, soft: true })])],
        {
          workers: 50,
          clients: new Map([
            [
              'back',
              policy({
                timeoutMs: 40,
                retry: retry(3, {
                  kind: 'exponential',
                  initialMs: 5,
                  multiplier: 2,
                  maxMs: 100,
                  randomization: 0.5,
                }),
                breaker: {
                  ...BREAKER_PROFILES.resilience4j,
                  window: { kind: 'count', size: 20 },
                  minimumCalls: 20,
                  waitInOpenMs: 200,
                },
              }),
            ],
          ]),
        },
      ),
      service('back', [endpoint('x', expMs(10)), endpoint('y', expMs(3))], { replicas: 3, workers: 4 }),
    ],
    [openWorkload('front.x', 150, 'poisson')],
    { kind: 'uniform', min: 0.5, max: 1.5 },
  );

  const signalsOf = (seed: number): string => {
    const r = start(spec, 3000, seed);
    r.world.faults.apply(errorFault('back', 0.3));
    r.at(1000, () => {
      r.world.faults.apply({
        name: 'loss',
        action: { kind: 'loss', rate: 0.2 },
        target: { kind: 'edge', from: 'front', to: 'back' },
      });
    });
    r.at(2000, () => {
      r.world.faults.apply({
        name: 'restart',
        action: { kind: 'restart' },
        target: { kind: 'service', service: 'back', endpoint: null, instances: { kind: 'count', count: 1 } },
      });
    });
    r.run(4000);
    expect(r.of('call.retried').length).toBeGreaterThan(50);
    expect(r.of('breaker.transition').length).toBeGreaterThan(0);
    return JSON.stringify(r.all);
  };

  it('the same seed gives the same signals, event for event; another seed gives others', () => {
    const a = signalsOf(5);
    expect(signalsOf(5)).toBe(a);
    expect(signalsOf(6)).not.toBe(a);
    expect(a.length).toBeGreaterThan(100_000);
  });
});
