/**
 * Scaling a service at run time: new instances cold-start, removed ones drain (no new requests,
 * in-flight ones finish, then stop), and an autoscaler decides on the simulation clock.
 */
import { describe, expect, it } from 'vitest';
import { createBus } from '../../src/engine/bus.ts';
import { createEngine } from '../../src/engine/engine.ts';
import { createRandomStreams } from '../../src/engine/random.ts';
import { createWorld } from '../../src/model/world.ts';
import type { WorldSpec } from '../../src/model/world-spec.ts';
import { HPA_DEFAULTS } from '../../src/patterns/hpa.ts';
import type { Signals } from '../../src/signals.ts';
import { constMs, endpoint, openWorkload, service, world } from './world-fixtures.ts';

function start(spec: WorldSpec, endMs: number) {
  const engine = createEngine();
  const bus = createBus<Signals>();
  const states: Signals['instance.state'][] = [];
  const done: Signals['request.completed'][] = [];
  const decisions: Signals['scale.decided'][] = [];
  bus.on('instance.state', (s) => states.push(s));
  bus.on('request.completed', (r) => done.push(r));
  bus.on('scale.decided', (d) => decisions.push(d));
  const w = createWorld(spec, {
    engine,
    bus,
    streams: createRandomStreams(1),
    endMs,
    onUnstable: () => engine.stop(),
  });
  return { engine, world: w, states, done, decisions };
}

describe('scaleTo', () => {
  it('a removed instance drains: no new requests, its in-flight work finishes, then it stops', () => {
    const spec = world(
      [service('api', [endpoint('get', constMs(100))], { replicas: 2, workers: 4 })],
      [openWorkload('api.get', 40, 'constant')],
    );
    const r = start(spec, 2000);
    const api = r.world.services.get('api')!;
    r.engine.scheduleAt(1010, () => api.scaleTo(1), undefined);
    r.engine.runUntil(3000);
    const second = r.states.filter((s) => s.instance === 'api#2').map((s) => [s.at, s.state]);
    // api#2 was serving the request sent at 1000 ms (round robin: even requests), which ends at
    // 1100 ms; it drains from 1010 ms and stops when that request has ended.
    expect(second).toEqual([
      [0, 'starting'],
      [0, 'ready'],
      [1010, 'draining'],
      [1100, 'stopped'],
    ]);
    expect(r.done.every((q) => q.outcome === 'ok')).toBe(true);
    expect(r.done).toHaveLength(79);
  });

  it('added instances go through start-up (a cold start) before they serve', () => {
    const spec = world(
      [service('api', [endpoint('get', constMs(10))], { replicas: 1, workers: 4, startup: constMs(500) })],
      [openWorkload('api.get', 10, 'constant')],
    );
    const r = start(spec, 2000);
    r.engine.runUntil(600); // the first instance is ready at 500 ms
    r.world.services.get('api')!.scaleTo(3);
    expect(r.world.services.get('api')!.replicas()).toBe(3);
    r.engine.runUntil(3000);
    const ready = r.states.filter((s) => s.state === 'ready').map((s) => [s.instance, s.at]);
    expect(ready).toEqual([
      ['api#1', 500],
      ['api#2', 1100],
      ['api#3', 1100],
    ]);
  });
});

describe('the HPA on the simulation clock', () => {
  it('decides every 15 s from the utilization of the period just ended and scales out', () => {
    const spec = world(
      [
        service('api', [endpoint('get', constMs(100))], {
          replicas: 1,
          workers: 1,
          queueCapacity: 1000,
          autoscale: {
            metric: 'utilization',
            policy: { kind: 'hpa', spec: { ...HPA_DEFAULTS, target: 0.5, minReplicas: 1, maxReplicas: 8 } },
          },
        }),
      ],
      // 9 requests/s of 100 ms on one worker: utilization 90%.
      [openWorkload('api.get', 9, 'constant')],
    );
    const r = start(spec, 60_000);
    r.engine.runUntil(60_000);
    const first = r.decisions[0]!;
    expect(first.at).toBe(15_000);
    expect(first.from).toBe(1);
    // ceil(0.9 / 0.5 × 1) = 2 (the first request arrives at 111 ms, so slightly under 90%).
    expect(first.to).toBe(2);
    expect(first.why).toMatch(/^api 1 → 2: utilization \d+% vs target 50%, ratio 1\.\d+/);
    expect(r.decisions.map((d) => d.at).slice(0, 4)).toEqual([15_000, 30_000, 45_000, 60_000]);
  });
});
