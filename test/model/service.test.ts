import { describe, expect, it } from 'vitest';
import type { WorkloadSpec } from '../../src/model/world-spec.ts';
import { runWorld } from './harness.ts';
import { constMs, endpoint, expMs, openWorkload, service, withProfile, world } from './world-fixtures.ts';

const constantAt = (name: string, entry: string, ratePerSec: number): WorkloadSpec => ({
  ...openWorkload(entry, ratePerSec, 'constant'),
  name,
});

describe('processor sharing', () => {
  it('shares one CPU equally among the jobs present', () => {
    const spec = world(
      [
        service('api', [endpoint('long', constMs(300)), endpoint('short', constMs(100))], {
          discipline: 'ps',
        }),
      ],
      [constantAt('a', 'api.long', 1), constantAt('b', 'api.short', 1000 / 1100)],
    );
    const h = runWorld(spec, 1999, 1, 1500);
    // long alone 1000–1100 (100 done); both at half speed until short is done at 1300; long alone to 1400.
    const at = Object.fromEntries(h.hops.map((x) => [x.endpoint, x.at]));
    expect(at).toEqual({ short: 1300, long: 1400 });
  });

  it('rejects arrivals beyond workers + queue capacity', () => {
    const spec = world(
      [service('api', [endpoint('get', constMs(1000))], { discipline: 'ps', workers: 1, queueCapacity: 1 })],
      [openWorkload('api.get', 10, 'constant')],
    );
    const h = runWorld(spec, 350, 1, 350);
    expect(h.completed.map((c) => c.reason)).toEqual(['queue_full']);
    expect(h.completed[0]!.at).toBe(300);
  });
});

describe('load balancing', () => {
  for (const lb of ['round-robin', 'random', 'least-requests'] as const) {
    it(`${lb} spreads requests over the ready instances`, () => {
      const spec = world(
        [service('api', [endpoint('get', expMs(10))], { replicas: 4, loadBalancing: lb })],
        [openWorkload('api.get', 200)],
      );
      // arrivals stop at 10 s; by 15 s every request has been answered
      const h = runWorld(spec, 15_000, 1, 10_000);
      expect(h.completed).toHaveLength(h.arrived.length);
      const counts = new Map<string, number>();
      for (const x of h.hops) counts.set(x.instance, (counts.get(x.instance) ?? 0) + 1);
      expect([...counts.keys()].sort()).toEqual(['api#1', 'api#2', 'api#3', 'api#4']);
      const n = h.hops.length;
      // ~2000 hops: each instance's share of 1/4 has a binomial sd of ~1%; allow 5 sd.
      for (const c of counts.values()) expect(Math.abs(c / n - 0.25)).toBeLessThan(0.05);
      if (lb === 'round-robin')
        for (const c of counts.values()) expect(Math.abs(c - n / 4)).toBeLessThanOrEqual(1);
    });
  }
});

describe('workloads', () => {
  it('a closed loop keeps at most N requests in flight and thinks between them', () => {
    const spec = world(
      [service('api', [endpoint('get', constMs(100))], { workers: 10 })],
      [
        {
          kind: 'closed',
          name: 'users',
          users: 3,
          think: constMs(900),
          entries: [{ service: 'api', endpoint: 'get', weight: 1 }],
        },
      ],
    );
    const h = runWorld(spec, 10_000);
    // each user: 900 think + 100 work = one request per second
    expect(h.completed).toHaveLength(30);
    expect(h.completed.every((c) => c.latencyMs === 100)).toBe(true);
  });

  it('a rate profile steps and ramps the arrival rate', () => {
    const spec = world(
      [service('api', [endpoint('get', constMs(0))], { workers: 100 })],
      [
        withProfile(openWorkload('api.get', 10, 'constant'), [
          { atMs: 10_000, ratePerSec: 20, rampMs: 0 },
          { atMs: 20_000, ratePerSec: 40, rampMs: 10_000 },
        ]),
      ],
    );
    const h = runWorld(spec, 45_000);
    // Constant arrivals sit where the cumulative rate Λ(t) crosses an integer, so the count up to t
    // is floor(Λ(t)) — within 1 of it, allowing float rounding at exact boundaries.
    const upTo = (t: number) => h.arrived.filter((x) => x.at <= t).length;
    const expected: [number, number][] = [
      [5_000, 50],
      [10_000, 100],
      [20_000, 300],
      [25_000, 300 + 5 * 20 + (5 * 5 * 2) / 2], // ramp: 20/s rising 2/s per s
      [30_000, 600],
      [40_000, 1000],
    ];
    for (const [t, n] of expected) expect(Math.abs(upTo(t) - n)).toBeLessThanOrEqual(1);
  });

  it('a weighted mix picks entries in proportion', () => {
    const spec = world(
      [service('api', [endpoint('a', constMs(0)), endpoint('b', constMs(0))], { workers: 10 })],
      [
        {
          ...openWorkload('api.a', 1000),
          entries: [
            { service: 'api', endpoint: 'a', weight: 0.9 },
            { service: 'api', endpoint: 'b', weight: 0.1 },
          ],
        },
      ],
    );
    const h = runWorld(spec, 20_000);
    const share = h.arrived.filter((x) => x.endpoint === 'b').length / h.arrived.length;
    // ~20,000 requests: sd of the share ≈ 0.0021; allow 5 sd.
    expect(Math.abs(share - 0.1)).toBeLessThan(0.011);
  });
});

describe('instability guard', () => {
  it('stops with a plain explanation when a queue grows without bound', () => {
    const spec = world([service('api', [endpoint('get', expMs(100))])], [openWorkload('api.get', 12)]);
    const h = runWorld({ ...spec, limits: { maxCallDepth: 32, maxQueueLength: 500 } }, 3_600_000);
    expect(h.unstable).toMatch(/^api receives 1\d\.\d\/s but can serve about (9|10)\.\d\/s/);
    expect(h.unstable).toContain('its queue grows without bound');
    expect(h.engine.now).toBeLessThan(3_600_000);
  });
});
