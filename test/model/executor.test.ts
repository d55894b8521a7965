import { describe, expect, it } from 'vitest';
import { runWorld } from './harness.ts';
import { call, constMs, endpoint, openWorkload, service, world, zero } from './world-fixtures.ts';

/** One request at t = 1000 ms (constant arrivals at 1/s, run ends before the second). */
const oneRequest = (entry: string) => openWorkload(entry, 1, 'constant');

describe('request flow', () => {
  it('a chain of calls adds work and network latency both ways', () => {
    const spec = world(
      [
        service('front', [endpoint('home', constMs(10), [call('back.get')])]),
        service('back', [endpoint('get', constMs(30))]),
      ],
      [oneRequest('front.home')],
      constMs(2),
    );
    const h = runWorld(spec, 1999, 1, 1500);
    expect(h.completed).toHaveLength(1);
    // client→front 2, work 10, front→back 2, work 30, back→front 2, front→client 2
    expect(h.completed[0]).toMatchObject({ at: 1048, latencyMs: 48, outcome: 'ok' });
    const back = h.hops.find((x) => x.service === 'back')!;
    expect(back).toMatchObject({ arrivedAt: 1014, latencyMs: 30, waitMs: 0, residenceMs: 30 });
    const front = h.hops.find((x) => x.service === 'front')!;
    expect(front).toMatchObject({ arrivedAt: 1002, latencyMs: 44, residenceMs: 44 });
  });

  it('calls-first runs the calls before the work', () => {
    const spec = world(
      [
        service('front', [endpoint('home', constMs(10), [call('back.get')], 'calls-first')]),
        service('back', [endpoint('get', constMs(30))]),
      ],
      [oneRequest('front.home')],
    );
    const h = runWorld(spec, 1500);
    const back = h.hops.find((x) => x.service === 'back')!;
    expect(back.arrivedAt).toBe(1000);
    expect(h.completed[0]!.latencyMs).toBe(40);
  });

  it('parallel calls wait for the slowest; sequential calls add up', () => {
    const services = [service('a', [endpoint('x', constMs(10))]), service('b', [endpoint('y', constMs(25))])];
    const par = world(
      [
        service('front', [
          endpoint('home', zero, [
            {
              kind: 'parallel',
              calls: [
                { service: 'a', endpoint: 'x', probability: 1, soft: false },
                { service: 'b', endpoint: 'y', probability: 1, soft: false },
              ],
            },
          ]),
        ]),
        ...services,
      ],
      [oneRequest('front.home')],
    );
    expect(runWorld(par, 1500).completed[0]!.latencyMs).toBe(25);
    const seq = world(
      [service('front', [endpoint('home', zero, [call('a.x'), call('b.y')])]), ...services],
      [oneRequest('front.home')],
    );
    expect(runWorld(seq, 1500).completed[0]!.latencyMs).toBe(35);
  });

  it('a failed hard call fails the caller as dependency_failed with the root cause; a soft one does not', () => {
    const down = service('pay', [endpoint('charge', constMs(5))], { replicas: 0 });
    const hard = world(
      [service('shop', [endpoint('buy', constMs(1), [call('pay.charge')])]), down],
      [oneRequest('shop.buy')],
    );
    const h = runWorld(hard, 1500);
    expect(h.completed[0]).toMatchObject({
      outcome: 'failed',
      reason: 'dependency_failed',
      cause: { reason: 'no_instance', service: 'pay', endpoint: 'charge' },
    });
    const soft = world(
      [service('shop', [endpoint('buy', constMs(1), [call('pay.charge', { soft: true })])]), down],
      [oneRequest('shop.buy')],
    );
    expect(runWorld(soft, 1500).completed[0]).toMatchObject({ outcome: 'ok' });
  });

  it('an in-process call runs on the caller instance without network, using its worker', () => {
    const spec = world(
      [service('mono', [endpoint('page', constMs(10), [call('mono.cart')]), endpoint('cart', constMs(20))])],
      [oneRequest('mono.page')],
      constMs(3),
    );
    const h = runWorld(spec, 1500);
    // 3 there + 10 + 20 + 3 back; no latency for the in-process call
    expect(h.completed[0]!.latencyMs).toBe(36);
    const cart = h.hops.find((x) => x.endpoint === 'cart')!;
    expect(cart).toMatchObject({ inProcess: true, instance: 'mono#1', waitMs: 0 });
  });

  it('calls deeper than maxCallDepth fail with depth_exceeded', () => {
    const spec = world(
      [service('loop', [endpoint('again', constMs(1), [call('loop.again')])])],
      [oneRequest('loop.again')],
    );
    const h = runWorld({ ...spec, limits: { ...spec.limits, maxCallDepth: 4 } }, 1500);
    expect(h.completed[0]).toMatchObject({
      outcome: 'failed',
      reason: 'dependency_failed',
      cause: { reason: 'depth_exceeded', service: 'loop', endpoint: 'again' },
    });
    expect(h.hops.filter((x) => x.endpoint === 'again')).toHaveLength(4);
  });

  it('a full queue rejects with queue_full, and only ready instances receive requests', () => {
    const spec = world(
      [service('api', [endpoint('get', constMs(1000))], { queueCapacity: 1, startup: constMs(1500) })],
      [openWorkload('api.get', 4, 'constant')],
    );
    const h = runWorld(spec, 2400, 1, 2300);
    // arrivals at 250, 500, …; before 1500 no instance is ready
    const reasons = h.completed.map((c) => c.cause?.reason ?? 'ok');
    expect(reasons.slice(0, 5)).toEqual([
      'no_instance',
      'no_instance',
      'no_instance',
      'no_instance',
      'no_instance',
    ]);
    // at 1500: one ready; 1500 starts, 1750 waits, 2000 and 2250 find the queue full
    expect(h.completed.filter((c) => c.cause?.reason === 'queue_full').map((c) => c.at)).toEqual([
      2000, 2250,
    ]);
    expect(h.states.map((s) => s.state)).toEqual(['starting', 'ready']);
  });

  it('thread-per-request holds the worker during downstream calls; non-blocking does not', () => {
    const build = (holding: 'thread-per-request' | 'non-blocking') =>
      world(
        [
          service('front', [endpoint('home', constMs(10), [call('slow.get')])], { holding }),
          service('slow', [endpoint('get', constMs(200))], { workers: 10 }),
        ],
        [openWorkload('front.home', 20, 'constant')],
      );
    // 20/s, each holding front's single worker for 210 ms under thread-per-request: a queue builds.
    const tpr = runWorld(build('thread-per-request'), 3000, 1, 2000);
    const nb = runWorld(build('non-blocking'), 3000, 1, 2000);
    const maxWait = (h: typeof tpr) =>
      Math.max(...h.hops.filter((x) => x.service === 'front').map((x) => x.waitMs));
    expect(maxWait(nb)).toBe(0);
    expect(maxWait(tpr)).toBeGreaterThan(1000);
  });
});
