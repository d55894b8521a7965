/**
 * Technology profiles in the model: a work factor on all work, and a warm-up right after an
 * instance becomes ready (work × warmupFactor, decaying linearly to ×1 over warmupMs), again after
 * every restart; a service without a profile is untouched, and faults combine with profiles
 * without either clearing the other.
 */
import { describe, expect, it } from 'vitest';
import { createBus } from '../../src/engine/bus.ts';
import { createEngine } from '../../src/engine/engine.ts';
import { createRandomStreams } from '../../src/engine/random.ts';
import {
  BUILTIN_PROFILES,
  BUILTIN_TECHNOLOGIES,
  type TechnologyProfile,
  technologyWorkScale,
} from '../../src/model/technology.ts';
import { createWorld } from '../../src/model/world.ts';
import type { ServiceSpec, WorldSpec } from '../../src/model/world-spec.ts';
import type { Signals } from '../../src/signals.ts';
import { constMs, endpoint, openWorkload, service, world } from './world-fixtures.ts';

const profile = (over: Partial<TechnologyProfile>): TechnologyProfile => ({
  startup: constMs(0),
  warmupMs: 0,
  warmupFactor: 1,
  memoryMb: 512,
  workFactor: 1,
  ...over,
});

/** One instance of `api` doing 10 ms of work per request, 4 requests/s (one every 250 ms). */
function apiWorld(over: Partial<ServiceSpec> = {}): WorldSpec {
  return world(
    [service('api', [endpoint('get', constMs(10))], { workers: 4, ...over })],
    [openWorkload('api.get', 4, 'constant')],
  );
}

function start(spec: WorldSpec, endMs: number) {
  const engine = createEngine();
  const bus = createBus<Signals>();
  const hops: Signals['hop.completed'][] = [];
  bus.on('hop.completed', (h) => hops.push(h));
  const w = createWorld(spec, {
    engine,
    bus,
    streams: createRandomStreams(1),
    endMs,
    onUnstable: () => engine.stop(),
  });
  const api = w.services.get('api')!;
  return { engine, world: w, api, hops, work: () => hops.map((h) => [h.arrivedAt, h.workMs, h.outcome]) };
}

describe('warm-up', () => {
  it('multiplies work by the warm-up factor at ready, decaying linearly to ×1 over the warm-up', () => {
    const tech = { name: 'jit', profile: profile({ warmupMs: 1000, warmupFactor: 3 }) };
    const r = start(apiWorld({ technology: tech, startup: constMs(500) }), 2001);
    r.engine.runUntil(2100);
    // Ready at 500 ms (the arrival at 250 ms finds no instance). Since ready: 0 → ×3,
    // 250 ms → ×2.5, 500 ms → ×2, 750 ms → ×1.5, 1000 ms and later → ×1.
    expect(r.work()).toEqual([
      [500, 30, 'ok'],
      [750, 25, 'ok'],
      [1000, 20, 'ok'],
      [1250, 15, 'ok'],
      [1500, 10, 'ok'],
      [1750, 10, 'ok'],
      [2000, 10, 'ok'],
    ]);
    expect(r.hops.map((h) => h.at - h.arrivedAt)).toEqual([30, 25, 20, 15, 10, 10, 10]);
  });

  it('turns the hot-path flag off once the warm-up is over', () => {
    const tech = { name: 'jit', profile: profile({ warmupMs: 600, warmupFactor: 2 }) };
    const r = start(apiWorld({ technology: tech }), 2000);
    const inst = r.api.instances[0]!;
    r.engine.runUntil(100);
    expect(inst.workAdjusted).toBe(true);
    r.engine.runUntil(2100);
    expect(inst.workAdjusted).toBe(false);
    expect(r.work().map(([, w]) => w)).toEqual([
      10 * (1 + (1 - 250 / 600)),
      10 * (1 + (1 - 500 / 600)),
      10,
      10,
      10,
      10,
      10,
    ]);
  });

  it('a restarted instance warms up again, from its new ready time', () => {
    const tech = { name: 'jit', profile: profile({ warmupMs: 1000, warmupFactor: 3 }) };
    const r = start(apiWorld({ technology: tech, startup: constMs(100) }), 3501);
    const inst = r.api.instances[0]!;
    r.engine.scheduleAt(
      2050,
      () => {
        r.api.crash(inst);
        r.api.restart(inst);
      },
      undefined,
    );
    r.engine.runUntil(3600);
    // First life: ready at 100 ms, warm from 1100 ms. Second: restarted at 2050 ms, ready at 2150 ms.
    expect(r.work().filter(([at]) => (at as number) >= 1000)).toEqual([
      [1000, 10 * (1 + 2 * (1 - 900 / 1000)), 'ok'],
      [1250, 10, 'ok'],
      [1500, 10, 'ok'],
      [1750, 10, 'ok'],
      [2000, 10, 'ok'],
      [2250, 10 * (1 + 2 * (1 - 100 / 1000)), 'ok'],
      [2500, 10 * (1 + 2 * (1 - 350 / 1000)), 'ok'],
      [2750, 10 * (1 + 2 * (1 - 600 / 1000)), 'ok'],
      [3000, 10 * (1 + 2 * (1 - 850 / 1000)), 'ok'],
      [3250, 10, 'ok'],
      [3500, 10, 'ok'],
    ]);
  });
});

describe('work factor', () => {
  it('multiplies all work, during the warm-up and after it', () => {
    const tech = { name: 'slow', profile: profile({ workFactor: 1.5, warmupMs: 500, warmupFactor: 2 }) };
    const r = start(apiWorld({ technology: tech }), 1001);
    r.engine.runUntil(1100);
    // ×1.5 always; × (1 + (1 − 250/500)) = ×1.5 more at 250 ms; warm from 500 ms.
    expect(r.work().map(([, w]) => w)).toEqual([22.5, 15, 15, 15]);
    expect(r.api.instances[0]!.workAdjusted).toBe(true); // a work factor keeps it on
  });

  it('combines with a slow fault, and reverting the fault leaves the warm-up in place', () => {
    const tech = { name: 'jit', profile: profile({ warmupMs: 1000, warmupFactor: 3 }) };
    const r = start(apiWorld({ technology: tech }), 1501);
    const slow = {
      name: 'slow api',
      action: { kind: 'slow', factor: 4 },
      target: { kind: 'service', service: 'api', endpoint: null, instances: { kind: 'all' } },
    } as const;
    r.engine.scheduleAt(
      400,
      () => {
        const fault = r.world.faults.apply(slow);
        r.engine.scheduleAt(600, () => fault.revert(), undefined);
      },
      undefined,
    );
    r.engine.runUntil(1600);
    expect(r.work().map(([, w]) => w)).toEqual([
      25, // 250 ms: ×2.5
      80, // 500 ms: ×2 warm-up × 4 slow
      15, // 750 ms: ×1.5 (the fault is gone, the warm-up is not)
      10,
      10,
      10,
    ]);
    expect(r.api.instances[0]!.workAdjusted).toBe(false);
  });
});

describe('without a technology', () => {
  it('work is as sampled and the hot-path flag stays off', () => {
    const r = start(apiWorld(), 1001);
    r.engine.runUntil(1100);
    expect(r.work().map(([, w]) => w)).toEqual([10, 10, 10, 10]);
    expect(r.api.instances[0]!.workAdjusted).toBe(false);
  });

  it('a profile of ×1 and no warm-up changes nothing either', () => {
    const r = start(apiWorld({ technology: { name: 'go', profile: BUILTIN_PROFILES.go } }), 1001);
    r.engine.runUntil(1100);
    expect(r.work().map(([, w]) => w)).toEqual([10, 10, 10, 10]);
    expect(r.api.instances[0]!.workAdjusted).toBe(false);
  });
});

describe('the built-in profiles', () => {
  it('are the six documented ones, each with a rationale and sane values', () => {
    expect(Object.keys(BUILTIN_PROFILES)).toEqual([...BUILTIN_TECHNOLOGIES]);
    for (const p of Object.values(BUILTIN_PROFILES)) {
      expect(p.rationale.length).toBeGreaterThan(20);
      expect(p.warmupFactor).toBeGreaterThanOrEqual(1);
      expect(p.workFactor).toBeGreaterThan(0);
      expect(p.memoryMb).toBeGreaterThan(0);
      expect(p.warmupFactor === 1).toBe(p.warmupMs === 0);
    }
  });

  it('technologyWorkScale gives the multiplier since ready', () => {
    const jvm = BUILTIN_PROFILES.jvm;
    expect(technologyWorkScale(jvm, 0)).toBe(3);
    expect(technologyWorkScale(jvm, 30_000)).toBe(2);
    expect(technologyWorkScale(jvm, 60_000)).toBe(1);
    expect(technologyWorkScale(BUILTIN_PROFILES.node, 5_000)).toBe(1.3 * 1.25);
    expect(technologyWorkScale(BUILTIN_PROFILES.python, 0)).toBe(3);
  });
});
