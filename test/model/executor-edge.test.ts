import { describe, expect, it } from 'vitest';
import { runWorld } from './harness.ts';
import { call, constMs, endpoint, openWorkload, service, world } from './world-fixtures.ts';

describe('executor edge cases', () => {
  it('a freed worker passing through thousands of queued hops that fail at once keeps the stack flat', () => {
    // api's only worker is held 20 s by the one slow request (t = 1 s); meanwhile 4,000 queue.
    // When it is freed, each queued request fails at once (its call finds no instance) and frees
    // the worker for the next: a cascade that must be a loop, not a recursion.
    const spec = world(
      [
        service('api', [endpoint('slow', constMs(20_000)), endpoint('fast', constMs(0), [call('down.x')])]),
        service('down', [endpoint('x', constMs(1))], { replicas: 0 }),
      ],
      [
        { ...openWorkload('api.slow', 1, 'constant'), name: 'first' },
        { ...openWorkload('api.fast', 4000, 'constant'), name: 'flood' },
      ],
    );
    const h = runWorld(spec, 25_000, 1, 1999);
    const cascade = h.completed.filter((c) => c.cause?.reason === 'no_instance' && c.at === 21_000);
    expect(cascade.length).toBeGreaterThan(3_900);
    expect(h.completed).toHaveLength(h.arrived.length);
  });

  it('processor sharing admits at most workers + queue requests, counting those waiting on calls', () => {
    const spec = world(
      [
        service('api', [endpoint('get', constMs(10), [call('b.x')], 'calls-first')], {
          discipline: 'ps',
          queueCapacity: 0,
        }),
        service('b', [endpoint('x', constMs(10))], { workers: 100 }),
      ],
      [openWorkload('api.get', 1000, 'constant')],
    );
    const h = runWorld(spec, 200, 1, 100);
    // one request at a time: 10 ms in b, then 10 ms of work; the 19 arrivals in between are refused
    const ok = h.completed.filter((c) => c.outcome === 'ok');
    const full = h.completed.filter((c) => c.reason === 'queue_full');
    expect(ok.length).toBeGreaterThanOrEqual(4);
    expect(ok.length).toBeLessThanOrEqual(5);
    expect(full.length).toBeGreaterThan(90);
    for (const c of ok) expect(c.latencyMs).toBe(20);
  });
});
