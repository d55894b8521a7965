/**
 * Faults and call policies in the model, on hand-built worlds: exact counts and times where the
 * outcome is determined, binomial tolerances where it is random.
 */
import { describe, expect, it } from 'vitest';
import type { FaultCommand } from '../../src/model/fault-spec.ts';
import type { World } from '../../src/model/world.ts';
import type { ClientPolicySpec, WorldSpec } from '../../src/model/world-spec.ts';
import { BREAKER_PROFILES } from '../../src/patterns/circuit-breaker.ts';
import {
  allButBreaker,
  call,
  constMs,
  endpoint,
  openWorkload,
  policy,
  service,
  startWorld,
  world,
  zero,
} from './world-fixtures.ts';

function retries(maxAttempts: number): ClientPolicySpec['retry'] {
  return { maxAttempts, backoff: { kind: 'none' }, retryOn: allButBreaker, budget: null };
}

const errorFault = (svc: string, rate: number): FaultCommand => ({
  name: `error ${svc}`,
  action: { kind: 'error', rate },
  target: { kind: 'service', service: svc, endpoint: null, instances: { kind: 'all' } },
});

describe('retries multiply load at the bottom under total failure', () => {
  it('3 retries (4 attempts) at each of 3 layers send exactly 64 attempts per user request', () => {
    const spec: WorldSpec = {
      ...world(
        [
          service('a', [endpoint('x', zero, [call('b.x')])], {
            clients: new Map([['b', policy({ retry: retries(4) })]]),
            workers: 100,
          }),
          service('b', [endpoint('x', zero, [call('c.x')])], {
            clients: new Map([['c', policy({ retry: retries(4) })]]),
            workers: 100,
          }),
          service('c', [endpoint('x', zero, [call('d.x')])], {
            clients: new Map([['d', policy({ retry: retries(4) })]]),
            workers: 100,
          }),
          service('d', [endpoint('x', constMs(1))], { workers: 100 }),
        ],
        [openWorkload('a.x', 10, 'constant')],
      ),
    };
    const r = startWorld(spec, 1000);
    r.world.faults.apply(errorFault('d', 1));
    r.run(2000);
    const requests = r.signals['request.completed'] ?? [];
    expect(requests).toHaveLength(9); // sent at 100, 200, … 900 ms
    for (const q of requests) expect(q.outcome).toBe('failed');
    const perRequest = new Map<number, number>();
    for (const h of r.signals['hop.completed'] ?? []) {
      if (h.service === 'd') perRequest.set(h.requestId, (perRequest.get(h.requestId) ?? 0) + 1);
    }
    expect([...perRequest.values()]).toEqual(Array(9).fill(64));
    for (const h of r.signals['hop.completed'] ?? [])
      if (h.service === 'd') expect(h.reason).toBe('error_injected');
  });
});

describe('independent failures along a chain', () => {
  it('5 services each failing 0.1% give availability 0.999^5', () => {
    const names = ['s1', 's2', 's3', 's4', 's5'];
    const services = names.map((n, i) =>
      service(n, [endpoint('x', zero, i + 1 < names.length ? [call(`${names[i + 1]}.x`)] : [])], {
        workers: 1000,
      }),
    );
    const n = 400_000;
    const r = startWorld(world(services, [openWorkload('s1.x', n / 100, 'poisson')]), 100_000, 7);
    for (const s of names) r.world.faults.apply(errorFault(s, 0.001));
    r.run(100_000);
    const done = r.signals['request.completed'] ?? [];
    const ok = done.filter((q) => q.outcome === 'ok').length;
    const p = 0.999 ** 5;
    const availability = ok / done.length;
    // Binomial standard error of the measured share; 4.5 standard errors: a false failure about 1 in 150,000 runs.
    const se = Math.sqrt((p * (1 - p)) / done.length);
    expect(done.length).toBeGreaterThan(0.98 * n);
    expect(Math.abs(availability - p)).toBeLessThan(4.5 * se);
  });
});

describe('timeouts', () => {
  const slowWorld = (over: Partial<ClientPolicySpec>, calleeWorkers = 10): WorldSpec =>
    world(
      [
        service('front', [endpoint('x', zero, [call('back.x')])], {
          workers: 100,
          clients: new Map([['back', policy({ timeoutMs: 50, ...over })]]),
        }),
        service('back', [endpoint('x', constMs(100))], { workers: calleeWorkers }),
      ],
      [openWorkload('front.x', 1, 'constant')],
    );

  it('a timed-out caller fails at exactly its timeout while the callee keeps working (wasted work)', () => {
    const r = startWorld(slowWorld({}), 1001);
    r.run(3000);
    const [req] = r.signals['request.completed'] ?? [];
    expect(req!.outcome).toBe('failed');
    expect(req!.reason).toBe('dependency_failed');
    expect(req!.cause).toEqual({ reason: 'timeout', service: 'back', endpoint: 'x' });
    expect(req!.latencyMs).toBe(50);
    const back = (r.signals['hop.completed'] ?? []).find((h) => h.service === 'back')!;
    expect(back.outcome).toBe('ok');
    expect(back.latencyMs).toBe(100);
    expect(back.wasted).toBe(true);
    expect(back.workMs).toBe(100);
    const front = (r.signals['hop.completed'] ?? []).find((h) => h.service === 'front')!;
    expect(front.wasted).toBe(false);
  });

  it('with deadline propagation, queued work for a caller that gave up is dropped', () => {
    // One worker at the callee, two requests 0 ms apart: the second waits 100 ms > its 50 ms.
    const spec = slowWorld({ propagateDeadline: true }, 1);
    const both: WorldSpec = { ...spec, workloads: [{ ...openWorkload('front.x', 2000, 'constant') }] };
    const r = startWorld(both, 1.1); // sent at 0.5 and 1.0 ms
    r.run(3000);
    const backs = (r.signals['hop.completed'] ?? []).filter((h) => h.service === 'back');
    expect(backs.map((h) => h.reason ?? 'ok').sort()).toEqual(['deadline_exceeded', 'ok']);
    const dropped = backs.find((h) => h.reason === 'deadline_exceeded')!;
    expect(dropped.workMs).toBe(0);
  });

  it('an overall deadline spans retries and backoffs', () => {
    const r = startWorld(
      slowWorld({
        timeoutMs: 50,
        deadlineMs: 120,
        retry: {
          maxAttempts: 5,
          backoff: { kind: 'fixed', delayMs: 20 },
          retryOn: allButBreaker,
          budget: null,
        },
      }),
      1001,
    );
    r.run(3000);
    const [req] = r.signals['request.completed'] ?? [];
    expect(req!.cause?.reason).toBe('deadline_exceeded');
    expect(req!.latencyMs).toBe(120);
    // Attempts at 0 and 70 (50 ms timeout + 20 ms backoff); the third would start at 140.
    const call = (r.signals['call.completed'] ?? [])[0]!;
    expect(call.attempts).toBe(2);
    // The request arrives at 1000 ms; the first attempt times out at 1050 and is retried then.
    expect((r.signals['call.retried'] ?? []).map((e) => e.at)).toEqual([1050]);
  });
});

describe('breaker and fallback', () => {
  it('opens after the minimum calls all fail, then rejects without sending; the fallback answers', () => {
    const breaker = {
      ...BREAKER_PROFILES.resilience4j,
      window: { kind: 'count' as const, size: 10 },
      minimumCalls: 10,
    };
    const spec = world(
      [
        service('front', [endpoint('x', zero, [call('back.x')])], {
          workers: 100,
          clients: new Map([['back', policy({ breaker, fallback: true })]]),
        }),
        service('back', [endpoint('x', constMs(1))], { workers: 10 }),
      ],
      [openWorkload('front.x', 100, 'constant')],
    );
    const r = startWorld(spec, 1000);
    r.world.faults.apply(errorFault('back', 1));
    r.run(2000);
    const transitions = r.signals['breaker.transition'] ?? [];
    expect(transitions[0]).toMatchObject({
      from: 'closed',
      to: 'open',
      breaker: 'front→back',
      caller: 'front',
      service: 'back',
    });
    expect(transitions[0]!.why).toMatch(/10 of the last 10 calls failed \(100% ≥ 50%\)/);
    // Exactly 10 calls reached back before the breaker opened; the rest were rejected.
    const backHops = (r.signals['hop.completed'] ?? []).filter((h) => h.service === 'back');
    expect(backHops).toHaveLength(10);
    const rejected = r.signals['call.rejected'] ?? [];
    expect(rejected.length).toBe(99 - 10); // 99 requests, sent every 10 ms from 10 ms
    expect(new Set(rejected.map((x) => x.reason))).toEqual(new Set(['circuit_open']));
    const outcomes = new Set((r.signals['request.completed'] ?? []).map((q) => q.outcome));
    expect(outcomes).toEqual(new Set(['fallback']));
  });

  it('does not retry a call the breaker rejected', () => {
    const breaker = {
      ...BREAKER_PROFILES.resilience4j,
      window: { kind: 'count' as const, size: 2 },
      minimumCalls: 2,
    };
    const spec = world(
      [
        service('front', [endpoint('x', zero, [call('back.x')])], {
          workers: 100,
          clients: new Map([['back', policy({ breaker, retry: retries(3) })]]),
        }),
        service('back', [endpoint('x', constMs(1))]),
      ],
      [openWorkload('front.x', 10, 'constant')],
    );
    const r = startWorld(spec, 1000);
    r.world.faults.apply(errorFault('back', 1));
    r.run(2000);
    const calls = r.signals['call.completed'] ?? [];
    // First call: 2 failed attempts open the breaker, the third attempt is rejected and not retried.
    expect(calls[0]).toMatchObject({ attempts: 2, reason: 'circuit_open' });
    for (const c of calls.slice(1)) expect(c).toMatchObject({ attempts: 0, reason: 'circuit_open' });
  });
});

describe('instance faults', () => {
  const twoTier = (replicas: number): WorldSpec =>
    world(
      [
        service('front', [endpoint('x', zero, [call('back.x')])], { workers: 100 }),
        service('back', [endpoint('x', constMs(100))], { replicas, workers: 10 }),
      ],
      [openWorkload('front.x', 20, 'constant')],
    );

  it('a kill fails in-flight work as instance_crashed at once; reverting restarts the instance', () => {
    const r = startWorld(twoTier(1), 1000);
    let fault: ReturnType<World['faults']['apply']> | undefined;
    r.at(520, () => {
      fault = r.world.faults.apply({
        name: 'kill back',
        action: { kind: 'kill' },
        target: { kind: 'service', service: 'back', endpoint: null, instances: { kind: 'all' } },
      });
    });
    r.at(700, () => fault!.revert());
    r.run(1500);
    const crashed = (r.signals['request.completed'] ?? []).filter(
      (q) => q.cause?.reason === 'instance_crashed',
    );
    // Requests sent at 450 and 500 ms were in flight at 520 ms.
    expect(crashed.map((q) => q.at)).toEqual([520, 520]);
    const noInstance = (r.signals['request.completed'] ?? []).filter(
      (q) => q.cause?.reason === 'no_instance',
    );
    // Sent at 550…700 while down (restart at 700 with zero start-up: 700 itself is served).
    expect(noInstance.map((q) => q.arrivedAt)).toEqual([550, 600, 650]);
    const states = (r.signals['instance.state'] ?? [])
      .filter((s) => s.service === 'back')
      .map((s) => s.state);
    expect(states).toEqual(['starting', 'ready', 'crashed', 'starting', 'ready']);
    expect(r.signals['fault.started']?.[0]).toMatchObject({
      fault: 'kill back',
      kind: 'kill',
      target: 'back (all 1 instance)',
    });
  });

  it('a hang holds work until reverted; slow multiplies work time', () => {
    const r = startWorld(twoTier(1), 400);
    const hang = r.world.faults.apply({
      name: 'hang',
      action: { kind: 'hang' },
      target: { kind: 'service', service: 'back', endpoint: null, instances: { kind: 'all' } },
    });
    r.at(1000, () => hang.revert());
    r.run(3000);
    const backs = (r.signals['hop.completed'] ?? []).filter((h) => h.service === 'back');
    // Nothing finished during the hang; held work (100 ms) ran after it.
    expect(Math.min(...backs.map((h) => h.at))).toBe(1100);
    const r2 = startWorld(twoTier(1), 100);
    r2.world.faults.apply({
      name: 'slow',
      action: { kind: 'slow', factor: 3 },
      target: { kind: 'service', service: 'back', endpoint: null, instances: { kind: 'all' } },
    });
    r2.run(3000);
    for (const h of (r2.signals['hop.completed'] ?? []).filter((x) => x.service === 'back'))
      expect(h.workMs).toBe(300);
  });
});

describe('network faults', () => {
  it('a partition loses requests: without a timeout the caller waits; with one it fails at the timeout', () => {
    const build = (client: ClientPolicySpec | null): WorldSpec =>
      world(
        [
          service('front', [endpoint('x', zero, [call('back.x')])], {
            workers: 100,
            clients: client === null ? new Map() : new Map([['back', client]]),
          }),
          service('back', [endpoint('x', constMs(1))]),
        ],
        [openWorkload('front.x', 10, 'constant')],
      );
    const partition: FaultCommand = {
      name: 'split',
      action: { kind: 'partition' },
      target: { kind: 'groups', a: ['front'], b: ['back'] },
    };
    const r = startWorld(build(null), 1000);
    r.world.faults.apply(partition);
    r.run(5000);
    expect(r.signals['request.completed'] ?? []).toHaveLength(0);
    const t = startWorld(build(policy({ timeoutMs: 250 })), 1000);
    t.world.faults.apply(partition);
    t.run(5000);
    const done = t.signals['request.completed'] ?? [];
    expect(done).toHaveLength(9);
    for (const q of done) {
      expect(q.latencyMs).toBe(250);
      expect(q.cause?.reason).toBe('timeout');
    }
  });

  it('added latency applies to requests over the edge only', () => {
    const spec = world(
      [
        service('front', [endpoint('x', zero, [call('back.x')])], { workers: 100 }),
        service('back', [endpoint('x', constMs(1))]),
      ],
      [openWorkload('front.x', 10, 'constant')],
    );
    const r = startWorld(spec, 1000);
    r.world.faults.apply({
      name: 'lag',
      action: { kind: 'latency', addMs: 40, jitterMs: 0 },
      target: { kind: 'edge', from: 'front', to: 'back' },
    });
    r.run(3000);
    for (const q of r.signals['request.completed'] ?? []) expect(q.latencyMs).toBe(41);
  });
});

describe('bulkhead and rate limiter', () => {
  it('a bulkhead of 2 with no wait rejects the third concurrent call', () => {
    const spec = world(
      [
        service('front', [endpoint('x', zero, [call('back.x')])], {
          workers: 100,
          clients: new Map([['back', policy({ bulkhead: { maxConcurrent: 2, maxWaitMs: 0 } })]]),
        }),
        service('back', [endpoint('x', constMs(100))], { workers: 10 }),
      ],
      [openWorkload('front.x', 100, 'constant')],
    );
    // Calls every 10 ms taking 100 ms: 10 would be in flight; the bulkhead lets 2.
    const r = startWorld(spec, 1000);
    r.run(2000);
    const ok = (r.signals['request.completed'] ?? []).filter((q) => q.outcome === 'ok').length;
    expect(ok).toBe(20); // 2 slots × (1000 ms / 100 ms)
    expect(new Set((r.signals['call.rejected'] ?? []).map((x) => x.reason))).toEqual(
      new Set(['bulkhead_full']),
    );
  });
});

describe('outlier detection counts timeouts', () => {
  it('a hung instance is ejected after consecutive timed-out attempts (locally originated failures)', () => {
    const spec = world(
      [
        service('front', [endpoint('x', zero, [call('back.x')])], {
          workers: 100,
          clients: new Map([['back', policy({ timeoutMs: 50 })]]),
        }),
        service('back', [endpoint('x', constMs(5))], {
          replicas: 3,
          workers: 10,
          outlierDetection: {
            consecutiveErrors: 3,
            baseEjectionMs: 30_000,
            maxEjectionMs: 300_000,
            maxEjectionPercent: 100,
          },
        }),
      ],
      [openWorkload('front.x', 100, 'constant')],
    );
    const r = startWorld(spec, 2000);
    r.world.faults.apply({
      name: 'hang one',
      action: { kind: 'hang' },
      target: { kind: 'service', service: 'back', endpoint: null, instances: { kind: 'count', count: 1 } },
    });
    r.run(3000);
    const ejected = r.signals['instance.ejected'] ?? [];
    expect(ejected).toHaveLength(1);
    const hung = ejected[0]!.instance;
    expect(hung).toMatch(/^back#/);
    // Round robin sends every third call (sent at 30, 60, 90, 120 ms…) to the hung instance; each
    // times out 50 ms later, and the third timeout (at 140 ms) ejects it. The call sent at 120 ms
    // was already on its way.
    const done = r.signals['request.completed'] ?? [];
    const timeouts = done.filter((q) => q.cause?.reason === 'timeout');
    expect(timeouts.map((q) => q.at)).toEqual([80, 110, 140, 170]);
    expect(ejected[0]!.at).toBe(140);
    // Every request sent after the ejection is answered by the two healthy instances.
    const later = done.filter((q) => q.arrivedAt > 140);
    expect(later.length).toBeGreaterThan(100);
    for (const q of later) expect(q.outcome).toBe('ok');
  });
});
