import { describe, expect, it } from 'vitest';
import type { WorldSpec } from '../../src/model/world-spec.ts';
import { createSession } from '../../src/runtime/session.ts';
import type { ResolvedScenario } from '../../src/scenario/resolved.ts';
import type { Signals } from '../../src/signals.ts';
import { constMs, endpoint, openWorkload, service, world } from '../model/world-fixtures.ts';

function scenario(w: WorldSpec, over: Partial<ResolvedScenario> = {}): ResolvedScenario {
  return {
    name: 't',
    description: { en: 't', es: 't' },
    seed: 1,
    durationMs: 5000,
    warmupMs: 0,
    world: w,
    metrics: { intervalMs: 1000 },
    limits: { maxEvents: 1e9, wallTimeMs: 60_000 },
    ...over,
  };
}

const simple = world(
  [service('api', [endpoint('get', constMs(10))])],
  [openWorkload('api.get', 10, 'constant')],
);

describe('session', () => {
  it('samples every interval before the warm-up, at its end, then every interval after it', () => {
    const at: number[] = [];
    const session = createSession(scenario(simple, { warmupMs: 1500 }), {
      attach: (bus) => bus.on('gauges.sampled', (g: Signals['gauges.sampled']) => at.push(g.at)),
    });
    const results = session.runToEnd();
    expect(at).toEqual([1000, 1500, 2500, 3500, 4500, 5000]);
    expect(results.timeSeries.points.map((p) => p.at)).toEqual([1000, 1500, 2500, 3500, 4500, 5000]);
  });

  it('a run that needs exactly maxEvents events completes', () => {
    const events = createSession(scenario(simple)).runToEnd().simulated.events;
    const exact = createSession(
      scenario(simple, { limits: { maxEvents: events, wallTimeMs: 60_000 } }),
    ).runToEnd();
    expect(exact.run.endReason).toBe('completed');
    const short = createSession(
      scenario(simple, { limits: { maxEvents: events - 1, wallTimeMs: 60_000 } }),
    ).runToEnd();
    expect(short.run.endReason).toBe('event_limit');
  });

  it('stops as stalled when simulated time stops moving, and says why', () => {
    // Two closed users without think time against a service with one worker and no queue: the
    // second user's request fails at once and is resent at the same instant, forever.
    const w = world(
      [service('api', [endpoint('get', constMs(10))], { queueCapacity: 0 })],
      [
        {
          kind: 'closed',
          name: 'users',
          users: 2,
          think: constMs(0),
          entries: [{ service: 'api', endpoint: 'get', weight: 1 }],
        },
      ],
    );
    const results = createSession(scenario(w)).runToEnd();
    expect(results.run.endReason).toBe('stalled');
    expect(results.run.message).toMatch(/simulated time stopped advancing at t=0\.000 s/);
    expect(results.run.message).toMatch(/think time/);
  });
});

describe('overload warnings', () => {
  it('warns when a service received more than it could serve, though the run completed', () => {
    const overloaded = world(
      [service('api', [endpoint('get', constMs(100))])],
      [openWorkload('api.get', 12, 'constant')],
    );
    const results = createSession(scenario(overloaded, { durationMs: 60_000 })).runToEnd();
    expect(results.run.endReason).toBe('completed');
    expect(results.run.warnings).toHaveLength(1);
    expect(results.run.warnings[0]).toMatch(/^api receives 12\.0\/s but can serve about 10\.0\/s/);
    expect(results.run.warnings[0]).toContain('not a steady state');
  });

  it('stays quiet for a busy but stable service', () => {
    const busy = world(
      [service('api', [endpoint('get', constMs(100))])],
      [openWorkload('api.get', 9.5, 'constant')],
    );
    expect(createSession(scenario(busy, { durationMs: 60_000 })).runToEnd().run.warnings).toEqual([]);
  });
});
